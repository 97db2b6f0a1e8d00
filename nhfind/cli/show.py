"""`nhfind show ID`: everything about one service, each fact with its source, grade and page date."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
import textwrap
from typing import Annotated

import typer

from nhfind.cli import options as opt
from nhfind.cli.context import state
from nhfind.core import search as core_search
from nhfind.core.errors import NhfindError
from nhfind.core.models import Fact, Resource
from nhfind.core.writers import inert

SHOW_EXAMPLES = (
    "Examples:\n\n  nhfind show calfresh\n\n  nhfind show human-trafficking-hotline --format json\n\n"
    "Each fact ends with [source key: grade, page date]; the Sources list gives each key's address."
)


def register(app: typer.Typer) -> None:
    app.command("show", epilog=SHOW_EXAMPLES)(show)


def _cite(resource: Resource, key: str) -> str:
    source = resource.source_of(key)
    if source is None:
        return "[source unknown]"
    date = f", page dated {source.page_date}" if source.page_date else ", undated"
    flag = " - CHECK BEFORE RELYING" if source.weak else ""
    return f"[{source.key}: {source.grade}{date}{flag}]"


def _fact_line(resource: Resource, label: str, fact: Fact | None) -> str:
    if fact is None:
        return f"{label}: unknown"
    value = "; ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    note = f" ({fact.note})" if fact.note else ""
    return f"{label}: {value}{note} {_cite(resource, fact.source)}"


def detail_lines(resource: Resource, access_meanings: dict[str, str] | None = None) -> list[str]:
    """The full record as plain lines (data made inert by the caller), every fact with its source."""
    meanings = access_meanings or {}
    lines = [resource.name, f"{resource.organization}  (id: {resource.id})", ""]
    if resource.is_law_enforcement:
        lines += ["!! LAW ENFORCEMENT: what is said here may be used in an investigation.", ""]
    lines += [*textwrap.wrap(resource.description, width=80, break_on_hyphens=False), ""]
    lines.append(f"Categories: {', '.join(resource.categories)}")
    if resource.populations:
        lines.append(f"For: {', '.join(resource.populations)}")
    if resource.service_area:
        lines.append(f"Service area: {resource.service_area}")

    lines += ["", "CONTACT"]
    if resource.phones:
        for phone in resource.phones:
            extra = ", ".join(p for p in (phone.kind, phone.label, phone.hours, phone.instructions, phone.note) if p)
            lines.append(f"Phone: {phone.number} ({extra}) {_cite(resource, phone.source)}")
    else:
        lines.append("Phones: none found in our sources")
    lines.append(_fact_line(resource, "Website", resource.website))
    if resource.email:
        lines.append(_fact_line(resource, "Email", resource.email))

    lines += ["", "HOW TO GET THERE"]
    if resource.address:
        note = f" ({resource.address.note})" if resource.address.note else ""
        lines.append(f"Address: {resource.address.one_line()}{note} {_cite(resource, resource.address.source)}")
    else:
        lines.append("Address: unknown - call before going")
    if resource.access:
        ways = "; ".join(f"{a} ({meanings[a].rstrip('.')})" if meanings.get(a) else a for a in resource.access)
        lines.append(f"Way in: {ways}")
    if resource.hours:
        note = f" ({resource.hours.note})" if resource.hours.note else ""
        lines.append(f"Hours: {resource.hours.summary()}{note} {_cite(resource, resource.hours.source)}")
    else:
        lines.append("Hours: unknown - call")
    lines.append(_fact_line(resource, "What to bring", resource.what_to_bring))

    lines += ["", "TERMS"]
    lines.append(_fact_line(resource, "Cost", resource.cost))
    lines.append(_fact_line(resource, "Confidentiality", resource.confidentiality))
    lines.append(_fact_line(resource, "Eligibility", resource.eligibility))
    lines.append(_fact_line(resource, "Languages", resource.languages))

    if resource.conflicts:
        lines += ["", "SOURCES DISAGREE"]
        for conflict in resource.conflicts:
            keys = ", ".join(f"[{k}]" for k in conflict.sources)
            lines.append(f"  {conflict.field}: {conflict.text}" + (f" (sources {keys})" if keys else ""))

    lines += ["", f"Last verified: {resource.last_verified}", "SOURCES"]
    for source in sorted(resource.sources.values(), key=lambda src: src.key):
        date = f"page dated {source.page_date}" if source.page_date else "undated"
        flag = " - check before relying" if source.weak else ""
        title = f' "{source.title}"' if source.title else ""
        lines.append(f"  [{source.key}] {source.url}{title} - grade {source.grade}, {date}{flag}")
    return lines


def show(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", help="The service id (see the Id column of search).")],
    fmt: Annotated[opt.TextFormat, typer.Option("--format", "-f", help="text or json.")] = opt.TextFormat.text,
) -> None:
    """Everything about one service: contacts, hours, cost, confidentiality, sources, conflicts."""
    import json

    store = state(ctx).store()
    resource = core_search.get(store, resource_id)
    if resource is None:
        near = core_search.suggest_ids(store, resource_id)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise NhfindError(f"no service with id {resource_id!r}: {hint}`nhfind search` shows ids")
    if fmt is opt.TextFormat.json:
        sys.stdout.write(json.dumps(resource.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    access = core_search.vocabulary(store).access
    sys.stdout.write("\n".join(inert(line) for line in detail_lines(resource, access)) + "\n")
