"""Launch the TUI: the one place the CLI reaches into nhfind.tui (and so Textual)."""

from __future__ import annotations

from nhfind.cli.context import State


def launch(state: State) -> None:
    """Open the interactive finder on the chosen database."""
    from nhfind.tui.app import run

    run(state.store(), color=state.color)
