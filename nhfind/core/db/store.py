"""Read-only access to one database file: connections and plain reads. Ranking lives in nhfind.core.db.rank.

Core module: pure Python (stdlib sqlite3 on the read path: sqlite-utils is slow to import, which a one-shot CLI
lookup cannot afford; builds use sqlite-utils). Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

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
from typing import Any
from urllib.parse import quote

from nhfind.core.db import rank
from nhfind.core.db.schema import COUNTED_TABLES
from nhfind.core.errors import DatabaseError
from nhfind.core.facets import FACETS, TABLE
from nhfind.core.models import SCHEMA_VERSION, Filters, Vocabulary

LOCK_WAIT = 2.0
"""Seconds a reader waits for a writer holding the database (a build or import in place) before it says "locked,
try again"."""

STALE_DAYS = 365
"""Services last verified longer ago than this are flagged (`db info`): check them before relying on them."""


def _wal_pending(path: Path) -> bool | None:
    """None: not a WAL-mode file; False: WAL mode, nothing pending (no -wal file, or an empty one); True: pending."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return None
    if len(header) < 20 or not header.startswith(b"SQLite format 3\x00") or header[18:20] != b"\x02\x02":
        return None
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


class Store:
    """A database file opened read-only, one connection per call (or per `session()`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._session = threading.local()
        """The connection of this thread's open `session()`, if any."""

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _shown(self) -> str:
        """The path for a message: a very long one is cut in the middle, so the message stays one line."""
        text = str(self.path)
        return text if len(text) <= 160 else f"{text[:100]}...{text[-50:]}"

    def _fail(self, problem: str) -> DatabaseError:
        return DatabaseError(
            f"{self._shown()} {problem}: rebuild it with `nhfind db build`, reinstall nhfind, or pick another with --db"
        )

    @contextmanager
    def session(self) -> Iterator[None]:
        """Make the calls inside (from this thread) share one connection.

        Opening a connection costs more than a small query (SQLite reads the whole schema on its first statement),
        and one search makes several: its vocabulary, the ranked page, counts, corrections. Calls
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
        try:
            found = self.path.is_file()
        except OSError as exc:  # a name too long for the file system, say
            raise DatabaseError(f"{self._shown()} cannot be opened ({exc.strerror}): pick another with --db") from None
        if not found:
            raise DatabaseError(
                f"no database at {self._shown()}: run `nhfind db build`, "
                "or point --db / NHFIND_DB at an nhfind database"
            )
        wal = _wal_pending(self.path)
        # A WAL-mode file (a coordinator's database, say) with nothing pending opens immutable: SQLite then creates
        # no -wal/-shm files beside it, and a read-only folder or medium works. Our own databases are never WAL.
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro" + ("&immutable=1" if wal is False else "")
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=LOCK_WAIT)
        except sqlite3.Error as exc:
            raise self._fail(f"cannot be opened ({exc})") from None
        if wal:
            try:
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            except sqlite3.Error:
                conn.close()
                raise DatabaseError(
                    f"{self.path} has unsaved changes in {self.path.name}-wal that cannot be read here (a read-only "
                    "folder?): open it once where it is writable, or copy the database with its -wal file elsewhere"
                ) from None
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
                version = row[0] if row else "none"
                raise self._fail(f"has schema version {version}, this nhfind reads version {SCHEMA_VERSION}")
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

    def vocabulary(self) -> Vocabulary:
        """What every filter value means, as stored (a category's meaning reads "label: meaning")."""
        rows = self.vocabulary_rows()
        categories = {v: (label, meaning, oe) for facet, v, label, meaning, oe in rows if facet == "category"}
        by_facet: dict[str, dict[str, str]] = {"population": {}, "access": {}, "language": {}}
        for facet, value, _label, meaning, _oe in rows:
            if facet in by_facet:
                by_facet[facet][value] = meaning
        return Vocabulary(categories, by_facet["population"], by_facet["access"], by_facet["language"])

    def integrity(self) -> list[str]:
        """PRAGMA integrity_check: ["ok"] when the file is sound."""
        with self.connect() as conn:
            return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]

    def counts(self) -> dict[str, int]:
        """Rows per table, for `db info` and `db check`."""
        with self.connect() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in COUNTED_TABLES}

    # -- records ------------------------------------------------------------------------------------------------

    def records(self, ids: Sequence[str]) -> dict[str, str]:
        """id -> stored record JSON for the ids that exist."""
        if not ids:
            return {}
        with self.connect() as conn:
            marks = ",".join("?" * len(ids))
            return dict(conn.execute(f"SELECT id, record FROM services WHERE id IN ({marks})", list(ids)).fetchall())

    def ids_of(self, records: Sequence[str]) -> list[str]:
        """The ids of stored records given by their exact text (to name a damaged one)."""
        if not records:
            return []
        with self.connect() as conn:
            marks = ",".join("?" * len(records))
            return [r[0] for r in conn.execute(f"SELECT id FROM services WHERE record IN ({marks})", list(records))]

    def all_ids(self) -> list[str]:
        with self.connect() as conn:
            return [row[0] for row in conn.execute("SELECT id FROM services ORDER BY id")]

    def stale_ids(self, today: dt.date | None = None) -> list[str]:
        """Ids of the services last verified more than STALE_DAYS before `today` (or never), sorted."""
        cutoff = ((today or dt.date.today()) - dt.timedelta(days=STALE_DAYS)).isoformat()
        with self.connect() as conn:
            return [
                row[0] for row in conn.execute("SELECT id FROM services WHERE last_verified < ? ORDER BY id", [cutoff])
            ]

    def organizations(self) -> list[tuple[str, str, str]]:
        """(id, name, description) of every organization, for layering an overlay over this database."""
        with self.connect() as conn:
            return conn.execute("SELECT id, name, description FROM organizations ORDER BY id").fetchall()

    def names(self) -> list[tuple[str, str]]:
        """(id, name) of every service, for "did you mean"."""
        with self.connect() as conn:
            return conn.execute("SELECT id, name FROM services ORDER BY id").fetchall()

    def phones_ending(self, tail: str) -> list[tuple[str, str, str]]:
        """(service id, number as published, kind) of the phone lines that may be dialled as a number ending in
        `tail` (a few digits): those whose number shows `tail`, and those with letters (vanity numbers such as
        916-SUPPORT, extensions), which the caller reads through the keypad."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT service_id, number, kind FROM phones WHERE instr(number, ?) OR number GLOB '*[A-Za-z]*'"
                " ORDER BY service_id, position",
                [tail],
            ).fetchall()

    # -- searching ----------------------------------------------------------------------------------------------

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
            return rank.ranked(conn, match, filters, limit, offset, exact, first)

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
            records, total = rank.ranked(conn, match, filters, limit, offset, exact, "")
            if relaxed and total < few and (total or relax_empty):
                more, more_total = rank.ranked(conn, relaxed, filters, limit, offset, exact, match)
                if more_total > total:
                    return more, more_total, True
        return records, total, False

    def matches_each(self, matches: Sequence[str]) -> list[bool]:
        """For each FTS expression, whether it matches any service at all (one statement for all of them)."""
        if not matches:
            return []
        probes = ", ".join("EXISTS (SELECT 1 FROM services_fts WHERE services_fts MATCH ?)" for _ in matches)
        with self.connect() as conn:
            return [bool(v) for v in conn.execute(f"SELECT {probes}", list(matches)).fetchone()]

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
        grows with the data)."""
        with self.connect() as conn:
            try:
                return conn.execute("SELECT term, weight FROM search_terms ORDER BY 1").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return []

    def facet_counts(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet -> value -> how many of the matching services carry it."""
        with self.connect() as conn:
            bits = rank.filter_bits(conn, filters, every_value=True)
            if bits is not None:
                found = rank.matched(conn, match) if match else bits.everyone
                return _popcounts(bits, {"": found & bits.rows()})
        return self._facet_counts_by_sql(match, filters)

    def _facet_counts_by_sql(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet_counts for a database without filter bitmaps."""
        where = rank.conditions(filters)
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        with self.connect() as conn:
            rows = None
            if match:
                # from the full-text index's rowids straight to facet codes: no services row is read (at 100,000
                # services a common word's matches took ~0.5 s through the services table)
                conditions = "".join(f" AND {clause}" for clause in where.on_index())
                try:
                    rows = conn.execute(
                        "SELECT v.facet, v.value, n FROM (SELECT c.code, count(*) AS n FROM services_fts"
                        " JOIN facet_codes c ON c.service_rowid = services_fts.rowid"
                        f" WHERE services_fts MATCH :match{conditions} GROUP BY c.code)"
                        " JOIN facet_values v USING (code) ORDER BY v.facet, v.value",
                        {**where.params, "match": match},
                    ).fetchall()
                except sqlite3.OperationalError as exc:  # a database built before facet_codes existed
                    if "no such table" not in str(exc):
                        raise
            if rows is None:
                body, params = rank.matching(match, where)
                rows = conn.execute(
                    f"SELECT facet, value, count(*) FROM facets WHERE service_id IN (SELECT s.id {body})"
                    " GROUP BY facet, value ORDER BY facet, value",
                    params,
                ).fetchall()
        for facet, value, count in rows:
            counts.setdefault(facet, {})[value] = count
        return counts

    def facet_choice_counts(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet -> value -> how many services matching `match` and `filters` there would be with that value turned
        on: each facet's own values are counted as if none of them were selected (OR inside a facet), the other
        facets' selections and the other filters apply.

        One pass over the full-text index's rowids into a bitmap, then a popcount of its AND with each value's bitmap
        (schema.FILTER_BITMAPS): no services row is read. A database built before the bitmaps existed is counted
        over schema.FACET_CODES, and one older still over the facets table (_facet_choice_counts_by_id).
        """
        with self.connect() as conn:
            bits = rank.filter_bits(conn, filters, every_value=True)
            if bits is not None:
                found = rank.matched(conn, match) if match else bits.everyone
                return _popcounts(bits, {facet: found & bits.rows(but=facet) for facet in ["", *bits.chosen]})
        return self._facet_choice_counts_by_codes(match, filters)

    def _facet_choice_counts_by_codes(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet_choice_counts over schema.FACET_CODES, for a database without filter bitmaps."""
        chosen = [(f.name, tuple(getattr(filters, f.field))) for f in TABLE if getattr(filters, f.field)]
        unfaceted: dict[str, Any] = {f.field: () for f in TABLE}
        where = rank.conditions(filters._replace(**unfaceted))  # the other filters (hide police, open at)
        params = dict(where.params)
        clauses = [
            f"c.service_rowid {'IN' if keep else 'NOT IN'} (SELECT rowid FROM services WHERE id IN ({sql}))"
            for keep, sql in where.sets
        ]
        for n, (facet, values) in enumerate(chosen):
            params[f"c_{n}"] = facet
            params.update({f"c_{n}_{i}": value for i, value in enumerate(values)})
            marks = ", ".join(f":c_{n}_{i}" for i in range(len(values)))
            clauses.append(
                f"(v.facet = :c_{n} OR EXISTS (SELECT 1 FROM facet_codes g WHERE g.service_rowid = c.service_rowid"
                f" AND g.code IN (SELECT code FROM facet_values WHERE facet = :c_{n} AND value IN ({marks}))))"
            )
        if match:
            source = "services_fts JOIN facet_codes c ON c.service_rowid = services_fts.rowid"
            clauses.insert(0, "services_fts MATCH :match")
            params["match"] = match
        else:
            source = "facet_codes c"
        where_sql = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT v.facet, v.value, count(*) FROM {source} JOIN facet_values v ON v.code = c.code{where_sql}"
            " GROUP BY c.code ORDER BY 1, 2"
        )
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        with self.connect() as conn:
            try:
                rows = conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return self._facet_choice_counts_by_id(match, filters)
        for facet, value, count in rows:
            counts.setdefault(facet, {})[value] = count
        return counts

    def _facet_choice_counts_by_id(self, match: str, filters: Filters) -> dict[str, dict[str, int]]:
        """facet_choice_counts over the facets table, for a database without facet_codes.

        A facet row counts when its service matches the words and the other filters, and has a chosen value of
        every selected facet but its own row's facet. Each set is an uncorrelated subquery, computed once and read
        from indexes (never a services row but the words' matches).
        """
        chosen = [(f.name, tuple(getattr(filters, f.field))) for f in TABLE if getattr(filters, f.field)]
        unfaceted: dict[str, Any] = {f.field: () for f in TABLE}
        where = rank.conditions(filters._replace(**unfaceted))  # the other filters (hide police, open at)
        params = dict(where.params)
        clauses = [f"x.service_id {'IN' if keep else 'NOT IN'} ({sql})" for keep, sql in where.sets]
        if match:
            clauses.append(
                "x.service_id IN (SELECT s.id FROM services_fts f JOIN services s ON s.rowid = f.rowid"
                " WHERE services_fts MATCH :match)"
            )
            params["match"] = match
        for n, (facet, values) in enumerate(chosen):
            params[f"c_{n}"] = facet
            params.update({f"c_{n}_{i}": value for i, value in enumerate(values)})
            marks = ", ".join(f":c_{n}_{i}" for i in range(len(values)))
            clauses.append(
                f"(x.facet = :c_{n} OR x.service_id IN"
                f" (SELECT service_id FROM facets WHERE facet = :c_{n} AND value IN ({marks})))"
            )
        where_sql = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT x.facet, x.value, count(*) FROM facets x{where_sql} GROUP BY x.facet, x.value ORDER BY 1, 2"
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        with self.connect() as conn:
            rows = conn.execute(sql, params).fetchall()
        for facet, value, count in rows:
            counts.setdefault(facet, {})[value] = count
        return counts

    def crisis_keys(
        self, categories: Sequence[str], danger: str, line_kinds: Sequence[str]
    ) -> list[tuple[str, str, str, bool, bool, bool, str]]:
        """(id, name, service area, in the `danger` category, open 24/7, has a phone of `line_kinds`, grade of the
        hours' source or "") of every service in `categories`: what nhfind.core.crisis orders by, read without
        decoding the whole records."""
        cats, kinds = ",".join("?" * len(categories)), ",".join("?" * len(line_kinds))
        sql = (
            # a damaged record (not JSON) reads as no area and no hours here; decoding it later leaves it out with a
            # warning naming it (nhfind.core.search), instead of one bad row failing every crisis list
            "SELECT s.id, s.name,"
            " coalesce(CASE WHEN json_valid(s.record) THEN json_extract(s.record, '$.service_area') END, ''),"
            " EXISTS (SELECT 1 FROM facets d WHERE d.facet = 'category' AND d.value = ? AND d.service_id = s.id),"
            " coalesce(CASE WHEN json_valid(s.record) THEN json_extract(s.record, '$.hours.always') END, 0),"
            f" EXISTS (SELECT 1 FROM phones p WHERE p.service_id = s.id AND p.kind IN ({kinds})),"
            " coalesce((SELECT src.grade FROM sources src WHERE src.service_id = s.id"
            " AND src.key = CASE WHEN json_valid(s.record) THEN json_extract(s.record, '$.hours.source') END), '')"
            " FROM services s WHERE s.id IN"
            f" (SELECT service_id FROM facets WHERE facet = 'category' AND value IN ({cats})) ORDER BY s.id"
        )
        with self.connect() as conn:
            rows = conn.execute(sql, [danger, *line_kinds, *categories]).fetchall()
        return [(i, n, a, bool(d), bool(al), bool(ph), g) for i, n, a, d, al, ph, g in rows]


def _popcounts(bits: rank.FilterBits, found: dict[str, int]) -> dict[str, dict[str, int]]:
    """facet -> value -> how many services of `found` carry it (values none carry left out, sorted as the SQL counts
    are), where `found` maps a facet to the services its values are counted over ("" for any other facet)."""
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for (facet, value), members in sorted(bits.values.items()):
        n = (found.get(facet, found[""]) & members).bit_count()
        if n:
            counts.setdefault(facet, {})[value] = n
    return counts
