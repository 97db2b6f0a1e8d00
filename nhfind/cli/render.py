"""Output: a Rich table on a terminal, clean text when piped; every value from the data made inert first.

Rich is imported inside functions, only when a terminal table is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nhfind.core.errors import NhfindError
from nhfind.core.models import Resource
from nhfind.core.writers import flat, inert, render


def say(message: str) -> None:
    """One line on stderr, "nhfind: ...". Every message passes through `inert` (escapes, C1 and bidi controls
    removed, newlines made spaces): many quote file content (a column name, a path, a value from a file)."""
    sys.stderr.write(f"nhfind: {inert(message)}\n")


def badge(resource: Resource) -> str:
    """The confidentiality value, loud for law enforcement (nhfind.core.badges)."""
    from nhfind.core.badges import privacy_badge

    return privacy_badge(resource.confidentiality_value, words=False)


TABLE_COLUMNS = ("name", "organization", "phone", "cost", "confidentiality")
"""The terminal table's default columns, then any extra ones, then the id (--fields picks others)."""

ExtraColumns = Sequence[tuple[str, Callable[[Resource], str]]]
"""(heading, value of a resource) pairs added to the table before Id (hours, distance, languages)."""

KEEP = frozenset({"id", "phone", "last_verified", "distance", "email"})
"""Columns whose values never wrap (a worker copies them whole): ids, phone numbers, dates, distances."""
WRAP = frozenset({"name", "confidentiality", "address", "description", "eligibility"})
"""Columns that wrap at word boundaries; every other column is cut with an ellipsis."""
PRIORITY = ("name", "id", "phone", "hours", "distance", "confidentiality", "cost", "languages", "organization")
"""Default-table columns, most needed first: at a narrow width the last ones give way first."""
FOLD = frozenset({"organization", "confidentiality"})
"""Columns that, when they do not fit, move into the name cell (as a line below the name) instead of vanishing."""
SHORT = {"confidentiality": "Privacy", "organization": "Org", "languages": "Lang", "distance": "Dist"}
"""Headings for a column narrower than its heading (a heading is never split)."""
GAP = 2
LEAST = {"hours": 16, "organization": 14, "languages": 10}
"""Narrowest useful width of a column cut with an ellipsis (default 8): "Open until 4 pm" whole."""
"""Characters between two columns."""


class Column:
    """One table column: its key, heading, how its cells behave, and the width it gets."""

    __slots__ = ("key", "heading", "cells", "natural", "least", "width")

    def __init__(self, key: str, heading: str, cells: list[str]) -> None:
        self.key = key
        self.heading = heading
        self.cells = cells
        longest = max((len(c) for c in cells), default=0)
        short = len(SHORT.get(key, heading))
        if key in KEEP:
            self.natural = self.least = max(longest, short)
        elif key == "name":
            self.natural = max(longest, len(heading))
            self.least = min(self.natural, 20)
        elif key in WRAP:
            word = max((len(w) for c in cells for w in c.split()), default=0)
            self.natural = max(longest, len(heading))
            self.least = min(self.natural, max(short, min(word, 14), 8))
        else:
            self.natural = max(longest, len(heading))
            self.least = min(self.natural, max(short, LEAST.get(key, 8)))
        self.width = self.least

    @property
    def label(self) -> str:
        return self.heading if len(self.heading) <= self.width else SHORT.get(self.key, self.heading)


