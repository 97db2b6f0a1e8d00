"""Open Referral HSDS packages and our spreadsheet template -> Resource records, validated before anything is written.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Reads:
- an HSDS 3.0 Tabular Data Package (a folder with datapackage.json and services.csv, phones.csv, schedules.csv, ...);
- older HSDS 1.x/2.x tabular folders (plural names: services_at_location.csv, physical_addresses.csv,
  regular_schedules.csv with one weekday per row, service_taxonomy.csv + taxonomy.csv, eligibility.csv, ...);
- HSDS 3.0 JSON: one service object, an API page ({"contents": [...]}) or an array of services;
- our spreadsheet CSV template (see nhfind.core.template).

Tolerant where real data is messy (times such as "9am", "4:00 PM", "17:00"; missing optional files and columns;
extra columns; unknown taxonomy terms become search words), counting each such case in a warning summary. What cannot
be read raises ImportProblem naming the file, the row (spreadsheet numbering: the header is row 1) and the column.
Imported records get one source of grade "imported", never one of our own grades.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhfind.core.hours import DAYS, parse_range
from nhfind.core.importing import (
    SOURCE_KEY,
    ImportProblem,
    imported_source,
    parse_date,
    parse_time,
    parse_weekday,
    slugify,
    unformula,
)
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

Progress = Callable[[int, int], None]
"""progress(done, total): called as services are read."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PHONE_KINDS = {
    "": "voice", "cell": "voice", "mobile": "voice", "landline": "voice", "main": "voice", "office": "voice",
    "work": "voice", "sms": "text", "textphone": "tty", "teletype": "tty", "tdd": "tty", "crisis": "hotline",
    "facsimile": "fax", "video": "voice",
}  # fmt: skip
_FREE_WORDS = {"free", "no fee", "no fees", "no cost", "none", "$0", "0"}
_FREE_TEXT = re.compile(r"^(free|no (fees?|cost|charge))\b", re.I)


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


def days_spec(days: Iterable[int]) -> str:
    """Weekday numbers (0 = Monday) -> "mon-fri" / "mon,wed" / "sat-sun", Monday first."""
    ordered = sorted(set(days))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(DAYS[ordered[i]] if i == j else f"{DAYS[ordered[i]]}-{DAYS[ordered[j]]}")
        i = j + 1
    return ",".join(parts)


# -- nested HSDS objects with their origin ---------------------------------------------------------------------


def _at(obj: dict[str, Any]) -> tuple[str, str, str, str]:
    at: tuple[str, str, str, str] = obj.get("_at", ("", "", "", "field"))
    return at


def _fail(obj: dict[str, Any], column: str, problem: str) -> ImportProblem:
    file, where, prefix, word = _at(obj)
    return ImportProblem(file, where, f"{word} {prefix + column!r}", problem)


def _text(obj: dict[str, Any], key: str, required: bool = False) -> str:
    value = obj.get(key)
    if isinstance(value, dict | list):
        raise _fail(obj, key, "must be text")
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _fail(obj, key, "is empty; it is required")
    return text


