"""Record types and the fixed vocabularies every layer shares.

Core module: pure Python. It must not import typer, rich, textual, nhfind.cli or nhfind.tui.
The editable vocabularies (categories, populations, access modes, languages) live in data/vocabulary.toml;
the ones fixed by the product (cost, confidentiality, grades, phone kinds) live here.

Records are immutable NamedTuples rather than frozen dataclasses because every lookup imports this module:
on this project's 2-core machine a frozen dataclass costs about 1 ms to define (dataclasses compiles its
methods at import) and a NamedTuple about 0.1 ms: 10-12 ms of a lookup's start-up, which `nhfind search` could
not spare next to a do-nothing Typer app (benchmarks/cli.py). Change a record with `record._replace(field=value)`;
`plain()` turns one into JSON-ready dicts and lists. No `from __future__ import annotations` here for the same
reason: string annotations would be compiled into ForwardRefs at import.
"""

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from nhfind.core import hours as _hours
from nhfind.core.facets import TABLE as _FACET_TABLE

SCHEMA_VERSION = 2
"""Bumped whenever the database layout changes; a database of another version is refused with a clear message."""

COSTS: dict[str, str] = {
    "free": "No charge.",
    "low-cost": "A small fee.",
    "sliding-scale": "Fee set by income.",
    "medi-cal": "Takes Medi-Cal.",
    "insurance": "Takes private insurance.",
    "unknown": "Cost not found in any source: ask.",
}
CONFIDENTIALITY: dict[str, str] = {
    "confidential": "Kept private; not shared without consent except where the law requires.",
    "anonymous-ok": "Can be used without giving a name.",
    "standard": "Ordinary record-keeping; nothing special promised.",
    "law-enforcement": "Police or prosecution: what is said may be used in an investigation.",
    "unknown": "No source says how information is handled.",
}
GRADES: dict[str, str] = {
    "seed": "Named in the seed article.",
    "high": "The organization's own site or a government page.",
    "medium": "News or a partner page, consistent with others.",
    "low": "Old, second-hand or in conflict: check before relying.",
    "imported": "From an imported data package or spreadsheet; not checked by us: check before relying.",
}
PHONE_KINDS = ("voice", "hotline", "text", "tty", "fax")
WEAK_GRADE = "low"
IMPORTED_GRADE = "imported"
"""Given only to records read by `nhfind import`; data/ files may not use it (core/dataset.py refuses it)."""


class Source(NamedTuple):
    """Where a fact was published."""

    key: str
    """Key local to the record's data file ("seed" for the seed article)."""
    url: str
    """The page's address, or "seed article"."""
    grade: str
    """seed, high, medium or low (see GRADES); imported for records read by `nhfind import`."""
    page_date: str = ""
    """The page's own date where it shows one; blank when undated."""
    title: str = ""

    @property
    def weak(self) -> bool:
        """True when facts from this source carry a "check before relying" flag."""
        return self.grade in (WEAK_GRADE, IMPORTED_GRADE)


class Fact(NamedTuple):
    """One sourced value: a string or a tuple of strings."""

    value: Any
    source: str
    """Key into Resource.sources."""
    note: str = ""


class Phone(NamedTuple):
    """A number to call or text, as published."""

    number: str
    kind: str
    source: str
    label: str = ""
    hours: str = ""
    instructions: str = ""
    note: str = ""
    """Caveats in our words ("opening-era number; check before relying")."""


class Address(NamedTuple):
    """Where a service is, or that its location is kept confidential."""

    source: str
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    confidential: bool = False
    note: str = ""

    def one_line(self) -> str:
        """The address on one line; "Call for location" for a confidential place."""
        if self.confidential:
            return "Call for location"
        parts = [self.street, self.city, " ".join(p for p in (self.state, self.postal_code) if p)]
        return ", ".join(p for p in parts if p) or "Unknown"


class Hours(NamedTuple):
    """Weekly opening times: always open, a list of ranges ("mon-fri 08:00-16:00"), or unknown."""

    source: str
    always: bool = False
    weekly: tuple[str, ...] = ()
    note: str = ""

    def summary(self) -> str:
        """The week in plain words ("Mon-Fri 8 am-4 pm; closed Sat-Sun", "24/7"); see nhfind.core.hours."""
        return _hours.weekly_text(self)


