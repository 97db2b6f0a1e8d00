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
    from nhfind.core.paths import PACKAGED_DB, repo_data_dir

    data_dir = data or repo_data_dir()
    if data_dir is None or not (data_dir / "vocabulary.toml").is_file():
        raise NhfindError("no data/ folder found: run from a source checkout or pass --data PATH")
    db = state(ctx).db
    target = output or (Path(db).expanduser() if db else PACKAGED_DB)  # never the user's merged overlay
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


@app.command("layers", epilog="Examples:\n\n  nhfind db layers\n\n  nhfind --no-overlay db layers")
def layers(ctx: typer.Context) -> None:
    """The databases stacked up: bundled, a coordinator's update, your imported records; which one searches read."""
    from nhfind.core import overlay

    st = state(ctx)
    if st.db:
        sys.stdout.write(f"--db / NHFIND_DB in use: {st.db} (no layering)\n")
        return
    for layer in overlay.layers(no_overlay=st.no_overlay):
        count = "missing" if layer.services is None else f"{layer.services} services"
        mark = "  <- searches read this" if layer.active else ""
        sys.stdout.write(f"{layer.name:8} {count:>14}  {layer.path}{mark}\n         {layer.detail}\n")


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
    from nhfind.core.update import update as core_update

    report = core_update(file)
    sys.stdout.write(
        f"installed {report.path} - {report.services} services; {report.manifest}.\n"
        f"`nhfind db rollback` returns to {report.previous}.\n"
    )


@app.command("rollback", epilog="Examples:\n\n  nhfind db rollback")
def rollback() -> None:
    """Go back to the database in use before the last `nhfind db update`."""
    from nhfind.core.update import rollback as core_rollback

    sys.stdout.write(f"now using {core_rollback()}\n")


@app.command("reset-overlay", epilog="Examples:\n\n  nhfind db reset-overlay --yes")
def reset_overlay(
    yes: Annotated[bool, typer.Option("--yes", help="Really remove every imported record.")] = False,
) -> None:
    """Remove all your imported records (the bundled data is not touched)."""
    from nhfind.core import overlay
    from nhfind.core.errors import NhfindError

    if not yes:
        raise NhfindError("this removes every record you imported: add --yes to go ahead")
    sys.stdout.write(f"removed {overlay.reset()} imported records\n")
