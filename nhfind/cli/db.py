"""`nhfind db ...`: build the database from data/, and say what is in it."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, slowing every lookup's start-up.

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nhfind.cli import prose
from nhfind.cli.context import state
from nhfind.cli.render import say
from nhfind.core.writers import inert

app = typer.Typer(
    help="Build and inspect the database.",
    epilog="Examples:\n\n  nhfind db info\n\n  nhfind db build\n\n  nhfind db gaps -o gaps.csv\n\n"
    "  nhfind db publish --output site/",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")


@app.command(
    "build",
    epilog="Examples:\n\n  nhfind db build\n\n  nhfind db build --data ./data --output /tmp/test.db\n\n"
    "  nhfind db build --data ./data --output /tmp/test.db --cache /tmp/nhfind-build-cache",
)
def build(
    ctx: typer.Context,
    data: Annotated[Path | None, typer.Option("--data", help="The data/ folder (default: this checkout's).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write (default: --db, NHFIND_DB or the bundled file)."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            help="A folder that keeps what this build read from a large data/ (64+ files), so the next build reads "
            "again only the files that changed. Off by default.",
        ),
    ] = None,
) -> None:
    """Validate data/ and compile it into the database, atomically (the old file survives any error)."""
    from nhfind.core.dataset import repo_data_dir
    from nhfind.core.db import locate
    from nhfind.core.db.locate import PACKAGED_DB
    from nhfind.core.db.write import build as core_build
    from nhfind.core.errors import NhfindError

    data_dir = data or repo_data_dir()
    if data_dir is None or not (data_dir / "vocabulary.toml").is_file():
        raise NhfindError("no data/ folder found: run from a source checkout or pass --data PATH")
    db = state(ctx).db
    target = locate.expand(output or db or PACKAGED_DB, "--output")  # never the user's merged overlay
    try:
        report = core_build(data_dir, target, cache=cache)
    except OSError as exc:
        raise NhfindError(f"cannot write {target} ({exc.strerror}): choose another --output") from None
    sys.stderr.write(
        f"nhfind: built {report.path} - {report.services} services, {report.organizations} organizations\n"
    )


@app.command(
    "info", epilog="Examples:\n\n  nhfind db info\n\n  nhfind --db other.db db info\n\n  nhfind db info --format json"
)
def info(
    ctx: typer.Context,
    fmt: prose.TextFormatOption = prose.TextFormat.text,
) -> None:
    """Which database, its schema version, build date, counts and how old the information is.

    Source dates are the dates of the pages behind the facts (phones, addresses, hours, ...): the oldest and newest,
    how many facts cite an undated page and how many a page over 3 years old. Warns (on stderr) about those, and
    when records were last checked against their sources over 12 months ago.
    """
    from nhfind.core import freshness
    from nhfind.core import search as core_search

    store = state(ctx).store()
    meta = store.meta()
    stale = store.stale_ids()
    damaged = core_search.damaged_ids(store)
    dates = freshness.summary(core_search.search(store).results)
    facts = {
        "database": str(store.path),
        "schema_version": meta.get("schema_version", ""),
        "build_date": meta.get("build_date", ""),
        "services": _int(meta.get("services", "0")),
        "organizations": _int(meta.get("organizations", "0")),
        "sources_oldest": dates.sources_oldest,
        "sources_newest": dates.sources_newest,
        "facts": dates.facts,
        "facts_undated": dates.facts_undated,
        "facts_older_than_3_years": dates.facts_older_than_3_years,
        "oldest_verified": meta.get("oldest_verified", ""),
        "newest_verified": meta.get("newest_verified", ""),
        "stale_services": stale,
        "sources_hash": meta.get("sources_hash", ""),
        "damaged_records": damaged,
    }
    if fmt is prose.TextFormat.json:
        from nhfind.core.writers import json_text

        sys.stdout.write(json_text(facts, indent=2) + "\n")
    else:
        lines = [
            f"database: {facts['database']}",
            f"schema version: {facts['schema_version']}",
            f"build date: {facts['build_date']}",
            f"services: {facts['services']}",
            f"organizations: {facts['organizations']}",
            f"source dates: oldest {dates.sources_oldest or 'none'}, newest {dates.sources_newest or 'none'}",
            f"facts: {dates.facts}, {dates.facts_undated} from undated pages,"
            f" {dates.facts_older_than_3_years} from pages over {freshness.OLD_YEARS} years old",
            f"records last checked: oldest {facts['oldest_verified']}, newest {facts['newest_verified']}",
            f"sources hash: {str(facts['sources_hash'])[:12]}",
        ]
        if damaged:
            more = ", ..." if len(damaged) > 5 else ""
            lines.append(f"damaged records: {len(damaged)} ({', '.join(damaged[:5])}{more}); rebuild or replace it")
        sys.stdout.write("\n".join(inert(line) for line in lines) + "\n")  # meta values come from the file
    if dates.facts_older_than_3_years or dates.facts_undated:
        say(
            f"warning: of {dates.facts} facts, {dates.facts_older_than_3_years} come from pages over"
            f" {freshness.OLD_YEARS} years old (oldest {dates.sources_oldest or 'none'}) and {dates.facts_undated}"
            " from undated pages; `nhfind db gaps` lists them to check"
        )
    if stale:
        say(
            f"warning: {len(stale)} of {facts['services']} services were last checked over 12 months ago"
            f" (oldest {facts['oldest_verified']}); check them against their sources before relying on them"
        )


def _int(text: str) -> int | str:
    """A count from the meta table; a damaged one is shown as it is (made inert), not a traceback."""
    try:
        return int(text)
    except ValueError:
        return text


class GapsFormat(StrEnum):
    csv = "csv"
    tsv = "tsv"
    md = "md"


@app.command(
    "gaps",
    epilog="Examples:\n\n  nhfind db gaps -o gaps.csv          (fill new_value, source_url, checked_on; then:)\n\n"
    "  nhfind import gaps.csv\n\n  nhfind db gaps --service cash-sacramento --format md\n\n"
    "A filled row without a source_url (https://... or tel:+1916...) is refused, and nothing is imported.",
)
def gaps(
    ctx: typer.Context,
    service: Annotated[
        str | None, typer.Option("--service", "-s", help="Every fact of one service, to correct any of them.")
    ] = None,
    fmt: Annotated[
        GapsFormat | None,
        typer.Option("--format", "-f", help="csv (default), tsv, or md to read (md is not importable)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")] = False,
) -> None:
    """A verification worksheet: one row per service and missing or weak fact, crisis lines and unreachable first.

    Weak means a low-grade or imported source, an undated page, or a page over 3 years old. Fill in new_value,
    source_url and checked_on, then `nhfind import` the file: each filled row becomes a fact in your overlay, graded
    'imported' (check before relying) and citing your source.
    """
    from nhfind.cli.render import write_output
    from nhfind.core import gaps as core_gaps
    from nhfind.core import search as core_search
    from nhfind.core.errors import NhfindError

    store = state(ctx).store()
    if service:
        resource = core_search.get(store, service)
        if resource is None:
            near = core_search.suggest_ids(store, service)
            hint = f"did you mean {', '.join(near)}? " if near else ""
            raise NhfindError(f"no service with id {service!r}: {hint}`nhfind search` shows ids")
        rows = core_gaps.rows_for(resource, every=True)
    else:
        rows = core_gaps.worksheet(core_search.search(store).results)
    chosen = (fmt or GapsFormat.csv).value
    text = core_gaps.render(rows, chosen)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text, force)
        missing = sum(1 for r in rows if r.problem == "missing")
        sys.stderr.write(f"nhfind: wrote {len(rows)} rows ({missing} missing facts) to {output}\n")
    if not rows:
        raise typer.Exit(1)


@app.command(
    "publish",
    epilog="Examples:\n\n  nhfind db publish --output site/\n\n"
    "  datasette site/nhfind.db -m site/metadata.json          (serve it to your team, read-only)\n\n"
    "See docs/publish.md.",
)
def publish(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write (empty or new).")],
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds files.")] = False,
) -> None:
    """The database plus a Datasette metadata.json, for a team to browse and search read-only.

    Copies the database searches read (with your imported records) and adds a `directory` view; metadata.json
    describes the tables and columns, wires the search box and sets facets on category, cost and confidentiality.
    """
    from nhfind.core import publish as core_publish
    from nhfind.core import search as core_search
    from nhfind.core.errors import NhfindError

    store = state(ctx).store()
    vocab = core_search.vocabulary(store)
    try:
        report = core_publish.publish(store.path, output, vocab, force=force)
    except FileExistsError:
        raise NhfindError(
            f"{output} is not an empty folder: add --force to write into it, or choose another --output"
        ) from None
    except OSError as exc:
        raise NhfindError(f"cannot write {output} ({exc.strerror}): choose another --output") from None
    sys.stdout.write(
        f"published {report.services} services to {report.folder}/\n"
        f"serve them read-only: datasette {report.database} -m {report.metadata}\n"
    )


@app.command(
    "layers",
    epilog="Examples:\n\n  nhfind db layers\n\n  nhfind --no-overlay db layers\n\n  nhfind db layers --format json",
)
def layers(ctx: typer.Context, fmt: prose.TextFormatOption = prose.TextFormat.text) -> None:
    """The databases stacked up: bundled, a coordinator's update, your imported records; which one searches read."""
    from nhfind.core.db import layers as core_layers

    st = state(ctx)
    stack = [] if st.db else core_layers.layers(no_overlay=st.no_overlay)
    if fmt is prose.TextFormat.json:
        import json

        rows = [
            {"name": layer.name, "path": str(layer.path), "services": layer.services, "active": layer.active,
             "detail": layer.detail}
            for layer in stack
        ]  # fmt: skip
        sys.stdout.write(json.dumps({"db_option": st.db, "layers": rows}, indent=2) + "\n")
        return
    if st.db:
        sys.stdout.write(inert(f"--db / NHFIND_DB in use: {st.db} (no layering)") + "\n")
        return
    for layer in stack:
        count = "missing" if layer.services is None else f"{layer.services} services"
        mark = "  <- searches read this" if layer.active else ""
        line = inert(f"{layer.name:8} {count:>14}  {layer.path}{mark}")
        sys.stdout.write(f"{line}\n         {inert(layer.detail)}\n")


