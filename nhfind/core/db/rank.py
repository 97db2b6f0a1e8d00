"""The ranked query: which services match a search and its filters, best first, and how many match in all.

Core module: pure Python (stdlib sqlite3). Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
`Filters` become SQL in one place (`conditions`), as one bitmap of services rowids built from the build's filter
bitmaps (`filter_bits`; sets of service ids for a database without them) that both forms of the query use: the
plain query over the services table, and the fast path that ranks inside the full-text index before any services
row (a few KB each, with the record JSON) is read, so that a common word at 100,000 services does not read
every match's row on every keystroke. The filter counts (nhfind.core.db.store) read the same bitmaps. A typed word's
prefix is written as the few index tokens it stands for (`whole_words`, from schema.SEARCH_PREFIXES). A search of
common words ranks from the build's impact-ordered lists (schema.SEARCH_LISTS: each word's best services by bm25 and
a bitmap of its matches) when they show the page exact; else, above EXACT_RANKING matches (EXACT_FILTERED with
filters), bm25 scores a capped candidate set.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable
from functools import partial
from itertools import repeat
from typing import Any, NamedTuple

from nhfind.core import fts
from nhfind.core.db.schema import EXACT_CANDIDATES, FTS_WEIGHTS, exact_rank
from nhfind.core.facets import SWITCHES
from nhfind.core.hours import week_minute
from nhfind.core.models import Filters

WEIGHTS = ", ".join(str(w) for w in FTS_WEIGHTS.values())
"""bm25's weights for the services_fts columns, in column order."""

_EXACT = exact_rank("s")

EXACT_RANKING = 5_000
"""Up to this many matches the fast path scores every match with bm25 (~5 ms); above, a capped candidate set. The
build lists the best services of each word held by more than this many services (schema.SEARCH_LISTS): a search
whose words all have lists ranks from them first, exactly, whatever its total (`_listed`)."""

LISTS = True
"""Rank from the impact-ordered lists (schema.SEARCH_LISTS) when the database has them; False ranks as without
them (benchmarks/run.py compares pages with full bm25 that way)."""

EXACT_FILTERED = 2_000
"""With filters, up to this many matches the filters leave are all scored with bm25 (at most EXACT_RANKING): the capped
candidate set then holds only services the filters leave, and full bm25 over the few thousand matches of a word in
one category costs more than a capped ranking of the word (docs/performance.md gives how their pages compare)."""

CANDIDATES = 300
"""Above EXACT_RANKING matches, bm25 scores a capped candidate set instead of every match: from each of TIERS, its
share of CANDIDATES of the first matches in rowid order. The build writes services shortest text first
(nhfind.core.db.write.impact_order), and bm25 ranks a shorter text higher for the same hits and a hit in a name
far higher than one in a description, so a tier's first matches are its best-scoring ones among equals. Not exact:
a service whose description repeats a common word, or a long one, can be missed. docs/performance.md gives how its
pages compare with full bm25 at 100,000 services; the relevance suite (a county's data) stays below EXACT_RANKING."""

SPAN = 85
"""The column tiers look at the shorter SPAN percent of all services only (the lower rowids): a tier that few services
fall in would otherwise walk every match of a common word to fill its share."""

TIERS: tuple[tuple[tuple[tuple[str, ...], ...], int], ...] = (
    ((("name",), ("categories", "keywords")), 100),
    ((("categories",), ("keywords",)), 50),
    ((("name",),), 30),
    ((("organization",),), 30),
    ((), 20),
)
"""The candidate tiers, most telling first: each a conjunction of column groups (FTS5 column filters; () for any
column), every group holding one of the query's phrases, and its share of CANDIDATES in percent. A service named for
the words and filed or tagged under them, one filed and tagged under them, one named for them, one whose
organization is, and the shortest of all. A tier with a column that holds none of the words is skipped
(schema.SEARCH_PREFIXES tells)."""


