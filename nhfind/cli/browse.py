"""`nhfind categories` and `nhfind facets`: what every filter can take, with counts and meanings."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from nhfind.cli import options as opt
from nhfind.cli import prose
from nhfind.cli.context import state

if TYPE_CHECKING:
    from nhfind.core.models import Filters, Page, Vocabulary

CATEGORIES_EXAMPLES = (
    "Examples:\n\n  nhfind categories\n\n  nhfind categories --format json\n\n  nhfind search -c shelter"
)
FACETS_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind facets\n\n"
    "  nhfind facets shelter\n\n"
    "  nhfind facets -c sexual-health --format json\n\n"
    "Counts are over the services that match the words and filters given (all services by default)."
)
WIDTH = 80


def register(app: typer.Typer) -> None:
    app.command("categories", epilog=CATEGORIES_EXAMPLES)(categories)
    app.command("facets", epilog=FACETS_EXAMPLES)(facets)


def _values(page: "Page", vocab: "Vocabulary", facet: str) -> list[dict[str, object]]:
    """Every value of a facet: known ones (count 0 included) and any the data uses beyond them."""
    meanings = vocab.meanings(facet)
    counts = page.facets.get(facet, {})
    rows: list[dict[str, object]] = []
    for value in [*meanings, *(v for v in sorted(counts) if v not in meanings)]:
        row: dict[str, object] = {"value": value, "count": counts.get(value, 0), "meaning": meanings.get(value, "")}
        if facet == "category" and value in vocab.categories:
            label, meaning, open_eligibility = vocab.categories[value]
            row.update(label=label, meaning=meaning.removeprefix(f"{label}: "), open_eligibility=open_eligibility)
        rows.append(row)
    return rows


def _table(rows: list[dict[str, object]]) -> list[str]:
    """value, count and meaning in aligned columns, the meaning wrapped within 80 columns."""
    from nhfind.core.writers import inert

    value_width = max([len(str(r["value"])) for r in rows] + [5])
    lead = 2 + value_width + 2 + 5 + 2
    lines = []
    for row in rows:
        meaning = str(row["meaning"])
        if "label" in row:
            meaning = f"{row['label']}: {meaning}"
        wrapped = textwrap.wrap(inert(meaning), width=max(WIDTH - lead, 20)) or [""]
        lines.append(f"  {inert(str(row['value'])):<{value_width}}  {row['count']:>5}  {wrapped[0]}".rstrip())
        lines += [" " * lead + part for part in wrapped[1:]]
    return lines


def _facet_page(ctx: typer.Context, query: str, filters: "Filters | None" = None) -> "tuple[Page, Vocabulary]":
    from nhfind.core import search as core_search

    store = state(ctx).store()
    if filters is not None and filters.active:
        filters = core_search.resolve_filters(store, filters)  # any case, or a label
    page = core_search.search(store, query, filters, limit=0, with_facets=True)
    return page, core_search.vocabulary(store)


def categories(
    ctx: typer.Context,
    fmt: prose.TextFormatOption = prose.TextFormat.text,
) -> None:
    """Every category with how many services it has and what it means (use with `search -c`)."""
    page, vocab = _facet_page(ctx, "")
    rows = _values(page, vocab, "category")
    if fmt is prose.TextFormat.json:
        from nhfind.core.writers import json_text

        sys.stdout.write(json_text(rows, indent=2) + "\n")
        return
    sys.stdout.write(f"  {'category':<{max(len(str(r['value'])) for r in rows)}}  count  meaning\n")
    sys.stdout.write("\n".join(_table(rows)) + "\n")


def facets(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Count only services matching these words (default: all).")] = "",
    category: opt.Category = None,
    cost: opt.Cost = None,
    confidentiality: opt.Confidentiality = None,
    confidential: opt.Confidential = False,
    no_law_enforcement: opt.NoLaw = False,
    population: opt.Population = None,
    fmt: prose.TextFormatOption = prose.TextFormat.text,
) -> None:
    """The values of every filter (category, cost, confidentiality, population, language, access) with counts.

    Each value has a one-line meaning and the search option that filters on it, so you can discover what to type.
    """
    from nhfind.core.facets import FACETS, option_of

    filters = opt.filters(category, cost, confidentiality, confidential, no_law_enforcement, population)
    page, vocab = _facet_page(ctx, query, filters)
    table = {facet: _values(page, vocab, facet) for facet in FACETS}
    if fmt is prose.TextFormat.json:
        from nhfind.core.writers import json_text

        out = {"total": page.total, "facets": table}
        sys.stdout.write(json_text(out, indent=2) + "\n")
    else:
        lines = [f"{page.total} services match. Count = how many of them carry the value."]
        for facet, rows in table.items():
            option = option_of(facet)
            heading = f"{facet}" + (f"  (filter: {option})" if option else "  (shown in `nhfind show`)")
            lines += ["", *textwrap.wrap(heading, width=WIDTH, subsequent_indent="    ", break_on_hyphens=False)]
            lines += _table(rows)
        sys.stdout.write("\n".join(lines) + "\n")
    if page.total == 0:
        sys.stderr.write("nhfind: no services match; try fewer words or filters\n")
        raise typer.Exit(1)
