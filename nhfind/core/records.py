"""Stored records -> Resources: the one place a record's JSON is decoded, and a damaged one is left out.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
The query layer (nhfind.core.search), the crisis selector (nhfind.core.crisis) and the front ends read services
through here, so a record cut short or with a flipped bit is skipped with one warning naming its id everywhere.
"""

from __future__ import annotations

import json
from functools import lru_cache

from nhfind.core.db.store import Store
from nhfind.core.errors import DatabaseError, warn
from nhfind.core.models import Resource


@lru_cache(maxsize=256)
def resource(record: str) -> Resource:
    """The Resource of one stored record. Cached by the record's text: the same text always gives an equal,
    frozen Resource, so a TUI searching at every keystroke parses each record once instead of each time."""
    return Resource.from_dict(json.loads(record))


DAMAGED = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)
"""What parsing a damaged stored record can raise (JSON cut short, a key missing, a bit flipped)."""


def hydrate(records: list[str], store: Store | None = None) -> tuple[Resource, ...]:
    """The Resources of stored records; a damaged one is left out with one warning naming its id."""
    out = []
    for record in records:
        try:
            out.append(resource(record))
        except DAMAGED:
            rid = ", ".join(store.ids_of([record])) if store is not None else ""
            where = f" in {store.path}" if store is not None else ""
            warn(
                f"record {rid or '(id unreadable)'}{where} is damaged and was left out: "
                "rebuild the database (`nhfind db build`) or ask for a fresh copy; `nhfind db info` counts them"
            )
    return tuple(out)


def damaged_ids(store: Store) -> list[str]:
    """Ids of the stored records that cannot be read (`nhfind db info` reports them)."""
    bad = []
    for rid, record in store.records(store.all_ids()).items():
        try:
            Resource.from_dict(json.loads(record))
        except DAMAGED:
            bad.append(rid)
    return bad


def get(store: Store, resource_id: str) -> Resource | None:
    """The service with this id, or None."""
    records = store.records([resource_id])
    if not records:
        return None
    try:
        return resource(records[resource_id] if resource_id in records else next(iter(records.values())))
    except DAMAGED:
        raise DatabaseError(
            f"the record of {resource_id} in {store.path} is damaged: rebuild the database (`nhfind db build`) "
            "or ask for a fresh copy"
        ) from None


def get_many(store: Store, ids: list[str]) -> list[Resource]:
    """The services with these ids, in the order given; unknown ids are skipped."""
    records = store.records(ids)
    by_id = {r.id: r for r in hydrate([records[i] for i in ids if i in records], store)}
    return [by_id[i] for i in ids if i in by_id]