@app.command(
    "update",
    epilog="Examples:\n\n  nhfind db update /media/usb/nhfind-2026-12/\n\n  nhfind db update ~/Downloads/nhfind.db\n\n"
    "A coordinator makes the package with:\n\n"
    "  nhfind db build -o pkg/nhfind.db && (cd pkg && sha256sum nhfind.db > SHA256SUMS)",
)
def update(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A database file, or a folder with one and SHA256SUMS.")],
) -> None:
    """Install a newer database a coordinator handed out: checked (sha256, integrity, schema), swapped atomically."""
    from nhfind.core.db.layers import update as core_update

    report = core_update(file)
    sys.stdout.write(
        f"installed {report.path} - {report.services} services; {report.manifest}.\n"
        f"`nhfind db rollback` returns to {report.previous}.\n"
    )


@app.command("rollback", epilog="Examples:\n\n  nhfind db rollback")
def rollback() -> None:
    """Go back to the database in use before the last `nhfind db update`."""
    from nhfind.core.db.layers import rollback as core_rollback

    sys.stdout.write(f"now using {core_rollback()}\n")


@app.command("reset-overlay", epilog="Examples:\n\n  nhfind db reset-overlay --yes")
def reset_overlay(
    yes: Annotated[bool, typer.Option("--yes", help="Really remove every imported record.")] = False,
) -> None:
    """Remove all your imported records (the bundled data is not touched)."""
    from nhfind.core.db import layers as core_layers
    from nhfind.core.errors import NhfindError

    if not yes:
        raise NhfindError("this removes every record you imported: add --yes to go ahead")
    report = core_layers.reset()
    if report.kept is not None:
        sys.stdout.write(f"removed your damaged imported records; the damaged file is kept at {report.kept}\n")
    else:
        sys.stdout.write(f"removed {report.records} imported records\n")
