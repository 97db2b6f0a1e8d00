"""Read-only access to the database: the only home of the SQL that answers queries.

Core module: pure Python (stdlib sqlite3 on the read path: sqlite-utils costs 150 ms to import, which a one-shot
CLI lookup cannot afford; builds use sqlite-utils). Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Every call opens one short-lived read-only connection (`mode=ro`, `check_same_thread=False`, so Textual workers
can use it) and closes it before returning: a database replaced on disk is seen by the next call. Inside
`Store.session()` the calls of one thread share one connection instead (a search makes several).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from nhfind.core.errors import DatabaseError
from nhfind.core.hours import week_minute
from nhfind.core.models import FACETS, SCHEMA_VERSION, Filters

_WEIGHTS = "10.0, 8.0, 3.0, 4.0, 1.0"
"""bm25 weights for the FTS columns name, organization, categories, keywords, description: what a service is
called counts most, then what it is filed under and the words people use for it, then how we describe it."""

_EXACT = (
    "(CASE WHEN lower(s.name) = :exact OR s.id = :slug"
    " OR lower(substr(s.name, 1, instr(s.name || ' (', ' (') - 1)) = :exact THEN 3"
    " WHEN length(:exact) >= 3 AND substr(lower(s.name), 1, length(:exact) + 1) IN (:exact || ' ', :exact || ':')"
    " THEN 2"
    " WHEN lower(s.organization) = :exact"
    " OR lower(substr(s.organization, 1, instr(s.organization || ' (', ' (') - 1)) = :exact THEN 1"
    " ELSE 0 END)"
)
"""How exactly a service is named what was typed, best first: 3 its name (with or without the part in parentheses:
"calfresh" is "CalFresh (food benefits, EBT)") or its id; 2 its name begins with the typed words ("loaves &
fishes" is "Loaves & Fishes dining room"); 1 its organization's name; 0 none of these."""


def _open_clause(when: dt.datetime) -> tuple[str, list[str]]:
    """Services with an opening that covers `when` (Los Angeles wall clock): one that started that day, or one
    that started the day before and runs past midnight. Unknown hours have no openings rows, so never match."""
    day, minute = week_minute(when)
    clause = (
        "s.id IN (SELECT service_id FROM openings WHERE"
        " (day = CAST(? AS INTEGER) AND opens <= CAST(? AS INTEGER) AND closes > CAST(? AS INTEGER))"
        " OR (day = CAST(? AS INTEGER) AND closes > CAST(? AS INTEGER)))"
    )
    return clause, [str(day), str(minute), str(minute), str((day - 1) % 7), str(minute + 24 * 60)]


class Store:
    """A database file opened read-only, one connection per call (or per `session()`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._session = threading.local()
        """The connection of this thread's open `session()`, if any."""

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _fail(self, problem: str) -> DatabaseError:
        return DatabaseError(
            f"{self.path} {problem}: rebuild it with `nhfind db build`, reinstall nhfind, or pick another with --db"
        )

    @contextmanager
    def session(self) -> Iterator[None]:
        """Make the calls inside (from this thread) share one connection.

        Opening a connection costs more than a small query (SQLite reads the whole schema on its first statement,
        ~0.2 ms here), and one search makes several: its vocabulary, the ranked page, counts, corrections. Calls
        outside a session, and other threads, keep their own connections. Sessions nest: the outer one holds.
        """
        if getattr(self._session, "conn", None) is not None:
            yield
            return
        with self._open() as conn:
            self._session.conn = conn
            try:
                yield
            finally:
                self._session.conn = None

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's session connection, or a new read-only one checked for our schema version, closed on exit."""
        held = getattr(self._session, "conn", None)
        if held is not None:
            yield held
            return
        with self._open() as conn:
            yield conn

    @contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        if not self.path.is_file():
            raise DatabaseError(
                f"no database at {self.path}: run `nhfind db build`, or point --db / NHFIND_DB at an nhfind database"
            )
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=2.0)
        except sqlite3.Error as exc:
            raise self._fail(f"cannot be opened ({exc})") from None
        try:
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise DatabaseError(f"{self.path} is locked by another program: try again in a moment") from None
                raise self._fail("is not an nhfind database (no meta table)") from None
            except sqlite3.DatabaseError as exc:
                raise self._fail(f"is damaged or not SQLite ({exc})") from None
            if row is None or row[0] != str(SCHEMA_VERSION):
                found = row[0] if row else "none"
                raise self._fail(f"has schema version {found}, this nhfind reads version {SCHEMA_VERSION}")
            yield conn
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"is damaged ({exc})") from None
        finally:
            conn.close()

    # -- metadata and vocabulary --------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self.connect() as conn:
            return dict(conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    def vocabulary_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(facet, value, label, meaning, open_eligibility) for every value a filter can take."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT facet, value, label, meaning, open_eligibility FROM vocabulary ORDER BY facet, value"
            ).fetchall()

    def integrity(self) -> list[str]:
        """PRAGMA integrity_check: ["ok"] when the file is sound."""
        with self.connect() as conn:
            return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]

    def counts(self) -> dict[str, int]:
        """Rows per table, for `db info` and `db check`."""
        tables = ("services", "organizations", "phones", "facets", "sources", "services_fts")
        with self.connect() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}

    # -- records ------------------------------------------------------------------------------------------------

    def records(self, ids: Sequence[str]) -> dict[str, str]:
        """id -> stored record JSON for the ids that exist."""
        if not ids:
            return {}
        with self.connect() as conn:
            marks = ",".join("?" * len(ids))
            return dict(conn.execute(f"SELECT id, record FROM services WHERE id IN ({marks})", list(ids)).fetchall())

    def all_ids(self) -> list[str]:
        with self.connect() as conn:
            return [row[0] for row in conn.execute("SELECT id FROM services ORDER BY id")]

    def organizations(self) -> list[tuple[str, str, str]]:
        """(id, name, description) of every organization, for layering an overlay over this database."""
        with self.connect() as conn:
            return conn.execute("SELECT id, name, description FROM organizations ORDER BY id").fetchall()

    def names(self) -> list[tuple[str, str]]:
        """(id, name) of every service, for "did you mean"."""
        with self.connect() as conn:
            return conn.execute("SELECT id, name FROM services ORDER BY id").fetchall()

    # -- searching ----------------------------------------------------------------------------------------------

    @staticmethod
    def _where(filters: Filters) -> tuple[list[str], list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        for facet, values in filters.facet_values().items():
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"s.id IN (SELECT service_id FROM facets WHERE facet = ? AND value IN ({marks}))")
                params.extend([facet, *values])
        if filters.exclude_law_enforcement:
            clauses.append("s.confidentiality != 'law-enforcement'")
        if filters.open_at is not None:
            clause, values = _open_clause(filters.open_at)
            clauses.append(clause)
            params.extend(values)
        return clauses, params

    def _matching(self, match: str, filters: Filters) -> tuple[str, list[str]]:
        """FROM/WHERE of the services matching an FTS expression (or all, when empty) and the filters."""
        clauses, params = self._where(filters)
        if match:
            sql = "FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH ?"
            params = [match, *params]
        else:
            sql = "FROM services s WHERE 1"
        for clause in clauses:
            sql += f" AND {clause}"
        return sql, params

    def search(
        self, match: str, filters: Filters, limit: int | None, offset: int = 0, exact: str = "", first: str = ""
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
        with self.connect() as conn:
            return self._ranked(conn, match, filters, limit, offset, exact, first)

    def search_or_relax(
        self,
        match: str,
        relaxed: str,
        few: int,
        filters: Filters,
        limit: int | None,
        offset: int = 0,
        exact: str = "",
        relax_empty: bool = True,
    ) -> tuple[list[str], int, bool]:
        """`search(match)`; when it finds fewer than `few` services, `relaxed` with the matches of `match` first.

        One connection for both, since a few words typed often match few services. With `relax_empty` false, a
        `match` that finds nothing at all is not relaxed (the caller looks for typos first). Returns the records,
        the total, and whether the relaxed expression gave them.
        """
        with self.connect() as conn:
            records, total = self._ranked(conn, match, filters, limit, offset, exact, "")
            if relaxed and total < few and (total or relax_empty):
                more, more_total = self._ranked(conn, relaxed, filters, limit, offset, exact, match)
                if more_total > total:
                    return more, more_total, True
        return records, total, False

    def _ranked(
        self,
        conn: sqlite3.Connection,
        match: str,
        filters: Filters,
        limit: int | None,
        offset: int,
        exact: str,
        first: str,
    ) -> tuple[list[str], int]:
        body, params = self._matching(match, filters)
        body = _numbered(body)  # positional ? become :p1, :p2 ... so the named parameters below can join them
        exact = " ".join(exact.casefold().split())
        order = f"bm25(services_fts, {_WEIGHTS})," if match else ""
        if first:
            order = "s.rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH :first) DESC, " + order
        # With nothing typed no name is "exactly" it (_EXACT is 0 for every row): leaving it out lets the
        # services_by_name index give a first page without sorting every row.
        boost = f"{_EXACT} DESC," if exact else ""
        sql = f"SELECT s.record {body} ORDER BY {boost} {order} s.name, s.id LIMIT :limit OFFSET :offset"
        values = {**{f"p{i}": v for i, v in enumerate(params, 1)}, "exact": exact, "slug": "-".join(exact.split()),
                  "first": first, "limit": -1 if limit is None else limit, "offset": offset}  # fmt: skip
        fast = _index_filters(filters) if match and limit is not None else None
        if fast is not None and limit is not None:
            page = _ranked_in_index(conn, match, fast, limit, offset, values)
            if page is not None:
                return page
        rows = conn.execute(sql, values).fetchall()
        # bm25() cannot sit beside a window function, so the total is its own (cheap) statement; a first page
        # shorter than the limit already is the total
        if offset == 0 and (limit is None or len(rows) < limit):
            total = len(rows)
        else:
            total = conn.execute(f"SELECT count(*) {body}", values).fetchone()[0]
        return [row[0] for row in rows], total

    def matches_each(self, matches: Sequence[str]) -> list[bool]:
        """For each FTS expression, whether it matches any service at all (one statement for all of them)."""
        if not matches:
            return []
        probes = ", ".join("EXISTS (SELECT 1 FROM services_fts WHERE services_fts MATCH ?)" for _ in matches)
        with self.connect() as conn:
            return [bool(v) for v in conn.execute(f"SELECT {probes}", list(matches)).fetchone()]

    def plain_search_ids(self, match: str, limit: int) -> list[str]:
        """Ids ranked by unweighted bm25 alone: the plain full-text baseline the relevance suite compares with."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT s.id FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH ?"
                " ORDER BY bm25(services_fts), s.id LIMIT ?",
                [match, limit],
            ).fetchall()
        return [row[0] for row in rows]

    def lexicon_rows(self) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, int]]]:
        """The whole search vocabulary: (phrase, expansion) synonyms, stop words and (term, weight) correction terms
        (a database built before these tables existed gives empty lists)."""
        with self.connect() as conn:
            try:
                synonyms = conn.execute("SELECT phrase, expansion FROM search_synonyms ORDER BY 1, 2").fetchall()
                stops = [r[0] for r in conn.execute("SELECT word FROM search_stop_words ORDER BY 1")]
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return [], [], []
        return synonyms, stops, self.correction_term_rows()

    def phrase_rows(self, words: Sequence[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """The part of the search vocabulary a query needs: (phrase, expansion) synonyms of every run of `words`,
        and which of `words` are stop words. Reads a few index entries rather than the whole vocabulary.

        A database built before these tables existed gives empty lists: searches then work without synonyms.
        """
        runs = sorted({" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)})
        with self.connect() as conn:
            try:
                synonyms = conn.execute(
                    "SELECT phrase, expansion FROM search_synonyms"
                    " WHERE phrase IN (SELECT value FROM json_each(?)) ORDER BY 1, 2",
                    [json.dumps(runs)],
                ).fetchall()
                stops = conn.execute(
                    "SELECT word FROM search_stop_words WHERE word IN (SELECT value FROM json_each(?)) ORDER BY 1",
                    [json.dumps(sorted(set(words)))],
                ).fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return [], []
        return synonyms, [row[0] for row in stops]

    def correction_term_rows(self) -> list[tuple[str, int]]:
        """(term, weight) of every word typos are corrected to: read only when a search finds nothing (the table
        grows with the data: ~1,000 rows bundled, far more at 100,000 services)."""
        with self.connect() as conn:
            try:
                return conn.execute("SELECT term, weight FROM search_terms ORDER BY 1").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return []

    def facet_counts(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet -> value -> how many of the matching services carry it."""
        body, params = self._matching(match, filters)
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        with self.connect() as conn:
            rows = conn.execute(
                f"SELECT facet, value, count(*) FROM facets WHERE service_id IN (SELECT s.id {body})"
                " GROUP BY facet, value ORDER BY facet, value",
                params,
            ).fetchall()
        for facet, value, count in rows:
            counts.setdefault(facet, {})[value] = count
        return counts


def _numbered(sql: str) -> str:
    """`sql` with its positional ? marks named :p1, :p2 ... so that named parameters can be added beside them."""
    parts = sql.split("?")
    return "".join(p + (f":p{i}" if i < len(parts) else "") for i, p in enumerate(parts, 1))


# -- the ranked query at scale ------------------------------------------------------------------------------------
# The plain ranked query joins every match to its services row (a few KB each, with the record JSON) before
# ranking: at 100,000 services a common word reads ~50,000 rows per keystroke. The functions below answer the same
# query reading only the FTS index and other indexes until the page is known, then read the page's rows.

_EXACT_CANDIDATES = (
    "SELECT rowid FROM services WHERE lower(name) = :exact"
    " UNION SELECT rowid FROM services WHERE id = :slug"
    " UNION SELECT rowid FROM services WHERE lower(substr(name, 1, instr(name || ' (', ' (') - 1)) = :exact"
    " UNION SELECT rowid FROM services WHERE length(:exact) >= 3"
    " AND lower(name) >= :exact || ' ' AND lower(name) < :exact || '!'"
    " UNION SELECT rowid FROM services WHERE length(:exact) >= 3"
    " AND lower(name) >= :exact || ':' AND lower(name) < :exact || ';'"
    " UNION SELECT rowid FROM services WHERE lower(organization) = :exact"
    " UNION SELECT rowid FROM services WHERE"
    " lower(substr(organization, 1, instr(organization || ' (', ' (') - 1)) = :exact"
)
"""Every row _EXACT ranks above 0, one indexed lookup per case (the build indexes these expressions): keep the two
in step. A prefix "x " or "x:" is the range [x + ' ', x + '!') or [x + ':', x + ';')."""


def _index_filters(filters: Filters) -> tuple[list[str], list[str]] | None:
    """Store._where's conditions on services_fts.rowid, read from indexes only (never a services row); None when
    a condition is not translated here (then the plain query runs, so a new filter is never silently dropped)."""
    clauses: list[str] = []
    params: list[str] = []
    wanted = [(facet, values) for facet, values in filters.facet_values().items() if values]
    if wanted:
        # One set for all facets: the first facet's rows (categories are the narrowest), each checked for the
        # others by primary-key probes, mapped to rowids by the id index. "+rowid" keeps SQLite from handing the
        # set to FTS5 as rowid lookups (one full-text query per value).
        (facet, values), others = wanted[0], wanted[1:]
        sql = f"SELECT service_id FROM facets WHERE facet = ? AND value IN ({','.join('?' * len(values))})"
        params.extend([facet, *values])
        for facet, values in others:
            sql += (
                " AND EXISTS (SELECT 1 FROM facets g WHERE g.facet = ? AND g.value IN"
                f" ({','.join('?' * len(values))}) AND g.service_id = facets.service_id)"
            )
            params.extend([facet, *values])
        clauses.append(f"+rowid IN (SELECT rowid FROM services WHERE id IN ({sql}))")
    if filters.exclude_law_enforcement:
        # services.confidentiality and the confidentiality facet hold the same one value (build.py).
        clauses.append(
            "+rowid NOT IN (SELECT rowid FROM services WHERE id IN"
            " (SELECT service_id FROM facets WHERE facet = 'confidentiality' AND value = 'law-enforcement'))"
        )
    if filters.open_at is not None:
        clause, values = _open_clause(filters.open_at)
        clauses.append(clause.replace("s.id IN", "+rowid IN (SELECT rowid FROM services WHERE id IN", 1) + ")")
        params.extend(values)
    return (clauses, params) if len(clauses) == len(Store._where(filters)[0]) - len(wanted) + bool(wanted) else None


def _ranked_in_index(
    conn: sqlite3.Connection,
    match: str,
    fast: tuple[list[str], list[str]],
    limit: int,
    offset: int,
    values: dict[str, object],
) -> tuple[list[str], int] | None:
    """Store._ranked's page and total, ranking inside the FTS index before any services row is read.

    Candidates: the rows _EXACT boosts, the best `need` + slack rows by bm25 (and, for a relaxed search, the best
    of those matching `first`). Those are then ordered by the plain query's own terms, with their bm25 order passed
    in as integers. Returns None when rows tied on bm25 may run past what was fetched (the plain query answers).
    """
    where = _numbered(" AND ".join(["services_fts MATCH ?", *fast[0]]))
    args = {**{f"p{i}": v for i, v in enumerate([match, *fast[1]], 1)}}
    score = f"bm25(services_fts, {_WEIGHTS})"
    total = conn.execute(f"SELECT count(*) FROM services_fts WHERE {where}", args).fetchone()[0]
    need = offset + limit
    fetch = need + max(need, 16)
    scores: dict[int, float] = {}
    exact_rows = [r[0] for r in conn.execute(_EXACT_CANDIDATES, values)] if values["exact"] else []
    if exact_rows:
        scores.update(
            conn.execute(
                f"SELECT rowid, {score} FROM services_fts WHERE {where}"
                " AND +rowid IN (SELECT value FROM json_each(:c))",
                {**args, "c": json.dumps(exact_rows)},
            ).fetchall()
        )
    groups = [""]
    if values["first"] and total > fetch:
        groups.append(" AND +rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH :first)")
    for extra in groups:
        ranked = conn.execute(
            f"SELECT rowid, {score} AS score FROM services_fts WHERE {where}{extra} ORDER BY score LIMIT :n",
            {**args, "first": values["first"], "n": fetch},
        ).fetchall()
        if len(ranked) == fetch and ranked[need - 1][1] == ranked[-1][1]:
            return None
        scores.update(ranked if len(ranked) < fetch else [r for r in ranked if r[1] <= ranked[need - 1][1]])
    if not scores:
        return [], total
    dense = {value: i for i, value in enumerate(sorted(set(scores.values())))}
    firsts: set[int] = set()
    if values["first"]:
        firsts = {
            r[0]
            for r in conn.execute(
                "SELECT rowid FROM services_fts WHERE services_fts MATCH :first"
                " AND +rowid IN (SELECT value FROM json_each(:c))",
                {"first": values["first"], "c": json.dumps(list(scores))},
            )
        }
    candidates = json.dumps([[rowid, rowid in firsts, dense[value]] for rowid, value in scores.items()])
    rows = conn.execute(
        "SELECT s.record FROM json_each(:c) c JOIN services s ON s.rowid = json_extract(c.value, '$[0]')"
        f" ORDER BY {_EXACT} DESC, json_extract(c.value, '$[1]') DESC, json_extract(c.value, '$[2]'), s.name, s.id"
        " LIMIT :limit OFFSET :offset",
        {**values, "c": candidates},
    ).fetchall()
    return [row[0] for row in rows], total