def _items(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(obj, key, "must be a list of objects")
    return value


def _annotate(obj: Any, file: str, where: str, prefix: str = "") -> Any:
    """A copy of a JSON object with "_at" origins on every nested object, for error messages."""
    if isinstance(obj, dict):
        out = {k: _annotate(v, file, where, f"{prefix}{k}.") if isinstance(v, dict) else
               [_annotate(x, file, where, f"{prefix}{k}[{i}].") for i, x in enumerate(v)] if isinstance(v, list) else v
               for k, v in obj.items()}  # fmt: skip
        out["_at"] = (file, where, prefix, "field")
        return out
    return obj


class _Converter:
    """HSDS service objects (3.0 shape, from any reader) -> Resources."""

    def __init__(self, vocab: Vocabulary, path: Path, fmt: str, warnings: Counter[str]) -> None:
        self.vocab, self.path, self.fmt, self.warn = vocab, path, fmt, warnings
        self.organizations: dict[str, str] = {}
        self.oe = {oe: cat for cat, (_l, _m, oe) in sorted(vocab.categories.items(), reverse=True)}
        self.language_names = {name.casefold(): code for code, name in vocab.languages.items()}

    def _terms(self, attributes: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        out = []
        for attribute in attributes:
            term = attribute.get("taxonomy_term") or {}
            out.append((str(term.get("code") or "").strip(), str(term.get("name") or "").strip(),
                        str(attribute.get("value") or "").strip()))  # fmt: skip
        return out

    def _hours(self, obj: dict[str, Any], schedules: list[dict[str, Any]], legacy: bool) -> Hours | None:
        ranges: list[tuple[list[int], str, str]] = []
        note = ""
        for sched in schedules:
            note = note or _text(sched, "notes") or _text(sched, "description")
            freq = _text(sched, "freq").upper()
            if freq not in ("", "WEEKLY"):
                self.warn[f"{freq.lower()} schedules cannot be shown as weekly hours: kept as a note only"] += 1
                continue
            opens_raw, closes_raw = _text(sched, "opens_at"), _text(sched, "closes_at")
            byday = _text(sched, "byday")
            if not (opens_raw and closes_raw and byday):
                if opens_raw or closes_raw or byday:
                    self.warn["schedules without days or both times were left out"] += 1
                continue
            days = []
            for part in byday.split(","):
                code = part.strip().upper()[-2:]
                if code not in _RRULE_DAYS:
                    raise _fail(sched, "byday", f"{part.strip()!r} is not a day (use MO,TU,WE,TH,FR,SA,SU)")
                days.append(_RRULE_DAYS.index(code))
            times = []
            for column, raw in (("opens_at", opens_raw), ("closes_at", closes_raw)):
                try:
                    times.append(parse_time(raw))
                except ValueError as exc:
                    raise _fail(sched, column, str(exc)) from None
            ranges.append((days, times[0], times[1]))
        if legacy:  # one row per weekday: join days with the same times
            joined: dict[tuple[str, str], list[int]] = {}
            for days, opens, closes in ranges:
                joined.setdefault((opens, closes), []).extend(days)
            ranges = sorted(((d, o, c) for (o, c), d in joined.items()), key=lambda r: (min(r[0]), r[1]))
        if not ranges:
            return Hours(SOURCE_KEY, note=note) if note else None
        if (
            len(ranges) == 1
            and len(set(ranges[0][0])) == 7
            and ranges[0][1] == "00:00"
            and ranges[0][2] in ("23:59", "24:00", "00:00")
        ):
            return Hours(SOURCE_KEY, always=True, note=note)
        specs = []
        for days, opens, closes in ranges:
            spec = f"{days_spec(days)} {opens}-{closes}"
            parse_range(spec)
            specs.append(spec)
        return Hours(SOURCE_KEY, weekly=tuple(specs), note=note)

    def _phone(self, row: dict[str, Any]) -> Phone:
        number = _text(row, "number", required=True)
        extension = _text(row, "extension")
        if extension:
            number = f"{number} ext. {extension.removesuffix('.0')}"
        kind_raw = _text(row, "type").lower()
        kind = kind_raw if kind_raw in PHONE_KINDS else _PHONE_KINDS.get(kind_raw)
        if kind is None:
            self.warn[f"phone type {kind_raw!r} is not one we know: shown as voice"] += 1
            kind = "voice"
        return Phone(number=number, kind=kind, source=SOURCE_KEY, label=_text(row, "description"))

    def _address(self, locations: list[dict[str, Any]]) -> Address | None:
        for location in locations:
            terms = self._terms(_items(location, "attributes"))
            confidential = any(code == "nhfind:location:confidential" for code, _n, _v in terms)
            parts = {
                code.removeprefix("nhfind:address:"): v for code, _n, v in terms if code.startswith("nhfind:address:")
            }
            addresses = _items(location, "addresses")
            physical = [a for a in addresses if _text(a, "address_type") in ("", "physical")] or addresses
            note = _text(location, "description")
            if confidential:
                return Address(SOURCE_KEY, confidential=True, note=note)
            if parts and not physical:  # an incomplete address nhfind exported
                return Address(
                    SOURCE_KEY,
                    street=parts.get("street", ""),
                    city=parts.get("city", ""),
                    state=parts.get("state", ""),
                    postal_code=parts.get("postal_code", ""),
                    note=note,
                )
            if physical:
                a = physical[0]
                street = ", ".join(p for p in (_text(a, "address_1"), _text(a, "address_2")) if p)
                return Address(SOURCE_KEY, street=street, city=_text(a, "city"), state=_text(a, "state_province"),
                               postal_code=_text(a, "postal_code"), note=note)  # fmt: skip
        return None

    def _cost(self, service: dict[str, Any]) -> Fact | None:
        values: list[str] = []
        notes = [_text(service, "fees_description") or _text(service, "fees")]
        for option in _items(service, "cost_options"):
            code = _text(option, "option").lower()
            amount = _text(option, "amount")
            if code in COSTS:
                values.append(code)
            elif amount and re.fullmatch(r"0+(\.0+)?", amount):
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
        self.warn["languages not in our vocabulary were kept as given"] += 1
        return code or name.lower()

    def convert(self, service: dict[str, Any], legacy: bool = False) -> Resource | None:
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
        our_id = next((v for c, _n, v in terms if c == "nhfind:id:service" and _SLUG.match(v)), "")
        rid = our_id or f"{slugify(name)}-{hashlib.sha256(hsds_id.encode()).hexdigest()[:6]}"
        org_id = next((v for c, _n, v in org_terms if c == "nhfind:id:organization" and _SLUG.match(v)), "")
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
        assured = _text(service, "assured_date")
        if assured:
            try:
                assured = parse_date(assured)
            except ValueError as exc:
                raise _fail(service, "assured_date", str(exc)) from None
        else:
            self.warn["services without an assured_date: last verified unknown"] += 1
        locations = [sal.get("location") or {} for sal in _items(service, "service_at_locations")]
        schedules = _items(service, "schedules") + [s for sal in _items(service, "service_at_locations")
                                                    for s in _items(sal, "schedules")]  # fmt: skip
        phones = _items(service, "phones") + [p for sal in _items(service, "service_at_locations")
                                              for p in _items(sal, "phones")]  # fmt: skip
        if locations and not phones:  # only the place has a number: use the first location's
            phones = _items(locations[0], "phones")
        if locations and not schedules:
            schedules = _items(locations[0], "schedules")
        if len(locations) > 1:
            self.warn["services with more than one location: only the first is kept"] += 1
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
        languages = list(dict.fromkeys(self._language(row) for row in _items(service, "languages")))
        org_id = org_id or slugify(org_name)
        if org and _text(org, "description"):
            self.organizations[org_id] = _text(org, "description")
        return Resource(
            id=rid,
            name=name,
            organization_id=org_id,
            organization=org_name,
            description=_text(service, "description"),
            last_verified=assured,
            categories=tuple(dict.fromkeys(categories)),
            populations=tuple(dict.fromkeys(populations)),
            access=tuple(dict.fromkeys(access)),
            keywords=tuple(dict.fromkeys(k for k in keywords if k)),
            service_area="; ".join(a for a in areas if a),
            cost=self._cost(service),
            confidentiality=Fact(confidentiality, SOURCE_KEY) if confidentiality else None,
            hours=self._hours(service, schedules, legacy),
            languages=Fact(tuple(languages), SOURCE_KEY) if languages else None,
            eligibility=Fact(eligibility, SOURCE_KEY) if eligibility else None,
            website=Fact(website, SOURCE_KEY) if website else None,
            email=Fact(email, SOURCE_KEY) if email else None,
            what_to_bring=Fact("; ".join(d for d in documents if d), SOURCE_KEY) if any(documents) else None,
            address=self._address(locations),
            phones=tuple(self._phone(p) for p in phones),
            conflicts=tuple(conflicts),
            sources={SOURCE_KEY: imported_source(self.path, self.fmt, org_url, assured)},
            record_sources=(SOURCE_KEY,),
        )


def _convert_all(
    services: list[dict[str, Any]], conv: _Converter, legacy: bool, progress: Progress | None
) -> tuple[Resource, ...]:
    out: dict[str, Resource] = {}
    for i, service in enumerate(services, start=1):
        resource = conv.convert(service, legacy)
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
}  # fmt: skip


class _Tables:
    """The CSV files of one folder, read as lists of row dicts with their origin."""

    def __init__(self, folder: Path, warnings: Counter[str]) -> None:
        from nhfind.core.hsds_export import table_fields

        self.folder, self.warn = folder, warnings
        self.known = {path: set(columns) for _name, (path, columns) in table_fields().items()}

    def read(self, name: str) -> list[dict[str, Any]]:
        path = self.folder / name
        if not path.is_file():
            return []
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(name, "", "", "is not UTF-8 text (save it as CSV UTF-8)") from None
        except OSError as exc:
            raise ImportProblem(name, "", "", f"cannot be read ({exc.strerror})") from None
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            header = [h.strip().lower() for h in next(reader, [])]
            known = self.known.get(name, set()) | _LEGACY_COLUMNS.get(name, set())
            extra = [h for h in header if h and h not in known]
            if extra:
                self.warn[f"{name}: columns we do not use were ignored ({', '.join(extra[:5])})"] += 1
            rows = []
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header):
                    raise ImportProblem(name, f"row {number}", "",
                                        f"has {len(cells)} cells but the header has {len(header)} columns")  # fmt: skip
                row: dict[str, Any] = {h: unformula(c.strip()) for h, c in zip(header, cells, strict=False) if h}
                row["_at"] = (name, f"row {number}", "", "column")
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


