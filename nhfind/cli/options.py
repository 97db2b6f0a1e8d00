"""Options shared by several commands (filters, formats), declared once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nhfind.core.models import Filters

Category = Annotated[
    list[str] | None,
    typer.Option("--category", "-c", help="Only this category (repeatable; `nhfind categories` lists them)."),
]
Cost = Annotated[list[str] | None, typer.Option("--cost", help="Only this cost: free, low-cost, sliding-scale, ...")]
Confidentiality = Annotated[
    list[str] | None,
    typer.Option(
        "--confidentiality", help="Only this: confidential, anonymous-ok, standard, law-enforcement, unknown."
    ),
]
Confidential = Annotated[
    bool, typer.Option("--confidential", help="Shortcut: only confidential or anonymous-ok services.")
]
NoLaw = Annotated[bool, typer.Option("--no-law-enforcement", help="Leave out police and prosecution services.")]
Population = Annotated[list[str] | None, typer.Option("--population", "-p", help="Only services for this group.")]
Fields = Annotated[
    str | None, typer.Option("--fields", help="Comma-separated columns for csv/tsv/md/json(l) (e.g. name,phone).")
]


class OutputFormat(StrEnum):
    table = "table"
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
    return Filters(
        categories=tuple(category or ()),
        costs=tuple(cost or ()),
        confidentiality=conf,
        populations=tuple(population or ()),
        exclude_law_enforcement=no_law,
    )


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


class TextFormat(StrEnum):
    """Output of the commands that print prose (show, crisis, categories, facets, db info)."""

    text = "text"
    json = "json"


class CardFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    vcard = "vcard"


Lang = Annotated[
    str | None,
    typer.Option("--lang", "-l", metavar="LANG", help="Language of what a client reads: en or es (also NHFIND_LANG)."),
]


FACET_OPTIONS: dict[str, str] = {
    "category": "--category / -c",
    "cost": "--cost",
    "confidentiality": "--confidentiality (or --confidential)",
    "population": "--population / -p",
}
"""Facet -> the search option that filters on it; a facet without an option is shown for information."""
