"""Writers: records -> CSV, TSV, JSON, JSON Lines, Markdown; and the text-safety helpers every output uses.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Values from the data never reach a terminal or a spreadsheet raw: control characters (ANSI escapes included) are
removed by `inert`, and cells a spreadsheet would run as formulas are neutralised by `spreadsheet_safe`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from nhfind.core.models import Resource
from nhfind.core.parse import spreadsheet_safe

__all__ = ["COLUMNS", "WRITERS", "flat", "inert", "markdown_cell", "render", "spreadsheet_safe", "write_delimited"]

_INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
"""DEL and the C1 controls (U+0080-U+009F, U+009B is a one-character CSI), the bidi marks, embeddings, overrides
and isolates (a phone stored as U+202E "0010-555-619" displays as 916-555-0100), and the Unicode line separators."""
_CONTROL = (
    rf"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?"
    rf"|[\x00-\x08\x0b-\x1f{_INVISIBLE}]"
)
_JSON_INVISIBLE = f"[{_INVISIBLE}]"
"""Patterns are kept as strings and compiled on first use (re caches them): every lookup imports this module, and
compiling these two costs about 0.8 ms, more than the rest of the module."""

COLUMNS: tuple[str, ...] = (
    "id", "name", "organization", "categories", "cost", "confidentiality", "populations", "phone", "phones",
    "website", "email", "address", "hours", "languages", "access", "eligibility", "service_area", "last_verified",
    "sources", "description",
)  # fmt: skip
"""The flat columns of CSV/TSV/Markdown output, in order. Stable: scripts depend on them."""


def inert(text: str) -> str:
    """`text` without escape sequences, control characters (C0 and C1) or bidi controls; newlines and tabs become
    spaces. Every value from the data, and every message that quotes a file, is shown through this."""
    text = text.replace("\n", " ").replace("\t", " ")
    # every character _CONTROL removes is unprintable, so printable text (nearly all of it) needs no regex at all
    return text if text.isprintable() else re.sub(_CONTROL, "", text)


def json_text(value: Any, indent: int | None = None) -> str:
    """`value` as JSON (UTF-8 text kept) with every invisible control escaped as \\uXXXX: the data is kept whole,
    but DEL, C1 and bidi controls cannot act on a terminal that shows the JSON. (C0 controls JSON escapes itself.)

    Safe to apply to the whole document: outside strings, JSON is plain ASCII.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return re.sub(_JSON_INVISIBLE, lambda m: f"\\u{ord(m.group()):04x}", text)


def phone_text(resource: Resource) -> str:
    """All numbers on one line: "916-874-5115 (voice); 233733 (text: Text HELP to 233733)"."""
    parts = []
    for phone in resource.phones:
        extra = phone.kind + (f": {phone.instructions}" if phone.instructions else "")
        parts.append(f"{phone.number} ({extra})")
    return "; ".join(parts)


def flat(resource: Resource) -> dict[str, str]:
    """One record as the flat, stable columns of COLUMNS; multi-valued fields joined with "; "."""
    main = resource.main_phone
    return {
        "id": resource.id,
        "name": resource.name,
        "organization": resource.organization,
        "categories": "; ".join(resource.categories),
        "cost": "; ".join(resource.cost_values),
        "confidentiality": resource.confidentiality_value,
        "populations": "; ".join(resource.populations),
        "phone": main.number if main else "",
        "phones": phone_text(resource),
        "website": str(resource.website.value) if resource.website else "",
        "email": str(resource.email.value) if resource.email else "",
        "address": resource.address.one_line() if resource.address else "unknown",
        "hours": resource.hours.summary() if resource.hours else "unknown",
        "languages": "; ".join(resource.language_values),
        "access": "; ".join(resource.access),
        "eligibility": str(resource.eligibility.value) if resource.eligibility else "",
        "service_area": resource.service_area,
        "last_verified": resource.last_verified,
        "sources": "; ".join(sorted({s.url for s in resource.sources.values()})),
        "description": resource.description,
    }


def select(row: dict[str, str], fields: Iterable[str] | None) -> dict[str, str]:
    return {f: row[f] for f in fields} if fields else row


def write_delimited(
    resources: Iterable[Resource], out: TextIO, fields: list[str] | None = None, delimiter: str = ","
) -> None:
    """CSV (or TSV with delimiter="\\t"): UTF-8, one header row, formula-safe, control characters removed."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    header = fields or list(COLUMNS)
    writer.writerow(header)
    for resource in resources:
        row = select(flat(resource), header)
        writer.writerow([spreadsheet_safe(inert(row[f])) for f in header])


def write_json(resources: Iterable[Resource], out: TextIO, fields: list[str] | None = None) -> None:
    """A JSON array of full records (or of the chosen flat fields)."""
    out.write(json_text([_obj(r, fields) for r in resources], indent=2) + "\n")


def write_jsonl(resources: Iterable[Resource], out: TextIO, fields: list[str] | None = None) -> None:
    """One JSON object per line."""
    for resource in resources:
        out.write(json_text(_obj(resource, fields)) + "\n")


def _obj(resource: Resource, fields: list[str] | None) -> dict[str, Any]:
    return select(flat(resource), fields) if fields else resource.to_dict()


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: inert, pipes and markup characters escaped."""
    return re.sub(r"([\\|*_`\[\]<>#])", r"\\\1", inert(text))


def write_markdown(resources: Iterable[Resource], out: TextIO, fields: list[str] | None = None) -> None:
    """A Markdown table."""
    header = fields or ["name", "organization", "phone", "address", "hours", "cost", "confidentiality", "id"]
    out.write("| " + " | ".join(header) + " |\n")
    out.write("|" + "---|" * len(header) + "\n")
    for resource in resources:
        row = flat(resource)
        out.write("| " + " | ".join(markdown_cell(row[f]) for f in header) + " |\n")


WRITERS = {
    "csv": write_delimited,
    "tsv": lambda rs, out, fields=None: write_delimited(rs, out, fields, delimiter="\t"),
    "json": write_json,
    "jsonl": write_jsonl,
    "md": write_markdown,
}


def render(fmt: str, resources: Iterable[Resource], fields: list[str] | None = None) -> str:
    """All records in one format, as a string."""
    buffer = io.StringIO()
    WRITERS[fmt](resources, buffer, fields)
    return buffer.getvalue()
