"""Shell completion of values: facet values (categories, costs, ...), service ids and names.

Each completer reads the database the command line names (--db, NHFIND_DB, else the bundled one, with the user's
overlay unless --no-overlay) and never fails: a completion that cannot read offers nothing rather than a traceback.
Install completion with `nhfind --install-completion`.
"""

# No `from __future__ import annotations` here: Typer reads the completers' signatures when it builds a command,
# and string annotations would be compiled into ForwardRefs on every run.

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from nhfind.core.db.store import Store

Completer = Callable[[typer.Context, str], list[tuple[str, str]]]


def _store(ctx: typer.Context) -> "Store":
    from nhfind.core.search import open_store

    params = ctx.find_root().params
    return open_store(params.get("db_path"), no_overlay=bool(params.get("no_overlay")))


def _matching(pairs: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """The values that start with what is typed (Typer keeps only those, case and all), with a one-line help."""
    return [(value, " ".join(help.split())[:70]) for value, help in pairs if value.startswith(incomplete)]


def facet(name: str) -> Completer:
    """A completer for the values of facet `name` ("category"), each with its meaning as help."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        try:
            from nhfind.core.search import vocabulary

            return _matching(sorted(vocabulary(_store(ctx)).meanings(name).items()), incomplete)
        except Exception:  # noqa: BLE001 - completion offers nothing rather than a traceback in the shell
            return []

    return complete


def services(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Service ids (with their names as help), and the names themselves: `show` and `card` take either."""
    try:
        pairs = sorted(_store(ctx).names())
    except Exception:  # noqa: BLE001 - see facet()
        return []
    return _matching(pairs, incomplete) + _matching([(name, rid) for rid, name in pairs], incomplete)
