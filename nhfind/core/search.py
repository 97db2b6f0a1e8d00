"""The one query layer: search, get and the vocabulary, for the CLI and the TUI alike.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Takes a Store and models, returns models: no rows or cursors leave this module.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import replace
from functools import lru_cache

from nhfind.core import fts, geo, hours
from nhfind.core.errors import UsageError
from nhfind.core.models import Filters, Page, Resource, Vocabulary
from nhfind.core.paths import database_path
from nhfind.core.store import Store


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """The Store for --db, NHFIND_DB or the packaged database (see nhfind.core.paths)."""
    return Store(database_path(db))


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
    if filters.near is not None:
        return _nearest_first(store, text, filters, limit=limit, offset=offset, with_facets=with_facets)
    words = fts.tokens(text)
    match = fts.expression(words)
    records, total = store.search(match, filters, limit, offset, exact=text.strip())
    if total == 0 and len(words) > 1:
        match = fts.expression(words, any_word=True)
        records, total = store.search(match, filters, limit, offset, exact=text.strip())
    facets = store.facet_counts(match, filters) if with_facets else {}
    return Page(_hydrate(records), total, match, facets)


def _nearest_first(
    store: Store, text: str, filters: Filters, *, limit: int | None, offset: int, with_facets: bool
) -> Page:
    """`search` with every match sorted by distance from `filters.near` (stable: ties and services without a
    distance keep the ranked order), then cut to limit/offset."""
    start = geo.origin(filters.near or "")
    page = search(store, text, replace(filters, near=None), limit=None, with_facets=with_facets)
    ordered = sorted(page.results, key=lambda r: geo.sort_key(geo.place(r, start)))
    end = None if limit is None else offset + limit
    return replace(page, results=tuple(ordered[offset:end]))


def open_counts(store: Store, text: str, filters: Filters) -> dict[str, int]:
    """How the services matching `text` and `filters` (ignoring `filters.open_at`) stand at `filters.open_at`:
    {"open": n, "closed": n, "unknown": n}. Lets a front end say how many were left out for unknown hours.

    Raises:
        ValueError: `filters.open_at` is None.
    """
    if filters.open_at is None:
        raise ValueError("open_counts needs filters.open_at")
    when = filters.open_at
    page = search(store, text, replace(filters, open_at=None, near=None))
    counts = {"open": 0, "closed": 0, "unknown": 0}
    for resource in page.results:
        counts[hours.status(resource.hours, when).state] += 1
    return counts


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
