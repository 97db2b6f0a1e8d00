"""Output: a Rich table on a terminal, clean text when piped; every value from the data made inert first.

Rich is imported inside functions, only when a terminal table is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from nhfind.core.models import Resource
from nhfind.core.writers import flat, inert, render


def badge(resource: Resource) -> str:
    """The confidentiality value, loud for law enforcement."""
    value = resource.confidentiality_value
    return "POLICE / LAW ENFORCEMENT" if value == "law-enforcement" else value


ExtraColumns = Sequence[tuple[str, Callable[[Resource], str]]]
"""(heading, value of a resource) pairs added to the table before Id (hours, distance, languages)."""


def print_table(resources: Sequence[Resource], color: bool, total: int, extra: ExtraColumns = ()) -> None:
    """A Rich table; data goes in as Text objects, so it is never parsed as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(no_color=not color, highlight=False, soft_wrap=False)
    table = Table(show_lines=False, header_style="bold", expand=False)
    for column in ("Name", "Organization", "Phone", "Cost", "Confidentiality", *(h for h, _ in extra), "Id"):
        table.add_column(column, overflow="fold")
    for resource in resources:
        row = flat(resource)
        conf = Text(inert(badge(resource)), style="bold red" if resource.is_law_enforcement else "")
        table.add_row(
            Text(inert(row["name"])),
            Text(inert(row["organization"])),
            Text(inert(row["phone"] or "-")),
            Text(inert(row["cost"])),
            conf,
            *(Text(inert(value(resource))) for _, value in extra),
            Text(inert(row["id"]), style="dim"),
        )
    console.print(table)
    if total > len(resources):
        console.print(Text(f"{len(resources)} of {total} shown: use --limit to see more"), style="dim")


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
            print_table(resources, color, total, extra)
        return
    sys.stdout.write(render(fmt, resources, fields))
