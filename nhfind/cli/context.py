"""What the root callback hands every command: which database, whether to colour."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from nhfind.core.db.store import Store


class State:
    """Global options: the database to read (None: NHFIND_DB or the bundled one) and whether to colour.

    A plain class, not a dataclass: generating a dataclass's methods costs about a millisecond at start-up.
    """

    __slots__ = ("db", "color", "no_overlay")

    def __init__(self, db: str | None = None, color: bool = True, no_overlay: bool = False) -> None:
        self.db = db
        self.color = color
        self.no_overlay = no_overlay
        """Ignore the user's imported records (--no-overlay)."""

    def store(self) -> Store:
        from nhfind.core.search import open_store  # deferred: `--help` and `--version` need no database code

        return open_store(self.db, no_overlay=self.no_overlay)


def state(ctx: typer.Context) -> State:
    """The State of this invocation (a fresh default one when run outside the root app)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()
