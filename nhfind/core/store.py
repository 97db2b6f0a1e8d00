"""Read-only access to the database: the only home of the SQL that answers queries.

Core module: pure Python (stdlib sqlite3 on the read path: sqlite-utils costs 150 ms to import, which a one-shot
CLI lookup cannot afford; builds use sqlite-utils). Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Every call opens one short-lived read-only connection (`mode=ro`, `check_same_thread=False`, so Textual workers
can use it) and closes it before returning: a database replaced on disk is seen by the next call.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
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
    """A database file opened read-only, one connection per call."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _fail(self, problem: str) -> DatabaseError:
        return DatabaseError(
            f"{self.path} {problem}: rebuild it with `nhfind db build`, reinstall nhfind, or pick another with --db"
        )

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection, checked for our schema version, closed on exit."""
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
                clauses.append(
                    f"s.id IN (SELECT service_id FROM facets WHERE facet = ? AND value IN ({marks}))"
                )
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
        sql = f"SELECT s.record {body} ORDER BY {_EXACT} DESC, {order} s.name, s.id LIMIT :limit OFFSET :offset"
        values = {**{f"p{i}": v for i, v in enumerate(params, 1)}, "exact": exact, "slug": "-".join(exact.split()),
                  "first": first, "limit": -1 if limit is None else limit, "offset": offset}  # fmt: skip
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
        """The search vocabulary: (phrase, expansion) synonyms, stop words and (term, weight) correction terms.

        A database built before these tables existed gives empty lists: searches then work without synonyms.
        """
        with self.connect() as conn:
            try:
                synonyms = conn.execute("SELECT phrase, expansion FROM search_synonyms ORDER BY 1, 2").fetchall()
                stops = [r[0] for r in conn.execute("SELECT word FROM search_stop_words ORDER BY 1")]
                terms = conn.execute("SELECT term, weight FROM search_terms ORDER BY 1").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return [], [], []
        return synonyms, stops, terms

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
