"""The coordinator's loop: a worksheet of every missing or weak fact, and the filled worksheet read back as facts.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

`worksheet` lists one row per service and field that is missing, or rests on a weak source (low grade, imported,
undated, or a page over freshness.OLD_YEARS years old), crisis lines and services with no way to reach them first.
A coordinator fills `new_value`, `source_url` and `checked_on`; `read` turns each filled row into a fact of grade
"imported" citing that URL and date, on a copy of the current record, for the overlay (`nhfind import`). A value it
replaces stays visible as a conflict. A filled row without a source URL or date refuses the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from nhfind.core import freshness
from nhfind.core.models import (
    CONFIDENTIALITY,
    COSTS,
    IMPORTED_GRADE,
    PHONE_KINDS,
    Address,
    Conflict,
    Fact,
    Hours,
    Phone,
    Resource,
    Source,
    Vocabulary,
)
from nhfind.core.parse import parse_date, parse_hours, unformula
from nhfind.core.writers import inert, markdown_cell, spreadsheet_safe

COLUMNS = (
    "id", "name", "field", "problem", "current", "grade", "source_date", "current_source",
    "new_value", "source_url", "checked_on", "note",
)  # fmt: skip
"""The worksheet's columns; the last four are for the coordinator to fill."""
FIELDS = (
    "phone", "address", "hours", "cost", "confidentiality", "eligibility", "languages", "website", "email",
    "what_to_bring",
)  # fmt: skip
"""Fields a worksheet row can be about, most important first."""
FORMATS = ("csv", "tsv", "md")
_CRISIS = ("emergency", "crisis-line")
_LESSER = ("languages", "website", "email", "what_to_bring")
_REMOTE = {"call", "text", "online", "via-211"}
_TEXT_FIELDS = ("eligibility", "website", "email", "what_to_bring")
_PHONE = re.compile(r"^(?P<number>[^()]+?)\s*(?:\((?P<extra>[^)]*)\))?$")


class Row(NamedTuple):
    """One line of the worksheet."""

    id: str
    name: str
    field: str
    problem: str
    current: str = ""
    grade: str = ""
    source_date: str = ""
    current_source: str = ""
    new_value: str = ""
    source_url: str = ""
    checked_on: str = ""
    note: str = ""


# -- the worksheet ------------------------------------------------------------------------------------------------


def _weakness(resource: Resource, key: str, today: dt.date) -> str:
    """Why a fact from this source needs checking ("" when it does not)."""
    source = resource.source_of(key)
    if source is None:
        return "no source listed"
    if source.grade == IMPORTED_GRADE:
        return "imported: check before relying"
    if source.weak:
        return f"grade {source.grade}: check before relying"
    found = freshness.source_date(source.page_date)
    latest = found.latest()
    if latest is None:
        return "undated page"
    if latest < today.replace(year=today.year - freshness.OLD_YEARS, day=min(today.day, 28)):
        return f"page from {found.year_text()} (over {freshness.OLD_YEARS} years old)"
    return ""


def _fact_text(value: object) -> str:
    return "; ".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _current(resource: Resource) -> list[tuple[str, str, str]]:
    """(field, value as shown, source key) for every fact the record has."""
    out = [("phone", f"{p.number} ({p.kind})", p.source) for p in resource.phones if p.kind != "fax"]
    if resource.address:
        out.append(("address", resource.address.one_line(), resource.address.source))
    if resource.hours:
        out.append(("hours", resource.hours.summary(), resource.hours.source))
    for field in ("cost", "confidentiality", "eligibility", "languages", "website", "email", "what_to_bring"):
        fact = getattr(resource, field)
        if fact is not None:
            out.append((field, _fact_text(fact.value), fact.source))
    return out


def _missing_matters(resource: Resource, field: str) -> bool:
    """A missing address or hours is no gap for a line reached only by phone, text or online."""
    remote = bool(resource.access) and set(resource.access) <= _REMOTE
    return not (remote and field == "address")


def rows_for(resource: Resource, every: bool = False, today: dt.date | None = None) -> list[Row]:
    """The worksheet rows of one record: its missing and weak facts (every fact, when `every`)."""
    today = today or dt.date.today()
    rows: list[Row] = []
    present = _current(resource)
    have = {field for field, _v, _k in present}
    for field, value, key in present:
        problem = _weakness(resource, key, today)
        if problem or every:
            source = resource.source_of(key)
            rows.append(Row(resource.id, resource.name, field, problem or "ok", value,
                            source.grade if source else "", source.page_date if source else "",
                            source.url if source else ""))  # fmt: skip
    for field in FIELDS:
        if field not in have and (every or _missing_matters(resource, field)):
            rows.append(Row(resource.id, resource.name, field, "missing"))
    return sorted(rows, key=lambda r: FIELDS.index(r.field))


def _priority(resource: Resource) -> int:
    """0 crisis and emergency lines, 1 services with no way to reach them, 2 the rest."""
    if any(c in _CRISIS for c in resource.categories):
        return 0
    return 1 if freshness.unreachable(resource) else 2


