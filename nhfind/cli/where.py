"""Where and when for `search` and `export`: --open-now, --open-at, --near, --language, and the lines that say
what they meant (on stderr, so stdout stays clean for scripts)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Annotated

import typer

from nhfind.cli import complete
from nhfind.core import hours
from nhfind.core import search as core_search
from nhfind.core.db.store import Store
from nhfind.core.errors import UsageError
from nhfind.core.facets import BY_NAME
from nhfind.core.models import Filters, Page, Resource

OpenNow = Annotated[
    bool,
    typer.Option(
        "--open-now",
        help="Only services open now (Los Angeles time) by their sourced hours; unknown hours are left out.",
    ),
]
OpenAt = Annotated[
    str | None,
    typer.Option(
        "--open-at",
        metavar="WHEN",
        help="Only services open then, Los Angeles time: 'sat 10:00', 'today 17:30', 'tomorrow 9am', "
        "'2026-12-05 10:00'. A weekday means its next one.",
    ),
]
Near = Annotated[
    str | None,
    typer.Option(
        "--near",
        metavar="ZIP",
        help="Sort by distance from this California ZIP (about N mi between ZIP centroids); "
        "hotlines and confidential places come last, with no distance.",
    ),
]
Language = Annotated[
    list[str] | None,
    typer.Option(
        BY_NAME["language"].flag,
        help="Only services offering this language: en, es, ru, vi (repeatable).",
        autocompletion=complete.facet("language"),
    ),
]


def add_where(
    filters: Filters, open_now: bool, open_at: str | None, near: str | None, language: list[str] | None
) -> Filters:
    """`filters` plus the where-and-when options.

    Raises:
        UsageError: both --open-now and --open-at, an unreadable --open-at, or a ZIP nhfind cannot place.
    """
    if open_now and open_at is not None:
        raise UsageError("--open-now and --open-at both given: use one of them")
    when: dt.datetime | None = hours.now() if open_now else None
    if open_at is not None:
        try:
            when = hours.parse_when(open_at)
        except ValueError as exc:
            raise UsageError(f"--open-at {exc}") from None
    if near is not None:
        from nhfind.core import geo  # deferred: only --near needs the ZIP table (about 2 ms to import)

        try:
            geo.origin(near)
        except UsageError as exc:
            raise UsageError(f"--near {exc}") from None
        near = near.strip()[:5]
    languages = tuple(dict.fromkeys([*filters.languages, *(v.strip().lower() for v in language or ())]))
    return filters._replace(open_at=when, near=near, languages=languages)


def language_text(resource: Resource) -> str:
    """The languages with the source's note on interpreters: "en, es (200+ more through interpreters)"."""
    if resource.languages is None:
        return "unknown"
    text = ", ".join(resource.language_values)
    return f"{text} ({resource.languages.note})" if resource.languages.note else text


def hours_text(resource: Resource, when: dt.datetime) -> str:
    """The hours at a glance at `when`, flagged when the source is weak or sources disagree about them."""
    from nhfind.core.badges import check_flag

    text = hours.summary(resource.hours, when)
    if resource.hours is None:
        return text
    flags = [flag for flag in (check_flag(resource, resource.hours.source),) if flag]
    if any(c.field == "hours" for c in resource.conflicts):
        flags.append("sources disagree: see `nhfind show`")
    return f"{text} ({'; '.join(flags)})" if flags else text


def columns(filters: Filters, when: dt.datetime) -> list[tuple[str, Callable[[Resource], str]]]:
    """Extra table columns: Hours always; Distance with --near; Languages with --language."""
    extra: list[tuple[str, Callable[[Resource], str]]] = [("Hours", lambda r: hours_text(r, when))]
    if filters.near:
        from nhfind.core import geo

        start = geo.origin(filters.near)
        extra.append(("Distance", lambda r: geo.place(r, start).text))
    if filters.languages:
        extra.append(("Languages", language_text))
    return extra


def explain(store: Store, query: str, filters: Filters, page: Page) -> list[str]:
    """Lines saying what --open-now/--open-at, --near and --language meant for this answer."""
    lines: list[str] = []
    if filters.open_at is not None:
        counts = core_search.open_counts(store, query, filters)
        asked = "open now" if abs(filters.open_at - hours.now()) < dt.timedelta(minutes=2) else "open at"
        lines.append(
            f"{asked}: {hours.describe(filters.open_at)}, Los Angeles time ({hours.TIMEZONE}), by sourced hours:"
            f" {counts['open']} open, {counts['closed']} closed then, {counts['unknown']} left out because no"
            " source gives their hours (never claimed open)"
        )
    if filters.near:
        from nhfind.core import geo

        start = geo.origin(filters.near)
        kinds = Counter(geo.place(r, start).kind for r in page.results)
        placed = kinds.pop(geo.LOCATED, 0)
        detail = ", ".join(f"{kinds[k]} {geo.LABELS[k].split(':')[0]}" for k in geo.KINDS if kinds.get(k))
        lines.append(
            f"near ZIP {start.zip} ({start.city}): nearest first, by straight-line miles between ZIP centroids,"
            f" not street routes ({geo.SOURCE}); {placed} of {len(page.results)} shown have a distance"
            + (f", {sum(kinds.values())} without one: {detail}" if kinds else "")
        )
    if filters.languages:
        lines.append(
            f"language {', '.join(filters.languages)}: services whose sources list it; interpreter notes"
            " are in the Languages column and in `nhfind show ID`"
        )
    return lines


def explain_to_stderr(store: Store, query: str, filters: Filters, page: Page) -> None:
    from nhfind.cli.render import say

    for line in explain(store, query, filters, page):
        say(line)  # lines quote the query and vocabulary: made inert


def when_for(filters: Filters) -> dt.datetime:
    """The moment hours are described at: --open-at's, else now."""
    return filters.open_at or hours.now()
