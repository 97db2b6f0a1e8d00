"""A validated Dataset -> the SQLite database, written with sqlite-utils in one atomic replace.

Core module: pure Python + sqlite-utils. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Deterministic: input sorted, no clock (the build date is the newest last_verified date in the data), so the same
data/ always gives the same bytes. Used by `nhfind db build`, the wheel build hook, the overlay compiler
(nhfind.core.db.layers) and the test fixtures. `python -m nhfind.core.db.write` builds the packaged database.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import hashlib
import heapq
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from nhfind.core import fts
from nhfind.core.dataset import (
    Dataset,
    check_unique,
    load_dataset,
    load_search_vocabulary,
    load_vocabulary,
    organization_files,
    read_organization,
    shown_name,
    sources_hash,
)
from nhfind.core.db import rank, schema
from nhfind.core.errors import DataError, NhfindError
from nhfind.core.facets import FACETS, values_of
from nhfind.core.files import replace_atomically
from nhfind.core.hours import openings
from nhfind.core.models import SCHEMA_VERSION, Resource, Source, Vocabulary


@dataclasses.dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    path: Path
    services: int
    organizations: int
    sources_hash: str


def _facet_rows(resources: Iterable[Resource]) -> Iterable[tuple[str, str, str]]:
    for resource in resources:
        values = values_of(resource)
        for facet in FACETS:
            for value in values[facet]:
                yield (resource.id, facet, value)


_RECORD_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False)


def record_json(resource: Resource) -> str:
    """The stored record: json.dumps(resource.to_dict(), sort_keys=True, ensure_ascii=False), computed faster.

    Each record inside (a Fact, Address, Hours, Phone, Conflict, Source) becomes a dict by one C-level
    dict(zip(fields, record)); tuples of strings are left to the encoder, which writes them as lists (as
    models.plain would). The same text as json.dumps(plain(resource), ...): a test compares them. (Building the
    dicts with their keys in order, for an encoder that need not sort, measured slower.)"""
    record: dict[str, Any] = dict(zip(Resource._fields, resource, strict=True))
    value: Any
    for key, value in record.items():
        if type(value) in _LEAVES or not value:
            continue
        if hasattr(value, "_fields"):
            record[key] = dict(zip(value._fields, value, strict=True))
        elif isinstance(value, tuple):
            if hasattr(value[0], "_fields"):
                record[key] = [dict(zip(v._fields, v, strict=True)) for v in value]
        else:  # sources: key -> Source
            record[key] = {k: dict(zip(v._fields, v, strict=True)) for k, v in value.items()}
    if not record["sources"]:
        record["sources"] = {}
    return _RECORD_JSON.encode(record)


_LEAVES = frozenset({str, int, float, bool, type(None)})


SERVICE_COLUMNS = (
    "id", "name", "organization", "organization_id", "categories", "keywords", "description", "cost",
    "confidentiality", "phone", "address", "last_verified", "record",
)  # fmt: skip
"""The services table's columns, in order (all text)."""


def _category_text(resource: Resource, categories: dict[str, tuple[str, str, str]]) -> str:
    labels = [categories[c][0] for c in resource.categories if c in categories]
    return " ".join([*resource.categories, *labels]).replace("-", " ")


def impact_order(resources: Iterable[Resource], vocab: Vocabulary) -> list[Resource]:
    """`resources` in the order of their rowids (and so of their full-text rowids): shortest searchable text first,
    then by id. For the same hits of a word bm25 ranks a shorter text higher, so a word's first matches in rowid
    order are its best-scoring ones among equals: the ranked query's capped candidate set (nhfind.core.db.rank)."""

    return sorted(resources, key=lambda r: (_text_size(r, vocab), r.id))


def _text_size(r: Resource, vocab: Vocabulary) -> int:
    """The length of a service's searchable text: impact_order's key before the id."""
    searched = (r.name, r.organization, _category_text(r, vocab.categories), *r.keywords, r.description)
    return sum(map(len, searched)) + len(r.keywords)


def _service_rows(
    resources: Iterable[Resource], vocab: Vocabulary, texts: Callable[[str], str] | None = None
) -> Iterable[tuple[str, ...]]:
    """The services table's rows; `texts(id)` gives a record's stored JSON when the caller has it already."""
    categories = vocab.categories
    for resource in resources:
        phone = resource.main_phone
        yield (
            resource.id,
            resource.name,
            resource.organization,
            resource.organization_id,
            _category_text(resource, categories),
            " ".join(resource.keywords),
            resource.description,
            "; ".join(resource.cost_values),
            resource.confidentiality_value,
            phone.number if phone else "",
            resource.address.one_line() if resource.address else "",
            resource.last_verified,
            texts(resource.id) if texts else record_json(resource),
        )


def _search_terms(dataset: Dataset) -> dict[str, int]:
    """Every word a search can be corrected to: 2 for names, keywords, categories and the search vocabulary,
    1 for words found only in descriptions."""
    return _merge_terms([_vocabulary_terms(dataset), _resource_terms(dataset.resources)])


def _vocabulary_terms(dataset: Dataset) -> dict[str, int]:
    strong: list[str] = [label for label, _m, _oe in dataset.vocabulary.categories.values()]
    strong += [phrase for pair in dataset.search_vocabulary.synonyms for phrase in pair]
    return dict.fromkeys((word for text in strong for word in fts.words(text)), 2)


def _resource_terms(resources: Iterable[Resource]) -> dict[str, int]:
    """_search_terms of some services alone (a part of a parallel build); _merge_terms joins the parts."""
    descriptions: list[str] = []
    strong: list[str] = []
    for r in resources:
        descriptions.append(r.description)
        strong += [r.name, r.organization, *r.keywords, *(c.replace("-", " ") for c in r.categories)]
    strong_words = fts.distinct_words(strong)
    terms = dict.fromkeys(fts.distinct_words(descriptions) - strong_words, 1)
    terms.update(dict.fromkeys(strong_words, 2))
    return terms


