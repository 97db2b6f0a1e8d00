"""Our spreadsheet template: the columns `nhfind export --format csv-template` writes, and reading a filled-in copy.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

One row per service. Multi-valued cells are separated by ";". A row whose first cell starts with "#" is a comment
(the template's second row explains each column that way). Rows are numbered as a spreadsheet shows them (the
header is row 1), so an error points at the cell to fix.

Forgiving where people are: phones in any common spelling ("(916) 555-0100", "916.555.0100 x12"), hours as written
("Mon–Fri 9am–noon, 1–5", "weekdays 9-5", "24/7", "open 24 hours"; see nhfind.core.parse.parse_hours). A file
written by `nhfind export --format csv` reads back too (its one-line address, `sources` and hours summary).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nhfind.core.hours import UNKNOWN, parse_range
from nhfind.core.import_limits import read_text
from nhfind.core.importing import SOURCE_KEY, ImportProblem, imported_source
from nhfind.core.models import CONFIDENTIALITY, COSTS, PHONE_KINDS, Address, Fact, Hours, Phone, Resource, Vocabulary
from nhfind.core.parse import (
    is_slug,
    parse_date,
    parse_hours,
    parse_phone,
    slugify,
    split_outside_brackets,
    spreadsheet_safe,
    unformula,
)
from nhfind.core.writers import inert

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "# Optional: lowercase letters, digits, hyphens. Blank: made from the name as local-<name>. "
           "The id of a bundled record replaces that record with yours."),
    ("name", "Required: the service's name."),
    ("organization", "Required: who runs it."),
    ("description", "What it offers, in your own words."),
    ("categories", "Separated by ; (see `nhfind categories`), e.g. shelter; food"),
    ("populations", "Separated by ; (see `nhfind facets`), e.g. adults; women"),
    ("access", "Separated by ;: call, text, walk-in, appointment, referral, ..."),
    ("keywords", "Extra search words separated by ;"),
    ("phones", "Separated by ;, kind in brackets: (916) 555-0100 (voice); 741741 (text: Text HOME). "
               "Kinds: voice, hotline, text, tty, fax."),
    ("website", "https://..."),
    ("email", "name@example.org"),
    ("street", "Street address."),
    ("city", "City."),
    ("state", "State, e.g. CA."),
    ("postal_code", "ZIP code."),
    ("confidential_location", "yes when the address must not be given out (shown as Call for location)."),
    ("hours", "24/7, or ranges separated by ; or ,: Mon-Fri 9am-5pm; Sat 10:00-14:00; weekdays 9-noon, 1-5"),
    ("hours_note", "Anything about the hours (holidays, call first)."),
    ("cost", "Separated by ;: free, low-cost, sliding-scale, medi-cal, insurance"),
    ("confidentiality", "One of: confidential, anonymous-ok, standard, law-enforcement"),
    ("languages", "ISO codes or names separated by ;, e.g. en; es"),
    ("eligibility", "Who can use it."),
    ("what_to_bring", "Documents to bring."),
    ("service_area", "Where it serves, e.g. Sacramento County."),
    ("last_verified", "Date you last checked it: 2026-11-29"),
    ("source", "Where the information comes from: a web address, or e.g. 'phone call with staff'."),
)  # fmt: skip
"""(column, what to put in it): the template's header and its comment row."""

ALIASES = {"address": "", "sources": "source", "phone": ""}
"""Columns of `nhfind export --format csv` this reader also takes, so that an export imports back: the one-line
address is split into its parts, `sources` is the source, and `phone` (the main one of `phones`) is skipped."""
_ADDRESS_TAIL = r"^(?P<state>[A-Za-z]{2})?\s*(?P<zip>\d{5}(?:-\d{4})?)?$"


