"""The one query layer: search, get and the vocabulary, for the CLI and the TUI alike.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Takes a Store and models, returns models: no rows or cursors leave this module.
"""

from __future__ import annotations

import difflib
import json
import os
from functools import lru_cache

from nhfind.core import fts
from nhfind.core.errors import UsageError
from nhfind.core.models import Filters, Page, Resource, Vocabulary
from nhfind.core.paths import database_path
from nhfind.core.store import Store


def open_store(db: str | os.PathLike[str] | None = None, *, no_overlay: bool = False) -> Store:
    """The Store for --db, NHFIND_DB, the user's layered database or the packaged one (see nhfind.core.paths)."""
    return Store(database_path(db, no_overlay=no_overlay))


def _hydrate(records: list[str]) -> tuple[Resource, ...]:
    return tuple(Resource.from_dict(json.loads(r)) for r in records)


def search(
    store: Store,
    text: str = "",
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    with_facets: bool = False,
) -> Page:
    """Ranked services matching `text` and `filters`.

    All the words must match (the last one as a prefix); when that finds nothing, any word may match.

    Args:
        store: the database.
        text: what the user typed; any text is safe.
        filters: facet filters (AND across facets, OR within one).
        limit: at most this many results (None: all).
        offset: skip this many results.
        with_facets: also count each facet value over the whole match.

    Returns:
        A Page of results with the total count.

    Raises:
        DatabaseError: the database is missing or damaged.
    """
    filters = filters or Filters()
    words = fts.tokens(text)
    match = fts.expression(words)
    records, total = store.search(match, filters, limit, offset, exact=text.strip())
    if total == 0 and len(words) > 1:
        match = fts.expression(words, any_word=True)
        records, total = store.search(match, filters, limit, offset, exact=text.strip())
    facets = store.facet_counts(match, filters) if with_facets else {}
    return Page(_hydrate(records), total, match, facets)


def get(store: Store, resource_id: str) -> Resource | None:
    """The service with this id, or None."""
    records = store.records([resource_id])
    return _hydrate(list(records.values()))[0] if records else None


def get_many(store: Store, ids: list[str]) -> list[Resource]:
    """The services with these ids, in the order given; unknown ids are skipped."""
    records = store.records(ids)
    return [Resource.from_dict(json.loads(records[i])) for i in ids if i in records]


def suggest_ids(store: Store, wrong: str, n: int = 3) -> list[str]:
    """Ids close to `wrong`, for "did you mean"."""
    pairs = store.names()
    by_name = {name.casefold(): rid for rid, name in pairs}
    ids = [rid for rid, _ in pairs]
    close = difflib.get_close_matches(wrong.casefold(), ids, n=n, cutoff=0.5)
    close += [by_name[m] for m in difflib.get_close_matches(wrong.casefold(), by_name, n=n, cutoff=0.5)]
    close += [rid for rid in ids if wrong.casefold() in rid and len(wrong) >= 3]
    return list(dict.fromkeys(close))[:n]


def vocabulary(store: Store) -> Vocabulary:
    """What every filter value means, as stored in the database."""
    return _vocabulary(str(store.path.resolve()), store.path.stat().st_mtime_ns if store.path.exists() else 0)


@lru_cache(maxsize=4)
def _vocabulary(path: str, _mtime: int) -> Vocabulary:
    rows = Store(path).vocabulary_rows()
    categories = {v: (label, meaning, oe) for facet, v, label, meaning, oe in rows if facet == "category"}
    by_facet: dict[str, dict[str, str]] = {"population": {}, "access": {}, "language": {}}
    for facet, value, _label, meaning, _oe in rows:
        if facet in by_facet:
            by_facet[facet][value] = meaning
    return Vocabulary(categories, by_facet["population"], by_facet["access"], by_facet["language"])


def check_filters(store: Store, filters: Filters) -> None:
    """Refuse a filter value the data does not know, suggesting the nearest known ones.

    Raises:
        UsageError: naming the option, the value and what to use instead.
    """
    vocab = vocabulary(store)
    options = {
        "category": ("--category", filters.categories),
        "cost": ("--cost", filters.costs),
        "confidentiality": ("--confidentiality", filters.confidentiality),
        "population": ("--population", filters.populations),
        "language": ("--language", filters.languages),
        "access": ("--access", filters.access),
    }
    for facet, (option, values) in options.items():
        known = vocab.meanings(facet)
        for value in values:
            if value not in known:
                near = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
                hint = f"did you mean {', '.join(near)}? " if near else ""
                raise UsageError(
                    f"{option} {value!r} is not a known value: {hint}`nhfind facets` lists them all"
                )
