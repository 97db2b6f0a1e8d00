"""What the root callback hands every command: which database, whether to colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from nhfind.core.store import Store


@dataclass
class State:
    """Global options."""

    db: str | None = None
    color: bool = True

    def store(self) -> Store:
        from nhfind.core.search import open_store  # deferred: `--help` and `--version` need no database code

        return open_store(self.db)


def state(ctx: typer.Context) -> State:
    """The State of this invocation (a fresh default one when run outside the root app)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()