def _read_tabular(folder: Path, warnings: Counter[str]) -> tuple[list[dict[str, Any]], bool, str]:
    """Nested service objects from a tabular folder, whether it is a legacy (1.x/2.x) one, and its format label."""
    tables = _Tables(folder, warnings)
    version = ""
    if (folder / "datapackage.json").is_file():
        try:
            version = str(json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("version", ""))
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise ImportProblem("datapackage.json", "", "", "is not valid JSON") from None
    legacy = any((folder / name).is_file() for name in _LEGACY_FILES) and not version.startswith("3")
    label = "HSDS 3.0 tabular" if not legacy else "HSDS 1.x/2.x tabular"
    services = tables.read("services.csv")
    if not (folder / "services.csv").is_file():
        raise ImportProblem(str(folder), "", "", "has no services.csv (an HSDS tabular package needs one)")
    for column in ("id", "name"):
        if services and column not in services[0]:
            raise ImportProblem("services.csv", "row 1", f"column {column!r}", "is missing from the header")
    for row in services:
        _text(row, "id", required=True)
        _text(row, "name", required=True)
    service_ids = [_text(s, "id") for s in services]
    orgs = tables.read("organizations.csv")
    if not (folder / "organizations.csv").is_file():
        warnings["no organizations.csv: services are listed under their own names"] += 1
    else:
        _check_refs(services, "organization_id", (_text(o, "id") for o in orgs), "organizations.csv")
    sals = tables.read("service_at_location.csv") + tables.read("services_at_location.csv")
    locations = tables.read("locations.csv")
    location_ids = [_text(loc, "id") for loc in locations]
    _check_refs(sals, "service_id", service_ids, "services.csv")
    _check_refs(sals, "location_id", location_ids, "locations.csv")
    addresses = tables.read("addresses.csv") + tables.read("physical_addresses.csv")
    _check_refs(addresses, "location_id", location_ids, "locations.csv")
    phones = tables.read("phones.csv")
    schedules = tables.read("schedules.csv")
    for row in tables.read("regular_schedules.csv"):
        weekday = _text(row, "weekday")
        try:
            day = parse_weekday(weekday)
        except ValueError as exc:
            raise _fail(row, "weekday", str(exc)) from None
        schedules.append(dict(row, byday=_RRULE_DAYS[day], freq="WEEKLY"))
    sal_ids = [_text(s, "id") for s in sals]
    for rows, file in ((phones, "phones.csv"), (schedules, "schedules")):
        _check_refs(rows, "service_id", service_ids, "services.csv")
        _check_refs(rows, "service_at_location_id", sal_ids, "service_at_location.csv")
        del file
    terms = tables.read("taxonomy_terms.csv")
    terms += [dict(t, code=_text(t, "id"), taxonomy=_text(t, "vocabulary")) for t in tables.read("taxonomy.csv")]
    term_by_id = {_text(t, "id"): t for t in terms}
    attributes = tables.read("attributes.csv")
    attributes += [dict(a, link_id=_text(a, "service_id"), taxonomy_term_id=_text(a, "taxonomy_id"),
                        link_entity="service") for a in tables.read("service_taxonomy.csv")]  # fmt: skip
    if attributes and not terms:
        warnings["attributes without a taxonomy terms file were ignored"] += 1
        attributes = []
    _check_refs(attributes, "taxonomy_term_id", term_by_id, "the taxonomy terms")
    attrs = _index([dict(a, taxonomy_term=term_by_id[_text(a, "taxonomy_term_id")]) for a in attributes], "link_id")
    child: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key, rows in (
        ("languages", tables.read("languages.csv")),
        ("cost_options", tables.read("cost_options.csv")),
        ("required_documents", tables.read("required_documents.csv")),
        ("service_areas", tables.read("service_areas.csv") + tables.read("service_area.csv")),
        ("eligibility", tables.read("eligibility.csv")),
    ):
        _check_refs(rows, "service_id", service_ids, "services.csv")
        child[key] = _index(rows, "service_id")
    org_by_id = {_text(o, "id"): o for o in orgs}
    loc_by_id = {_text(loc, "id"): loc for loc in locations}
    addresses_by_loc = _index(addresses, "location_id")
    phones_by_service, phones_by_sal = _index(phones, "service_id"), _index(phones, "service_at_location_id")
    sched_by_service, sched_by_sal = _index(schedules, "service_id"), _index(schedules, "service_at_location_id")
    sal_by_service = _index(sals, "service_id")

    def of_place(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """Rows tied to a location alone (no service), by location id."""
        return _index([r for r in rows if not _text(r, "service_id") and not _text(r, "service_at_location_id")],
                      "location_id")  # fmt: skip

    phones_by_loc, sched_by_loc = of_place(phones), of_place(schedules)
    nested = []
    for row in services:
        sid = _text(row, "id")
        org = org_by_id.get(_text(row, "organization_id"))
        service = dict(row)
        eligibility = [_text(e, "eligibility") for e in child["eligibility"].get(sid, [])]
        if eligibility and not _text(row, "eligibility_description"):
            service["eligibility_description"] = "; ".join(e for e in eligibility if e)
        service["organization"] = dict(org, attributes=attrs.get(_text(org, "id"), [])) if org else {}
        service["attributes"] = attrs.get(sid, [])
        service["phones"] = phones_by_service.get(sid, [])
        service["schedules"] = sched_by_service.get(sid, [])
        for key in ("languages", "cost_options", "required_documents", "service_areas"):
            service[key] = child[key].get(sid, [])
        service_locations = []
        for sal in sal_by_service.get(sid, []):
            loc = loc_by_id.get(_text(sal, "location_id"), {})
            lid = _text(loc, "id")
            location = dict(loc, addresses=addresses_by_loc.get(lid, []), attributes=attrs.get(lid, []),
                            phones=phones_by_loc.get(lid, []), schedules=sched_by_loc.get(lid, []))  # fmt: skip
            service_locations.append(dict(sal, location=location, phones=phones_by_sal.get(_text(sal, "id"), []),
                                          schedules=sched_by_sal.get(_text(sal, "id"), [])))  # fmt: skip
        service["service_at_locations"] = service_locations
        nested.append(service)
    return nested, legacy, label


# -- JSON ---------------------------------------------------------------------------------------------------------


def _read_json(path: Path) -> list[dict[str, Any]]:
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportProblem(name, "", "", "is not UTF-8 text") from None
    except ValueError as exc:
        raise ImportProblem(name, "", "", f"is not valid JSON ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ImportProblem(name, "", "", "holds neither a service, a page of services nor a list of services")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ImportProblem(name, f"item {i}", "", "is not a service object")
        out.append(_annotate(item, name, f"item {i}"))
    return out


# -- entry point --------------------------------------------------------------------------------------------------


def read(
    path: Path,
    vocab: Vocabulary,
    progress: Progress | None = None,
    lookup: Callable[[str], Resource | None] | None = None,
) -> ImportResult:
    """Read and validate a whole package or spreadsheet; nothing is written.

    Args:
        path: a tabular folder (or its datapackage.json), a .json file or a spreadsheet .csv.
        vocab: the vocabulary of the database the records will join (categories, populations, languages).
        progress: called with (done, total) as services are converted.
        lookup: the current record (base + overlay) for an id; a filled gaps worksheet (`nhfind db gaps`) needs it.

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
        services, legacy, label = _read_tabular(path, warnings)
        conv = _Converter(vocab, path, label, warnings)
        resources = _convert_all(services, conv, legacy, progress)
        return ImportResult(resources, label, path, warnings, conv.organizations)
    if not path.is_file():
        raise ImportProblem(str(path), "", "", "does not exist (give a package folder, a .json file or a .csv file)")
    suffix = path.suffix.lower()
    if suffix == ".json":
        conv = _Converter(vocab, path, "HSDS 3.0 JSON", warnings)
        resources = _convert_all(_read_json(path), conv, False, progress)
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