def _merge_terms(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    """Terms of several parts: a word is strong (2) when it is strong in any part; sorted by word."""
    terms: dict[str, int] = {}
    for part in parts:
        for word, weight in part.items():
            if terms.get(word, 0) < weight:
                terms[word] = weight
    return dict(sorted(terms.items()))


def _opening_rows(resources: Iterable[Resource]) -> Iterable[tuple[str, int, int, int]]:
    """One row per weekly opening (minutes from the day's midnight; 24/7 is seven whole days; a range past midnight
    closes after 1440). Services with unknown hours get no rows, so they never match an "open at" filter."""
    known: dict[bool | tuple[str, ...], list[Any]] = {}  # the same hours are read once (most services share some)
    for r in resources:
        if r.hours is None:
            continue
        key = True if r.hours.always else r.hours.weekly
        found = known.get(key)
        if found is None:
            found = known[key] = openings(r.hours)
        for o in found:
            yield (r.id, o.day, o.opens, o.closes)


def _insert(db: Any, table: str, columns: dict[str, type], rows: Iterable[tuple[Any, ...]] | str) -> None:
    """Create `table` (sqlite-utils' CREATE TABLE, primary key from schema.PRIMARY_KEYS) and fill it with one
    executemany: no per-row dict, type sniffing or batching in Python (a third of a build at 100,000 services).
    `rows` may also be a SELECT giving them (rows staged by a parallel build), run inside SQLite."""
    db.table(table).create(columns, pk=schema.PRIMARY_KEYS[table])
    if isinstance(rows, str):
        db.conn.execute(f"INSERT INTO [{table}] {rows}")
        return
    marks = ", ".join("?" * len(columns))
    db.conn.executemany(f"INSERT INTO [{table}] VALUES ({marks})", rows)


def _write_facet_codes(conn: sqlite3.Connection) -> None:
    """schema.FACET_VALUES and schema.FACET_CODES from the facets and services tables just written."""
    conn.execute(schema.FACET_VALUES)
    conn.execute(schema.FACET_CODES)
    conn.execute("INSERT INTO facet_values (facet, value) SELECT DISTINCT facet, value FROM facets ORDER BY 1, 2")
    conn.execute(
        "INSERT INTO facet_codes SELECT s.rowid, v.code FROM facets f JOIN services s ON s.id = f.service_id"
        " JOIN facet_values v ON v.facet = f.facet AND v.value = f.value ORDER BY 1, 2"
    )


MAX_OPEN_SEGMENTS = 7 * 96
"""At most this many open_bitmaps rows (a week of quarter hours, ~8 MB at 100,000 services); data with more
distinct opening times keeps none and "open at" is answered from the openings table."""

MAX_OPEN_WORK = 200_000
"""At most this many (start, opening) pairs to OR together for open_bitmaps (a few seconds of a build)."""


def write_filter_bitmaps(conn: sqlite3.Connection) -> None:
    """(Re)write schema.FILTER_BITMAPS and schema.OPEN_BITMAPS from the services, facet_codes, facet_values and
    openings tables: called last by a build and by layer_database, so the bitmaps always hold the rowids as they are.
    """
    conn.execute("DROP TABLE IF EXISTS filter_bitmaps")
    conn.execute("DROP TABLE IF EXISTS open_bitmaps")
    conn.execute(schema.FILTER_BITMAPS)
    size = (conn.execute("SELECT max(rowid) FROM services").fetchone()[0] or 0) + 1
    names = {code: (facet, value) for code, facet, value in conn.execute("SELECT code, facet, value FROM facet_values")}
    flags = {code: bytearray(b"0") * size for code in names}
    for rowid, code in conn.execute("SELECT service_rowid, code FROM facet_codes"):
        flags[code][rowid] = 49
    everyone = rank.bitmap(r for (r,) in conn.execute("SELECT rowid FROM services"))
    rows = [("", "", rank.to_blob(everyone))]
    rows += [(*names[code], rank.to_blob(rank.from_flags(f))) for code, f in flags.items()]
    conn.executemany("INSERT INTO filter_bitmaps VALUES (?, ?, ?)", rows)
    # the week's openings as intervals of each day's minutes: one that runs past midnight goes on into the next day
    intervals: dict[int, list[tuple[int, int, int]]] = {day: [] for day in range(7)}
    for day, opens, closes, rowids in conn.execute(
        "SELECT o.day, o.opens, o.closes, group_concat(s.rowid) FROM openings o JOIN services s ON s.id = o.service_id"
        " GROUP BY 1, 2, 3"
    ):
        bits = rank.bitmap(map(int, rowids.split(",")))
        intervals[day % 7].append((opens, min(closes, 24 * 60), bits))
        if closes > 24 * 60:
            intervals[(day + 1) % 7].append((0, min(closes - 24 * 60, 24 * 60), bits))
    starts = {day: sorted({0, *(m for o, c, _b in spans for m in (o, c) if 0 <= m < 24 * 60)})
              for day, spans in intervals.items()}  # fmt: skip
    work = sum(len(starts[day]) * len(spans) for day, spans in intervals.items())
    if sum(map(len, starts.values())) > MAX_OPEN_SEGMENTS or work > MAX_OPEN_WORK:
        return
    conn.execute(schema.OPEN_BITMAPS)
    segments = []
    for day, minutes in starts.items():
        for minute in minutes:
            bits = 0
            for opens, closes, members in intervals[day]:
                if opens <= minute < closes:
                    bits |= members
            segments.append((day, minute, rank.to_blob(bits)))
    conn.executemany("INSERT INTO open_bitmaps VALUES (?, ?, ?)", segments)


def write_search_prefixes(conn: sqlite3.Connection) -> None:
    """(Re)write schema.SEARCH_PREFIXES from the full-text index as it now is.

    A prefix of a common token is listed with the tokens that start with it; a word is listed when the index's
    tokenizer (porter stemming) turns it into such a prefix ("supporting" is the prefix "support"). Each token is
    written as a word the tokenizer turns into it: the token itself when it is its own stem, else a word of the data
    ("hous" is written "housing", since "hous" itself would be searched as "hou").
    """
    conn.execute("DROP TABLE IF EXISTS search_prefixes")
    conn.execute(schema.SEARCH_PREFIXES)
    conn.execute("CREATE VIRTUAL TABLE temp.nhfind_tokens USING fts5vocab(main, services_fts, row)")
    conn.execute("CREATE VIRTUAL TABLE temp.nhfind_columns USING fts5vocab(main, services_fts, col)")
    try:
        vocabulary = conn.execute("SELECT term, doc FROM temp.nhfind_tokens").fetchall()  # in term order
        in_columns: dict[str, dict[str, int]] = {}
        for term, column, docs in conn.execute("SELECT term, col, doc FROM temp.nhfind_columns"):
            in_columns.setdefault(term, {})[column] = docs
    finally:
        conn.execute("DROP TABLE temp.nhfind_tokens")
        conn.execute("DROP TABLE temp.nhfind_columns")
    terms = [term for term, _docs in vocabulary]
    expansions: dict[str, tuple[int, int]] = {}  # prefix -> the range of terms that start with it
    for token, docs in vocabulary:
        if docs < schema.PREFIXED_TOKEN_DOCS:
            continue
        for k in range(fts.MIN_PREFIX, len(token) + 1):
            prefix = token[:k]
            lo = bisect.bisect_left(terms, prefix)
            hi = bisect.bisect_left(terms, prefix + "\U0010ffff", lo)
            if hi - lo <= schema.PREFIX_TOKENS:
                expansions[prefix] = (lo, hi)
    if not expansions:
        return
    tokens = {terms[i] for lo, hi in expansions.values() for i in range(lo, hi)}
    words = sorted({*expansions, *tokens, *(r[0] for r in conn.execute("SELECT term FROM search_terms"))})
    stem = _stems(conn, words)
    spelling: dict[str, str] = {}  # token -> a word the tokenizer turns into it: itself, or a word of the data
    for word in words:
        if (token := stem.get(word)) is not None and spelling.get(token) != token:
            spelling[token] = token if word == token else spelling.get(token, word)
    rows = []
    for word in words:
        lo, hi = expansions.get(stem.get(word, ""), (0, 0))
        if lo < hi and all(terms[i] in spelling for i in range(lo, hi)):
            docs = sum(vocabulary[i][1] for i in range(lo, hi))
            if docs >= schema.PREFIXED_TOKEN_DOCS:
                columns: dict[str, int] = {}
                for i in range(lo, hi):
                    for column, n in in_columns.get(terms[i], {}).items():
                        columns[column] = columns.get(column, 0) + n
                spelled = " ".join(spelling[terms[i]] for i in range(lo, hi))
                rows.append((word, spelled, docs if hi - lo == 1 else None, json.dumps(columns)))
    conn.executemany("INSERT INTO search_prefixes VALUES (?, ?, ?, ?)", rows)


STRONG = 2
"""The weight in search_terms of a word of a name, keyword, category or the vocabulary (1: descriptions only)."""


_Scored = list[tuple[int, list[tuple[int, float]], bytes, bytes]]
"""Per FTS5 phrase: how many services match it, its best (rowid, bm25), its match bitmap, every match's score."""


def write_search_lists(
    conn: sqlite3.Connection,
    threads: int | None = None,
    score: Callable[[str, list[str]], _Scored] | None = None,
) -> None:
    """(Re)write schema.SEARCH_LISTS and SEARCH_LIST_WORDS from the full-text index as it now is: called after
    write_search_prefixes (whose prefixes of several tokens it lists) by a build and by layer_database.

    Every token more than rank.EXACT_RANKING services hold, and every listed prefix of several tokens that many
    match, is ranked by SQLite's own bm25 over all its matches (~1.3 us per match: a few seconds of CPU at 100,000
    services, none for a county), on `threads` connections at once (default: one per core, at most 4; sqlite3
    leaves Python's lock while a statement runs, but taking every score is Python's: two threads gain little), or
    by `score` (the parallel build's worker processes). Commits `conn` first, so that the other connections and the
    lists' stamp (the index's averages record) see the index as it now is.
    """
    conn.commit()
    conn.execute("DROP TABLE IF EXISTS search_lists")
    conn.execute("DROP TABLE IF EXISTS search_list_words")
    conn.execute(schema.SEARCH_LISTS)
    conn.execute(schema.SEARCH_LIST_WORDS)
    least = rank.EXACT_RANKING
    conn.execute("CREATE VIRTUAL TABLE temp.nhfind_list_tokens USING fts5vocab(main, services_fts, row)")
    try:
        heavy = dict(conn.execute("SELECT term, doc FROM temp.nhfind_list_tokens WHERE doc > ?", [least]).fetchall())
    finally:
        conn.execute("DROP TABLE temp.nhfind_list_tokens")
    stamp = conn.execute("SELECT block FROM services_fts_data WHERE id = 1").fetchone()  # the averages record
    conn.execute("INSERT INTO search_lists (list, bits) VALUES ('', ?)", [stamp[0] if stamp else b""])
    terms = dict(conn.execute("SELECT term, weight FROM search_terms").fetchall())
    groups: dict[str, list[str]] = {}  # prefixes of several tokens: their tokens -> the typed words that stand for them
    spelled: set[str] = set()
    with contextlib.suppress(sqlite3.OperationalError):  # no search_prefixes: a database of an older build
        for prefix, tokens, docs, columns in conn.execute(
            "SELECT prefix, tokens, docs, columns FROM search_prefixes ORDER BY prefix"
        ):
            if docs is not None:
                spelled.add(tokens)
            elif sum(json.loads(columns).values()) > least:  # at most that many services match the prefix
                groups.setdefault(tokens, []).append(prefix)
    # Listed: what people search for, i.e. words of names, keywords and categories (search_terms of weight 2, the
    # words typos are corrected to first), not words found only in descriptions ("the", "visitor": each costs a
    # bm25 pass over its matches at build time and is ranked as before); a prefix of several tokens when such a
    # word stands for it ("help": help, helpline), not for the letters typed on the way to a word ("hel").
    groups = {tokens: typed for tokens, typed in groups.items() if any(terms.get(w, 0) >= STRONG for w in typed)}
    if not heavy and not groups:
        return
    # a word for each heavy token that the tokenizer turns into it, and every word of the data that it turns into one
    heads = tuple(sorted({token[: max(1, min(3, len(token) - 1))] for token in heavy}))
    words = sorted(w for w in {*heavy, *spelled, *terms} if w.startswith(heads) and '"' not in w)
    stems = _stems(conn, words)
    aliases = [(w, stems[w]) for w in words if stems.get(w) in heavy]
    spelling: dict[str, str] = {}
    for word, token in aliases:  # the token itself when it is its own stem, else the first word in order
        if word == token or token not in spelling:
            spelling[token] = word
    strong = {token for word, token in aliases if terms.get(word, 0) >= STRONG}
    jobs = [
        (t, f'"{spelling[t]}"') for t in sorted(heavy, key=lambda t: (-heavy[t], t)) if t in spelling and t in strong
    ]
    jobs += [(f"{words_[0]} *", f'"{words_[0]}" *') for words_ in groups.values()]
    conn.commit()  # the scoring connections (other threads, or the build's worker processes) read the file as it is
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    matches = [match for _, match in jobs]
    scored = score(path, matches) if score is not None else _ranked_lists(path, matches, threads)
    lists = dict(zip((name for name, _ in jobs), scored, strict=True))
    rows = []
    for name, (docs, found, bits, every) in sorted(lists.items()):
        if docs > least and found:
            rowids, scores = zip(*found, strict=True)
            rows.append((name, docs, found[-1][1], rank.pack_ints(rowids), rank.pack_floats(scores), bits, every))
    conn.executemany("INSERT INTO search_lists VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    listed = {row[0] for row in rows}
    phrases = [(word, token) for word, token in aliases if token in listed]
    phrases += [
        (f"{w} *", f"{words_[0]} *") for words_ in groups.values() if f"{words_[0]} *" in listed for w in words_
    ]
    conn.executemany("INSERT INTO search_list_words VALUES (?, ?)", sorted(phrases))


def _stems(conn: sqlite3.Connection, words: list[str]) -> dict[str, str]:
    """word -> the one index token the full-text tokenizer turns it into (words it splits or drops are left out): for
    the search prefixes and the search lists."""
    conn.execute(
        f"CREATE VIRTUAL TABLE temp.nhfind_stems USING fts5(word, tokenize='{schema.FTS_TOKENIZER}', content='')"
    )
    conn.execute("CREATE VIRTUAL TABLE temp.nhfind_stem_vocab USING fts5vocab(temp, nhfind_stems, instance)")
    try:
        conn.executemany("INSERT INTO temp.nhfind_stems (rowid, word) VALUES (?, ?)", enumerate(words))
        found: dict[int, list[str]] = {}
        for doc, term in conn.execute("SELECT doc, term FROM temp.nhfind_stem_vocab"):
            found.setdefault(doc, []).append(term)
    finally:
        conn.execute("DROP TABLE temp.nhfind_stem_vocab")
        conn.execute("DROP TABLE temp.nhfind_stems")
    return {words[doc]: terms[0] for doc, terms in found.items() if len(terms) == 1}


def _ranked_lists(path: str, matches: list[str], threads: int | None = None, depth: int | None = None) -> _Scored:
    """For each FTS5 phrase: how many services match it, its best schema.LIST_DEPTH (rowid, bm25) best first (ties
    by rowid), the bitmap of its matches and every match's score in rowid order; scored on several read-only
    connections to the database file at `path` at once (one bm25 pass per phrase). Also a build worker's task
    (_pooled_lists), given the `depth` (default schema.LIST_DEPTH) the parent reads."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    depth = schema.LIST_DEPTH if depth is None else depth
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    local = threading.local()
    opened: list[sqlite3.Connection] = []
    scoring = (
        f"SELECT rowid, bm25(services_fts, {rank.WEIGHTS}) FROM services_fts WHERE services_fts MATCH ? ORDER BY rowid"
    )

    def one(match: str) -> tuple[int, list[tuple[int, float]], bytes, bytes]:
        reader = getattr(local, "conn", None)
        if reader is None:
            reader = local.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            opened.append(reader)
        found = reader.execute(scoring, [match]).fetchall()  # every match, in rowid order
        if not found:
            return 0, [], b"", b""
        rowids, scores = zip(*found, strict=True)
        best = [(rowid, score) for score, rowid in heapq.nsmallest(depth, zip(scores, rowids, strict=True))]
        return len(found), best, rank.to_blob(rank.bitmap(list(rowids))), rank.pack_floats(scores)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = threads or min(4, cores)
    try:
        with ThreadPoolExecutor(max(1, workers)) as pool:
            return list(pool.map(one, matches))
    finally:
        for reader in opened:
            reader.close()


_Tables = Sequence[tuple[str, dict[str, type], Iterable[tuple[Any, ...]] | str]]
"""(table, columns, rows or a SELECT giving them) per table, in the order they are written."""


def _service_tables(
    resources: Sequence[Resource], vocab: Vocabulary, texts: Callable[[str], str] | None = None
) -> list[tuple[str, dict[str, type], Iterable[tuple[Any, ...]]]]:
    """(table, columns, rows) of every table that holds one or more rows per service, services first (impact
    order); for a new database and for layering services over a copy of one (layer_database)."""
    services = _service_rows(impact_order(resources, vocab), vocab, texts)
    return [("services", dict.fromkeys(SERVICE_COLUMNS, str), services), *_detail_tables(resources)]


def _detail_tables(resources: Sequence[Resource]) -> list[tuple[str, dict[str, type], Iterable[tuple[Any, ...]]]]:
    """_service_tables after services: the rows of `resources` in their order, grouped by service."""
    text = str
    return [
        ("facets", {"service_id": text, "facet": text, "value": text}, _facet_rows(resources)),
        (
            "phones",
            {"service_id": text, "position": int, "number": text, "kind": text, "label": text, "hours": text,
             "instructions": text, "source_url": text, "grade": text},
            (
                (r.id, i, p.number, p.kind, p.label, p.hours, p.instructions, r.sources[p.source].url,
                 r.sources[p.source].grade)
                for r in resources
                for i, p in enumerate(r.phones)
            ),
        ),
        ("openings", schema.COLUMNS["openings"], _opening_rows(resources)),
        (
            "sources",
            {"service_id": text, "key": text, "url": text, "grade": text, "page_date": text, "title": text},
            ((r.id, s.key, s.url, s.grade, s.page_date, s.title) for r in resources for s in r.sources.values()),
        ),
    ]  # fmt: skip


def can_layer(base: Path) -> bool:
    """Whether layer_database can add services to a copy of `base` (a database with facet codes)."""
    conn = sqlite3.connect(f"file:{quote(str(Path(base).resolve()))}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'facet_codes'").fetchone() is not None
    finally:
        conn.close()


def layer_database(
    base: Path,
    overlay: Dataset,
    path: Path,
    texts: Callable[[str], str] | None = None,
    copied: Path | None = None,
) -> None:
    """Write a copy of the database `base` at `path` (which must not exist yet) with `overlay`'s services in it,
    replacing any of the same id: what the overlay compiler writes instead of rebuilding every service.

    `overlay` holds only the services to add, the organizations they name, the base's vocabularies and the new
    sources hash; `texts(id)`, when given, is a record's stored JSON (record_json), already made for overlay.json.
    `copied`, when given, is a copy of `base` made already (in the same folder as `path`): it is moved to `path`.
    The copy keeps the base's rows and index; the overlay's services are written by the same code as a build,
    appended after the base's rowids. Words of replaced base services stay correction terms. Every step reaches
    the base's rows by key (never a scan of a table of the base), so the cost follows the overlay's size.
    """
    if copied is not None:
        os.replace(copied, path)
    else:
        shutil.copyfile(base, path)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a temp file, deleted on failure (see write_database)
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the pages an import of thousands writes stay in memory
        ids = {"ids": json.dumps([r.id for r in overlay.resources])}
        chosen = "SELECT value FROM json_each(:ids)"
        columns = ", ".join(schema.FTS_WEIGHTS)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        # the services replaced: their dates (for the oldest and newest verified below) and facet rows (facets is
        # keyed by facet and value first: its rows of a service are found through facet_codes)
        replaced = conn.execute(f"SELECT rowid, last_verified FROM services WHERE id IN ({chosen})", ids).fetchall()
        replaced_hours = conn.execute(f"SELECT 1 FROM openings WHERE service_id IN ({chosen}) LIMIT 1", ids).fetchone()
        old_facets = conn.execute(
            "SELECT v.facet, v.value, s.id FROM services s JOIN facet_codes c ON c.service_rowid = s.rowid"
            f" JOIN facet_values v USING (code) WHERE s.id IN ({chosen})",
            ids,
        ).fetchall()
        # out of the index first (an external-content index is told the old text), then out of every table. The
        # index is always fed in rowid order: FTS5 writes a new segment whenever a rowid is not above the last one,
        # and id order (the IN list's) made one per service and a long merge (5x slower over 100,000 services).
        conn.execute(
            f"INSERT INTO services_fts (services_fts, rowid, {columns})"
            f" SELECT 'delete', rowid, {columns} FROM services WHERE id IN ({chosen}) ORDER BY rowid",
            ids,
        )
        conn.executemany("DELETE FROM facet_codes WHERE service_rowid = ?", ((rowid,) for rowid, _ in replaced))
        conn.executemany("DELETE FROM facets WHERE facet = ? AND value = ? AND service_id = ?", old_facets)
        for table in ("phones", "openings", "sources"):  # keyed by service_id first
            conn.execute(f"DELETE FROM [{table}] WHERE service_id IN ({chosen})", ids)
        conn.execute(f"DELETE FROM services WHERE id IN ({chosen})", ids)
        for table, kinds, rows in _service_tables(overlay.resources, overlay.vocabulary, texts):
            conn.executemany(f"INSERT INTO [{table}] VALUES ({', '.join('?' * len(kinds))})", rows)
        conn.execute(
            f"INSERT INTO services_fts (rowid, {columns})"
            f" SELECT rowid, {columns} FROM services WHERE id IN ({chosen}) ORDER BY rowid",
            ids,
        )
        # facet codes: pairs no base service carries get the next codes, in sorted order (as a build numbers them)
        known_codes = "SELECT code, facet, value FROM facet_values"
        codes = {(facet, value): code for code, facet, value in conn.execute(known_codes)}
        facet_rows = list(_facet_rows(overlay.resources))
        pairs = {(facet, value) for _sid, facet, value in facet_rows}
        conn.executemany("INSERT INTO facet_values (facet, value) VALUES (?, ?)", sorted(pairs - codes.keys()))
        codes = {(facet, value): code for code, facet, value in conn.execute(known_codes)}
        rowids = dict(conn.execute(f"SELECT id, rowid FROM services WHERE id IN ({chosen})", ids).fetchall())
        conn.executemany(
            "INSERT INTO facet_codes VALUES (?, ?)",
            sorted({(rowids[sid], codes[facet, value]) for sid, facet, value in facet_rows}),
        )
        conn.executemany("INSERT OR REPLACE INTO organizations VALUES (?, ?, ?)", overlay.organizations)
        conn.executemany(
            "INSERT INTO search_terms VALUES (?, ?)"
            " ON CONFLICT (term) DO UPDATE SET weight = max(weight, excluded.weight)",
            _search_terms(overlay).items(),
        )
        by_pair: dict[tuple[str, str], list[int]] = {("", ""): sorted(rowids.values())}
        for sid, facet, value in facet_rows:
            by_pair.setdefault((facet, value), []).append(rowids[sid])
        if replaced_hours:  # their stretches of the week may go: written whole, as a build would
            write_filter_bitmaps(conn)
        else:
            _layer_filter_bitmaps(conn, [rowid for rowid, _ in replaced], by_pair, ids)
        # the oldest and newest verified dates: the base's and the overlay's, unless a replaced service held one
        # of the base's (then a scan finds the new ones)
        dates = sorted(r.last_verified for r in overlay.resources if r.last_verified)
        held = {meta.get("oldest_verified"), meta.get("newest_verified")} & {date for _, date in replaced}
        if held or "oldest_verified" not in meta:
            oldest, newest = conn.execute(
                "SELECT min(last_verified), max(last_verified) FROM services WHERE last_verified <> ''"
            ).fetchone()
        else:
            known = [d for d in (meta["oldest_verified"], meta["newest_verified"], *dates[:1], *dates[-1:]) if d]
            oldest, newest = (min(known), max(known)) if known else (None, None)
        meta = {
            "sources_hash": overlay.sources_hash,
            "build_date": newest or "",
            "oldest_verified": oldest or "",
            "newest_verified": newest or "",
            "services": str(conn.execute("SELECT count(*) FROM services").fetchone()[0]),
            "organizations": str(conn.execute("SELECT count(*) FROM organizations").fetchone()[0]),
        }
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        write_search_prefixes(conn)  # the overlay's words change which prefixes are one token's
        # and every bm25 score (the index's counts and lengths changed): over a large base, on a process per core
        write_search_lists(conn, score=_processes_lists)
        conn.commit()
    finally:
        conn.close()


def _layer_filter_bitmaps(
    conn: sqlite3.Connection, removed: list[int], added: dict[tuple[str, str], list[int]], ids: dict[str, str]
) -> None:
    """Bring a copied base's filter_bitmaps and open_bitmaps (write_filter_bitmaps) up to date after layering:
    the replaced services' rowids (`removed`) cleared, the new ones (`added`: (facet, value) -> rowids, ("", "") for
    every new service) set, instead of rewriting every bitmap from the whole tables (~1 s at 100,000 services).

    Written whole instead when the base has no bitmaps, or when a new service opens or closes at a minute where the
    base has no stretch of the week (the stretches would change); layer_database also writes them whole when a
    replaced service had opening hours (its stretches may go). The one difference from a build: a build that finds
    too many distinct opening times writes no open_bitmaps (MAX_OPEN_WORK); here the base's are kept up to date.
    """
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"filter_bitmaps", "open_bitmaps"} <= present:
        write_filter_bitmaps(conn)
        return
    stretches = conn.execute("SELECT day, start, bits FROM open_bitmaps ORDER BY day, start").fetchall()
    starts: dict[int, list[int]] = {day: [] for day in range(7)}
    for day, start, _bits in stretches:
        starts[day].append(start)
    # the new services' openings as write_filter_bitmaps reads them: past midnight goes on into the next day
    spans: list[tuple[int, int, int, int]] = []
    for rowid, day, opens, closes in conn.execute(
        "SELECT s.rowid, o.day, o.opens, o.closes FROM openings o JOIN services s ON s.id = o.service_id"
        " WHERE o.service_id IN (SELECT value FROM json_each(:ids))",
        ids,
    ):
        spans.append((day % 7, opens, min(closes, 24 * 60), rowid))
        if closes > 24 * 60:
            spans.append(((day + 1) % 7, 0, min(closes - 24 * 60, 24 * 60), rowid))
    known = {day: set(minutes) for day, minutes in starts.items()}
    if any(m not in known[d] for d, o, c, _r in spans for m in (o, c) if 0 <= m < 24 * 60):
        write_filter_bitmaps(conn)
        return
    keep = ~rank.bitmap(removed)
    old = {(facet, value): bits for facet, value, bits in conn.execute("SELECT facet, value, bits FROM filter_bitmaps")}
    pairs = [("", ""), *conn.execute("SELECT facet, value FROM facet_values ORDER BY code").fetchall()]
    conn.executemany(
        "INSERT OR REPLACE INTO filter_bitmaps VALUES (?, ?, ?)",
        (
            (facet, value, rank.to_blob(rank.from_blob(old.get((facet, value))) & keep
                                        | rank.bitmap(added.get((facet, value), []))))
            for facet, value in pairs
        ),
    )  # fmt: skip
    at = {(day, start): i for i, (day, start, _bits) in enumerate(stretches)}
    members: list[list[int]] = [[] for _ in stretches]
    for day, opens, closes, rowid in spans:  # the stretches with a start in [opens, closes)
        minutes = starts[day]
        for k in range(bisect.bisect_left(minutes, opens), bisect.bisect_left(minutes, closes)):
            members[at[day, minutes[k]]].append(rowid)
    conn.executemany(
        "INSERT OR REPLACE INTO open_bitmaps VALUES (?, ?, ?)",
        (
            (day, start, rank.to_blob(rank.from_blob(bits) & keep | rank.bitmap(members[i])))
            for i, (day, start, bits) in enumerate(stretches)
        ),
    )


def write_database(dataset: Dataset, path: Path) -> None:
    """Write `dataset` to a new SQLite file at `path` (which must not exist yet)."""
    dates = sorted(r.last_verified for r in dataset.resources if r.last_verified)  # imported ones may lack it
    _write(
        path,
        dataclasses.replace(dataset, resources=()),
        lambda _conn: _service_tables(dataset.resources, dataset.vocabulary),
        _search_terms(dataset),
        (dates[0], dates[-1]) if dates else ("", ""),
        len(dataset.resources),
    )


def _write(
    path: Path,
    head: Dataset,
    service_tables: Callable[[sqlite3.Connection], _Tables],
    terms: dict[str, int],
    dates: tuple[str, str],
    services: int,
    full_text: Callable[[], Path] | None = None,
    filters: Callable[[], Path] | None = None,
) -> None:
    """Write a new SQLite file at `path`: the tables of service_tables(connection) (see _service_tables), and
    `head`'s organizations, vocabularies and sources hash; `terms`, the (oldest, newest) last_verified dates and
    the number of services are those of all the services written. `full_text()` and `filters()`, when given, are
    files holding the full-text index and search prefixes (_full_text_file) and the facet codes and filter bitmaps
    (_filters_file) of the same services, copied instead of built here."""
    import sqlite_utils  # deferred: slow to import, and only builds need it

    # The tables are written to a draft beside `path`, which VACUUM INTO then copies to `path` in its compact,
    # canonical layout (the same pages as a VACUUM, but written once instead of twice).
    draft = path.with_name(f"{path.name.removesuffix('.tmp')}.draft.tmp")
    draft.unlink(missing_ok=True)
    conn: sqlite3.Connection | None = None
    try:
        # opened inside the try: a signal that lands just as the file is created (SIGTERM and SIGHUP become
        # SystemExit) still finds the clean-up below
        conn = sqlite3.connect(draft)
        db = sqlite_utils.Database(conn)
        # A fresh temp file, deleted at the end and on any failure: no rollback journal and no sync per statement;
        # replace_atomically flushes the finished file once before it takes the target's name.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        vocab = head.vocabulary
        text = str
        for table, columns, rows in service_tables(conn):
            _insert(db, table, columns, rows)
        _insert(db, "organizations", {"id": text, "name": text, "description": text}, head.organizations)
        if filters is None:
            _write_facet_codes(conn)
            write_filter_bitmaps(conn)
        else:
            _copy_filters(conn, filters())
        _insert(
            db,
            "vocabulary",
            {"facet": text, "value": text, "meaning": text, "label": text, "open_eligibility": text},
            (
                (
                    facet,
                    value,
                    meaning,
                    vocab.categories[value][0] if facet == "category" else value,
                    vocab.categories[value][2] if facet == "category" else "",
                )
                for facet in FACETS
                for value, meaning in vocab.meanings(facet).items()
            ),
        )
        # the search vocabulary (data/search-vocabulary.toml) and the words typos are corrected to: read once per
        # database file by nhfind.core.search, never per query
        words = head.search_vocabulary
        _insert(db, "search_synonyms", schema.COLUMNS["search_synonyms"], words.synonyms)
        _insert(db, "search_stop_words", schema.COLUMNS["search_stop_words"], ((w,) for w in words.stop_words))
        _insert(db, "search_terms", schema.COLUMNS["search_terms"], terms.items())
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "sources_hash": head.sources_hash,
            "build_date": dates[1],
            "oldest_verified": dates[0],
            "newest_verified": dates[1],
            "services": str(services),
            "organizations": str(len(head.organizations)),
        }
        _insert(db, "meta", {"key": text, "value": text}, meta.items())
        if full_text is None:
            _write_full_text(db)
        else:
            _copy_full_text(conn, full_text())
        for index, table, expression in schema.INDEXES:
            conn.execute(f"CREATE INDEX {index} ON {table}({expression})")
        conn.commit()
        conn.execute("VACUUM INTO ?", (str(path),))
    finally:
        try:
            if conn is not None:
                conn.close()
        finally:
            draft.unlink(missing_ok=True)


def _write_full_text(db: Any, lists: bool = True) -> None:
    """The full-text index of the services table (sqlite-utils' external-content FTS5 table), and the search
    prefixes and (unless `lists` is false) impact-ordered lists read from it."""
    db.table("services").enable_fts(list(schema.FTS_WEIGHTS), tokenize=schema.FTS_TOKENIZER)
    write_search_prefixes(db.conn)
    if lists:
        write_search_lists(db.conn)


_FTS_SHADOWS = ("data", "idx", "docsize", "config")
"""The tables FTS5 keeps an external-content index in (services_fts_data, ...): plain tables, copied as they are."""


def _copy_full_text(conn: sqlite3.Connection, source: Path) -> None:
    """services_fts, search_prefixes and the search lists from `source` (written by _full_text_file): the same
    virtual table created here, its tables' rows replaced by the source's, and the same tables created in the same
    order: what _write_full_text would have written here, row for row."""
    conn.commit()  # ATTACH is refused inside a transaction
    conn.execute("ATTACH DATABASE ? AS full_text", (str(source),))
    (create,) = conn.execute("SELECT sql FROM full_text.sqlite_master WHERE name = 'services_fts'").fetchone()
    conn.executescript(create)  # as sqlite-utils runs it: a commit first, then the statement
    for shadow in _FTS_SHADOWS:
        conn.execute(f"DELETE FROM main.services_fts_{shadow}")
        conn.execute(f"INSERT INTO main.services_fts_{shadow} SELECT * FROM full_text.services_fts_{shadow}")
    for table, create in (
        ("search_prefixes", schema.SEARCH_PREFIXES),
        ("search_lists", schema.SEARCH_LISTS),
        ("search_list_words", schema.SEARCH_LIST_WORDS),
    ):
        conn.execute(create)
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM full_text.{table}")
    conn.commit()
    conn.execute("DETACH DATABASE full_text")


def _copy_filters(conn: sqlite3.Connection, source: Path) -> None:
    """facet_values, facet_codes, filter_bitmaps and open_bitmaps from `source` (written by _filters_file): the
    tables _write_facet_codes and write_filter_bitmaps would have written here, created in the same order."""
    conn.commit()  # ATTACH is refused inside a transaction
    conn.execute("ATTACH DATABASE ? AS filters", (str(source),))
    present = {name for (name,) in conn.execute("SELECT name FROM filters.sqlite_master WHERE type = 'table'")}
    tables = {"facet_values": schema.FACET_VALUES, "facet_codes": schema.FACET_CODES,
              "filter_bitmaps": schema.FILTER_BITMAPS, "open_bitmaps": schema.OPEN_BITMAPS}  # fmt: skip
    for table, create in tables.items():
        if table in present:  # open_bitmaps is left out where the week has too many opening times
            conn.execute(create)
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM filters.{table}")
    conn.commit()
    conn.execute("DETACH DATABASE filters")


# -- the parallel build: each worker reads and validates a run of data files and stages their rows in a part file;
# -- the writer copies the parts' rows in the order write_database would write them (services in impact order,
# -- the other tables by service id), so both give the same bytes.

PARALLEL_FROM = 64
"""Organization files from which a build reads data/ on several cores (below, starting workers costs more)."""
MAX_PARTS = 8
"""Parts of a parallel build (SQLite attaches at most 10 files to one connection)."""


class _Part(NamedTuple):
    """What a worker found in its run of files (the rows are in its part file)."""

    organizations: list[tuple[str, str, str]]
    ids: list[tuple[str, str]]
    """(service id, file shown) in file order: checked for duplicates across parts by the parent."""
    terms: dict[str, int]
    dates: tuple[str, str] | None
    services: int
    error: tuple[str, str, str, str] | None
    """The first DataError of the run (path, record, field, problem): the rows before it are in `ids` only."""


def _read_part(files: list[Path], vocab: Vocabulary, seed: Source, staged: Path) -> _Part:
    """Read and validate `files` in order and stage their services' rows in a new SQLite file `staged`."""
    organizations: list[tuple[str, str, str]] = []
    ids: list[tuple[str, str]] = []
    resources: list[Resource] = []
    try:
        for path in files:
            services: list[Resource] = []
            try:
                organizations.append(read_organization(path, vocab, seed, services))
            finally:
                ids += [(r.id, shown_name(path)) for r in services]
                resources += services
    except DataError as exc:
        return _Part(organizations, ids, {}, None, 0, (exc.path, exc.record, exc.field, exc.problem))
    resources.sort(key=lambda r: r.id)
    if any(a.id == b.id for a, b in zip(resources, resources[1:], strict=False)):  # the parent says so (check_unique)
        return _Part(organizations, ids, {}, None, 0, None)
    conn = sqlite3.connect(staged)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        # services in their part of impact order, kept by key: the parent merges the parts without sorting them
        sized = sorted(
            ((_text_size(r, vocab), *row) for r, row in zip(resources, _service_rows(resources, vocab), strict=True)),
            key=lambda row: (row[0], row[1]),
        )
        keyed = f"size, {', '.join(SERVICE_COLUMNS)}, PRIMARY KEY ({_SERVICES_ORDER})"
        conn.execute(f"CREATE TABLE staged_services ({keyed}) WITHOUT ROWID")
        conn.executemany(f"INSERT INTO staged_services VALUES ({', '.join('?' * (1 + len(SERVICE_COLUMNS)))})", sized)
        for table, columns, rows in _detail_tables(resources):
            conn.execute(f"CREATE TABLE staged_{table} ({', '.join(columns)})")
            conn.executemany(f"INSERT INTO staged_{table} VALUES ({', '.join('?' * len(columns))})", rows)
        conn.commit()
    finally:
        conn.close()
    dates = sorted(r.last_verified for r in resources if r.last_verified)
    return _Part(organizations, ids, _resource_terms(resources), (dates[0], dates[-1]) if dates else None,
                 len(resources), None)  # fmt: skip


def _staged_rows(parts: list[str], table: str, columns: Iterable[str], order: str) -> str:
    """A SELECT of `columns` of the rows of `table` staged in the attached `parts`, in `order`."""
    union = " UNION ALL ".join(f"SELECT rowid AS staged_rowid, * FROM {part}.staged_{table}" for part in parts)
    return f"SELECT {', '.join(columns)} FROM ({union}) ORDER BY {order}"


_SERVICES_ORDER = "size, id"
"""The services' order (and so their rowids) when copied from the parts: impact_order's."""


def _staged_services(parts: list[str], columns: Iterable[str]) -> str:
    """A SELECT of `columns` of the services staged in the attached `parts`, in impact order. Each part keeps its
    services by that key (a WITHOUT ROWID table), so SQLite merges the parts as it reads them (a compound SELECT's
    ORDER BY): no sort of 100,000 rows of a few KB each (~1 s at that size)."""
    arms = " UNION ALL ".join(f"SELECT * FROM {part}.staged_services" for part in parts)
    return f"SELECT {', '.join(columns)} FROM ({arms} ORDER BY {_SERVICES_ORDER})"


def _staged_tables(parts: list[str]) -> list[tuple[str, dict[str, type], str]]:
    """_service_tables of the services staged in the attached `parts`: a SELECT of each table's rows, in order."""
    services: dict[str, type] = dict.fromkeys(SERVICE_COLUMNS, str)
    tables = [("services", services, _staged_services(parts, services))]
    for table, columns, _none in _detail_tables(()):
        tables.append((table, columns, _staged_rows(parts, table, columns, "service_id, staged_rowid")))
    return tables


def _scratch(path: Path) -> sqlite3.Connection:
    """A connection to one of a build's temp files (removed with the build's parts): no journal, no sync."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def _attach_parts(conn: sqlite3.Connection, part_files: list[Path]) -> list[str]:
    """Attach the staged parts to `conn` as part0, part1, ...; returns those names."""
    names = [f"part{i}" for i in range(len(part_files))]
    for name, part_file in zip(names, part_files, strict=True):
        conn.execute(f"ATTACH DATABASE ? AS {name}", (str(part_file),))
    return names


def _filters_file(part_files: list[Path], out: Path) -> Path:
    """Build, in a new SQLite file `out`, the facet codes and filter bitmaps of the services staged in `part_files`:
    _write_facet_codes and write_filter_bitmaps run here over the same rows, with the services' rowids of the
    database (same order), by a worker while the parent writes the services tables (_copy_filters takes them)."""
    conn = _scratch(out)
    try:
        names = _attach_parts(conn, part_files)
        conn.execute("CREATE TABLE services (id TEXT PRIMARY KEY)")
        conn.execute(f"INSERT INTO services (id) {_staged_services(names, ['id'])}")
        for table in ("facets", "openings"):  # in any order: what is read from them is sorted or a set
            union = " UNION ALL ".join(f"SELECT * FROM {name}.staged_{table}" for name in names)
            conn.execute(f"CREATE TABLE {table} AS {union}")
        conn.commit()
        for name in names:
            conn.execute(f"DETACH DATABASE {name}")
        _write_facet_codes(conn)
        write_filter_bitmaps(conn)
        conn.commit()
    finally:
        conn.close()
    return out


def _full_text_file(part_files: list[Path], terms: dict[str, int], out: Path) -> Path:
    """Build, in a new SQLite file `out`, the full-text index and search prefixes of the services staged in
    `part_files` whose search terms are `terms` (_listed_file then adds the search lists): what
    _write_full_text writes in the database, built by a worker while the parent writes the other tables
    (_copy_full_text takes it from here). The services get the rowids the database gives them (same order), so the
    index's rows are the same as if built there."""
    import sqlite_utils  # deferred: slow to import, and only builds need it

    conn = _scratch(out)
    try:
        names = _attach_parts(conn, part_files)
        columns = list(schema.FTS_WEIGHTS)
        conn.execute(f"CREATE TABLE services ({', '.join(columns)})")
        conn.execute(f"INSERT INTO services {_staged_services(names, columns)}")
        conn.commit()
        for name in names:
            conn.execute(f"DETACH DATABASE {name}")
        db = sqlite_utils.Database(conn)
        _insert(db, "search_terms", schema.COLUMNS["search_terms"], terms.items())
        _write_full_text(db, lists=False)  # the parent has them scored by every worker (_listed_file)
        conn.commit()
    finally:
        conn.close()
    return out


def _listed_file(path: Path, score: Callable[[str, list[str]], _Scored]) -> Path:
    """Add the search lists to the full-text file at `path` (_full_text_file), scored by `score`."""
    conn = _scratch(path)
    try:
        write_search_lists(conn, score=score)
        conn.commit()
    finally:
        conn.close()
    return path


def _pooled_lists(
    pool: Any, path: str, matches: list[str], ways: int, died: Callable[[BaseException], Exception]
) -> _Scored:
    """_ranked_lists of `matches` on `ways` processes of `pool`: every ways-th phrase each (they come most matched
    first, so the shares are even), put back in order."""
    from concurrent.futures.process import BrokenProcessPool

    shares = [matches[i::ways] for i in range(ways)]
    futures = [pool.submit(_ranked_lists, path, share, 1, schema.LIST_DEPTH) for share in shares if share]
    try:
        done = [future.result() for future in futures]
    except BrokenProcessPool as exc:
        raise died(exc) from None
    scored: list[Any] = [None] * len(matches)
    for i, share in enumerate(done):
        scored[i::ways] = share
    return scored


POOLED_FROM = 200_000
"""_processes_lists scores on a process per core from this many matches in all, at least (each listed phrase has more
than rank.EXACT_RANKING; below: threads, no process to start)."""


def _processes_lists(path: str, matches: list[str]) -> _Scored:
    """_ranked_lists on a process per core (two cores: ~half the wall time of the threads at 100,000 services) when
    `matches` have POOLED_FROM matches or more in all, else on threads; for layer_database."""
    from concurrent.futures import ProcessPoolExecutor

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2 or not matches:
        return _ranked_lists(path, matches)
    if len(matches) * rank.EXACT_RANKING < POOLED_FROM:  # each listed phrase has more matches than that
        return _ranked_lists(path, matches)

    def died(exc: BaseException) -> NhfindError:
        return NhfindError(f"a process scoring the search lists stopped unexpectedly ({exc}): try again")

    ways = min(cores, 4)
    with ProcessPoolExecutor(ways, mp_context=_start_method()) as pool:
        return _pooled_lists(pool, path, matches, ways, died)


def _start_method() -> Any:
    """forkserver on Linux: safe in a process with threads (fork is not), and quicker to start than spawn."""
    import multiprocessing

    return multiprocessing.get_context("forkserver") if sys.platform == "linux" else None


def _write_parallel(
    data_dir: Path, files: list[Path], workers: int, path: Path, cache: Path | None
) -> tuple[Dataset, int]:
    """Read data/ on `workers` processes and write the database at `path`; returns the Dataset without services
    and the number of services. With a `cache` folder, runs of files read before (same bytes, same nhfind) are
    taken from it and the others are kept in it.

    Raises:
        DataError: the first problem in data/, as load_dataset finds it.
        NhfindError: a worker process died.
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    vocab, seed = load_vocabulary(data_dir)
    size = -(-len(files) // MAX_PARTS)
    runs = [files[i : i + size] for i in range(0, len(files), size)]
    staged = path.with_name(f"{path.name.removesuffix('.tmp')}.parts.tmp")  # replace_atomically's naming: a killed
    staged.mkdir()  # build's folder is removed by the next one
    try:
        keys = _cache_keys(data_dir, runs) if cache else []
        found = [_cached_part(cache / key) for key in keys] if cache else [None] * len(runs)
        pool = ProcessPoolExecutor(workers, mp_context=_start_method())

        def died(exc: BaseException) -> NhfindError:
            return NhfindError(f"a process reading data/ stopped unexpectedly ({exc}): run `nhfind db build` again")

        try:
            futures = {
                i: pool.submit(_read_part, run, vocab, seed, staged / f"{i}.db")
                for i, run in enumerate(runs)
                if found[i] is None
            }
            digest = sources_hash(data_dir)  # while the workers read
            try:
                parts = [found[i] or futures[i].result() for i in range(len(runs))]
            except BrokenProcessPool as exc:
                raise died(exc) from None
            seen: dict[str, str] = {}
            for part in parts:
                for record_id, shown in part.ids:
                    check_unique(record_id, shown, seen)
                if part.error:
                    raise DataError(*part.error)
            files_of = [staged / f"{i}.db" for i in range(len(runs))]
            if cache:
                files_of = [_cache_part(cache / key, files_of[i], parts[i], found[i]) for i, key in enumerate(keys)]
                _prune_cache(cache, keys)
            head = Dataset(
                vocab,
                tuple(sorted(org for part in parts for org in part.organizations)),
                (),
                digest,
                load_search_vocabulary(data_dir),
            )
            dates = [part.dates for part in parts if part.dates]
            oldest_newest = (min(d[0] for d in dates), max(d[1] for d in dates)) if dates else ("", "")
            terms = _merge_terms([_vocabulary_terms(head), *(part.terms for part in parts)])
            names = [f"part{i}" for i in range(len(runs))]
            # the facet codes and filter bitmaps, and the full-text index, are built by the workers meanwhile the
            # services tables are written here
            filtered = pool.submit(_filters_file, files_of, staged / "filters.db")
            indexed = pool.submit(_full_text_file, files_of, terms, staged / "full-text.db")

            def attached(conn: sqlite3.Connection) -> _Tables:
                for name, part_file in zip(names, files_of, strict=True):
                    conn.execute(f"ATTACH DATABASE ? AS {name}", (str(part_file),))
                return _staged_tables(names)

            def waited(future: Future[Path]) -> Callable[[], Path]:
                def result() -> Path:
                    try:
                        return future.result()
                    except BrokenProcessPool as exc:
                        raise died(exc) from None

                return result

            def listed() -> Path:
                # the search lists' bm25 passes (~2 us a match, several seconds at 100,000 services) split over
                # every worker process, idle by then, instead of the full-text worker's one core
                def score(file: str, matches: list[str]) -> _Scored:
                    return _pooled_lists(pool, file, matches, workers, died)

                return _listed_file(waited(indexed)(), score)

            services = sum(part.services for part in parts)
            _write(path, head, attached, terms, oldest_newest, services, listed, waited(filtered))
            return head, services
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


# -- the build cache (`nhfind db build --cache DIR`): each run of files staged by a worker, kept under a key of
# -- everything its rows depend on, so a rebuild reads again only the runs whose files changed. An entry is a part
# -- file KEY.db and KEY.sha256, the digest of that file: an entry that does not match it is read again, never used.

_CACHE_FORMAT = b"nhfind build cache 2\0"


def _code_digest() -> bytes:
    """The source of nhfind's core modules: an entry staged by other code is never used."""
    core = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(_CACHE_FORMAT)
    for module in sorted(core.rglob("*.py")):
        digest.update(module.relative_to(core).as_posix().encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


def _cache_keys(data_dir: Path, runs: list[list[Path]]) -> list[str]:
    """A key per run of files: nhfind's code, the vocabularies, and each file's name and bytes."""
    base = _code_digest() + hashlib.sha256((data_dir / "vocabulary.toml").read_bytes()).digest()
    keys = []
    for run in runs:
        digest = hashlib.sha256(base)
        for path in run:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        keys.append(digest.hexdigest())
    return keys


def _file_digest(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _cached_part(entry: Path) -> _Part | None:
    """The part kept under `entry`, or None when there is none or it is damaged in any way."""
    try:
        if entry.with_suffix(".sha256").read_text(encoding="ascii").strip() != _file_digest(entry.with_suffix(".db")):
            return None
        conn = sqlite3.connect(f"file:{quote(str(entry.with_suffix('.db')))}?mode=ro", uri=True)
        try:
            (found,) = conn.execute("SELECT part FROM staged_part").fetchone()
        finally:
            conn.close()
        raw = json.loads(found)
        return _Part(
            [tuple(org) for org in raw["organizations"]],
            [tuple(pair) for pair in raw["ids"]],
            {str(k): int(v) for k, v in raw["terms"].items()},
            tuple(raw["dates"]) if raw["dates"] else None,
            int(raw["services"]),
            None,
        )
    except (OSError, ValueError, TypeError, KeyError, sqlite3.Error):
        return None


def _cache_part(entry: Path, staged: Path, part: _Part, found: _Part | None) -> Path:
    """Keep the part just staged at `staged` under `entry` (unless it came from there); returns its file."""
    kept = entry.with_suffix(".db")
    if found is not None:
        return kept
    conn = sqlite3.connect(staged)
    try:
        conn.execute("CREATE TABLE staged_part (part TEXT)")
        value = {"organizations": part.organizations, "ids": part.ids, "terms": part.terms, "dates": part.dates,
                 "services": part.services}  # fmt: skip
        conn.execute("INSERT INTO staged_part VALUES (?)", (json.dumps(value),))
        conn.commit()
    finally:
        conn.close()
    digest = _file_digest(staged)
    replace_atomically(kept, lambda tmp: shutil.copyfile(staged, tmp))
    replace_atomically(entry.with_suffix(".sha256"), lambda tmp: tmp.write_text(digest + "\n", encoding="ascii"))
    return kept


def _prune_cache(cache: Path, keys: list[str]) -> None:
    """Remove the entries this build did not use: the cache holds one build's runs, not every build's."""
    for old in cache.iterdir():
        if old.suffix in (".db", ".sha256") and len(old.stem) == 64 and old.stem not in keys:
            with contextlib.suppress(OSError):
                old.unlink()


def build(data_dir: Path, out: Path, workers: int | None = None, cache: Path | None = None) -> BuildReport:
    """Validate data/ and compile it into the database at `out`, atomically.

    `workers`: processes reading data/ (default: one per core for a large data/, else none). `cache`: a folder
    where a build on several workers keeps what it read, so that the next one reads only the files that changed.

    Raises:
        DataError: a record is invalid; nothing is written and `out` is untouched.
        OSError: the file could not be written; `out` is untouched.
    """
    data_dir = Path(data_dir)
    if workers is None:
        many = sum(1 for _ in (data_dir / "organizations").glob("*.toml")) >= PARALLEL_FROM
        workers = min(os.cpu_count() or 1, MAX_PARTS) if many else 1
    if workers <= 1:
        dataset = load_dataset(data_dir)
        replace_atomically(Path(out), lambda tmp: write_database(dataset, tmp))
        return BuildReport(Path(out), len(dataset.resources), len(dataset.organizations), dataset.sources_hash)
    files = organization_files(data_dir)
    written: list[tuple[Dataset, int]] = []
    if cache is not None:
        Path(cache).mkdir(parents=True, exist_ok=True)
    replace_atomically(Path(out), lambda tmp: written.append(_write_parallel(data_dir, files, workers, tmp, cache)))
    head, services = written[0]
    return BuildReport(Path(out), services, len(head.organizations), head.sources_hash)


if __name__ == "__main__":  # `python -m nhfind.core.db.write`: build the packaged database without the CLI
    import sys

    from nhfind.core.dataset import repo_data_dir
    from nhfind.core.db.locate import PACKAGED_DB
    from nhfind.core.errors import DataError

    try:
        built = build(repo_data_dir() or Path("data"), PACKAGED_DB)
    except DataError as exc:
        sys.exit(str(exc))
    print(f"built {built.path}: {built.services} services")
