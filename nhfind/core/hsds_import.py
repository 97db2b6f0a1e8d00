"""Open Referral HSDS packages and our spreadsheet template -> Resource records, validated before anything is written.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Reads:
- an HSDS 3.0 Tabular Data Package (a folder with datapackage.json and services.csv, phones.csv, schedules.csv, ...);
- older HSDS 1.x/2.x tabular folders (plural names: services_at_location.csv, physical_addresses.csv,
  regular_schedules.csv with one weekday per row, service_taxonomy.csv + taxonomy.csv, eligibility.csv, ...);
- Ohana API's CSV layout (no datapackage.json; services.location_id, addresses.csv + mail_addresses.csv,
  contacts.csv, comma-separated keywords/languages/service_areas cells, taxonomy_ids), labelled "Ohana API CSV";
- HSDS 3.0 JSON: a service, an API page ({"contents": [...]}) or an array of services, organizations
  (organization_full / _list: their services) or services at locations (service_at_location_full / _list).
  Anything else (a location, a taxonomy, a term) is refused in one line naming what it is;
- our spreadsheet CSV template and our own `export --format csv` (see nhfind.core.template).

A service gets what its locations publish: addresses (one per place, every place kept), languages and accessibility;
phones and hours of its own, else its location's, else (phones) its organization's. Each phone once (number,
extension and kind), each schedule once (its content), however many links list it. Schedules are read as published:
expired and not-yet-valid ones and rules the weekly hours cannot hold (every other week, days of the month, counts)
are kept as a note on the hours and never counted as open; times with an offset or Z become Los Angeles wall time.

Tolerant where real data is messy (times such as "9am", "4:00 PM", "17:00"; missing optional files and columns;
extra columns; unknown taxonomy terms become search words), counting each such case in a warning summary. What cannot
be read raises ImportProblem naming the file, the row (spreadsheet numbering: the header is row 1) and the column.
Imported records get one source of grade "imported", never one of our own grades.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhfind.core.hours import clock, parse_range
from nhfind.core.import_limits import loads_json, read_text
from nhfind.core.importing import SOURCE_KEY, ImportProblem, imported_source, paused_gc
from nhfind.core.models import (
    CONFIDENTIALITY,
    COSTS,
    PHONE_KINDS,
    Address,
    Conflict,
    Fact,
    Hours,
    Phone,
    Resource,
    Vocabulary,
)
from nhfind.core.parse import (
    FORMULA_START,
    RRULE_DAYS,
    clean_number,
    is_slug,
    parse_clock,
    parse_date,
    parse_weekday,
    rrule_days,
    slugify,
    unformula,
    week_ranges,
)
from nhfind.core.phone import keypad, split_extension

Progress = Callable[[int, int], None]
"""progress(done, total): called as services are read."""

_PHONE_KINDS = {
    "": "voice", "cell": "voice", "mobile": "voice", "landline": "voice", "main": "voice", "office": "voice",
    "work": "voice", "sms": "text", "textphone": "tty", "teletype": "tty", "tdd": "tty", "crisis": "hotline",
    "facsimile": "fax", "video": "voice",
}  # fmt: skip
_SCHEDULE_CONTENT = ("byday", "opens_at", "closes_at", "freq", "interval", "bymonthday", "byweekno",
                     "byyearday", "valid_from", "valid_to", "dtstart", "until", "count", "timezone", "description",
                     "notes")  # fmt: skip
"""What makes two schedule rows the same schedule (ids and links aside)."""
_RULE_WORDS = (("bymonthday", "days {} of the month"), ("byweekno", "in weeks {} of the year"),
               ("byyearday", "days {} of the year"), ("count", "{} times"), ("until", "until {}"))  # fmt: skip
"""Parts of a recurrence rule the weekly hours cannot hold, as words for the hours note."""
_FREE_WORDS = {"free", "no fee", "no fees", "no cost", "none", "$0", "0"}
_FREE_TEXT = re.compile(r"^(free|no (fees?|cost|charge))\b", re.I)
_ZONE = re.compile(r"(z|utc|gmt|[+-]\d{2}:?\d{2})\s*$", re.I)
_RRULE_DAY = re.compile(r"([+-]?\d{1,2})?([A-Z]{2})")
_DIGIT = re.compile(r"\d")
_ZERO = re.compile(r"0+(\.0+)?")
_FORMULA = re.compile("'[" + re.escape("".join(FORMULA_START)) + "]")
"""Where a spreadsheet-safe cell may start (nhfind.core.parse.unformula)."""


@dataclass
class ImportResult:
    """What an import read: the records, the format it recognised, and the warning summary."""

    resources: tuple[Resource, ...]
    format: str
    path: Path
    warnings: Counter[str] = field(default_factory=Counter)
    organizations: dict[str, str] = field(default_factory=dict)
    """organization id -> description, as the package gives it."""

    def warning_lines(self) -> list[str]:
        """One line per kind of warning with how often it happened, most frequent first."""
        return [f"{n} x {text}" if n > 1 else text for text, n in sorted(self.warnings.items(), key=lambda x: -x[1])]


# -- nested HSDS objects with their origin ---------------------------------------------------------------------


def _at(obj: dict[str, Any]) -> tuple[str, str, str, str]:
    """Where `obj` came from: (file, where, prefix, "field" or "column"). A CSV row keeps its row number and is
    written "row N" only here, when a message needs it (tens of thousands of rows, hardly ever a message)."""
    file, where, prefix, word = obj.get("_at", ("", "", "", "field"))
    return file, where if isinstance(where, str) else f"row {where}", prefix, word


def _fail(obj: dict[str, Any], column: str, problem: str) -> ImportProblem:
    file, where, prefix, word = _at(obj)
    return ImportProblem(file, where, f"{word} {prefix + column!r}", problem)


def _text(obj: dict[str, Any], key: str, required: bool = False) -> str:
    value = obj.get(key)
    if value.__class__ is str:  # nearly every call (a CSV cell, a JSON string): no isinstance checks
        text = value.strip()
    elif value is None:
        text = ""
    elif isinstance(value, dict | list):
        raise _fail(obj, key, "must be text")
    else:
        text = str(value).strip()
    if required and not text:
        raise _fail(obj, key, "is empty; it is required")
    return text


def _items(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(obj, key, "must be a list of objects")
    return value


def _annotate(obj: Any, file: str, where: str, prefix: str = "") -> Any:
    """A copy of a JSON object with "_at" origins on every nested object, for error messages."""
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for k, v in obj.items():  # a prefix is made only for what is annotated (objects), not for every value
        if isinstance(v, dict):
            v = _annotate(v, file, where, f"{prefix}{k}.")
        elif isinstance(v, list):
            v = [_annotate(x, file, where, f"{prefix}{k}[{i}].") if isinstance(x, dict) else x for i, x in enumerate(v)]
        out[k] = v
    out["_at"] = (file, where, prefix, "field")
    return out


class _Converter:
    """HSDS service objects (3.0 shape, from any reader) -> Resources."""

    def __init__(
        self, vocab: Vocabulary, path: Path, fmt: str, warnings: Counter[str], today: dt.date | None = None
    ) -> None:
        self.vocab, self.path, self.fmt, self.warn = vocab, path, fmt, warnings
        self.today = today or dt.date.today()
        self.organizations: dict[str, str] = {}
        self.oe = {oe: cat for cat, (_l, _m, oe) in sorted(vocab.categories.items(), reverse=True)}
        self.language_names = {name.casefold(): code for code, name in vocab.languages.items()}
        self.resolved = str(path.resolve())
        """The file the records cite (resolving asks the disk: once per import, not per record)."""
        self.hours_read: dict[tuple[tuple[str, ...], ...], tuple[Hours | None, Counter[str]]] = {}
        """The weekly hours of each list of schedules read so far, by the schedules' content, with the warnings
        reading them gave (see _hours)."""

    def _terms(self, attributes: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        out = []
        for attribute in attributes:
            term = attribute.get("taxonomy_term") or {}
            out.append((str(term.get("code") or "").strip(), str(term.get("name") or "").strip(),
                        str(attribute.get("value") or "").strip()))  # fmt: skip
        return out

    def _schedule_dates(self, sched: dict[str, Any]) -> dict[str, str]:
        out = {}
        for column in ("valid_from", "valid_to", "dtstart", "until"):
            raw = _text(sched, column)
            if raw:
                try:
                    out[column] = parse_date(raw)
                except ValueError as exc:
                    raise _fail(sched, column, str(exc)) from None
        return out

    def _times(self, sched: dict[str, Any], on: dt.date) -> tuple[int, int, bool]:
        """(opens, closes) in Los Angeles minutes of the schedule's day, and whether an offset moved them."""
        zone_text = _text(sched, "timezone")
        suffix = ""
        if zone_text:
            try:
                hours_off = float(zone_text.replace(":", "."))
            except ValueError:
                raise _fail(sched, "timezone", f"{zone_text!r} is not a UTC offset (use -8)") from None
            if not -14 <= hours_off <= 14:
                raise _fail(sched, "timezone", f"{zone_text!r} is not a UTC offset (use -8)")
            total = round(hours_off * 60)
            suffix = f"{'-' if total < 0 else '+'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
        out = []
        shifted = False
        for column in ("opens_at", "closes_at"):
            raw = _text(sched, column)
            has_zone = _ZONE.search(raw) is not None and ":" in raw
            try:
                time = parse_clock(raw if has_zone or not suffix else raw + suffix, on)
            except ValueError as exc:
                raise _fail(sched, column, str(exc)) from None
            shifted = shifted or time.shifted
            out.append(time.minute)
        return out[0], out[1], shifted

    def _rule_text(self, sched: dict[str, Any], times: str) -> str:
        """A schedule the weekly model cannot hold, in words: "every 2 weeks on Wed 9 am-noon",
        "monthly on 1st Fri and 3rd Fri 10 am-2 pm", "on Thu, Fri, days 2, 3, 4 of the month 10 am-6 pm"."""
        names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        freq = _text(sched, "freq").lower()
        interval = _text(sched, "interval")
        unit = {"weekly": "week", "monthly": "month", "daily": "day", "yearly": "year"}.get(freq, "")
        head = []
        if interval and interval not in ("1", "0") and unit:
            head.append(f"every {interval} {unit}s")
        elif freq and freq != "weekly":
            head.append(freq)
        days = []
        for code in _text(sched, "byday").upper().replace(" ", "").split(","):
            match = _RRULE_DAY.fullmatch(code)
            if match and match[2] in RRULE_DAYS:
                n = (match[1] or "").lstrip("+")
                nth = {"1": "1st", "2": "2nd", "3": "3rd", "-1": "last"}.get(n, f"{n}th" if n else "")
                days.append(f"{nth} {names[RRULE_DAYS.index(match[2])]}".strip())
        if days:
            head.append("on " + (" and ".join(days) if len(days) == 2 else ", ".join(days)))
        parts = [" ".join(head)] if head else []
        for column, words in _RULE_WORDS:
            value = _text(sched, column)
            if value:
                parts.append(words.format(value.replace(",", ", ")))
        return ", ".join(parts) + (f" {times}" if times else "")

    def _time_words(self, sched: dict[str, Any], on: dt.date) -> str:
        """ "9 am-noon" for a note, or the times as written when they cannot be read."""
        try:
            opens, closes, _ = self._times(sched, on)
        except ImportProblem:
            return "-".join(t for t in (_text(sched, "opens_at"), _text(sched, "closes_at")) if t)
        return f"{clock(opens % 1440)}-{clock(closes % 1440)}"

    def _hours(self, schedules: list[dict[str, Any]]) -> Hours | None:
        """Weekly hours from schedules as published: each once, expired and future ones and rules the weekly model
        cannot hold left out of the hours (kept as a note), offsets converted to Los Angeles time.

        Read once per content: the hours depend on nothing but the schedules' content and the day, and most
        services of a directory share a few weekly patterns (Monday to Friday 9 to 5), so the same list of
        schedules gives the same hours and the same warnings again without being parsed again."""
        contents = tuple(tuple(_text(sched, c) for c in _SCHEDULE_CONTENT) for sched in schedules)
        known = self.hours_read.get(contents)
        if known is None:
            before = self.warn.copy()
            hours = self._read_hours(schedules, contents)
            known = self.hours_read[contents] = (hours, self.warn - before)
        else:
            self.warn.update(known[1])
        return known[0]

    def _read_hours(self, schedules: list[dict[str, Any]], contents: tuple[tuple[str, ...], ...]) -> Hours | None:
        """_hours, read: `contents` holds each schedule's _SCHEDULE_CONTENT."""
        ranges: list[tuple[list[int], int, int]] = []
        notes: list[str] = []
        seen: set[tuple[str, ...]] = set()
        shifted_on: set[str] = set()
        ends: list[str] = []
        today = self.today.isoformat()
        for sched, content in zip(schedules, contents, strict=True):
            if content in seen:
                self.warn["schedules listed more than once (on a service and its location) were kept once"] += 1
                continue
            seen.add(content)
            for column in ("description", "notes"):
                text = _text(sched, column)
                if text and text not in notes:
                    notes.append(text)
            dates = self._schedule_dates(sched)
            opens_raw, closes_raw = _text(sched, "opens_at"), _text(sched, "closes_at")
            freq = _text(sched, "freq").upper()
            byday = _text(sched, "byday")
            if freq == "DAILY" and not byday:
                byday = "MO,TU,WE,TH,FR,SA,SU"
            ended = min((d for c, d in dates.items() if c in ("valid_to", "until")), default="")
            if ended and ended < today:
                self.warn["schedules that had ended (valid_to or until in the past) were left out of the hours"] += 1
                notes.append(f"A schedule that ended on {ended} was left out.")
                continue
            if dates.get("valid_from", "") > today:
                self.warn["schedules not valid yet (valid_from in the future) were left out of the hours"] += 1
                on = dt.date.fromisoformat(dates["valid_from"])
                notes.append(f"From {dates['valid_from']}: {self._rule_text(sched, self._time_words(sched, on))}.")
                continue
            if not (opens_raw and closes_raw and byday):
                if opens_raw or closes_raw or byday:
                    self.warn["schedules without days or both times were left out"] += 1
                continue
            interval = _text(sched, "interval")
            irregular = (
                freq not in ("", "WEEKLY", "DAILY")
                or interval not in ("", "0", "1")
                or any(_text(sched, c) for c in ("bymonthday", "byweekno", "byyearday", "count"))
                or _DIGIT.search(byday) is not None
            )
            try:
                days = rrule_days(byday)
            except ValueError as exc:
                raise _fail(sched, "byday", str(exc)) from None
            on = dt.date.fromisoformat(dates.get("dtstart") or dates.get("valid_from") or today)
            opens, closes, shifted = self._times(sched, on)
            if irregular:
                self.warn["schedules the weekly hours cannot show (every other week, days of the month, ...) "
                          "were kept as a note and never counted as open"] += 1  # fmt: skip
                notes.append(f"also: {self._rule_text(sched, f'{clock(opens % 1440)}-{clock(closes % 1440)}')}")
                continue
            if shifted:
                shifted_on.add(on.isoformat())
            if ended:
                ends.append(ended)
            ranges.append((days, opens, closes))
        if shifted_on:
            self.warn["times given in UTC or another time zone were converted to Los Angeles time"] += 1
            notes.append("Times were published in another time zone and converted to Los Angeles time"
                         f" (as on {min(shifted_on)}).")  # fmt: skip
        if ends:
            self.warn["schedules that end on a date were kept: re-import after that date"] += 1
            notes.append(f"These hours end on {min(ends)}.")
        if len(notes) > 1:
            notes = [n if n.endswith((".", "!", "?")) else n + "." for n in notes]
        note = " ".join(notes)
        if not ranges:
            return Hours(SOURCE_KEY, note=note) if note else None
        specs = week_ranges(ranges)
        if len(specs) == 1 and specs[0] in ("mon-sun 00:00-24:00", "mon-sun 00:00-23:59"):
            return Hours(SOURCE_KEY, always=True, note=note)
        for spec in specs:
            parse_range(spec)
        return Hours(SOURCE_KEY, weekly=tuple(specs), note=note)

    def _phones(self, rows: list[dict[str, Any]]) -> list[Phone]:
        """Each line once: the same number and extension listed on the service, its location or a contact."""
        out: list[Phone] = []
        seen: set[str] = set()
        for row in rows:
            number = clean_number(_text(row, "number", required=True))
            if not number:
                raise _fail(row, "number", "is empty; it is required")
            extension = _text(row, "extension").removesuffix(".0")
            kind_raw = (_text(row, "type") or _text(row, "number_type")).lower()
            kind = kind_raw if kind_raw in PHONE_KINDS else _PHONE_KINDS.get(kind_raw)
            if kind is None:
                self.warn[f"phone type {kind_raw!r} is not one we know: shown as voice"] += 1
                kind = "voice"
            key = _phone_key(number, extension, kind)
            if key in seen:
                self.warn["phones listed more than once (on a service, its location or a contact) were kept once"] += 1
                continue
            seen.add(key)
            if extension:
                number = f"{number} ext. {extension}"
            label = _text(row, "description") or _text(row, "department")
            out.append(Phone(number=number, kind=kind, source=SOURCE_KEY, label=label))
        return out

    def _accessibility(self, location: dict[str, Any]) -> str:
        value = location.get("accessibility")
        if isinstance(value, list):
            texts = [" ".join(p for p in (_text(a, "description") or _text(a, "accessibility"), _text(a, "details"))
                              if p) for a in value if isinstance(a, dict)]  # fmt: skip
        else:
            texts = [t.strip().replace("_", " ") for t in str(value or "").split(",")]
        return "; ".join(dict.fromkeys(t for t in texts if t))

    def _addresses(self, locations: list[dict[str, Any]], said: str = "") -> list[Address]:
        """One address per location that has one (physical first, else postal), each place once; a location
        description that is the service's own (`said`) is not repeated as the address note."""
        out: list[Address] = []
        for location in locations:
            terms = self._terms(_items(location, "attributes"))
            confidential = any(code == "nhfind:location:confidential" for code, _n, _v in terms)
            parts = {
                code.removeprefix("nhfind:address:"): v for code, _n, v in terms if code.startswith("nhfind:address:")
            }
            addresses = _items(location, "addresses")
            physical = [a for a in addresses if _text(a, "address_type").lower() in ("", "physical")] or addresses
            note = _text(location, "description")
            if note and note == said:
                note = ""
            access = self._accessibility(location)
            if access:
                note = " ".join(p for p in (note, f"Accessibility: {access.rstrip('.')}.") if p)
            if confidential:
                address = Address(SOURCE_KEY, confidential=True, note=note)
            elif parts and not physical:  # an incomplete address nhfind exported
                address = Address(
                    SOURCE_KEY,
                    street=parts.get("street", ""),
                    city=parts.get("city", ""),
                    state=parts.get("state", ""),
                    postal_code=parts.get("postal_code", ""),
                    note=note,
                )
            elif physical:
                a = physical[0]
                street = ", ".join(p for p in (_text(a, "address_1"), _text(a, "address_2")) if p)
                address = Address(SOURCE_KEY, street=street, city=_text(a, "city"), state=_text(a, "state_province"),
                                  postal_code=_text(a, "postal_code"), note=note)  # fmt: skip
            else:
                continue
            if any(a._replace(note="") == address._replace(note="") for a in out):
                continue
            out.append(address)
        return out

    def _cost(self, service: dict[str, Any]) -> Fact | None:
        values: list[str] = []
        notes = [_text(service, "fees_description") or _text(service, "fees")]
        for option in _items(service, "cost_options"):
            code = _text(option, "option").lower()
            amount = _text(option, "amount")
            if code in COSTS:
                values.append(code)
            elif amount and _ZERO.fullmatch(amount):
                values.append("free")
            else:
                text = " ".join(p for p in (_text(option, "option"), amount, _text(option, "currency"),
                                            _text(option, "amount_description")) if p)  # fmt: skip
                notes.append(text)
        note = "; ".join(n for n in notes if n)
        if not values and (note.casefold() in _FREE_WORDS or _FREE_TEXT.match(note)):
            values, note = ["free"], "" if note.casefold() in _FREE_WORDS else note
        values = [v for v in dict.fromkeys(values) if v != "unknown"] or ["unknown"]
        if values == ["unknown"] and not note:
            return None
        return Fact(tuple(values), SOURCE_KEY, note)

    def _language(self, row: dict[str, Any]) -> str:
        code, name = _text(row, "code").lower(), _text(row, "name") or _text(row, "language")
        if code in self.vocab.languages:
            return code
        if name.casefold() in self.language_names:
            return self.language_names[name.casefold()]
        if not (code or name):
            self.warn["languages given without a code or a name were left out"] += 1
            return ""
        self.warn["languages not in our vocabulary were kept as given"] += 1
        return code or name.lower()

    def convert(self, service: dict[str, Any]) -> Resource | None:
        hsds_id = _text(service, "id", required=True)
        name = _text(service, "name", required=True)
        status = _text(service, "status").lower()
        if status in ("inactive", "defunct"):
            self.warn["inactive or defunct services were not imported"] += 1
            return None
        org = service.get("organization") or {}
        if not isinstance(org, dict):
            raise _fail(service, "organization", "must be an object")
        org_name = _text(org, "name")
        if not org_name:
            self.warn["services without an organization are listed under their own name"] += 1
            org_name = name
        terms = self._terms(_items(service, "attributes"))
        org_terms = self._terms(_items(org, "attributes")) if org else []
        our_id = next((v for c, _n, v in terms if c == "nhfind:id:service" and is_slug(v)), "")
        rid = our_id or f"{slugify(name)}-{hashlib.sha256(hsds_id.encode()).hexdigest()[:6]}"
        org_id = next((v for c, _n, v in org_terms if c == "nhfind:id:organization" and is_slug(v)), "")
        categories: list[str] = []
        populations: list[str] = []
        access: list[str] = []
        keywords: list[str] = []
        confidentiality = ""
        for code, term_name, value in terms:
            facet, _, rest = code.removeprefix("nhfind:").partition(":") if code.startswith("nhfind:") else ("", "", "")
            if code.startswith("nhfind:id:"):
                continue
            if facet == "keyword":
                keywords.append(value)
            elif facet == "population" and rest in self.vocab.populations:
                populations.append(rest)
            elif facet == "access" and rest in self.vocab.access:
                access.append(rest)
            elif facet == "confidentiality" and rest in CONFIDENTIALITY:
                confidentiality = rest
            elif code.startswith("nhfind:") and not rest and facet in self.vocab.categories:
                categories.append(facet)
            elif code in self.oe:
                categories.append(self.oe[code])
            elif term_name or value or code:
                self.warn["taxonomy terms we do not use were kept as search words"] += 1
                keywords.append(value or term_name or code)
        listed = service.get("keywords")
        if isinstance(listed, list):
            keywords += [k.strip() for k in listed if isinstance(k, str)]
        assured = _text(service, "assured_date")
        if assured:
            try:
                assured = parse_date(assured)
            except ValueError as exc:
                raise _fail(service, "assured_date", str(exc)) from None
        else:
            self.warn["services without an assured_date: last verified unknown"] += 1
        sals = _items(service, "service_at_locations")
        locations = [sal.get("location") or {} for sal in sals]
        for location in locations:
            if not isinstance(location, dict):
                raise _fail(service, "service_at_locations", "must hold location objects")
        schedules = _items(service, "schedules") + [s for sal in sals for s in _items(sal, "schedules")]
        phones = _items(service, "phones") + [p for sal in sals for p in _items(sal, "phones")]
        if not phones:  # only the place has a number: the location's
            phones = [p for loc in locations for p in _items(loc, "phones")]
            if phones:
                self.warn["services without a phone of their own got their location's"] += 1
        if not phones and org:
            phones = _items(org, "phones")
            if phones:
                self.warn["services without a phone of their own or their location's got their organization's"] += 1
        if not schedules:
            schedules = [s for loc in locations for s in _items(loc, "schedules")]
            if schedules:
                self.warn["services without hours of their own got their location's"] += 1
        description = _text(service, "description")
        for location in locations:  # Ohana: the location often holds the whole text the service cut short
            told = _text(location, "description")
            if told and len(told) > len(description) and told.startswith(description[:40]):
                description = told
        addresses = self._addresses(locations, description)
        if len(addresses) > 1:
            self.warn["services offered at more than one location: every location kept"] += 1
        language_rows = _items(service, "languages") + [r for loc in locations for r in _items(loc, "languages")]
        conflicts = []
        if status == "temporarily closed":
            conflicts.append(Conflict("status", "Marked temporarily closed in the imported data.", (SOURCE_KEY,)))
        if _text(service, "alert"):
            conflicts.append(Conflict("alert", _text(service, "alert"), (SOURCE_KEY,)))
        areas = [_text(a, "name") or _text(a, "service_area") or _text(a, "description")
                 for a in _items(service, "service_areas")]  # fmt: skip
        documents = [_text(d, "document") for d in _items(service, "required_documents")]
        website, email = _text(service, "url"), _text(service, "email")
        eligibility = _text(service, "eligibility_description")
        org_url = _text(org, "website") or _text(org, "url") if org else ""
        languages = [code for code in dict.fromkeys(self._language(row) for row in language_rows) if code]
        org_id = org_id or slugify(org_name)
        if org and _text(org, "description"):
            self.organizations[org_id] = _text(org, "description")
        return Resource(
            id=rid,
            name=name,
            organization_id=org_id,
            organization=org_name,
            description=description,
            last_verified=assured,
            categories=tuple(dict.fromkeys(categories)),
            populations=tuple(dict.fromkeys(populations)),
            access=tuple(dict.fromkeys(access)),
            keywords=tuple(dict.fromkeys(k for k in keywords if k)),
            service_area="; ".join(a for a in areas if a),
            cost=self._cost(service),
            confidentiality=Fact(confidentiality, SOURCE_KEY) if confidentiality else None,
            hours=self._hours(schedules),
            languages=Fact(tuple(languages), SOURCE_KEY) if languages else None,
            eligibility=Fact(eligibility, SOURCE_KEY) if eligibility else None,
            website=Fact(website, SOURCE_KEY) if website else None,
            email=Fact(email, SOURCE_KEY) if email else None,
            what_to_bring=Fact("; ".join(d for d in documents if d), SOURCE_KEY) if any(documents) else None,
            address=addresses[0] if addresses else None,
            other_addresses=tuple(addresses[1:]),
            phones=tuple(self._phones(phones)),
            conflicts=tuple(conflicts),
            sources={SOURCE_KEY: imported_source(self.resolved, self.fmt, org_url, assured)},
            record_sources=(SOURCE_KEY,),
        )


