"""Output: a Rich table on a terminal, clean text when piped; every value from the data made inert first.

Rich is imported inside functions, only when a terminal table is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from nhfind.core.models import Resource
from nhfind.core.writers import flat, inert, render


def badge(resource: Resource) -> str:
    """The confidentiality value, loud for law enforcement."""
    value = resource.confidentiality_value
    return "POLICE / LAW ENFORCEMENT" if value == "law-enforcement" else value


TABLE_COLUMNS = ("name", "organization", "phone", "cost", "confidentiality", "id")
"""The terminal table's default columns (--fields picks others)."""


def print_table(resources: Sequence[Resource], color: bool, total: int, fields: list[str] | None = None) -> None:
    """A Rich table; data goes in as Text objects, so it is never parsed as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(no_color=not color, highlight=False, soft_wrap=False)
    table = Table(show_lines=False, header_style="bold", expand=False)
    columns = fields or list(TABLE_COLUMNS)
    for column in columns:
        table.add_column(column.replace("_", " ").capitalize(), overflow="fold")
    for resource in resources:
        row = flat(resource)
        cells = []
        for column in columns:
            if column == "confidentiality":
                style = "bold red" if resource.is_law_enforcement else ""
                cells.append(Text(inert(badge(resource)), style=style))
            else:
                cells.append(Text(inert(row[column] or "-"), style="dim" if column == "id" else ""))
        table.add_row(*cells)
    console.print(table)


def print_records(
    resources: Sequence[Resource], fmt: str, fields: list[str] | None, color: bool = True, total: int = 0
) -> None:
    """Print records in `fmt` (table, json, jsonl, csv, tsv, md)."""
    if fmt == "table":
        if resources:
            print_table(resources, color, total, fields)
    else:
        sys.stdout.write(render(fmt, resources, fields))
    if total > len(resources):
        # stderr, so piped output stays exactly the records
        sys.stderr.write(
            f"nhfind: {len(resources)} of {total} shown; use --limit {total} (or `nhfind export`) for all\n"
        )