def fit(columns: list[Column], width: int, choose: bool) -> tuple[list[Column], list[Column], list[Column]]:
    """Widths for `columns` within `width`: (shown, folded into the name, left out).

    With `choose` (no --fields), the lowest-priority columns give way until the rest fit without splitting an id,
    a phone or a date; with --fields every chosen column stays and only wrapping ones shrink.
    """
    shown = list(columns)
    folded: list[Column] = []
    dropped: list[Column] = []

    def need() -> int:
        return sum(c.least for c in shown) + GAP * (len(shown) - 1)

    rank = {key: n for n, key in enumerate(PRIORITY)}
    while choose and need() > width:
        candidates = [c for c in shown if c.key != "name" and c.key in rank and c.key not in ("id", "phone")]
        if not candidates or not any(c.key == "name" for c in shown):
            break
        victim = max(candidates, key=lambda c: rank[c.key])
        shown.remove(victim)
        (folded if victim.key in FOLD else dropped).append(victim)
    spare = width - need()
    order = sorted(shown, key=lambda c: rank.get(c.key, len(rank)))
    for cap in (30, None):  # the name first to 30 characters, then each column whole in priority order
        for column in order:
            goal = column.natural if cap is None or column.key != "name" else min(column.natural, cap)
            grow = max(min(spare, goal - column.width), 0)
            column.width += grow
            spare -= grow
    return shown, folded, dropped


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def print_table(
    resources: Sequence[Resource],
    color: bool,
    total: int,
    fields: list[str] | None = None,
    extra: ExtraColumns = (),
) -> None:
    """A table that fits the terminal (80 columns when piped); data goes in as Text, so it is never parsed as markup.

    Columns: --fields if given, else the defaults; the extra columns (hours, distance, languages) follow, and the id
    ends a default table. Ids, phones and dates never wrap; at a narrow width the organization and confidentiality
    fold under the name, and the least needed columns (cost, languages) are left out, said on stderr.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(no_color=not color, highlight=False, soft_wrap=False)
    rows = [flat(resource) for resource in resources]
    chosen = fields or list(TABLE_COLUMNS)
    columns: list[Column] = []
    for key in chosen:
        if key == "confidentiality":
            strings = [inert(badge(r)) for r in resources]
        else:
            strings = [inert(row[key] or "-") for row in rows]
        columns.append(Column(key, key.replace("_", " ").capitalize(), strings))
    for heading, cell_of in extra:
        columns.append(Column(heading.lower(), heading, [inert(cell_of(r)) for r in resources]))
    if not fields:
        columns.append(Column("id", "Id", [inert(row["id"]) for row in rows]))
    width = console.width
    shown, folded, dropped = fit(columns, width, choose=not fields)
    if fields and sum(c.width for c in shown) + GAP * (len(shown) - 1) > width:
        console.width = sum(c.width for c in shown) + GAP * (len(shown) - 1)  # --fields wins: never split an id

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0), header_style="bold")
    for column in shown:
        table.add_column(
            column.label,
            width=column.width,
            no_wrap=column.key not in WRAP,
            overflow="fold" if column.key in WRAP else "ellipsis",
        )
    for n, resource in enumerate(resources):
        cells = []
        for column in shown:
            value = column.cells[n]
            if column.key == "name":
                text = Text(value)
                for fold in folded:
                    line = fold.cells[n]
                    if line in (value, "-", "unknown"):
                        continue  # the same as the name, or nothing to say
                    if fold.key == "confidentiality" and resource.is_law_enforcement:
                        text.append("\n" + line, style="bold red")  # the police badge whole, wrapped if need be
                    else:
                        text.append("\n" + _clip(line, column.width), style="dim")
                cells.append(text)
            elif column.key == "confidentiality":
                cells.append(Text(value, style="bold red" if resource.is_law_enforcement else ""))
            else:
                cells.append(Text(value, style="dim" if column.key == "id" else ""))
        table.add_row(*cells)
    console.print(table)
    if dropped:
        names = ", ".join(c.heading.lower() for c in dropped)
        sys.stderr.write(
            f"nhfind: {names} left out to fit {width} columns; see `nhfind show ID`, --fields or a wider terminal\n"
        )


def text_width(most: int) -> int:
    """Columns to wrap prose to: the terminal's (COLUMNS first; 80 when piped), at most `most`, at least 40."""
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, most))


