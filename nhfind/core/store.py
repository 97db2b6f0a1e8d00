"""Read-only access to the database: the only home of the SQL that answers queries.

Core module: pure Python (stdlib sqlite3 on the read path: sqlite-utils costs 150 ms to import, which a one-shot
CLI lookup cannot afford; builds use sqlite-utils). Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Every call opens one short-lived read-only connection (`mode=ro`, `check_same_thread=False`, so Textual workers
can use it) and closes it before returning: a database replaced on disk is seen by the next call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from nhfind.core.errors import DatabaseError
from nhfind.core.models import FACETS, SCHEMA_VERSION, Filters

_WEIGHTS = "10.0, 8.0, 3.0, 5.0, 1.0"
"""bm25 weights for the FTS columns name, organization, categories, keywords, description."""


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
        self, match: str, filters: Filters, limit: int | None, offset: int = 0, exact: str = ""
    ) -> tuple[list[str], int]:
        """Record JSON of the matching services, best first, and how many match in all.

        Args:
            match: a safe FTS5 expression (see nhfind.core.fts), or "" to list everything by name.
            filters: facet filters.
            limit: at most this many records (None: all).
            offset: skip this many.
            exact: the user's text; a service or organization named exactly so comes first.
        """
        body, params = self._matching(match, filters)
        order = f"bm25(services_fts, {_WEIGHTS})," if match else ""
        # With no text, exact is "" and no (non-empty) name equals it: leaving the term out changes no order and
        # lets the services_by_name index give the first page without sorting every row.
        first = "(lower(s.name) = lower(?) OR lower(s.organization) = lower(?)) DESC," if exact else ""
        sql = f"SELECT s.record {body} ORDER BY {first} {order} s.name, s.id LIMIT ? OFFSET ?"
        with self.connect() as conn:
            fast = self._rowid_filters(filters) if match else None
            if fast is not None and limit is not None:
                page = self._ranked_page(conn, match, fast, limit, offset, exact)
                if page is not None:
                    return page
            if fast is not None and not fast[0]:
                # Every FTS row has its services row (one build writes both): count the index alone.
                total = conn.execute("SELECT count(*) FROM services_fts WHERE services_fts MATCH ?", [match]).fetchone()[0]
            else:
                total = conn.execute(f"SELECT count(*) {body}", params).fetchone()[0]
            ranked_params = [*params, *((exact, exact) if exact else ()), -1 if limit is None else limit, offset]
            rows = conn.execute(sql, ranked_params).fetchall()
        return [row[0] for row in rows], total

    @staticmethod
    def _rowid_filters(filters: Filters) -> tuple[list[str], list[str]] | None:
        """The filters of `_where` as conditions on services_fts.rowid that read only indexes, never the (large)
        services rows; None when `_where` holds a condition not translated here (then the plain query runs)."""
        clauses: list[str] = []
        params: list[str] = []
        wanted = [(facet, values) for facet, values in filters.facet_values().items() if values]
        if wanted:
            # One set for all facets: the first facet's rows (categories are the narrowest), each checked for the
            # other facets by primary-key probes, then mapped to rowids through the id index. "+rowid" keeps
            # SQLite from handing the set to FTS5 as rowid lookups (one full-text query per value).
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
        translated = len(wanted) + filters.exclude_law_enforcement
        return (clauses, params) if translated == len(Store._where(filters)[0]) else None

    @staticmethod
    def _ranked_page(
        conn: sqlite3.Connection, match: str, fast: tuple[list[str], list[str]], limit: int, offset: int, exact: str
    ) -> tuple[list[str], int] | None:
        """The page of the ranked query and the total, ranking inside the FTS index before reading services rows.

        Same order as the plain query (exact name first, then bm25, name, id): the exact-name rows come from
        indexes on lower(name) and lower(organization); the rest are the best `need` + slack rows by bm25 alone,
        then sorted in full. When rows tied on bm25 may run past what was fetched, returns None (the plain
        query answers).
        """
        where = " AND ".join(["services_fts MATCH ?", *fast[0]])
        params: list[object] = [match, *fast[1]]
        score = f"bm25(services_fts, {_WEIGHTS})"
        exact_ids: set[int] = set()
        if exact:
            exact_ids = {
                row[0]
                for row in conn.execute(
                    "SELECT rowid FROM services WHERE lower(name) = lower(?)"
                    " UNION SELECT rowid FROM services WHERE lower(organization) = lower(?)",
                    [exact, exact],
                )
            }
        scores: dict[int, float] = {}
        if exact_ids:
            marks = ",".join("?" * len(exact_ids))
            scores.update(
                conn.execute(
                    f"SELECT rowid, {score} FROM services_fts WHERE {where} AND rowid IN ({marks})",
                    [*params, *exact_ids],
                ).fetchall()
            )
        exact_ids &= scores.keys()
        need = max(0, offset + limit - len(exact_ids))
        fetch = need + len(exact_ids) + max(need, 16)
        # Every FTS row has its services row (one build writes both), so the count needs the index alone.
        total = conn.execute(f"SELECT count(*) FROM services_fts WHERE {where}", params).fetchone()[0]
        ranked = conn.execute(
            f"SELECT rowid, {score} AS score FROM services_fts WHERE {where} ORDER BY score LIMIT ?", [*params, fetch]
        ).fetchall()
        rest = [(rowid, value) for rowid, value in ranked if rowid not in exact_ids]
        if len(ranked) == fetch and need:
            if need > len(rest) or rest[need - 1][1] == rest[-1][1]:
                return None
            cut = rest[need - 1][1]
            rest = [(rowid, value) for rowid, value in rest if value <= cut]
        elif len(ranked) == fetch:
            rest = []
        scores.update(rest)
        if not scores:
            return [], total
        marks = ",".join("?" * len(scores))
        rows = conn.execute(f"SELECT rowid, name, id, record FROM services WHERE rowid IN ({marks})", list(scores))
        ordered = sorted(rows, key=lambda r: (r[0] not in exact_ids, scores[r[0]], r[1], r[2]))
        return [row[3] for row in ordered[offset : offset + limit]], total

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
