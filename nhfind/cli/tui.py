"""`nhfind tui` and bare `nhfind` on a terminal: the one place the CLI reaches into nhfind.tui (and so Textual)."""

# No `from __future__ import annotations` here: Typer reads command signatures at run time (see cli/__init__.py).

import sys
from typing import Annotated

import typer

from nhfind.cli.context import State, state
from nhfind.core.errors import UsageError


def launch(state: State, high_contrast: bool = False, lang: str | None = None) -> None:
    """Open the interactive finder on the chosen database."""
    from nhfind.locale import resolve
    from nhfind.tui.app import run  # deferred: importing Textual costs time the other commands need not pay

    try:
        chosen = resolve(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    run(state.store(), color=state.color, high_contrast=high_contrast, lang=chosen)


def tui(
    ctx: typer.Context,
    high_contrast: Annotated[
        bool, typer.Option("--high-contrast", help="White on black with yellow highlights (F3 switches in the app).")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of the cards shown to clients: en or es (also NHFIND_LANG; F4 switches).",
        ),
    ] = None,
) -> None:
    """Open the interactive finder: search as you type, filters, details, referral cards with QR codes.

    Keys are listed at the bottom of the screen; F1 shows them all. ctrl+g blanks the screen at once.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the interactive finder needs a terminal: run `nhfind tui` in one, or use `nhfind search`")
    launch(state(ctx), high_contrast=high_contrast, lang=lang)


def register(app: typer.Typer) -> None:
    examples = "Examples:\n\n  nhfind tui\n\n  nhfind tui --high-contrast\n\n  nhfind tui --lang es"
    app.command("tui", epilog=examples)(tui)
