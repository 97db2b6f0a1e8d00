"""Options shared by several commands (filters, formats), declared once.

The formats of the commands that print prose live in nhfind.cli.prose: `search` imports this module on every
lookup, and each Enum costs about a quarter of a millisecond to define."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from nhfind.core.facets import BY_NAME, NO_LAW_ENFORCEMENT
from nhfind.core.models import Filters


def _option(facet: str, help: str) -> typer.models.OptionInfo:
    """The search option of a facet, named as the facet table names it (nhfind.core.facets)."""
    from nhfind.cli.complete import facet as completer

    row = BY_NAME[facet]
    option: typer.models.OptionInfo = typer.Option(
        *(n for n in (row.flag, row.short) if n), help=help, autocompletion=completer(facet)
    )
    return option


Category = Annotated[
    list[str] | None, _option("category", "Only this category (repeatable; `nhfind categories` lists them).")
]
Cost = Annotated[list[str] | None, _option("cost", "Only this cost: free, low-cost, sliding-scale, ...")]
Confidentiality = Annotated[
    list[str] | None,
    _option("confidentiality", "Only this: confidential, anonymous-ok, standard, law-enforcement, unknown."),
]
Confidential = Annotated[
    bool,
    typer.Option(BY_NAME["confidentiality"].shortcut, help="Shortcut: only confidential or anonymous-ok services."),
]
NoLaw = Annotated[bool, typer.Option(NO_LAW_ENFORCEMENT.flag, help=NO_LAW_ENFORCEMENT.meaning)]
Population = Annotated[list[str] | None, _option("population", "Only services for this group.")]
Fields = Annotated[
    str | None, typer.Option("--fields", help="Comma-separated columns for csv/tsv/md/json(l) (e.g. name,phone).")
]


class OutputFormat(StrEnum):
    """Output of search. One vocabulary across commands: `table` and `text` both mean "for people"."""

    table = "table"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"
    md = "md"
    hsds = "hsds"
    hsds_json = "hsds-json"
    csv_template = "csv-template"


PACKAGE_FORMATS = ("hsds", "hsds-json", "csv-template")
"""Export formats written by nhfind.cli.importer (Open Referral HSDS 3.0 and our spreadsheet template)."""


def filters(
    category: list[str] | None,
    cost: list[str] | None,
    confidentiality: list[str] | None,
    confidential: bool,
    no_law: bool,
    population: list[str] | None,
) -> Filters:
    """Filters from the command-line options."""
    conf = tuple(confidentiality or ())
    if confidential:
        conf = tuple(dict.fromkeys([*conf, "confidential", "anonymous-ok"]))
    chosen = {"category": category, "cost": cost, "confidentiality": conf, "population": population}
    fields: dict[str, Any] = {BY_NAME[facet].field: tuple(values or ()) for facet, values in chosen.items()}
    fields[NO_LAW_ENFORCEMENT.field] = no_law
    return Filters(**fields)


def field_list(fields: str | None) -> list[str] | None:
    """Parse --fields, refusing unknown column names with the list of known ones."""
    from nhfind.core.writers import COLUMNS

    if not fields:
        return None
    chosen = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in COLUMNS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown field {unknown[0] if unknown else ''!r}; known: {', '.join(COLUMNS)}")
    return chosen


PEOPLE = frozenset({"text", "table"})
"""The format names that mean "for people to read" in every command (the other names are the same everywhere)."""