def _convert_all(services: list[dict[str, Any]], conv: _Converter, progress: Progress | None) -> tuple[Resource, ...]:
    out: dict[str, Resource] = {}
    for i, service in enumerate(services, start=1):
        resource = conv.convert(service)
        if resource is not None:
            if resource.id in out:
                conv.warn["services with a repeated id: the last one is kept"] += 1
            out[resource.id] = resource
        if progress:
            progress(i, len(services))
    return tuple(out[k] for k in sorted(out))


# -- tabular packages -------------------------------------------------------------------------------------------


_LEGACY_FILES = ("services_at_location.csv", "physical_addresses.csv", "regular_schedules.csv",
                 "service_taxonomy.csv", "taxonomy.csv", "eligibility.csv", "service_area.csv",
                 "holiday_schedules.csv", "postal_addresses.csv")  # fmt: skip
_LEGACY_COLUMNS = {
    "organizations.csv": {"url"},
    "services.csv": {"fees", "language", "application_process"},
    "phones.csv": {"language", "department"},
    "regular_schedules.csv": {"id", "service_id", "location_id", "service_at_location_id", "weekday", "opens_at",
                              "closes_at", "description"},
    "services_at_location.csv": {"id", "service_id", "location_id", "description"},
    "physical_addresses.csv": {"id", "location_id", "attention", "address_1", "address_2", "address_3",
                               "address_4", "city", "region", "state_province", "postal_code", "country"},
    "service_taxonomy.csv": {"id", "service_id", "taxonomy_id", "taxonomy_detail"},
    "taxonomy.csv": {"id", "name", "parent_id", "parent_name", "vocabulary"},
    "eligibility.csv": {"id", "service_id", "eligibility"},
    "languages.csv": {"language"},
    "service_area.csv": {"id", "service_id", "service_area", "description"},
    # Ohana API's CSV layout: what this reader uses (comma-separated cells included)
    "mail_addresses.csv": {"id", "location_id", "attention", "address_1", "address_2", "city", "state_province",
                           "postal_code", "country"},
    "holiday_schedules.csv": {"id", "location_id", "service_id", "start_date", "end_date", "closed", "opens_at",
                              "closes_at"},
    "contacts.csv": {"id", "location_id", "organization_id", "service_id", "name", "title", "email", "department"},
    "ohana": {"location_id", "eligibility", "keywords", "languages", "required_documents", "service_areas",
              "website", "taxonomy_ids", "accessibility", "contact_id", "number_type", "taxonomy_id", "virtual"},
}  # fmt: skip