def wrap_lines(lines: Sequence[str], width: int) -> list[str]:
    """Each line wrapped to `width` at spaces, continuations indented 4 past the line's own indent.

    Words (addresses, URLs, ids) are never broken; one longer than the line stays whole on a line of its own.
    """
    import textwrap

    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        lead = " " * (len(line) - len(line.lstrip(" ")))
        out += textwrap.wrap(
            line, width=width, initial_indent="", subsequent_indent=lead + "    ",
            break_long_words=False, break_on_hyphens=False, drop_whitespace=True,
        )  # fmt: skip
    return out


def print_records(
    resources: Sequence[Resource],
    fmt: str,
    fields: list[str] | None,
    color: bool = True,
    total: int = 0,
    extra: ExtraColumns = (),
) -> None:
    """Print records in `fmt` (table, json, jsonl, csv, tsv, md); `extra` columns go in the table only."""
    if fmt == "table":
        if resources:
            print_table(resources, color, total, fields, extra)
    else:
        sys.stdout.write(render(fmt, resources, fields))
    if total > len(resources):
        # stderr, so piped output stays exactly the records
        sys.stderr.write(
            f"nhfind: {len(resources)} of {total} shown; use --limit {total} (or `nhfind export`) for all\n"
        )


def output_path(raw: str | Path | None, force: bool, mkdir: bool = False, folder: bool = False) -> Path | None:
    """Where --output points, checked before anything is written; None means standard output (no --output, or -).

    Refused with one line: a folder that does not exist (a USB stick not mounted; --mkdir creates it), a name
    ending in / for a file, an existing file or link (dangling too) without --force, and even with --force anything
    that is not a plain file (a device, a pipe, a folder) -- or, for a folder export, a folder that does not hold an
    earlier nhfind export (its datapackage.json and our README.txt): --force never deletes other files.

    Raises:
        NhfindError: as above; nothing was written.
    """
    import os

    from nhfind.core.db.locate import expand

    if raw is None or str(raw) == "-":
        if folder and raw is not None:
            raise NhfindError("this format writes a folder, not a stream: give --output DIR")
        return None
    text = str(raw)
    path = expand(text, "--output")
    shown = inert(text)
    if not folder and text.endswith(("/", os.sep)):
        raise NhfindError(f"--output {shown} names a folder: give a file name, such as {shown.rstrip('/')}/export.csv")
    parent = path.parent
    if not parent.is_dir():
        if parent.exists():
            raise NhfindError(f"--output {shown}: {inert(str(parent))} is not a folder; choose another --output")
        if not mkdir:
            raise NhfindError(
                f"--output {shown}: the folder {inert(str(parent))} does not exist (is the drive plugged in?); "
                "check the path, or add --mkdir to create it"
            )
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NhfindError(f"cannot create {inert(str(parent))} ({exc.strerror}): choose another --output") from None
    if os.path.lexists(path):
        if not force:
            raise NhfindError(f"{shown} exists: add --force to overwrite it, or choose another --output")
        if folder:
            if path.is_symlink() or not path.is_dir():
                raise NhfindError(f"{shown} exists and is not a folder: choose another --output")
            names = {p.name for p in path.iterdir()}
            ours = {"datapackage.json", "README.txt"} <= names and "nhfind" in _head(path / "README.txt")
            if names and not ours:
                raise NhfindError(
                    f"{shown} holds files that are not an nhfind export; --force only replaces an earlier export: "
                    "choose an empty or new folder"
                )
        elif not path.is_symlink() and not path.is_file():
            raise NhfindError(f"{shown} is not a plain file (a folder or a device): choose another --output")
    return path


def _head(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(200)
    except OSError:
        return ""


def write_output(output: Path, text: str, force: bool) -> None:
    """Write `text` to `output` atomically (a path checked by output_path); refuse to replace an existing file
    without --force.

    Raises:
        NhfindError: the file exists (and no --force) or cannot be written; nothing is changed.
    """
    import os

    from nhfind.core.files import replace_atomically

    if os.path.lexists(output) and not force:
        raise NhfindError(f"{inert(str(output))} exists: add --force to overwrite it, or choose another --output")
    try:
        replace_atomically(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise NhfindError(f"cannot write {inert(str(output))} ({exc.strerror}): choose another --output") from None
