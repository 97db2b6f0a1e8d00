"""`nhfind search` and `nhfind export`: the same filters, to the screen or to a file."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import sys
from typing import Annotated

import typer

from nhfind.cli import options as opt
from nhfind.cli import where
from nhfind.cli.context import state
from nhfind.cli.explain import print_no_results, print_understanding
from nhfind.cli.render import output_path, print_records, say, write_output
from nhfind.core import search as core_search
from nhfind.core.writers import render


def register(app: typer.Typer) -> None:
    app.command("search", epilog=SEARCH_EXAMPLES)(search)
    app.command("export", epilog=EXPORT_EXAMPLES)(export)


SEARCH_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind search shelter\n\n"
    "  nhfind search 'std test' --cost free\n\n"
    "  nhfind search 'where can i get narcan' --explain\n\n"
    "  nhfind search -c trafficking-support --confidential\n\n"
    "  nhfind search food --format csv --fields name,phone,address\n\n"
    "  nhfind search clinic --open-now --near 95660\n\n"
    "  nhfind search --open-at 'sat 10:00' --language es\n\n"
    "Exit codes: 0 results, 1 no results, 2 usage or data error."
)


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for (any text is safe). Empty: list all.")] = "",
    category: opt.Category = None,
    cost: opt.Cost = None,
    confidentiality: opt.Confidentiality = None,
    confidential: opt.Confidential = False,
    no_law_enforcement: opt.NoLaw = False,
    population: opt.Population = None,
    open_now: where.OpenNow = False,
    open_at: where.OpenAt = None,
    near: where.Near = None,
    language: where.Language = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1_000_000_000, help="At most this many results.")
    ] = 20,
    fmt: Annotated[
        opt.OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (or text), json, jsonl, csv, tsv, md (default: table on a terminal, csv when piped).",
        ),  # fmt: skip
    ] = None,
    fields: opt.Fields = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show on stderr how the words were read: synonyms, typos, left-out words.")
    ] = False,
) -> None:
    """Find services by words and filters.

    Results are ranked: names and organizations first, then categories and keywords, then descriptions.
    """
    st = state(ctx)
    store = st.store()
    filters = opt.filters(category, cost, confidentiality, confidential, no_law_enforcement, population)
    filters = where.add_where(filters, open_now, open_at, near, language)
    chosen = opt.field_list(fields)
    if filters.active:  # no filters, nothing to check: spare a lookup its second database read
        filters = core_search.resolve_filters(store, filters)  # any case, or a label: --language spanish
    page = core_search.search(store, query, filters, limit=limit)
    print_understanding(page, query, explain)
    fmt_value = (fmt.value if fmt else None) or ("table" if sys.stdout.isatty() else "csv")
    fmt_value = "table" if fmt_value in opt.PEOPLE else fmt_value
    where.explain_to_stderr(store, query, filters, page)
    extra = where.columns(filters, where.when_for(filters)) if fmt_value == "table" else ()  # table-only columns
    print_records(page.results, fmt_value, chosen, color=st.color, total=page.total, extra=extra)
    if not page.results:
        print_no_results(page, store)
        raise typer.Exit(1)


EXPORT_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind export --format csv > all.csv\n\n"
    "  nhfind export -c shelter --format json --output shelters.json\n\n"
    "  nhfind export --near 95660 --language es --format csv --output nearby-spanish.csv\n\n"
    "  nhfind export --format md --output list.md --force\n\n"
    "  nhfind export --format hsds --output hsds-package/\n\n"
    "  nhfind export --format csv-template --output my-services.csv"
)


def export(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Optional words to narrow the export.")] = "",
    category: opt.Category = None,
    cost: opt.Cost = None,
    confidentiality: opt.Confidentiality = None,
    confidential: opt.Confidential = False,
    no_law_enforcement: opt.NoLaw = False,
    population: opt.Population = None,
    open_now: where.OpenNow = False,
    open_at: where.OpenAt = None,
    near: where.Near = None,
    language: where.Language = None,
    fmt: Annotated[
        opt.ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="csv, json, jsonl, tsv, md; hsds (a folder), hsds-json, csv-template.",
        ),  # fmt: skip
    ] = opt.ExportFormat.csv,
    fields: opt.Fields = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file (atomically); - is standard output.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")] = False,
    mkdir: Annotated[bool, typer.Option("--mkdir", help="Create --output's folder if it does not exist.")] = False,
) -> None:
    """Write every matching record (no limit), for scripts and spreadsheets."""

    st = state(ctx)
    target = output_path(output, force, mkdir, folder=fmt is opt.ExportFormat.hsds)  # refused before any work
    store = st.store()
    filters = opt.filters(category, cost, confidentiality, confidential, no_law_enforcement, population)
    filters = where.add_where(filters, open_now, open_at, near, language)
    chosen = opt.field_list(fields)
    if filters.active:  # no filters, nothing to check: spare a lookup its second database read
        filters = core_search.resolve_filters(store, filters)  # any case, or a label: --language spanish
    page = core_search.search(store, query, filters)
    where.explain_to_stderr(store, query, filters, page)
    if fmt.value in opt.PACKAGE_FORMATS:
        from nhfind.cli.importer import export_package

        export_package(store, page.results, fmt.value, target, force)
        return
    text = render(fmt.value, page.results, chosen)
    if target is None:
        sys.stdout.write(text)
    else:
        write_output(target, text, force)
        say(f"wrote {len(page.results)} records to {target}")
    if not page.results:
        raise typer.Exit(1)