class _Tables:
    """The CSV files of one folder, read as lists of row dicts with their origin."""

    def __init__(self, folder: Path, warnings: Counter[str]) -> None:
        from nhfind.core.hsds_export import table_fields

        self.folder, self.warn = folder, warnings
        self.known = {path: set(columns) for _name, (path, columns) in table_fields().items()}

    def read(self, name: str) -> list[dict[str, Any]]:
        path = self.folder / name
        if not path.is_file() and not path.is_symlink():
            return []
        try:
            text = read_text(path, name, root=self.folder)
        except UnicodeDecodeError:
            raise ImportProblem(name, "", "", "is not UTF-8 text (save it as CSV UTF-8)") from None
        except OSError as exc:
            raise ImportProblem(name, "", "", f"cannot be read ({exc.strerror})") from None
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            header = [h.strip().lower() for h in next(reader, [])]
            known = self.known.get(name, set()) | _LEGACY_COLUMNS.get(name, set()) | _LEGACY_COLUMNS["ohana"]
            extra = [h for h in header if h and h not in known]
            if extra:
                self.warn[f"{name}: columns we do not use were ignored ({', '.join(extra[:5])})"] += 1
            rows = []
            width, unnamed = len(header), "" in header
            # unformula can change a cell only where the text holds an apostrophe before a formula character
            formulas = "'" in text and _FORMULA.search(text) is not None
            strip = str.strip
            for number, cells in enumerate(reader, start=2):
                values = list(map(strip, cells))
                if not any(values):  # every cell blank
                    continue
                if len(cells) > width:
                    raise ImportProblem(name, f"row {number}", "",
                                        f"has {len(cells)} cells but the header has {width} columns")  # fmt: skip
                # a short row: missing cells absent
                row: dict[str, Any] = dict(zip(header, map(unformula, values) if formulas else values, strict=False))
                if unnamed:
                    row.pop("", None)
                row["_at"] = (name, number, "", "column")  # "row N" when a message needs it (_at)
                rows.append(row)
        except csv.Error as exc:
            raise ImportProblem(name, "", "", f"is not valid CSV ({exc})") from None
        return rows


