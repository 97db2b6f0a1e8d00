"""`nhfind show ID`: everything about one service, each fact with its source, grade and page date."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from nhfind.cli.context import state
from nhfind.core import search as core_search
from nhfind.core.errors import NhfindError
from nhfind.core.models import Fact, Resource
from nhfind.core.writers import inert

SHOW_EXAMPLES = "Examples:\n\n  nhfind show calfresh\n\n  nhfind show human-trafficking-hotline --format json"


def register(app: typer.Typer) -> None:
    app.command("show", epilog=SHOW_EXAMPLES)(show)


def _cite(resource: Resource, key: str) -> str:
    source = resource.source_of(key)
    if source is None:
        return "[source unknown]"
    date = f", page dated {source.page_date}" if source.page_date else ", undated"
    flag = " - CHECK BEFORE RELYING" if source.weak else ""
    return f"[{source.grade}{date}: {source.url}{flag}]"


def _fact_line(resource: Resource, label: str, fact: Fact | None) -> str:
    if fact is None:
        return f"{label}: unknown"
    value = "; ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    note = f" ({fact.note})" if fact.note else ""
    return f"{label}: {value}{note} {_cite(resource, fact.source)}"


def detail_lines(resource: Resource) -> list[str]:
    """The full record as plain lines (data made inert by the caller)."""
    lines = [resource.name, f"{resource.organization}  ({resource.id})", "", resource.description, ""]
    if resource.is_law_enforcement:
        lines.insert(2, "!! LAW ENFORCEMENT: what is said here may be used in an investigation.")
    lines.append(f"Categories: {', '.join(resource.categories)}")
    if resource.populations:
        lines.append(f"For: {', '.join(resource.populations)}")
    if resource.access:
        lines.append(f"How to get in: {', '.join(resource.access)}")
    lines.append("")
    if resource.phones:
        lines.append("Phones:")
        for phone in resource.phones:
            extra = ", ".join(p for p in (phone.kind, phone.label, phone.hours, phone.instructions, phone.note) if p)
            lines.append(f"  {phone.number} ({extra}) {_cite(resource, phone.source)}")
    else:
        lines.append("Phones: none found in our sources")
    if resource.address:
        note = f" ({resource.address.note})" if resource.address.note else ""
        lines.append(f"Address: {resource.address.one_line()}{note} {_cite(resource, resource.address.source)}")
    else:
        lines.append("Address: unknown")
    if resource.hours:
        note = f" ({resource.hours.note})" if resource.hours.note else ""
        lines.append(f"Hours: {resource.hours.summary()}{note} {_cite(resource, resource.hours.source)}")
    else:
        lines.append("Hours: unknown - call")
    lines.append(_fact_line(resource, "Cost", resource.cost))
    lines.append(_fact_line(resource, "Confidentiality", resource.confidentiality))
    lines.append(_fact_line(resource, "Eligibility", resource.eligibility))
    lines.append(_fact_line(resource, "Languages", resource.languages))
    lines.append(_fact_line(resource, "Website", resource.website))
    if resource.email:
        lines.append(_fact_line(resource, "Email", resource.email))
    if resource.what_to_bring:
        lines.append(_fact_line(resource, "What to bring", resource.what_to_bring))
    if resource.service_area:
        lines.append(f"Service area: {resource.service_area}")
    if resource.conflicts:
        lines.append("")
        lines.append("Sources disagree:")
        for conflict in resource.conflicts:
            lines.append(f"  {conflict.field}: {conflict.text}")
    lines.append("")
    lines.append(f"Last verified: {resource.last_verified}")
    lines.append("Sources:")
    for source in resource.sources.values():
        date = source.page_date or "undated"
        flag = " (check before relying)" if source.weak else ""
        lines.append(f"  [{source.key}] {source.url} - grade {source.grade}, {date}{flag}")
    return lines


def show(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", help="The service id (see the Id column of search).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Everything about one service: contacts, hours, cost, confidentiality, sources, conflicts."""
    import json

    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"{fmt!r} is not one of text, json", param_hint="--format")
    store = state(ctx).store()
    resource = core_search.get(store, resource_id)
    if resource is None:
        near = core_search.suggest_ids(store, resource_id)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise NhfindError(f"no service with id {resource_id!r}: {hint}`nhfind search` shows ids")
    if fmt == "json":
        sys.stdout.write(json.dumps(resource.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write("\n".join(inert(line) for line in detail_lines(resource)) + "\n")
