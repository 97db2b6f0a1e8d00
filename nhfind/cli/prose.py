"""Options of the commands that print prose (show, card, crisis, categories, facets, db info, db layers, import):
their --format and --lang, declared once. Apart from nhfind.cli.options so that a lookup does not define them."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time.

from enum import StrEnum
from typing import Annotated

import typer


class TextFormat(StrEnum):
    """Output of the commands that print prose (show, crisis, categories, facets, db info, db layers, import)."""

    text = "text"
    table = "table"
    json = "json"


TextFormatOption = Annotated[
    TextFormat,
    typer.Option("--format", "-f", case_sensitive=False, help="text (or table) to read, json for scripts."),
]


class CardFormat(StrEnum):
    text = "text"
    table = "table"
    md = "md"
    html = "html"
    vcard = "vcard"


Lang = Annotated[
    str | None,
    typer.Option("--lang", "-l", metavar="LANG", help="Language of what a client reads: en or es (also NHFIND_LANG)."),
]
