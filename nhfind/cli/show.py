"""`nhfind show ID`: everything about one service, each fact with its source, grade and page date."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
import textwrap
from collections.abc import Callable
from typing import Annotated

import typer

from nhfind.cli import prose
from nhfind.cli.complete import services
from nhfind.cli.context import state
from nhfind.cli.lookup import resolve as resolve_id
from nhfind.cli.render import text_width, wrap_lines
from nhfind.core import freshness
from nhfind.core import search as core_search
from nhfind.core.errors import NhfindError
from nhfind.core.models import Fact, Resource
from nhfind.core.writers import inert

SHOW_EXAMPLES = (
    "Examples:\n\n  nhfind show calfresh\n\n  nhfind show weave\n\n"
    "  nhfind show human-trafficking-hotline --format json\n\n"
    "Each fact ends with [source key: grade, page date]; the Sources list gives each key's address."
)


def register(app: typer.Typer) -> None:
    app.command("show", epilog=SHOW_EXAMPLES)(show)


def _cite(resource: Resource, key: str, _: Callable[[str], str] = str) -> str:
    source = resource.source_of(key)
    if source is None:
        return _("[source unknown]")
    date = _(", page dated {date}").format(date=source.page_date) if source.page_date else _(", undated")
    flag = _(" - CHECK BEFORE RELYING") if source.weak else ""
    return f"[{source.key}: {source.grade}{date}{flag}]"


def _fact_line(resource: Resource, label: str, fact: Fact | None, _: Callable[[str], str] = str) -> str:
    if fact is None:
        return _("{label}: unknown").format(label=label)
    value = "; ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    note = f" ({fact.note})" if fact.note else ""
    return f"{label}: {value}{note} {_cite(resource, fact.source, _)}"


def detail_lines(
    resource: Resource, access_meanings: dict[str, str] | None = None, lang: str = "en", width: int = 80
) -> list[str]:
    """The full record as plain lines, one per fact (data made inert and fact lines wrapped by the caller).

    The description and summary come as paragraphs wrapped to `width`.

    In another language the fixed labels, hours and the client summary are translated; the sources' own words
    (description, notes) stay in English, each marked as such.
    """
    from nhfind.core.card import gettext_for, hours_text, summary

    _ = gettext_for(lang)
    meanings = access_meanings or {}
    lines = [resource.name, f"{resource.organization}  (id: {resource.id})", ""]
    if resource.is_law_enforcement:
        lines += [_("!! LAW ENFORCEMENT: what is said here may be used in an investigation."), ""]
    if lang != "en" and resource.client_summary_es:
        lines += [*textwrap.wrap(summary(resource, lang), width=width, break_on_hyphens=False), ""]
        lines.append(_("Description (in English):"))
    lines += [*textwrap.wrap(resource.description, width=width, break_on_hyphens=False), ""]
    lines.append(_("Categories: {values}").format(values=", ".join(resource.categories)))
    if resource.populations:
        lines.append(_("For: {values}").format(values=", ".join(resource.populations)))
    if resource.service_area:
        lines.append(_("Service area: {value}").format(value=resource.service_area))

    lines += ["", _("CONTACT")]
    if resource.phones:
        for phone in resource.phones:
            extra = ", ".join(p for p in (phone.kind, phone.label, phone.hours, phone.instructions, phone.note) if p)
            lines.append(f"{_('Phone')}: {phone.number} ({extra}) {_cite(resource, phone.source, _)}")
    else:
        lines.append(_("Phones: none found in our sources"))
    if freshness.unreachable(resource):
        lines.append(_("No phone or address in our sources: ask 211") + ".")
    lines.append(_fact_line(resource, _("Website"), resource.website, _))
    if resource.email:
        lines.append(_fact_line(resource, _("Email"), resource.email, _))

    lines += ["", _("HOW TO GET THERE")]
    if resource.address:
        note = f" ({resource.address.note})" if resource.address.note else ""
        cite = _cite(resource, resource.address.source, _)
        lines.append(f"{_('Address')}: {resource.address.one_line()}{note} {cite}")
        for other in resource.other_addresses:
            note = f" ({other.note})" if other.note else ""
            lines.append(f"{_('Also at')}: {other.one_line()}{note} {_cite(resource, other.source, _)}")
    else:
        lines.append(
            _("Address: unknown - ask 211")
            if freshness.unreachable(resource)
            else _("Address: unknown - call before going")
        )
    if resource.access:
        ways = "; ".join(f"{a} ({meanings[a].rstrip('.')})" if meanings.get(a) else a for a in resource.access)
        lines.append(_("Way in: {values}").format(values=ways))
    if resource.hours:
        note = f" ({resource.hours.note})" if resource.hours.note else ""
        cite = _cite(resource, resource.hours.source, _)
        lines.append(f"{_('Hours')}: {hours_text(resource, lang)}{note} {cite}")
    else:
        lines.append(_("Hours: unknown - ask 211") if freshness.unreachable(resource) else _("Hours: unknown - call"))
    lines.append(_fact_line(resource, _("What to bring"), resource.what_to_bring, _))

    lines += ["", _("TERMS")]
    lines.append(_fact_line(resource, _("Cost"), resource.cost, _))
    lines.append(_fact_line(resource, _("Confidentiality"), resource.confidentiality, _))
    lines.append(_fact_line(resource, _("Eligibility"), resource.eligibility, _))
    lines.append(_fact_line(resource, _("Languages"), resource.languages, _))

    if resource.conflicts:
        lines += ["", _("SOURCES DISAGREE")]
        for conflict in resource.conflicts:
            keys = ", ".join(f"[{k}]" for k in conflict.sources)
            lines.append(f"  {conflict.field}: {conflict.text}" + (f" ({_('sources')} {keys})" if keys else ""))

    lines += [
        "",
        _("Dates: {dates}").format(dates=freshness.age_line(resource)),
        _("Last checked: {date} (when we last checked the record)").format(date=resource.last_verified or "never"),
        _("SOURCES"),
    ]
    for source in sorted(resource.sources.values(), key=lambda src: src.key):
        date = _("page dated {date}").format(date=source.page_date) if source.page_date else _("undated")
        flag = _(" - check before relying") if source.weak else ""
        title = f' "{source.title}"' if source.title else ""
        lines.append(f"  [{source.key}] {source.url}{title} - {_('grade')} {source.grade}, {date}{flag}")
    return lines


def show(
    ctx: typer.Context,
    resource_id: Annotated[
        str,
        typer.Argument(
            metavar="ID|NAME",
            autocompletion=services,
            help="A service id, name, or the start of either (`weave`, `988`).",
        ),
    ],
    fmt: prose.TextFormatOption = prose.TextFormat.text,
    lang: prose.Lang = None,
) -> None:
    """Everything about one service: contacts, hours, cost, confidentiality, sources, conflicts."""
    from nhfind.core.errors import UsageError
    from nhfind.core.writers import json_text
    from nhfind.locale import resolve

    try:
        chosen = resolve(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store = state(ctx).store()
    resource = core_search.get(store, resolve_id(store, resource_id))
    if resource is None:  # pragma: no cover - resolve_id returned an id the store just listed
        raise NhfindError(f"no service with id {resource_id!r}: `nhfind search` shows ids")
    if fmt is prose.TextFormat.json:
        sys.stdout.write(json_text(resource.to_dict(), indent=2) + "\n")
        return
    access = core_search.vocabulary(store).access
    width = text_width(100)
    lines = [inert(line) for line in detail_lines(resource, access, chosen, width)]
    sys.stdout.write("\n".join(wrap_lines(lines, width)) + "\n")