class Conflict(NamedTuple):
    """Two or more sources that disagree, kept visible to users."""

    field: str
    text: str
    sources: tuple[str, ...] = ()


class Resource(NamedTuple):
    """One service with everything we know about it and where each fact came from."""

    id: str
    name: str
    organization_id: str
    organization: str
    description: str
    last_verified: str
    """ISO date a maintainer last checked the record against its sources."""
    categories: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    service_area: str = ""
    cost: Fact | None = None
    confidentiality: Fact | None = None
    hours: Hours | None = None
    languages: Fact | None = None
    eligibility: Fact | None = None
    website: Fact | None = None
    email: Fact | None = None
    what_to_bring: Fact | None = None
    address: Address | None = None
    phones: tuple[Phone, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    sources: Mapping[str, Source] = MappingProxyType({})
    """Every source the record cites, by key."""
    record_sources: tuple[str, ...] = ()
    """Keys of the sources the record as a whole rests on."""
    client_summary: str = ""
    """What the service does, said to the client in our words (the card's lead); "" falls back to description."""
    client_summary_es: str = ""
    """The same in Spanish; "" shows the English one, whole, on a Spanish card."""
    other_addresses: tuple[Address, ...] = ()
    """More places the same service is offered at (an imported service with several locations); `address` is the
    first. Empty for almost every record."""

    # -- plain values for renderers: "unknown" is a value --------------------------------------------------

    @property
    def cost_values(self) -> tuple[str, ...]:
        return tuple(self.cost.value) if self.cost else ("unknown",)

    @property
    def confidentiality_value(self) -> str:
        return str(self.confidentiality.value) if self.confidentiality else "unknown"

    @property
    def language_values(self) -> tuple[str, ...]:
        return tuple(self.languages.value) if self.languages else ()

    @property
    def is_law_enforcement(self) -> bool:
        return self.confidentiality_value == "law-enforcement"

    @property
    def addresses(self) -> tuple[Address, ...]:
        """Every place the service is offered at, `address` first."""
        return ((self.address,) if self.address else ()) + self.other_addresses

    def at(self, address: Address) -> "Resource":
        """The same service with `address` (one of `addresses`) as its address: the location a user chose."""
        others = tuple(a for a in self.addresses if a != address)
        return self._replace(address=address, other_addresses=others)

    @property
    def main_phone(self) -> Phone | None:
        """The first voice or hotline number, else the first number of any kind."""
        for phone in self.phones:
            if phone.kind in ("hotline", "voice"):
                return phone
        return self.phones[0] if self.phones else None

    def source_of(self, key: str) -> Source | None:
        return self.sources.get(key)

    def is_weak(self, key: str) -> bool:
        """True when the fact sourced by `key` should be shown with "check before relying"."""
        source = self.sources.get(key)
        return source is None or source.weak

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; the field names are the stable public format (see docs/json.md)."""
        data: dict[str, Any] = plain(self)
        data["sources"] = dict(sorted(data["sources"].items()))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Resource":
        """Rebuild a Resource from `to_dict` output (as stored in the database)."""

        def fact(value: dict[str, Any] | None) -> Fact | None:
            if value is None:
                return None
            raw = value["value"]
            return Fact(tuple(raw) if isinstance(raw, list) else raw, value["source"], value.get("note", ""))

        hours = data.get("hours")
        address = data.get("address")
        return cls(
            id=data["id"],
            name=data["name"],
            organization_id=data["organization_id"],
            organization=data["organization"],
            description=data["description"],
            last_verified=data["last_verified"],
            categories=tuple(data.get("categories", ())),
            populations=tuple(data.get("populations", ())),
            access=tuple(data.get("access", ())),
            keywords=tuple(data.get("keywords", ())),
            service_area=data.get("service_area", ""),
            cost=fact(data.get("cost")),
            confidentiality=fact(data.get("confidentiality")),
            hours=Hours(
                source=hours["source"],
                always=hours.get("always", False),
                weekly=tuple(hours.get("weekly", ())),
                note=hours.get("note", ""),
            )
            if hours
            else None,
            languages=fact(data.get("languages")),
            eligibility=fact(data.get("eligibility")),
            website=fact(data.get("website")),
            email=fact(data.get("email")),
            what_to_bring=fact(data.get("what_to_bring")),
            address=Address(**address) if address else None,
            phones=tuple(Phone(**p) for p in data.get("phones", ())),
            conflicts=tuple(
                Conflict(c["field"], c["text"], tuple(c.get("sources", ()))) for c in data.get("conflicts", ())
            ),
            sources={k: Source(**v) for k, v in data.get("sources", {}).items()},
            record_sources=tuple(data.get("record_sources", ())),
            client_summary=data.get("client_summary", ""),
            client_summary_es=data.get("client_summary_es", ""),
            other_addresses=tuple(Address(**a) for a in data.get("other_addresses", ())),
        )


class Filters(NamedTuple):
    """What to narrow a search to. AND across facets, OR within one; empty means no restriction."""

    categories: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    confidentiality: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    exclude_law_enforcement: bool = False
    open_at: dt.datetime | None = None
    """Only services whose sourced hours say they are open at this moment (unknown hours never are)."""
    near: str | None = None
    """A California ZIP code: sort by distance from its centroid (services without a fixed place last)."""

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        """The facet filters keyed by facet name as stored in the database (see nhfind.core.facets)."""
        return {facet.name: getattr(self, facet.field) for facet in _FACET_TABLE}

    @property
    def active(self) -> bool:
        return (
            self.exclude_law_enforcement
            or self.open_at is not None
            or self.near is not None
            or any(self.facet_values().values())
        )


class Page(NamedTuple):
    """One answer of the query layer."""

    results: tuple[Resource, ...]
    total: int
    """How many records match in all (results may be cut by a limit)."""
    query: str = ""
    """The FTS expression actually run (empty when browsing)."""
    facets: Mapping[str, dict[str, int]] = MappingProxyType({})
    """Counts per facet value over the whole match, when asked for."""
    corrections: tuple[tuple[str, str], ...] = ()
    """(typed word, word searched instead) for each typo corrected because the words as typed found nothing."""
    did_you_mean: str = ""
    """The query with its corrections applied ("" when nothing was corrected): what the results are for."""
    expanded: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(word or phrase understood, the other words searched with it) from data/search-vocabulary.toml."""
    ignored: tuple[str, ...] = ()
    """Words left out: the filler of plain questions ("where can i get"), and words that match nothing."""
    relaxed: bool = False
    """True when no service matched every word, so services matching any of them are shown."""
    suggestions: tuple[str, ...] = ()
    """With no results: category ids worth trying (closest to the words first)."""
    notices: tuple[str, ...] = ()
    """How the words were read, for the user (stderr, the TUI's status line): police refused, an age, real words
    left out rather than "corrected" (see nhfind.core.search)."""
    law_enforcement_left_out: bool = False
    """The words refused the police ("no cops"), so law-enforcement services were left out as by
    Filters.exclude_law_enforcement."""
    age: int | None = None
    """An age the words stated ("16 year old"), not searched for as words."""


class Vocabulary(NamedTuple):
    """The meaning of every value a filter can take."""

    categories: dict[str, tuple[str, str, str]]
    """id -> (label, meaning, Open Eligibility id or nhfind: extension)."""
    populations: dict[str, str]
    access: dict[str, str]
    languages: dict[str, str]

    def meanings(self, facet: str) -> dict[str, str]:
        """value -> one-line meaning for a facet."""
        if facet == "category":
            return {k: f"{v[0]}: {v[1]}" for k, v in self.categories.items()}
        if facet == "cost":
            return dict(COSTS)
        if facet == "confidentiality":
            return dict(CONFIDENTIALITY)
        return {"population": self.populations, "access": self.access, "language": self.languages}.get(facet, {})


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A record (or a tuple, list or dict of them) as JSON-ready dicts and lists, field names as keys."""
    # leaves are passed through without a call: every stored record goes through here at build time
    kind = type(value)
    if kind in _SCALARS:
        return value
    if hasattr(kind, "_fields"):
        return {name: v if type(v) in _SCALARS else plain(v) for name, v in zip(kind._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: v if type(v) in _SCALARS else plain(v) for k, v in value.items()}
    return value