def worksheet(resources: Iterable[Resource], every: bool = False, today: dt.date | None = None) -> list[Row]:
    """Every missing or weak fact of these records, what matters most first."""
    rows = [(_priority(r), r.id, row) for r in resources for row in rows_for(r, every, today)]
    # the facts a worker acts on and the terms first (crisis lines, then services no one can reach, then the rest);
    # languages, website, email and what to bring after all of those
    rows.sort(key=lambda x: (x[2].field in _LESSER, x[0], x[1], FIELDS.index(x[2].field)))
    return [row for _p, _id, row in rows]


def render(rows: Sequence[Row], fmt: str = "csv") -> str:
    """The worksheet as CSV (spreadsheet-safe cells), TSV or a Markdown table (for reading, not importing)."""
    if fmt == "md":
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(markdown_cell(inert(c)) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown worksheet format {fmt!r}: use one of {', '.join(FORMATS)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(inert(c).replace("\t", " ")) for c in row])
    return buffer.getvalue()


# -- reading a filled worksheet back ------------------------------------------------------------------------------


def is_worksheet(path: Path) -> bool:
    """True when a .csv/.tsv file's header is a gaps worksheet's (id, field, new_value, source_url, checked_on)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    cells = {c.strip().lower() for c in re.split(r"[,\t;]", first)}
    return {"id", "field", "new_value", "source_url", "checked_on"} <= cells


class _Problem(Exception):
    def __init__(self, column: str, problem: str) -> None:
        super().__init__(problem)
        self.column, self.problem = column, problem


def _checked_on(text: str, today: dt.date) -> str:
    if not text:
        raise _Problem("checked_on", "is empty; say when the new value was checked (2026-11-30)")
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise _Problem("checked_on", str(exc)) from None
    if day > today.isoformat():
        raise _Problem("checked_on", f"{day} is in the future")
    return day


def _source_url(text: str) -> str:
    if not text:
        raise _Problem(
            "source_url",
            "is empty; a filled row must cite where the value was published (https://...) or the number"
            " you called to confirm it (tel:+19165550100)",
        )
    if not re.match(r"^(https?://\S+|tel:\+?[0-9][0-9-]*)$", text):
        raise _Problem("source_url", f"{text!r} is not an http(s):// address or a tel: number")
    return text


def _address(value: str, key: str, note: str) -> Address:
    if value.strip().lower() in ("confidential", "call for location"):
        return Address(key, confidential=True, note=note)
    parts = [p.strip() for p in value.split(",") if p.strip()]
    street = parts[0] if parts else ""
    city = parts[1] if len(parts) > 1 else ""
    state = postal = ""
    if len(parts) > 2:
        match = re.match(r"^([A-Za-z]{2})\s*(\d{5}(?:-\d{4})?)?$", parts[2])
        if not match:
            raise _Problem("new_value", f"{parts[2]!r} is not like 'CA 95660' (write: street, city, CA 95660)")
        state, postal = match[1].upper(), match[2] or ""
    if not re.search(r"\d", street) or not city:
        raise _Problem("new_value", f"{value!r} is not an address like '5747 Watt Ave., North Highlands, CA 95660'")
    return Address(key, street=street, city=city, state=state, postal_code=postal, note=note)


def _hours(value: str, key: str, note: str) -> Hours:
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if [p.lower() for p in parts] == ["24/7"]:
        return Hours(key, always=True, note=note)
    specs: list[str] = []
    for part in parts:
        try:
            specs.extend(parse_hours(part).ranges)
        except ValueError as exc:
            raise _Problem("new_value", f"{exc} (write: mon-fri 9am-5pm; sat 10am-2pm, or 24/7)") from None
    return Hours(key, weekly=tuple(specs), note=note)


def _phone(value: str, key: str, note: str, old: Phone | None) -> Phone:
    match = _PHONE.match(value.strip())
    if not match or len(re.sub(r"\D", "", match["number"])) < 3:
        raise _Problem("new_value", f"{value!r} is not a number like 916-555-0100 (or 741741 (text: Text HOME))")
    kind, _, instructions = (match["extra"] or "").partition(":")
    kind = kind.strip().lower()
    if kind and kind not in PHONE_KINDS:
        raise _Problem("new_value", f"phone kind {kind!r} is not one of {', '.join(PHONE_KINDS)}")
    base = old or Phone("", "voice", key)
    return base._replace(number=match["number"].strip(), kind=kind or base.kind, source=key, note=note,
                         instructions=instructions.strip() or base.instructions)  # fmt: skip


def _known(value: str, allowed: dict[str, str], field: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.strip().lower() for v in value.split(";") if v.strip()))
    for item in values:
        if item not in allowed:
            raise _Problem("new_value", f"{item!r} is not a known {field} (known: {', '.join(allowed)})")
    return values


def _display(resource: Resource, field: str, key: str) -> str:
    """How a fact from this source shows in the worksheet's `current` column ("" when there is none)."""
    return next((value for f, value, k in _current(resource) if f == field and k == key), "")


