"""The Typer root app: global options, sub-commands, and error handling that never shows a traceback.

Bare `nhfind` on a terminal opens the TUI (the only place Textual is imported, deferred).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from nhfind import __version__
from nhfind.cli import db, importer, search, show, tui
from nhfind.cli.context import State
from nhfind.core.errors import NhfindError



class _Group(TyperGroup):
    """The root command group: turns every user-reachable error into one line on stderr and exit code 2."""

    def main(self, *args: object, standalone_mode: bool = True, **kwargs: object) -> object:  # type: ignore[override]
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[arg-type]
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[arg-type]
        except click.ClickException as exc:
            # click prints usage + hint + error on three lines; ours is one line that says what to do
            where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else "nhfind"
            message = " ".join(exc.format_message().split())
            typer.echo(f"nhfind: {message} (see '{where} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            typer.echo("nhfind: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except NhfindError as exc:
            if os.environ.get("NHFIND_DEBUG"):
                raise
            typer.echo(f"nhfind: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Group,
    name="nhfind",
    help=(
        "Offline finder for support resources in North Highlands and Sacramento County, CA.\n\n"
        "Examples:\n\n"
        "  nhfind search shelter\n\n"
        "  nhfind search clinic --cost free --format json\n\n"
        "  nhfind show human-trafficking-hotline\n\n"
        "  nhfind export --format csv --output resources.csv"
    ),
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
search.register(app)
show.register(app)
importer.register(app)
tui.register(app)
app.add_typer(db.app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nhfind {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db_path: Annotated[
        str | None, typer.Option("--db", envvar="NHFIND_DB", help="Database file to read (default: the bundled one).")
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")] = False,
    no_overlay: Annotated[
        bool, typer.Option("--no-overlay", help="Ignore your imported records; read the bundled data alone.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Offline finder for support resources in North Highlands and Sacramento County, CA."""
    ctx.obj = State(db=db_path, color=not no_color and "NO_COLOR" not in os.environ, no_overlay=no_overlay)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from nhfind.cli.tui import launch  # deferred: the only road to Textual

            launch(ctx.obj)
        else:
            typer.echo(ctx.get_help())


def main() -> None:
    """Entry point: run the app (errors are handled by _Group; here only interrupts and closed pipes)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # a reader such as `head` went away: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
