"""Which service a worker means: an id, a name, or a unique prefix of either (`show weave`, `card 988`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nhfind.core.db.store import Store

SHOWN = 8
"""At most this many matches are listed when a name is ambiguous."""


def resolve(store: Store, text: str) -> str:
    """The id of the one service `text` names.

    Raises:
        UsageError: no service matches (with "did you mean"), or several do (listed, to pick one by id).
    """
    from nhfind.core import search as core_search
    from nhfind.core.errors import UsageError
    from nhfind.core.writers import inert

    found = core_search.find_ids(store, text)
    if len(found) == 1:
        return found[0][0]
    if not found:
        near = core_search.suggest_ids(store, text)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UsageError(f"no service with id or name {inert(text)!r}: {hint}`nhfind search` shows ids")
    listed = "".join(f"\n  {inert(rid):<32} {inert(name)}" for rid, name in found[:SHOWN])
    more = f"\n  ... and {len(found) - SHOWN} more (`nhfind search {inert(text)}`)" if len(found) > SHOWN else ""
    raise UsageError(f"{inert(text)!r} names {len(found)} services; give one of these ids:{listed}{more}")
