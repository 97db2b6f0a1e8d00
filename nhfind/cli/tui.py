"""`nhfind tui` and bare `nhfind` on a terminal: the one place the CLI reaches into nhfind.tui (and so Textual)."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time (see cli/__init__.py).

import sys
from typing import Annotated

import typer

from nhfind.cli.context import State, state
from nhfind.core.errors import UsageError


def launch(state: State, high_contrast: bool = False) -> None:
    """Open the interactive finder on the chosen database."""
    from nhfind.tui.app import run  # deferred: importing Textual costs time the other commands need not pay

    run(state.store(), color=state.color, high_contrast=high_contrast)


def tui(
    ctx: typer.Context,
    high_contrast: Annotated[
        bool, typer.Option("--high-contrast", help="White on black with yellow highlights (F3 switches in the app).")
    ] = False,
) -> None:
    """Open the interactive finder: search as you type, filters, details, referral cards with QR codes.

    Keys are listed at the bottom of the screen; F1 shows them all. ctrl+g blanks the screen at once.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the interactive finder needs a terminal: run `nhfind tui` in one, or use `nhfind search`")
    launch(state(ctx), high_contrast=high_contrast)


def register(app: typer.Typer) -> None:
    app.command("tui", epilog="Examples:\n\n  nhfind tui\n\n  nhfind tui --high-contrast")(tui)
