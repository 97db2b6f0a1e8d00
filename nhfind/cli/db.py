"""`nhfind db ...`: build the database from data/, and say what is in it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nhfind.cli.context import state

app = typer.Typer(help="Build and inspect the database.", no_args_is_help=True)


@app.command("build", epilog="Examples:\n\n  nhfind db build\n\n  nhfind db build --data ./data --output /tmp/test.db")
def build(
    ctx: typer.Context,
    data: Annotated[Path | None, typer.Option("--data", help="The data/ folder (default: this checkout's).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write (default: --db, NHFIND_DB or the bundled file).")
    ] = None,
) -> None:
    """Validate data/ and compile it into the database, atomically (the old file survives any error)."""
    from nhfind.core.build import build as core_build
    from nhfind.core.errors import NhfindError
    from nhfind.core.paths import repo_data_dir

    data_dir = data or repo_data_dir()
    if data_dir is None or not (data_dir / "vocabulary.toml").is_file():
        raise NhfindError("no data/ folder found: run from a source checkout or pass --data PATH")
    target = output or state(ctx).store().path
    try:
        report = core_build(data_dir, target)
    except OSError as exc:
        raise NhfindError(f"cannot write {target} ({exc.strerror}): choose another --output") from None
    sys.stderr.write(
        f"nhfind: built {report.path} - {report.services} services, {report.organizations} organizations\n"
    )


@app.command("info", epilog="Examples:\n\n  nhfind db info\n\n  nhfind --db other.db db info")
def info(ctx: typer.Context) -> None:
    """Which database, its schema version, build date, counts and how fresh the data is."""
    import datetime as dt

    store = state(ctx).store()
    meta = store.meta()
    lines = [
        f"database: {store.path}",
        f"schema version: {meta.get('schema_version')}",
        f"build date: {meta.get('build_date')}",
        f"services: {meta.get('services')}",
        f"organizations: {meta.get('organizations')}",
        f"last verified: oldest {meta.get('oldest_verified')}, newest {meta.get('newest_verified')}",
        f"sources hash: {meta.get('sources_hash', '')[:12]}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    oldest = meta.get("oldest_verified")
    if oldest and dt.date.fromisoformat(oldest) < dt.date.today() - dt.timedelta(days=365):
        sys.stderr.write(f"nhfind: warning: some records were last verified on {oldest}, over 12 months ago\n")