def _index(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        value = _text(row, key)
        if value:
            out.setdefault(value, []).append(row)
    return out


def _check_refs(rows: list[dict[str, Any]], key: str, known: Iterable[str], target: str) -> None:
    ids = set(known)
    for row in rows:
        value = _text(row, key)
        if value and value not in ids:
            raise _fail(row, key, f"{value!r} is not an id in {target}")


def _phone_key(number: str, extension: str, kind: str) -> str:
    """What makes two listings the same line: the digits a caller presses (nhfind.core.phone), the extension, and
    the kind (a text line and a voice line on one number are two ways to reach someone)."""
    base, written_extension = split_extension(number)
    digits = keypad(base)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return f"{digits}x{keypad(extension or written_extension)}:{kind}"


def _split(text: str) -> list[str]:
    """A comma-separated cell (Ohana's keywords, languages, service areas) -> its parts."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _owner(row: dict[str, Any], contacts: dict[str, dict[str, Any]], depth: int = 0) -> tuple[str, str]:
    """What a phone or schedule row belongs to, the most specific link first: each row is listed once."""
    for column, kind in (("service_id", "service"), ("service_at_location_id", "sal"), ("location_id", "location"),
                         ("organization_id", "organization")):  # fmt: skip
        value = _text(row, column)
        if value:
            return kind, value
    contact = contacts.get(_text(row, "contact_id"))
    if contact is not None and depth == 0:
        return _owner(contact, contacts, 1)
    return "", ""


def _read_tabular(folder: Path, warnings: Counter[str]) -> tuple[list[dict[str, Any]], str]:
    """Nested service objects from a tabular folder (HSDS 3.0, HSDS 1.x/2.x or Ohana API CSV) and its format label."""
    tables = _Tables(folder, warnings)
    version = ""
    if (folder / "datapackage.json").is_file():
        try:
            text = read_text(folder / "datapackage.json", "datapackage.json", root=folder)
            version = str(loads_json(text, "datapackage.json").get("version", ""))
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise ImportProblem("datapackage.json", "", "", "is not valid JSON") from None
    services = tables.read("services.csv")
    if not (folder / "services.csv").is_file():
        raise ImportProblem(str(folder), "", "", "has no services.csv (an HSDS tabular package needs one)")
    for column in ("id", "name"):
        if services and column not in services[0]:
            raise ImportProblem("services.csv", "row 1", f"column {column!r}", "is missing from the header")
    for row in services:
        _text(row, "id", required=True)
        _text(row, "name", required=True)
    has_sal = any((folder / n).is_file() for n in ("service_at_location.csv", "services_at_location.csv"))
    ohana = not version and (
        (folder / "mail_addresses.csv").is_file() or (bool(services) and "location_id" in services[0] and not has_sal)
    )
    legacy = any((folder / name).is_file() for name in _LEGACY_FILES) and not version.startswith("3")
    label = "Ohana API CSV" if ohana else "HSDS 1.x/2.x tabular" if legacy else "HSDS 3.0 tabular"
    service_ids = [_text(s, "id") for s in services]
    orgs = tables.read("organizations.csv")
    if not (folder / "organizations.csv").is_file():
        warnings["no organizations.csv: services are listed under their own names"] += 1
    else:
        _check_refs(services, "organization_id", (_text(o, "id") for o in orgs), "organizations.csv")
    sals = tables.read("service_at_location.csv") + tables.read("services_at_location.csv")
    locations = tables.read("locations.csv")
    location_ids = [_text(loc, "id") for loc in locations]
    if not has_sal:  # Ohana (and some 1.x exports) link a service to its one location in services.csv
        sals = [{"id": f"service-{_text(s, 'id')}", "service_id": _text(s, "id"),
                 "location_id": _text(s, "location_id"), "_at": s["_at"]}
                for s in services if _text(s, "location_id")]  # fmt: skip
    _check_refs(sals, "service_id", service_ids, "services.csv")
    _check_refs(sals, "location_id", location_ids, "locations.csv")
    addresses = tables.read("addresses.csv") + tables.read("physical_addresses.csv")
    addresses += [dict(a, address_type="postal") for a in tables.read("mail_addresses.csv")]
    _check_refs(addresses, "location_id", location_ids, "locations.csv")
    contacts = {_text(c, "id"): c for c in tables.read("contacts.csv")}
    phones = tables.read("phones.csv")
    schedules = tables.read("schedules.csv")
    for row in tables.read("regular_schedules.csv"):
        weekday = _text(row, "weekday")
        try:
            day = parse_weekday(weekday)
        except ValueError as exc:
            raise _fail(row, "weekday", str(exc)) from None
        schedules.append(dict(row, byday=RRULE_DAYS[day], freq="WEEKLY"))
    holidays = tables.read("holiday_schedules.csv")
    if holidays:
        warnings[f"holiday_schedules.csv: {len(holidays)} holiday closings and hours are not shown"] += 1
    sal_ids = [_text(s, "id") for s in sals]
    for rows in (phones, schedules):
        _check_refs(rows, "service_id", service_ids, "services.csv")
        _check_refs(rows, "service_at_location_id", sal_ids, "service_at_location.csv")
        _check_refs(rows, "location_id", location_ids, "locations.csv")
    _check_refs(phones, "contact_id", contacts, "contacts.csv")
    terms = tables.read("taxonomy_terms.csv")
    terms += [dict(t, id=_text(t, "id") or _text(t, "taxonomy_id"), code=_text(t, "id") or _text(t, "taxonomy_id"),
                   taxonomy=_text(t, "vocabulary")) for t in tables.read("taxonomy.csv")]  # fmt: skip
    term_by_id = {_text(t, "id"): t for t in terms}
    attributes = tables.read("attributes.csv")
    attributes += [dict(a, link_id=_text(a, "service_id"), taxonomy_term_id=_text(a, "taxonomy_id"),
                        link_entity="service") for a in tables.read("service_taxonomy.csv")]  # fmt: skip
    for row in services:  # Ohana: taxonomy_ids in services.csv
        attributes += [{"link_id": _text(row, "id"), "taxonomy_term_id": t, "link_entity": "service", "_at": row["_at"]}
                       for t in _split(_text(row, "taxonomy_ids"))]  # fmt: skip
    if attributes and not terms:
        warnings["attributes without a taxonomy terms file were ignored"] += 1
        attributes = []
    _check_refs(attributes, "taxonomy_term_id", term_by_id, "the taxonomy terms")
    for a in attributes:  # rows of this read alone: filled in place
        a["taxonomy_term"] = term_by_id[_text(a, "taxonomy_term_id")]
    attrs = _index(attributes, "link_id")

    def attributes_of(entity: str, ident: str) -> list[dict[str, Any]]:
        return [a for a in attrs.get(ident, []) if _text(a, "link_entity").lower() in ("", entity)]

    child: dict[str, dict[str, list[dict[str, Any]]]] = {}
    languages = tables.read("languages.csv")
    for key, rows in (
        ("languages", [r for r in languages if _text(r, "service_id")]),
        ("cost_options", tables.read("cost_options.csv")),
        ("required_documents", tables.read("required_documents.csv")),
        ("service_areas", tables.read("service_areas.csv") + tables.read("service_area.csv")),
        ("eligibility", tables.read("eligibility.csv")),
    ):
        _check_refs(rows, "service_id", service_ids, "services.csv")
        child[key] = _index(rows, "service_id")
    languages_by_loc = _index([r for r in languages if not _text(r, "service_id")], "location_id")
    access_by_loc = _index(tables.read("accessibility.csv") + tables.read("accessibility_for_disabilities.csv"),
                           "location_id")  # fmt: skip
    org_by_id = {_text(o, "id"): o for o in orgs}
    loc_by_id = {_text(loc, "id"): loc for loc in locations}
    addresses_by_loc = _index(addresses, "location_id")
    sal_by_service = _index(sals, "service_id")
    owned: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for what, rows in (("phones", phones), ("schedules", schedules)):
        for row in sorted(rows, key=lambda r: bool(_text(r, "contact_id"))):  # a contact's numbers come after
            owned.setdefault((what, *_owner(row, contacts)), []).append(row)

    def of(what: str, kind: str, ident: str) -> list[dict[str, Any]]:
        return owned.get((what, kind, ident), []) if ident else []

    def location_object(lid: str) -> dict[str, Any]:
        loc = loc_by_id.get(lid, {})
        langs = languages_by_loc.get(lid, []) + [{"name": n} for n in _split(_text(loc, "languages"))]
        access = access_by_loc.get(lid) or _text(loc, "accessibility")
        return dict(loc, addresses=addresses_by_loc.get(lid, []), attributes=attributes_of("location", lid),
                    phones=of("phones", "location", lid), schedules=of("schedules", "location", lid),
                    languages=langs, accessibility=access)  # fmt: skip

    nested = []
    org_objects: dict[str, dict[str, Any]] = {}
    for row in services:
        sid = _text(row, "id")
        service = dict(row)
        service_locations = []
        for sal in sal_by_service.get(sid, []):
            sal_id = _text(sal, "id")
            service_locations.append(dict(sal, location=location_object(_text(sal, "location_id")),
                                          phones=of("phones", "sal", sal_id),
                                          schedules=of("schedules", "sal", sal_id)))  # fmt: skip
        service["service_at_locations"] = service_locations
        org_id = _text(row, "organization_id") or next(
            (_text(sal["location"], "organization_id") for sal in service_locations
             if _text(sal["location"], "organization_id")), "")  # fmt: skip
        org = org_objects.get(org_id)
        if org is None:  # made once per organization and shared by its services (nothing changes it)
            found = org_by_id.get(org_id)
            org = org_objects[org_id] = (
                dict(found, attributes=attributes_of("organization", org_id), phones=of("phones", "organization", org_id))
                if found
                else {}
            )
        service["organization"] = org
        eligibility = [_text(e, "eligibility") for e in child["eligibility"].get(sid, [])] + [_text(row, "eligibility")]
        if any(eligibility) and not _text(row, "eligibility_description"):
            service["eligibility_description"] = "; ".join(e for e in eligibility if e)
        service["attributes"] = attributes_of("service", sid)
        service["phones"] = of("phones", "service", sid)
        service["schedules"] = of("schedules", "service", sid)
        for key in ("languages", "cost_options", "required_documents", "service_areas"):
            service[key] = child[key].get(sid, [])
        # Ohana writes these as comma-separated cells of services.csv
        service["languages"] += [{"name": n} for n in _split(_text(row, "languages"))]
        service["service_areas"] += [{"name": n} for n in _split(_text(row, "service_areas"))]
        if _text(row, "required_documents"):
            service["required_documents"] += [{"document": _text(row, "required_documents")}]
        service["keywords"] = _split(_text(row, "keywords"))
        if not _text(row, "url") and _text(row, "website"):
            service["url"] = _text(row, "website")
        nested.append(service)
    return nested, label


# -- JSON ---------------------------------------------------------------------------------------------------------


_SERVICE_KEYS = {"service_at_locations", "organization", "organization_id", "status", "eligibility_description",
                 "fees_description", "application_process", "assured_date", "cost_options", "program", "wait_time",
                 "interpretation_services", "accreditations", "service_areas", "required_documents", "alert",
                 "minimum_age", "maximum_age", "fees", "program_id", "assurer_email"}  # fmt: skip
_ORGANIZATION_KEYS = {"services", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "website",
                      "parent_organization_id", "organization_identifiers", "programs"}  # fmt: skip
_LOCATION_KEYS = {"location_type", "addresses", "latitude", "longitude", "transportation", "accessibility",
                  "external_identifier", "external_identifier_type"}  # fmt: skip


def _kind(obj: dict[str, Any]) -> str:
    """What an HSDS JSON object is: "service", "organization", "service_at_location", or a name for refusing it."""
    keys = set(obj)
    if isinstance(obj.get("service"), dict):
        return "service_at_location"
    if keys & _SERVICE_KEYS:
        return "service"
    if isinstance(obj.get("services"), list) or keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys & _LOCATION_KEYS:
        return "an HSDS location"
    if keys & {"code", "term_uri", "taxonomy_detail", "parent_id", "taxonomy", "taxonomy_id"}:
        return "an HSDS taxonomy term"
    if "version" in keys and "uri" in keys:
        return "an HSDS taxonomy"
    if "openapi_url" in keys or "profile" in keys:
        return "an HSDS API description"
    if all(k.endswith(".csv") for k in keys) and keys:
        return "HSDS tables written as JSON"
    if "name" in keys:
        return "service"
    return "not an HSDS object we know"


def _services_of(obj: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The service objects inside an organization or a service_at_location, with their links filled in."""
    if kind == "organization":
        org = {k: v for k, v in obj.items() if k != "services"}
        out = []
        for service in obj.get("services") or []:
            if isinstance(service, dict):
                linked = isinstance(service.get("organization"), dict)
                out.append(service if linked else dict(service, organization=org))
        return out
    if kind == "service_at_location":
        service = dict(obj["service"])
        sal = {k: v for k, v in obj.items() if k != "service"}
        known = [s for s in service.get("service_at_locations") or [] if isinstance(s, dict)]
        if not any(s.get("id") == sal.get("id") for s in known):
            known.append(sal)
        service["service_at_locations"] = known
        return [service]
    return [obj]


def _read_json(path: Path, warnings: Counter[str]) -> list[dict[str, Any]]:
    """Service objects from HSDS 3.0 JSON: a service, a page or an array of services, organizations (with their
    services) or services at locations; anything else is refused in one line saying what it is."""
    name = path.name
    try:
        data = loads_json(read_text(path, name), name)
    except UnicodeDecodeError:
        raise ImportProblem(name, "", "", "is not UTF-8 text") from None
    except ValueError as exc:
        raise ImportProblem(name, "", "", f"is not valid JSON ({exc})") from None
    page = isinstance(data, dict) and isinstance(data.get("contents"), list)
    if page:
        items = data["contents"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ImportProblem(name, "", "", "holds neither a service, a page of services nor a list of services")
    out = []
    organizations_without_services = 0
    for i, item in enumerate(items, start=1):
        where = f"item {i}" if page or isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise ImportProblem(name, where, "", "is not a service object")
        kind = _kind(item)
        if kind not in ("service", "organization", "service_at_location"):
            it = f"{where} is" if where else "this is"
            raise ImportProblem(name, "", "", f"{it} {kind}, not a service: import services, organizations with "
                                              "their services, or services at locations", fixable=False)  # fmt: skip
        services = _services_of(item, kind)
        if kind == "organization" and not services:
            organizations_without_services += 1
        for service in services:
            out.append(_annotate(service, name, where or "service"))
    if organizations_without_services and not out:
        raise ImportProblem(name, "", "", "lists HSDS organizations without their services: nothing to import "
                                          "(ask the publisher for organization_full or its services)",
                            fixable=False)  # fmt: skip
    if organizations_without_services:
        warnings["organizations listed without their services were skipped"] += organizations_without_services
    return out


# -- entry point --------------------------------------------------------------------------------------------------


def read(
    path: Path,
    vocab: Vocabulary,
    progress: Progress | None = None,
    lookup: Callable[[str], Resource | None] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read and validate a whole package or spreadsheet; nothing is written (see _read)."""
    with paused_gc():
        return _read(path, vocab, progress, lookup, today)


def _read(
    path: Path,
    vocab: Vocabulary,
    progress: Progress | None = None,
    lookup: Callable[[str], Resource | None] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read and validate a whole package or spreadsheet; nothing is written.

    Args:
        path: a tabular folder (or its datapackage.json), a .json file or a spreadsheet .csv.
        vocab: the vocabulary of the database the records will join (categories, populations, languages).
        progress: called with (done, total) as services are converted.
        lookup: the current record (base + overlay) for an id; a filled gaps worksheet (`nhfind db gaps`) needs it.
        today: the day schedules are judged against (valid_from, valid_to); default: today.

    Returns:
        The records and a warning summary.

    Raises:
        ImportProblem: naming the file, row and column of the first thing that cannot be read.
    """
    path = Path(path).expanduser()
    warnings: Counter[str] = Counter()
    if path.is_file() and path.name == "datapackage.json":
        path = path.parent
    if path.is_dir():
        services, label = _read_tabular(path, warnings)
        conv = _Converter(vocab, path, label, warnings, today)
        resources = _convert_all(services, conv, progress)
        return ImportResult(resources, label, path, warnings, conv.organizations)
    if not path.is_file():
        raise ImportProblem(str(path), "", "", "does not exist (give a package folder, a .json file or a .csv file)")
    suffix = path.suffix.lower()
    if suffix == ".json":
        conv = _Converter(vocab, path, "HSDS 3.0 JSON", warnings, today)
        resources = _convert_all(_read_json(path, warnings), conv, progress)
        return ImportResult(resources, "HSDS 3.0 JSON", path, warnings, conv.organizations)
    if suffix in (".csv", ".tsv", ".txt"):
        from nhfind.core import gaps, template

        if gaps.is_worksheet(path):  # `nhfind db gaps`, filled in: facts for records that exist
            if lookup is None:
                raise ImportProblem(path.name, "", "", "is a gaps worksheet: it needs the current records (lookup)")
            return ImportResult(gaps.read(path, lookup, vocab), "gaps worksheet", path, warnings)

        resources = template.read(path, vocab, warnings, progress)
        return ImportResult(resources, "spreadsheet", path, warnings)
    raise ImportProblem(path.name, "", "", "is not a folder, .json or .csv: nhfind cannot tell what it holds")
