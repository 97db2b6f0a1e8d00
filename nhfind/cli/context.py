"""What the root callback hands every command: which database, whether to colour."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from nhfind.core.search import open_store
from nhfind.core.store import Store


@dataclass
class State:
    """Global options."""

    db: str | None = None
    color: bool = True
    no_overlay: bool = False
    """Ignore the user's imported records (--no-overlay)."""

    def store(self) -> Store:
        return open_store(self.db, no_overlay=self.no_overlay)


def state(ctx: typer.Context) -> State:
    """The State of this invocation (a fresh default one when run outside the root app)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()
