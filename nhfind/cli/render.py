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


def badge(resource: Resource) -> str:
    """The confidentiality value, loud for law enforcement (nhfind.core.badges)."""
    from nhfind.core.badges import privacy_badge

    return privacy_badge(resource.confidentiality_value, words=False)


TABLE_COLUMNS = ("name", "organization", "phone", "cost", "confidentiality")
"""The terminal table's default columns, then any extra ones, then the id (--fields picks others)."""

ExtraColumns = Sequence[tuple[str, Callable[[Resource], str]]]
"""(heading, value of a resource) pairs added to the table before Id (hours, distance, languages)."""


def print_table(
    resources: Sequence[Resource],
    color: bool,
    total: int,
    fields: list[str] | None = None,
    extra: ExtraColumns = (),
) -> None:
    """A Rich table; data goes in as Text objects, so it is never parsed as markup.

    Columns: --fields if given, else the defaults; the extra columns (hours, distance, languages) follow, and the id
    ends a default table.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(no_color=not color, highlight=False, soft_wrap=False)
    table = Table(show_lines=False, header_style="bold", expand=False)
    columns = fields or list(TABLE_COLUMNS)
    ending = [] if fields else ["id"]
    headings = [*columns, *(h for h, _ in extra), *ending]
    for heading in headings:
        table.add_column(heading.replace("_", " ").capitalize() if heading.islower() else heading, overflow="fold")
    for resource in resources:
        row = flat(resource)
        cells = []
        for column in columns:
            if column == "confidentiality":
                style = "bold red" if resource.is_law_enforcement else ""
                cells.append(Text(inert(badge(resource)), style=style))
            else:
                cells.append(Text(inert(row[column] or "-"), style="dim" if column == "id" else ""))
        cells += [Text(inert(value(resource))) for _, value in extra]
        cells += [Text(inert(row["id"]), style="dim") for _ in ending]
        table.add_row(*cells)
    console.print(table)


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


def write_output(output: Path, text: str, force: bool) -> None:
    """Write `text` to `output` atomically; refuse to replace an existing file without --force.

    Raises:
        NhfindError: the file exists (and no --force) or cannot be written; nothing is changed.
    """
    from nhfind.core.files import replace_atomically

    if output.exists() and not force:
        raise NhfindError(f"{output} exists: add --force to overwrite it, or choose another --output")
    try:
        replace_atomically(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise NhfindError(f"cannot write {output} ({exc.strerror}): choose another --output") from None