class Conditions(NamedTuple):
    """Filters as SQL: each a subquery of service ids that a service must (or, when `keep` is false, must not) be in,
    and, from a database with filter bitmaps, the set of rowids the filters leave (`rows`)."""

    sets: tuple[tuple[bool, str], ...] = ()
    """(keep, SELECT of service ids)."""
    params: dict[str, object] = {}
    """The named parameters of the subqueries (all start with "f_")."""
    rows: int | None = None
    """The bitmap of the services rowids the filters leave (see FilterBits); None: no bitmap (no filter, or a database
    without schema.FILTER_BITMAPS). Given to SQL as :f_rows, one byte per rowid ("1" kept, "0" not)."""

    def on_services(self, alias: str = "s") -> list[str]:
        """The conditions on a services row."""
        kept = [] if self.rows is None else [f"substr(:f_rows, {alias}.rowid + 1, 1) = x'31'"]
        return kept + [f"{alias}.id {'IN' if keep else 'NOT IN'} ({sql})" for keep, sql in self.sets]

    def on_index(self) -> list[str]:
        """The same conditions on a services_fts rowid, read from indexes only (never a services row). "+rowid"
        keeps SQLite from handing the set to FTS5 as rowid lookups (one full-text query per value); the bitmap's
        test is one byte of a blob per row (no set to build, whatever its size)."""
        kept = [] if self.rows is None else ["substr(:f_rows, rowid + 1, 1) = x'31'"]
        return kept + [
            f"+rowid {'IN' if keep else 'NOT IN'} (SELECT rowid FROM services WHERE id IN ({sql}))"
            for keep, sql in self.sets
        ]


def bitmap(rowids: Iterable[int]) -> int:
    """The bitmap of `rowids`: bit r set for each rowid r."""
    rows = rowids if isinstance(rowids, list) else list(rowids)
    if not rows:
        return 0
    flags = bytearray(b"0") * (max(rows) + 1)
    any(map(flags.__setitem__, rows, repeat(49)))  # flags[r] = "1", in C
    return from_flags(flags)


def from_flags(flags: bytearray) -> int:
    """The bitmap of a bytearray of "0"/"1" bytes, one per rowid from 0 (reversed in place)."""
    flags.reverse()
    return int(flags, 2) if flags else 0


def as_flags(bits: int) -> bytes:
    """A bitmap as one "0"/"1" byte per rowid from 0: what SQL tests with substr (see Conditions.on_index)."""
    return format(bits, "b")[::-1].encode()


def to_blob(bits: int) -> bytes:
    """A bitmap as stored (schema.FILTER_BITMAPS): the little-endian bytes of the integer."""
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def from_blob(blob: bytes | None) -> int:
    return int.from_bytes(blob or b"", "little")


