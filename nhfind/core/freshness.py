"""How old the information is: the dates of the pages behind each fact, not the day we last read them.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

A source's `page_date` is free text as the facts table gives it ("2015-10-23", "~2022", "2017 edition",
"undated (~2022)", "January (year not shown)"); `source_date` reads the year (and month and day where given) out of
it, and says when it is only approximate. A record's age is that of the facts a worker acts on: its phones, address
and hours (`ACTING`); `age_line` says it the way cards, `show` and the TUI print it ("information dated 2015–2024 —
call ahead"). `last_verified` stays what it is: when we last checked the record against its sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

from nhfind.core.models import Resource

OLD_YEARS = 3
"""A fact from a page older than this many years is counted (and warned about) by `db info`."""
ACTING = ("phone", "address", "hours")
"""The facts a worker acts on: a record's age is theirs."""
ASK_211 = "No phone or address in our sources: ask 211"
"""What to do when we know no way to reach a service."""
UNDATED = "undated"

_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:-(\d{2}))?(?:-(\d{2}))?(?!\d)")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d{2})\b", re.I)


class SourceDate(NamedTuple):
    """A page date as found in the data, read into numbers where it gives a year."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @property
    def dated(self) -> bool:
        return self.year is not None

    def latest(self) -> dt.date | None:
        """The last day the page can be from (end of its year or month): "older than" never overstates."""
        if self.year is None:
            return None
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, self.month, self.day)

    def key(self) -> tuple[int, int, int]:
        """For sorting: earliest possible date first."""
        return (self.year or 0, self.month or 0, self.day or 0)

    def iso(self) -> str:
        """ "2015-10-23", "2020-10", "~2022", or "" when undated."""
        if self.year is None:
            return ""
        text = str(self.year)
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return ("~" if self.approximate else "") + text

    def year_text(self) -> str:
        """ "2015", "about 2022", or "undated"."""
        if self.year is None:
            return UNDATED
        return f"about {self.year}" if self.approximate else str(self.year)


def source_date(page_date: str) -> SourceDate:
    """Read a page date as the data gives it.

    >>> source_date("2015-10-23").year, source_date("~2022").approximate, source_date("January (year not shown)").dated
    (2015, True, False)
    """
    text = (page_date or "").strip()
    match = _DATE.search(text)
    if not match:
        return SourceDate(text)
    year, month, day = int(match[1]), int(match[2] or 0) or None, int(match[3] or 0) or None
    named = _MONTH_YEAR.search(text)
    if month is None and named and int(named[2]) == year:  # "August 2026"
        month = _MONTHS.index(named[1].lower()) + 1
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and month is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            day = None
    approximate = "~" in text[: match.start() + 1] or "undated" in text.lower() or "era" in text.lower()
    return SourceDate(text, year, month, day, approximate)


def fact_sources(resource: Resource) -> list[tuple[str, str]]:
    """(field, source key) for every sourced fact of a record, phones first, in reading order."""
    out = [("phone", p.source) for p in resource.phones if p.kind != "fax"]
    for field, fact in (
        ("address", resource.address),
        ("hours", resource.hours),
        ("cost", resource.cost),
        ("confidentiality", resource.confidentiality),
        ("eligibility", resource.eligibility),
        ("languages", resource.languages),
        ("website", resource.website),
        ("email", resource.email),
        ("what_to_bring", resource.what_to_bring),
    ):
        if fact is not None:
            out.append((field, fact.source))
    return out


def date_of(resource: Resource, key: str) -> SourceDate:
    """The date of the page a fact cites (undated when the source is missing)."""
    source = resource.source_of(key)
    return source_date(source.page_date) if source else SourceDate("")


class Age(NamedTuple):
    """How old the facts behind a record are."""

    oldest: SourceDate | None
    newest: SourceDate | None
    undated: int
    """How many of the counted facts cite an undated page."""
    facts: int
    """How many facts were counted (the acting ones when there are any, else all)."""


def age(resource: Resource) -> Age:
    """The age of the facts a worker acts on (phones, address, hours); of all its facts when it has none of those."""
    facts = fact_sources(resource)
    acting = [key for field, key in facts if field in ACTING]
    keys = acting or [key for _field, key in facts]
    dates = [date_of(resource, key) for key in keys]
    dated = sorted((d for d in dates if d.dated), key=SourceDate.key)
    return Age(dated[0] if dated else None, dated[-1] if dated else None, len(dates) - len(dated), len(dates))


def age_parts(resource: Resource) -> tuple[str, bool]:
    """("2015–2024" or "2015", some facts undated) for the facts a worker acts on; ("", True) when none is dated."""
    found = age(resource)
    if found.oldest is None or found.newest is None:
        return "", True
    first, last = found.oldest.year, found.newest.year
    return (str(first) if first == last else f"{first}–{last}"), found.undated > 0


def age_line(resource: Resource) -> str:
    """ "information dated 2015–2024 — call ahead" (or "dated 2015", "undated", "some undated")."""
    found = age(resource)
    if found.facts == 0:
        return "no dated information in our sources — call ahead"
    if found.oldest is None or found.newest is None:
        return "information undated — call ahead"
    first, last = found.oldest.year, found.newest.year
    span = str(first) if first == last else f"{first}–{last}"
    some = ", some undated" if found.undated else ""
    return f"information dated {span}{some} — call ahead"


def checked_line(resource: Resource) -> str:
    """When we last checked the record against its sources, said as such."""
    return f"{resource.last_verified or 'never'} (when we last checked the record)"


def fact_date_phrase(resource: Resource, key: str, noun: str = "fact") -> str:
    """ "number from a 2015 page", "address from an undated page", "hours from a page of about 2022", or "number
    checked by phone in 2026" for a fact imported from a gaps worksheet citing a tel: source."""
    found = date_of(resource, key)
    source = resource.source_of(key)
    if source is not None and source.url.startswith("tel:") and found.dated:  # a coordinator called to check it
        return f"{noun} checked by phone in {found.year}"
    if not found.dated:
        return f"{noun} from an undated page"
    if found.approximate:
        return f"{noun} from a page of about {found.year}"
    return f"{noun} from a {found.year} page"


def unreachable(resource: Resource) -> bool:
    """True when our sources give no number to call or text and no street address (nor a confidential place)."""
    reachable_phone = any(p.kind != "fax" for p in resource.phones)
    address = resource.address
    has_place = address is not None and (bool(address.street) or address.confidential)
    return not reachable_phone and not has_place


class Summary(NamedTuple):
    """Source dates over a whole database, for `db info`."""

    sources_oldest: str
    sources_newest: str
    facts: int
    facts_undated: int
    facts_older_than_3_years: int


def summary(resources: Iterable[Resource], today: dt.date | None = None) -> Summary:
    """Oldest and newest page dates behind any fact, and how many facts are undated or over OLD_YEARS old."""
    today = today or dt.date.today()
    try:
        cutoff = today.replace(year=today.year - OLD_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - OLD_YEARS, day=28)
    total = undated = old = 0
    oldest: SourceDate | None = None
    newest: SourceDate | None = None
    for resource in resources:
        for _field, key in fact_sources(resource):
            total += 1
            found = date_of(resource, key)
            latest = found.latest()
            if latest is None:
                undated += 1
                continue
            if latest < cutoff:
                old += 1
            if oldest is None or found.key() < oldest.key():
                oldest = found
            if newest is None or found.key() > newest.key():
                newest = found
    return Summary(oldest.iso() if oldest else "", newest.iso() if newest else "", total, undated, old)


def sentence(text: str) -> str:
    """The text with a capital first letter (the rest untouched)."""
    return text[:1].upper() + text[1:]