def _apply(resource: Resource, row: dict[str, str], vocab: Vocabulary, today: dt.date) -> Resource:
    field = row.get("field", "").strip().lower()
    if field not in FIELDS:
        raise _Problem("field", f"{field!r} is not one of {', '.join(FIELDS)}")
    value = row.get("new_value", "").strip()
    url = _source_url(row.get("source_url", "").strip())
    checked = _checked_on(row.get("checked_on", "").strip(), today)
    note = row.get("note", "").strip()
    n = 1
    while f"checked-{checked}-{n}" in resource.sources:
        n += 1
    key = f"checked-{checked}-{n}"
    title = f"checked on {checked}" + (f": {note}" if note else "")
    source = Source(key, url, IMPORTED_GRADE, checked, title)
    current = row.get("current", "").strip()  # which phone the row is about
    old_key = ""
    changes: dict[str, Any] = {}  # field name -> its new value (a Fact, the phones, the address or the hours)
    if field == "phone":
        phones = list(resource.phones)
        index = next((i for i, p in enumerate(phones) if current and current.startswith(p.number)), None)
        old = phones.pop(index) if index is not None else None
        old_key = old.source if old else ""
        changes["phones"] = (_phone(value, key, note, old), *phones)
    elif field == "address":
        old_key = resource.address.source if resource.address else ""
        changes["address"] = _address(value, key, note)
    elif field == "hours":
        old_key = resource.hours.source if resource.hours else ""
        changes["hours"] = _hours(value, key, note)
    else:
        fact = getattr(resource, field)
        old_key = fact.source if fact else ""
        if field == "cost":
            changes[field] = Fact(_known(value, COSTS, "cost"), key, note)
        elif field == "confidentiality":
            values = _known(value, CONFIDENTIALITY, "confidentiality")
            if len(values) != 1:
                raise _Problem("new_value", "confidentiality takes one value")
            changes[field] = Fact(values[0], key, note)
        elif field == "languages":
            names = {n.casefold(): code for code, n in vocab.languages.items()}
            codes = [v.lower() if v.lower() in vocab.languages else names.get(v.casefold(), "")
                     for v in (p.strip() for p in value.split(";")) if v]  # fmt: skip
            if not codes or "" in codes:
                raise _Problem("new_value", f"{value!r}: use language codes or names ({', '.join(vocab.languages)})")
            changes[field] = Fact(tuple(dict.fromkeys(codes)), key, note)
        else:
            changes[field] = Fact(value, key, note)
    conflicts = resource.conflicts
    before = _display(resource, field, old_key)
    after = _display(resource._replace(**changes, sources={**resource.sources, key: source}), field, key)
    if old_key and before and before != after:
        earlier = resource.source_of(old_key)
        where = f" from {earlier.url}" if earlier else ""
        text = f"Before a check on {checked}, our data said {before!r}{where}."
        conflicts = (*conflicts, Conflict(field, text, (old_key, key)))
    return resource._replace(
        **changes,
        conflicts=conflicts,
        sources={**resource.sources, key: source},
        record_sources=(*resource.record_sources, key),
        last_verified=max(resource.last_verified or "", checked),
    )


def read(
    path: Path, lookup: Callable[[str], Resource | None], vocab: Vocabulary, today: dt.date | None = None
) -> tuple[Resource, ...]:
    """Read a filled worksheet: the records its filled rows change, each change a fact citing its row's source.

    Args:
        path: the worksheet (.csv or .tsv).
        lookup: the record as it is now (base + overlay) for an id, or None.
        vocab: for language names.

    Raises:
        ImportProblem: naming the file, row and column of the first row that cannot be used; nothing is read.
    """
    from nhfind.core.import_limits import read_text
    from nhfind.core.importing import ImportProblem

    today = today or dt.date.today()
    name = path.name
    try:
        text = read_text(path, name)
    except UnicodeDecodeError:
        raise ImportProblem(name, "", "", "is not UTF-8 text (save it as CSV UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportProblem(name, "", "", f"is not valid CSV ({exc})") from None
    changed: dict[str, Resource] = {}
    for number, raw in enumerate(rows, start=2):
        cells = {(k or "").strip().lower(): unformula(inert(v or "")) for k, v in raw.items() if isinstance(v, str)}
        if not cells.get("new_value", "").strip():
            continue
        rid = cells.get("id", "").strip()
        record = changed.get(rid) or lookup(rid)
        if record is None:
            problem = f"{rid!r} is not a service in your database (use ids from `nhfind db gaps`)"
            raise ImportProblem(name, f"row {number}", "column 'id'", problem)
        try:
            changed[rid] = _apply(record, cells, vocab, today)
        except _Problem as exc:
            raise ImportProblem(name, f"row {number}", f"column {exc.column!r}", exc.problem) from None
    return tuple(changed[k] for k in sorted(changed))