def pack_ints(values: Iterable[int]) -> bytes:
    """Rowids as stored in schema.SEARCH_LISTS: little-endian int32."""
    packed = array("i", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def pack_floats(values: Iterable[float]) -> bytes:
    """Scores as stored in schema.SEARCH_LISTS: little-endian float64."""
    packed = array("d", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack(kind: str, blob: bytes) -> array[Any]:
    values = array(kind, blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def matched(conn: sqlite3.Connection, match: str) -> int:
    """The bitmap of the services matching an FTS expression: the AND of its words' bitmaps when the build listed
    them all (schema.SEARCH_LISTS), else one pass over the full-text index; no services row either way."""
    lists = _lists(conn, whole_words(conn, match).scored) if LISTS else None
    if lists is not None:
        bits = lists[0].bits
        for other in lists[1:]:
            bits &= other.bits
        return bits
    found = conn.execute("SELECT group_concat(rowid) FROM services_fts WHERE services_fts MATCH ?", [match]).fetchone()
    return bitmap(list(map(int, found[0].split(",")))) if found[0] else 0


class FilterBits(NamedTuple):
    """Filters as bitmaps of services rowids (schema.FILTER_BITMAPS), for the ranked query and the facet counts."""

    everyone: int
    """Every service."""
    chosen: dict[str, int]
    """facet -> the services carrying any of its selected values (the facets with a selection only)."""
    others: int
    """The services the other filters leave: not hidden by a switch (hide police), open at `open_at`."""
    values: dict[tuple[str, str], int]
    """(facet, value) -> its services: every value when asked for (facet counts), else the selected ones."""

    def rows(self, but: str = "") -> int:
        """The services all filters leave, ignoring facet `but`'s selection."""
        rows = self.others
        for facet, members in self.chosen.items():
            if facet != but:
                rows &= members
        return rows


def filter_bits(conn: sqlite3.Connection, filters: Filters, every_value: bool = False) -> FilterBits | None:
    """`filters` as bitmaps, read from schema.FILTER_BITMAPS (and OPEN_BITMAPS for `open_at`); None when the
    database has no such tables (built by an older nhfind) or when "open at" must be answered from the openings
    table (then `conditions` gives SQL)."""
    try:
        if every_value:
            stored = {(f, v): from_blob(b) for f, v, b in conn.execute("SELECT facet, value, bits FROM filter_bitmaps")}
        else:
            wanted = [("", "")] + [(f, v) for f, vs in filters.facet_values().items() for v in vs]
            wanted += [(s.facet, s.value) for s in SWITCHES if getattr(filters, s.field)]
            stored = {}
            for pair in dict.fromkeys(wanted):
                row = conn.execute("SELECT bits FROM filter_bitmaps WHERE facet = ? AND value = ?", pair).fetchone()
                if row is not None:
                    stored[pair] = from_blob(row[0])
        everyone = stored.pop(("", ""), None)
        if everyone is None:
            return None
        others = everyone
        if filters.open_at is not None:
            day, minute = week_minute(filters.open_at)
            row = conn.execute(
                "SELECT bits FROM open_bitmaps WHERE day = ? AND start <= ? ORDER BY start DESC LIMIT 1", [day, minute]
            ).fetchone()
            others &= from_blob(row[0] if row else None)
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return None
    for switch in SWITCHES:  # hide police: every service carrying the switch's facet value is left out
        if getattr(filters, switch.field):
            others &= ~stored.get((switch.facet, switch.value), 0)
    chosen: dict[str, int] = {}
    for facet, values in filters.facet_values().items():
        if values:
            chosen[facet] = 0
            for value in values:
                chosen[facet] |= stored.get((facet, value), 0)
    return FilterBits(everyone, chosen, others, stored)


def conditions(filters: Filters, conn: sqlite3.Connection | None = None) -> Conditions:
    """Translate `filters` into SQL, once for every query that needs them: with `conn`, as one bitmap of rowids
    when the database has filter bitmaps (filter_bits), else as subqueries of service ids."""
    if conn is not None and filters._replace(near=None).active:
        bits = filter_bits(conn, filters)
        if bits is not None:
            rows = bits.rows()
            return Conditions((), {"f_rows": as_flags(rows)}, rows)
    sets: list[tuple[bool, str]] = []
    params: dict[str, object] = {}
    wanted = [(facet, values) for facet, values in filters.facet_values().items() if values]
    if wanted:
        # One set for all facets: the first facet's rows (categories are the narrowest), each checked for the
        # others by primary-key probes.
        sql = ""
        for n, (facet, values) in enumerate(wanted):
            params[f"f_{n}"] = facet
            params.update({f"f_{n}_{i}": value for i, value in enumerate(values)})
            marks = ", ".join(f":f_{n}_{i}" for i in range(len(values)))
            if n == 0:
                sql = f"SELECT service_id FROM facets WHERE facet = :f_0 AND value IN ({marks})"
            else:
                sql += (
                    f" AND EXISTS (SELECT 1 FROM facets g WHERE g.facet = :f_{n} AND g.value IN ({marks})"
                    " AND g.service_id = facets.service_id)"
                )
        sets.append((True, sql))
    for n, switch in enumerate(SWITCHES):  # hide police: every service carrying the switch's facet value is left out
        if getattr(filters, switch.field):
            params.update({f"f_s{n}": switch.facet, f"f_s{n}_v": switch.value})
            sets.append((False, f"SELECT service_id FROM facets WHERE facet = :f_s{n} AND value = :f_s{n}_v"))
    if filters.open_at is not None:
        # an opening that started that day and covers the minute, or one that started the day before and runs past
        # midnight (Los Angeles wall clock); unknown hours have no openings rows, so never match
        day, minute = week_minute(filters.open_at)
        params.update(f_day=day, f_minute=minute, f_eve=(day - 1) % 7, f_late=minute + 24 * 60)
        sets.append(
            (
                True,
                "SELECT service_id FROM openings WHERE (day = :f_day AND opens <= :f_minute AND closes > :f_minute)"
                " OR (day = :f_eve AND closes > :f_late)",
            )
        )
    return Conditions(tuple(sets), params)


def matching(match: str, where: Conditions) -> tuple[str, dict[str, object]]:
    """FROM/WHERE of the services matching an FTS expression (or all, when empty) and the conditions, and its
    parameters."""
    params = dict(where.params)
    if match:
        sql = "FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH :match"
        params["match"] = match
    else:
        sql = "FROM services s WHERE 1"
    return sql + "".join(f" AND {clause}" for clause in where.on_services("s")), params


_PREFIXED = re.compile(r'(?<![^\s(])"((?:[^"]|"")*?)([^" ]+)" \*')
"""A quoted word or phrase whose last word is prefix-matched, as nhfind.core.fts writes it."""


_LAST_WORD = re.compile(r'(?<![^\s(])"((?:[^"]|"")*?)([^" ]+)"')
"""A quoted word or phrase, and its last word."""

_PHRASE = re.compile(r'"(?:[^"]|"")*"(?: \*)?')
"""A quoted phrase of an FTS5 expression, with its prefix mark."""


class Words(NamedTuple):
    """An FTS5 expression with its prefixes resolved (see whole_words)."""

    scored: str
    """The same services and the same bm25 scores as the expression typed: a prefix of one token is that token."""
    scanned: str
    """The same services (not the same scores): a prefix of a few tokens is their OR."""
    held: int | None = None
    """How many services match, when the expression is one token alone (else None)."""
    columns: dict[str, int] | None = None
    """At most how many services hold one of its phrases in each full-text column (absent: none), when known."""


def whole_words(conn: sqlite3.Connection, match: str) -> Words:
    """`match` with each prefix-matched word whose tokens schema.SEARCH_PREFIXES lists written as those tokens, so
    that FTS5 does not merge the token lists of the prefix in every statement; and what the table says of the
    columns its phrases are in."""
    phrases = [m.group(2) for m in _LAST_WORD.finditer(match)]
    if not phrases:
        return Words(match, match)
    marks = ", ".join("?" * len(set(phrases)))
    try:
        listed = {r[0]: (r[1].split(), r[2], r[3]) for r in conn.execute(
            f"SELECT prefix, tokens, docs, columns FROM search_prefixes WHERE prefix IN ({marks})",
            sorted(set(phrases)))}  # fmt: skip
    except sqlite3.OperationalError:  # a database built before the table existed: the prefixes as they are
        return Words(match, match)
    if not listed:
        return Words(match, match)

    def written(m: re.Match[str], scanned: bool) -> str:
        tokens = listed.get(m.group(2), ([], None, ""))[0]
        if len(tokens) == 1:
            return f'"{m.group(1)}{tokens[0]}"'
        if not (scanned and tokens):
            return m.group(0)
        # FTS5 joins a phrase to a group in parentheses by an explicit AND only
        before = "AND " if m.string[: m.start()].rstrip().endswith(('"', "*", ")")) else ""
        after = " AND" if m.string[m.end() :].lstrip().startswith(('"', "(")) else ""
        return before + fts.any_of([f'"{m.group(1)}{token}"' for token in tokens]) + after

    columns: dict[str, int] | None = {}
    for word in phrases:
        if word not in listed or columns is None:
            columns = None
            continue
        for column, n in json.loads(listed[word][2]).items():
            columns[column] = columns.get(column, 0) + n
    alone = _PREFIXED.fullmatch(match)
    held = listed.get(alone.group(2), ([], None, ""))[1] if alone and not alone.group(1) else None
    return Words(_PREFIXED.sub(partial(written, scanned=False), match),
                 _PREFIXED.sub(partial(written, scanned=True), match), held, columns)  # fmt: skip


def ranked(
    conn: sqlite3.Connection,
    match: str,
    filters: Filters,
    limit: int | None,
    offset: int = 0,
    exact: str = "",
    first: str = "",
) -> tuple[list[str], int]:
    """Record JSON of the matching services, best first, and how many match in all.

    Args:
        match: a safe FTS5 expression (see nhfind.core.fts), or "" to list everything by name.
        filters: facet filters.
        limit: at most this many records (None: all).
        offset: skip this many.
        exact: the user's text; a service or organization named exactly so comes first.
        first: an FTS5 expression whose matches rank above the other matches of `match` (all the words before
            some of them).
    """
    where = conditions(filters, conn)
    words = whole_words(conn, match) if match else Words(match, match)
    match = words.scored
    if first:  # only ever asked which services match it
        first = whole_words(conn, first).scanned
    body, params = matching(match, where)
    exact = " ".join(exact.casefold().split())
    order = f"bm25(services_fts, {WEIGHTS}), ifnull(s.phone, '') = ''," if match else ""  # a phone wins a tie
    if first:
        order = "s.rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH :first) DESC, " + order
    # With nothing typed no name is "exactly" it (the boost is 0 for every row): leaving it out lets the
    # services_by_name index give a first page without sorting every row.
    boost = f"{_EXACT} DESC," if exact else ""
    sql = f"SELECT s.record {body} ORDER BY {boost} {order} s.name, s.id LIMIT :limit OFFSET :offset"
    values = {**params, "exact": exact, "slug": "-".join(exact.split()), "first": first,
              "limit": -1 if limit is None else limit, "offset": offset}  # fmt: skip
    if match and limit is not None:
        page = _ranked_in_index(conn, where, limit, offset, {**values, "scan": words.scanned}, words)
        if page is not None:
            return page
    rows = conn.execute(sql, values).fetchall()
    # bm25() cannot sit beside a window function, so the total is its own (cheap) statement; a first page
    # shorter than the limit already is the total
    if offset == 0 and (limit is None or len(rows) < limit):
        total = len(rows)
    elif not match and where.rows is not None:  # every service the filters leave
        total = where.rows.bit_count()
    else:
        total = conn.execute(f"SELECT count(*) {body}", values).fetchone()[0]
    return [row[0] for row in rows], total


def _ranked_in_index(
    conn: sqlite3.Connection,
    where: Conditions,
    limit: int,
    offset: int,
    values: dict[str, object],
    words: Words,
) -> tuple[list[str], int] | None:
    """`ranked`'s page and total, ranking inside the FTS index before any services row is read.

    Candidates: the rows the exact-name boost lifts, the best `need` + slack rows by bm25 (and, for a relaxed search,
    the best of those matching `first`). Those are then ordered by the plain query's own terms, with their bm25
    order passed in as integers. Returns None when rows tied on bm25 may run past what was fetched (the plain query
    answers). `values` holds :match (scored with bm25) and :scan (the same services, cheaper to find).
    """
    kept = "".join(f" AND {clause}" for clause in where.on_index())
    score = f"bm25(services_fts, {WEIGHTS})"
    need = offset + limit
    fetch = need + max(need, 16)
    exact_rows = [r[0] for r in conn.execute(EXACT_CANDIDATES, values)] if values["exact"] else []
    listed = None
    if LISTS and not values["first"] and not where.sets:  # a relaxed search ORs its words: not a sum of lists
        listed = _listed(conn, where, need, words.scored, exact_rows)
    if listed is not None:
        from_lists, listed_total = listed
        return (_page(conn, from_lists, set(), values) if from_lists else []), listed_total
    total = None if where.sets or where.rows is not None else words.held  # a held total counts every service
    if total is None:
        total = conn.execute(
            f"SELECT count(*) FROM services_fts WHERE services_fts MATCH :scan{kept}", values
        ).fetchone()[0]
    relaxed = bool(values["first"]) and total > fetch
    exact_ranking = min(EXACT_RANKING, EXACT_FILTERED) if where.sets or where.rows is not None else EXACT_RANKING
    if total > exact_ranking:  # one bm25 pass over a capped candidate set, the exactly named rows among them
        candidates = _capped(conn, kept, values, fetch, relaxed, words.columns) | set(exact_rows)
        if not candidates:
            return [], total
        scored = conn.execute(
            f"SELECT rowid, {score} FROM services_fts WHERE services_fts MATCH :match{kept}"
            " AND rowid <= :last AND substr(:c, rowid + 1, 1) = x'31'",  # a byte per rowid: no set to build
            {**values, "last": max(candidates), "c": _flags(candidates)},
        ).fetchall()
        everything = dict(scored)
        scores = {r: everything[r] for r in exact_rows if r in everything}
        firsts = _matching_first(conn, values, list(everything)) if values["first"] else set()
        groups = [sorted(scored, key=lambda r: r[1])]
        if relaxed:
            groups.append([r for r in groups[0] if r[0] in firsts])
        for ranked_rows in groups:
            ranked_rows = ranked_rows[:fetch]
            if not _keep_best(ranked_rows, need, fetch, scores):
                return None
    else:
        scores = {}
        if exact_rows:
            scores.update(
                conn.execute(
                    f"SELECT rowid, {score} FROM services_fts WHERE services_fts MATCH :match{kept}"
                    " AND +rowid IN (SELECT value FROM json_each(:c))",
                    {**values, "c": json.dumps(exact_rows)},
                ).fetchall()
            )
        extras = [""]
        if relaxed:
            extras.append(" AND +rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH :first)")
        for extra in extras:
            ranked_rows = conn.execute(
                f"SELECT rowid, {score} AS score FROM services_fts WHERE services_fts MATCH :match{kept}{extra}"
                " ORDER BY score LIMIT :n",
                {**values, "n": fetch},
            ).fetchall()
            if not _keep_best(ranked_rows, need, fetch, scores):
                return None
        firsts = _matching_first(conn, values, list(scores)) if values["first"] and scores else set()
    if not scores:
        return [], total
    return _page(conn, scores, firsts, values), total


def _page(conn: sqlite3.Connection, scores: dict[int, float], firsts: set[int], values: dict[str, object]) -> list[str]:
    """Record JSON of the page among the scored rows, in the plain query's order: exactly named first, then the
    relaxed search's `firsts`, bm25 (passed in as dense integers), a phone, name and id."""
    dense = {value: i for i, value in enumerate(sorted(set(scores.values())))}
    candidates_json = json.dumps([[rowid, rowid in firsts, dense[value]] for rowid, value in scores.items()])
    rows = conn.execute(
        "SELECT s.record FROM json_each(:c) c JOIN services s ON s.rowid = json_extract(c.value, '$[0]')"
        f" ORDER BY {_EXACT} DESC, json_extract(c.value, '$[1]') DESC, json_extract(c.value, '$[2]'),"
        " ifnull(s.phone, '') = '', s.name, s.id"
        " LIMIT :limit OFFSET :offset",
        {**values, "c": candidates_json},
    ).fetchall()
    return [row[0] for row in rows]


_LISTED = re.compile(r'"([^"\s]+)"( \*)?')
"""A phrase of one word, maybe prefix-matched: what schema.SEARCH_LIST_WORDS may list."""

_ALL_LISTED = re.compile(r'"[^"\s]+"(?: \*)?(?:(?: AND | )"[^"\s]+"(?: \*)?)*')
"""An AND of such phrases (written with AND, or side by side)."""


class _List(NamedTuple):
    """A row of schema.SEARCH_LISTS (without `every`, read when needed: `_exact`)."""

    name: str
    docs: int
    depth: float
    rowids: array[int]
    scores: array[float]
    bits: int


def _lists(conn: sqlite3.Connection, scored: str) -> list[_List] | None:
    """The impact-ordered list of each phrase of `scored` (an AND of one-word phrases), in order; None when the
    expression has another shape, a phrase has no list, or the database has none or stale ones (schema.SEARCH_LISTS).
    """
    if not _ALL_LISTED.fullmatch(scored):
        return None
    keys = [m.group(1) + (m.group(2) or "") for m in _LISTED.finditer(scored)]
    marks = ", ".join("?" * len(set(keys)))
    try:
        found = {
            phrase: _List(name, docs, depth, _unpack("i", rowids), _unpack("d", scores), from_blob(bits))
            for phrase, name, docs, depth, rowids, scores, bits in conn.execute(
                "SELECT w.phrase, l.list, l.docs, l.depth, l.rowids, l.scores, l.bits FROM search_list_words w"
                f" JOIN search_lists l ON l.list = w.list WHERE w.phrase IN ({marks})",
                sorted(set(keys)),
            )
        }
        if len(found) < len(set(keys)):
            return None
        fresh = conn.execute(
            "SELECT (SELECT bits FROM search_lists WHERE list = '')"
            " = (SELECT block FROM services_fts_data WHERE id = 1)"
        ).fetchone()[0]
    except sqlite3.OperationalError:  # a database built before the lists existed
        return None
    return [found[key] for key in keys] if fresh else None


def _listed(
    conn: sqlite3.Connection, where: Conditions, need: int, scored: str, exact_rows: list[int]
) -> tuple[dict[int, float], int] | None:
    """The best `need` matches (with every match tied with the last of them) and their bm25 scores, and the total,
    from the impact-ordered lists of schema.SEARCH_LISTS; None when the lists cannot show that page exact (the
    ranked query then answers as without them).

    One phrase: its listed rows the filters leave are the page when `need` of them score better than the list's
    depth (every row not listed scores the depth or worse). Several phrases (AND): bm25 is a sum over the phrases,
    each scored as alone, so a row listed for every phrase has its exact score from the lists, one listed for some
    of them a score between bounds (a missing phrase scores between its list's depth and 0), one listed for none at
    best the sum of the depths: `_certain` finds the page, with exact scores (`_exact`, from the `every` column) for
    the rows whose bounds leave the order open. The exactly named rows that match are scored too. The total is a
    popcount of the lists' bitmaps and the filters' (no statement on the full-text index at all).
    """
    lists = _lists(conn, scored)
    if lists is None:
        return None
    matches = lists[0].bits
    for other in lists[1:]:
        matches &= other.bits
    if where.rows is not None:
        matches &= where.rows
    total = lists[0].docs if len(lists) == 1 and where.rows is None else matches.bit_count()
    if not total or need <= 0:  # nothing matches, or a page of none (the total alone)
        return {}, total
    flags = to_blob(matches)  # bit r of byte r // 8: the rows that match every phrase and pass the filters

    def passes(rowid: int) -> bool:
        return rowid >> 3 < len(flags) and flags[rowid >> 3] >> (rowid & 7) & 1 == 1

    scores: dict[int, float] = {}
    if len(lists) == 1:
        (only,) = lists
        kept: list[tuple[int, float]] = []
        for rowid, value in zip(only.rowids, only.scores, strict=True):
            if where.rows is None or passes(rowid):
                if len(kept) >= need and value != kept[need - 1][1]:
                    break
                kept.append((rowid, value))
        complete = len(kept) == total  # every match the filters leave is listed
        if not complete and (len(kept) < need or not kept[need - 1][1] < only.depth):
            return None
        scores.update(kept)
        known = dict(zip(only.rowids, only.scores, strict=True))
    else:
        per = [dict(zip(one.rowids, one.scores, strict=True)) for one in lists]
        # each candidate's score lies in [low, high]: a phrase it is not listed for scores between its list's depth
        # and 0 (summed as FTS5 sums, phrase by phrase in order; float addition is monotonic, so the bounds hold)
        bounds: dict[int, tuple[float, float]] = {}
        depths = [(one.depth, listed) for one, listed in zip(lists, per, strict=True)]
        for rowid in {r for listed in per for r in listed}:
            if rowid >> 3 < len(flags) and flags[rowid >> 3] >> (rowid & 7) & 1:  # passes(rowid), inline
                low = high = 0.0
                for depth, listed in depths:
                    got = listed.get(rowid)
                    if got is None:
                        low -= depth
                    else:
                        low -= got
                        high -= got
                bounds[rowid] = (-low, -high)
        unseen = 0.0  # every row listed for no phrase scores at least this
        for one in lists:
            unseen += -one.depth
        found = _certain(bounds, need, -unseen, total, partial(_exact, conn, lists, per))
        if found is None:
            return None
        scores.update(found)
        known = {rowid: low for rowid, (low, high) in bounds.items() if low == high}
    named = [r for r in exact_rows if passes(r)]  # the exactly named rows that match: scored too
    missing = [r for r in named if r not in known]
    scores.update((r, known[r]) for r in named if r in known)
    if missing:
        scores.update(_exact(conn, lists, [dict(zip(one.rowids, one.scores, strict=True)) for one in lists], missing))
    return scores, total


def _exact(
    conn: sqlite3.Connection, lists: list[_List], per: list[dict[int, float]], rowids: list[int]
) -> list[tuple[int, float]]:
    """The bm25 scores of `rowids` (each matching every phrase) for the AND of the lists' phrases: each phrase's
    score from its list, else from its `every` column, summed as FTS5 sums them (phrase by phrase, in order), which
    gives SQLite's own score to the last bit."""
    names = sorted({one.name for one, listed in zip(lists, per, strict=True) if any(r not in listed for r in rowids)})
    every = {
        name: _unpack("d", blob)
        for name, blob in conn.execute(
            f"SELECT list, every FROM search_lists WHERE list IN ({', '.join('?' * len(names))})", names
        )
    }
    found = []
    for rowid in rowids:
        below = (1 << rowid) - 1
        gain = 0.0
        for one, listed in zip(lists, per, strict=True):
            value = listed.get(rowid)
            gain -= every[one.name][(one.bits & below).bit_count()] if value is None else value
        found.append((rowid, -gain))
    return found


def _certain(
    bounds: dict[int, tuple[float, float]],
    need: int,
    unseen: float,
    total: int,
    score: Callable[[list[int]], list[tuple[int, float]]],
) -> dict[int, float] | None:
    """The best `need` rows (and any tied with them) among the candidates' score bounds (rowid -> [low, high]; low ==
    high when exact), each with a value that orders them as their scores do; None when rows not among the
    candidates (scoring `unseen` or worse) may reach the page. Rows whose bounds overlap another's on the page, or
    every inexact row of the page when unlisted rows may reach it, get their exact `score` (`bounds` is updated)."""
    for _round in range(3):
        by_low = sorted(bounds.items(), key=lambda item: item[1][0])
        if len(by_low) < need and len(by_low) < total:
            return None
        page = by_low[:need]
        cutoff = max(high for _rowid, (_low, high) in page)
        while len(page) < len(by_low) and by_low[len(page)][1][0] <= cutoff:  # rows that may tie or beat the page
            cutoff = max(cutoff, by_low[len(page)][1][1])
            page = by_low[: len(page) + 1]
        loose = []
        if len(bounds) < total and not cutoff < unseen:  # unlisted rows may reach the page, unless its bounds close
            loose = [rowid for rowid, (low, high) in page if low != high]
            if not loose:
                return None
        reach = float("-inf")  # overlapping bounds leave the order open: such rows not yet exact are scored
        for i, (rowid, (low, high)) in enumerate(page if not loose else ()):
            after = page[i + 1][1][0] if i + 1 < len(page) else float("inf")
            if low != high and (reach >= low or high >= after):
                loose.append(rowid)
            reach = max(reach, high)
        if not loose:
            return {rowid: low for rowid, (low, _high) in page}
        for rowid, value in score(loose):
            bounds[rowid] = (value, value)
    return None


def _flags(rowids: set[int]) -> bytes:
    """`rowids` as one "0"/"1" byte per rowid from 0, up to the last of them (see Conditions.on_index)."""
    flags = bytearray(b"0") * (max(rowids) + 1)
    any(map(flags.__setitem__, rowids, repeat(49)))  # flags[r] = "1", in C
    return bytes(flags)


def _keep_best(ranked_rows: list[tuple[int, float]], need: int, fetch: int, scores: dict[int, float]) -> bool:
    """Add to `scores` the best `need` of `ranked_rows` (best first, at most `fetch`) and every row tied with the
    last of them; False when that tie may run past the rows fetched."""
    if len(ranked_rows) == fetch and ranked_rows[need - 1][1] == ranked_rows[-1][1]:
        return False
    cut = ranked_rows[need - 1][1] if len(ranked_rows) == fetch else None
    scores.update(ranked_rows if cut is None else [r for r in ranked_rows if r[1] <= cut])
    return True


def _matching_first(conn: sqlite3.Connection, values: dict[str, object], rowids: list[int]) -> set[int]:
    """Which of `rowids` match the relaxed search's `first` expression."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM services_fts WHERE services_fts MATCH :first"
            " AND +rowid IN (SELECT value FROM json_each(:c))",
            {"first": values["first"], "c": json.dumps(rowids)},
        )
    }


def _capped(
    conn: sqlite3.Connection,
    kept: str,
    values: dict[str, object],
    fetch: int,
    relaxed: bool,
    columns: dict[str, int] | None,
) -> set[int]:
    """The capped candidate set (see CANDIDATES, SPAN and TIERS): each tier's scan walks the full-text index in rowid
    order and stops after its share of CANDIDATES rows; the tier of any column takes at least `fetch` rows, from all
    services, so that a page is never short of matches. A tier with a column that holds none of the words is skipped
    (its scan would walk every match). For a relaxed search, the tiers again among the matches of `first`."""
    candidates: set[int] = set()
    scan = str(values["scan"])
    bound = ""
    if SPAN:  # services are in rowid order, shortest text first (write.impact_order)
        last = conn.execute("SELECT max(rowid) FROM services").fetchone()[0] or 0
        bound = f" AND rowid <= {int(last) * SPAN // 100}"
    phrases = _PHRASE.findall(scan)
    some = f"({' OR '.join(phrases)})"
    alone = scan in (some, *(phrases if len(phrases) == 1 else ()))  # "{name} : x" needs no "x AND" (slower)
    tiers = [
        (tier, share)
        for tier, share in TIERS
        if columns is None or all(any(columns.get(c, 0) for c in group) for group in tier)
    ]
    for extra in ("", " AND +rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH :first)")[: 1 + relaxed]:
        for tier, share in tiers:
            match = " AND ".join(
                [*([] if alone and tier else [f"({scan})"]), *(f"{{{' '.join(group)}}} : {some}" for group in tier)]
            )
            k = max(1, CANDIDATES * share // 100) if tier else max(CANDIDATES * share // 100, fetch)
            candidates.update(
                row[0]
                for row in conn.execute(
                    f"SELECT rowid FROM services_fts WHERE services_fts MATCH :tier{kept}{bound if tier else ''}"
                    f"{extra} ORDER BY rowid LIMIT :k",
                    {**values, "tier": match, "k": k},
                )
            )
    return candidates