def template_text() -> str:
    """The blank template: the header row and one comment row explaining each column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerow([spreadsheet_safe(help_text) for _, help_text in COLUMNS])
    return buffer.getvalue()


def _split_address(text: str) -> dict[str, str]:
    """The one-line address `nhfind export --format csv` writes ("12 Main St, Sacramento, CA 95821") -> parts."""
    if text.strip().lower() in ("", "unknown"):
        return {}
    if text.strip().lower() == "call for location":
        return {"confidential_location": "yes"}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out: dict[str, str] = {}
    tail = re.match(_ADDRESS_TAIL, parts[-1]) if parts else None
    if tail and (tail["state"] or tail["zip"]):
        out["state"], out["postal_code"] = (tail["state"] or "").upper(), tail["zip"] or ""
        parts = parts[:-1]
    if len(parts) >= 2:
        out["street"], out["city"] = ", ".join(parts[:-1]), parts[-1]
    elif parts:
        out["street" if re.search(r"\d", parts[0]) else "city"] = parts[0]
    return out


class _Row:
    def __init__(self, file: str, number: int, cells: dict[str, str], vocab: Vocabulary) -> None:
        self.file, self.number, self.cells, self.vocab = file, number, cells, vocab

    def fail(self, column: str, problem: str) -> Exception:

        return ImportProblem(self.file, f"row {self.number}", f"column {column!r}", problem)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def many(self, column: str) -> list[str]:
        return [p.strip() for p in self.get(column).split(";") if p.strip()]

    def known(self, column: str, allowed: dict[str, Any]) -> tuple[str, ...]:
        out = []
        for value in self.many(column):
            value = value.lower()
            if value == "unknown" and value in allowed:  # what an export writes for "no source says"
                continue
            if value not in allowed:
                near = difflib.get_close_matches(value, allowed, n=3, cutoff=0.5)
                hint = f"did you mean {', '.join(near)}?" if near else f"known: {', '.join(sorted(allowed))}"
                raise self.fail(column, f"{value!r} is not a known value ({hint})")
            out.append(value)
        return tuple(dict.fromkeys(out))


def _resource(row: _Row, path: Path, warnings: Counter[str]) -> Resource:
    name = row.get("name")
    if not name:
        raise row.fail("name", "is empty; every service needs a name")
    organization = row.get("organization")
    if not organization:
        raise row.fail("organization", "is empty; say who runs the service")
    rid = row.get("id").lower() or f"local-{slugify(name)}"
    if not is_slug(rid):
        raise row.fail("id", f"{rid!r} must be lowercase letters, digits and hyphens")
    verified = row.get("last_verified")
    if verified:
        try:
            verified = parse_date(verified)
        except ValueError as exc:
            raise row.fail("last_verified", str(exc)) from None
    else:
        warnings["rows without last_verified: shown as not verified"] += 1
    hours: Hours | None = None
    raw_hours = row.get("hours")
    note = row.get("hours_note")
    if raw_hours and raw_hours.lower() not in ("unknown", UNKNOWN.lower()):
        try:
            week = parse_hours(raw_hours)
        except ValueError as exc:
            raise row.fail("hours", str(exc)) from None
        for spec in week.ranges:
            parse_range(spec)
        hours = Hours(SOURCE_KEY, always=week.always, weekly=week.ranges, note=note)
    elif note:
        hours = Hours(SOURCE_KEY, note=note)
    phones = []
    seen_phones = set()
    for text in split_outside_brackets(row.get("phones")):
        try:
            number, extra = parse_phone(text)
        except ValueError as exc:
            raise row.fail("phones", str(exc)) from None
        kind, _, rest = (extra or "voice").partition(":")
        kind = kind.strip().lower()
        label = ""
        if kind not in PHONE_KINDS:
            warnings["phone kinds we do not know were shown as voice"] += 1
            kind, label, rest = "voice", extra, ""
        if (number, kind) in seen_phones:
            warnings["phones listed twice in a row were kept once"] += 1
            continue
        seen_phones.add((number, kind))
        phones.append(Phone(number, kind, SOURCE_KEY, label=label, instructions=rest.strip()))
    languages = []
    names = {n.casefold(): code for code, n in row.vocab.languages.items()}
    for value in row.many("languages"):
        code = value.lower() if value.lower() in row.vocab.languages else names.get(value.casefold())
        if code is None:
            warnings["languages not in our vocabulary were kept as given"] += 1
            code = value.lower()
        languages.append(code)
    costs = row.known("cost", COSTS)
    confidentiality = row.known("confidentiality", CONFIDENTIALITY)
    if len(confidentiality) > 1:
        raise row.fail("confidentiality", "takes one value")
    confidential_location = row.get("confidential_location").lower() in ("yes", "y", "true", "1", "x")
    street, city = row.get("street"), row.get("city")
    address = None
    if confidential_location or street or city:
        address = Address(SOURCE_KEY, street=street, city=city, state=row.get("state"),
                          postal_code=row.get("postal_code"), confidential=confidential_location)  # fmt: skip
    source_text = row.get("source")
    source = imported_source(path, "spreadsheet", page_date=verified)
    sources = {SOURCE_KEY: source}
    urls = [u for u in row.many("source") if u.startswith(("http://", "https://")) or u == "seed article"]
    if urls and len(urls) == len(row.many("source")):  # one web address, or the "; "-joined list an export writes
        sources = {
            (SOURCE_KEY if i == 0 else f"{SOURCE_KEY}-{i + 1}"): type(source)(
                SOURCE_KEY if i == 0 else f"{SOURCE_KEY}-{i + 1}", url, source.grade, verified, f"given in {path.name}"
            )
            for i, url in enumerate(urls)
        }
    elif source_text:
        sources = {SOURCE_KEY: type(source)(SOURCE_KEY, source.url, source.grade, verified, source_text)}

    def fact(column: str) -> Fact | None:
        return Fact(row.get(column), SOURCE_KEY) if row.get(column) else None

    return Resource(
        id=rid,
        name=name,
        organization_id=slugify(organization),
        organization=organization,
        description=row.get("description"),
        last_verified=verified,
        categories=row.known("categories", row.vocab.categories),
        populations=row.known("populations", row.vocab.populations),
        access=row.known("access", row.vocab.access),
        keywords=tuple(dict.fromkeys(row.many("keywords"))),
        service_area=row.get("service_area"),
        cost=Fact(costs, SOURCE_KEY) if costs else None,
        confidentiality=Fact(confidentiality[0], SOURCE_KEY) if confidentiality else None,
        hours=hours,
        languages=Fact(tuple(dict.fromkeys(languages)), SOURCE_KEY) if languages else None,
        eligibility=fact("eligibility"),
        website=fact("website"),
        email=fact("email"),
        what_to_bring=fact("what_to_bring"),
        address=address,
        phones=tuple(phones),
        sources=sources,
        record_sources=tuple(sources),
    )


def read(
    path: Path, vocab: Vocabulary, warnings: Counter[str], progress: Callable[[int, int], None] | None = None
) -> tuple[Resource, ...]:
    """Read a filled-in template (CSV, or TSV when the name ends in .tsv).

    Raises:
        ImportProblem: naming the file, the row and the column of the first cell that cannot be read.
    """
    name = path.name
    try:
        text = read_text(path, name)
    except UnicodeDecodeError:
        raise ImportProblem(name, "", "", "is not UTF-8 text (save it as CSV UTF-8)") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t" if path.suffix == ".tsv" else ","))
    except csv.Error as exc:
        raise ImportProblem(name, "", "", f"is not valid CSV ({exc})") from None
    if not rows:
        raise ImportProblem(name, "", "", "is empty (start from `nhfind export --format csv-template`)")
    if len(rows[0]) == 1 and ";" in rows[0][0]:  # saved with ";" between cells (spreadsheets in some locales)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = [inert(h).strip().lower() for h in rows[0]]
    known = {c for c, _ in COLUMNS}
    for required in ("name", "organization"):
        if required not in header:
            problem = "is missing from the header (start from `nhfind export --format csv-template`)"
            raise ImportProblem(name, "row 1", f"column {required!r}", problem)
    extra = [h for h in header if h and h not in known and h not in ALIASES]
    if extra:
        warnings[f"{name}: columns we do not use were ignored ({', '.join(extra[:5])})"] += 1
    body = [(i, cells) for i, cells in enumerate(rows[1:], start=2)
            if any(c.strip() for c in cells) and not cells[0].strip().startswith("#")]  # fmt: skip
    out: dict[str, Resource] = {}
    for done, (number, cells) in enumerate(body, start=1):
        cells_by = {h: unformula(c) for h, c in zip(header, cells, strict=False) if h}
        if "address" in cells_by and not any(cells_by.get(c) for c in ("street", "city", "state", "postal_code")):
            cells_by.update(_split_address(cells_by["address"]))
        if "sources" in cells_by and not cells_by.get("source"):
            cells_by["source"] = cells_by["sources"]
        resource = _resource(_Row(name, number, cells_by, vocab), path, warnings)
        if resource.id in out:
            problem = f"{resource.id!r} is used by an earlier row (give each service its own id)"
            raise ImportProblem(name, f"row {number}", "column 'id'", problem)
        out[resource.id] = resource
        if progress:
            progress(done, len(body))
    return tuple(out[k] for k in sorted(out))
