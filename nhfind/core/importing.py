"""What every import shares: the problem it reports, the source its records cite, and the small cell parsers.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Both readers use these, HSDS packages (nhfind.core.hsds_import) and the spreadsheet template
(nhfind.core.template); the HSDS reader hands spreadsheets to the template reader, so they live here, below both.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from nhfind.core.errors import NhfindError
from nhfind.core.models import IMPORTED_GRADE, Source

SOURCE_KEY = "import"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DAY_NAMES = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                "sunday"))}  # fmt: skip
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?$", re.I)


class ImportProblem(NhfindError):
    """A value that cannot be read: names the file, the row (or item) and the column (or field)."""

    def __init__(self, file: str, where: str, column: str, problem: str) -> None:
        self.file, self.where, self.column, self.problem = file, where, column, problem
        place = ", ".join(p for p in (f"{file} {where}".strip(), column) if p)
        super().__init__(f"{place}: {problem}. Fix the file and import again; nothing was imported.")


# -- small parsers ----------------------------------------------------------------------------------------------


def parse_time(text: str) -> str:
    """ "9am", "9:30 a.m.", "4:00 PM", "17:00", "17:00:00", "0900" -> "HH:MM".

    Raises:
        ValueError: not a time of day.
    """
    raw = text.strip()
    if re.fullmatch(r"\d{4}", raw):
        raw = f"{raw[:2]}:{raw[2:]}"
    match = _TIME.match(raw.replace(" ", "")) or _TIME.match(raw)
    bad = ValueError(f"{text!r} is not a time (use 9am, 4:00 PM or 17:00)")
    if not match:
        raise bad
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise bad
    return f"{hour:02d}:{minute:02d}"


def parse_date(text: str) -> str:
    """ "2026-11-29", "2026-11-29T10:00:00Z", "2026/11/29", "11/29/2026" -> "2026-11-29".

    Raises:
        ValueError: not a date.
    """
    raw = text.strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(raw[:10] if pattern == "%Y-%m-%d" else raw, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use 2026-11-29)")


def parse_weekday(text: str) -> int:
    """ "Monday", "mon", "MO", "1" (ISO: 1 = Monday ... 7 = Sunday; 0 = Sunday too) -> 0..6.

    Raises:
        ValueError: not a weekday.
    """
    raw = text.strip().lower()
    if raw.isdigit() and 0 <= int(raw) <= 7:
        return (int(raw) - 1) % 7
    for name, index in _DAY_NAMES.items():
        if len(raw) >= 2 and name.startswith(raw):
            return index
    raise ValueError(f"{text!r} is not a weekday (use Monday, mon or MO)")


def slugify(text: str) -> str:
    """Lowercase letters, digits and hyphens, at most 48 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")
    return slug or "imported"


def unformula(cell: str) -> str:
    """Undo writers.spreadsheet_safe: a leading apostrophe before a formula character is dropped."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA_START and len(cell) > 1 else cell


def imported_source(path: Path, fmt: str, org_url: str = "", page_date: str = "") -> Source:
    """The one source every imported fact cites: the file it came from, graded "imported"."""
    title = f"{fmt} import" + (f"; the organization's site: {org_url}" if org_url else "")
    return Source(SOURCE_KEY, str(path.resolve()), IMPORTED_GRADE, page_date, title)
