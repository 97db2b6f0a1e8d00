"""The database's shape: tables, keys, indexes, and the name-key SQL that both the indexes and the ranking use.

Core module: pure Python, no imports. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
The writer (nhfind.core.db.write) creates what is named here; the readers (store, rank) query it. An expression
that an index serves is written once here, so a query and its index cannot drift apart (SQLite uses an expression
index only for the identical expression).
"""

from __future__ import annotations

PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "services": "id",
    "organizations": "id",
    "facets": ("facet", "value", "service_id"),
    "phones": ("service_id", "position"),
    "openings": ("service_id", "day", "opens"),
    "sources": ("service_id", "key"),
    "vocabulary": ("facet", "value"),
    "search_synonyms": ("phrase", "expansion"),
    "search_stop_words": "word",
    "search_terms": "term",
    "meta": "key",
}

COLUMNS: dict[str, dict[str, type]] = {
    "openings": {"service_id": str, "day": int, "opens": int, "closes": int},
    "search_synonyms": {"phrase": str, "expansion": str},
    "search_stop_words": {"word": str},
    "search_terms": {"term": str, "weight": int},
}
"""Columns of the tables created before any row is written (a table may stay empty: no openings, no synonyms)."""

FTS_WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "organization": 8.0,
    "categories": 3.0,
    "keywords": 4.0,
    "description": 1.0,
}
"""The full-text columns of services_fts, in order, with their bm25 weights: what a service is called counts most,
then what it is filed under and the words people use for it, then how we describe it."""

FTS_TOKENIZER = "porter unicode61"

FACET_CODES = """CREATE TABLE facet_codes (
   "service_rowid" INTEGER,
   "code" INTEGER,
   PRIMARY KEY ("service_rowid", "code")
) WITHOUT ROWID"""
"""The facets table again, narrow: (services rowid, facet_values code) per facet value of a service, so that filter
counts go from the full-text index's rowids to facet values without reading a services row (a few KB each)."""

FACET_VALUES = 'CREATE TABLE facet_values ("code" INTEGER PRIMARY KEY, "facet" TEXT, "value" TEXT)'
"""The codes of facet_codes: every (facet, value) pair that some service carries, numbered in sorted order."""

FILTER_BITMAPS = """CREATE TABLE filter_bitmaps (
   "facet" TEXT,
   "value" TEXT,
   "bits" BLOB,
   PRIMARY KEY ("facet", "value")
) WITHOUT ROWID"""
"""Per facet value, the services rowids that carry it as a bitmap (bit r of the little-endian integer is rowid r,
~12.5 KB per value at 100,000 services); the row ("", "") holds every service. Filters become one bitmap with
integer AND, OR and NOT, and facet counts are popcounts (nhfind.core.db.rank.FilterBits)."""

OPEN_BITMAPS = """CREATE TABLE open_bitmaps (
   "day" INTEGER,
   "start" INTEGER,
   "bits" BLOB,
   PRIMARY KEY ("day", "start")
) WITHOUT ROWID"""
"""The services open at a minute of the week, as bitmaps like FILTER_BITMAPS: for each day, a row per minute where
some opening starts or ends (and one at 0); the services open at (day, minute) are those of the day's row with the
greatest start <= minute. Not written when the openings have too many distinct times (the openings table answers)."""

SEARCH_PREFIXES = """CREATE TABLE search_prefixes (
   "prefix" TEXT PRIMARY KEY,
   "tokens" TEXT,
   "docs" INTEGER,
   "columns" TEXT
) WITHOUT ROWID"""
"""Typed words whose FTS5 prefix query (`"prefix" *`) matches at most PREFIX_TOKENS indexed tokens, held by at
least PREFIXED_TOKEN_DOCS services in all. `tokens`: those tokens, space-separated, each spelled as a word the
tokenizer turns into it. With one token, `"token"` matches the same services with the same bm25 scores; with
several, `("token1" OR "token2")` matches the same services. Either way FTS5 answers without first merging every
token of the prefix in each statement (most of the cost of a common word at 100,000 services). `docs`: how many
services hold the one token (the total of a search for that word alone), NULL for several. `columns`: a JSON object
of how many services hold the tokens in each full-text column (summed over the tokens; a column holding none is
left out), so that the ranking skips column tiers that cannot match. Written by the build from the full-text index
(nhfind.core.db.write), read by the ranked query (nhfind.core.db.rank)."""

PREFIXED_TOKEN_DOCS = 1_000
"""Prefixes matching fewer services cost little and get no search_prefixes rows (a county's database has none)."""

PREFIX_TOKENS = 4
"""A prefix matching more tokens than this is left as it is."""

SEARCH_LISTS = """CREATE TABLE search_lists (
   "list" TEXT PRIMARY KEY,
   "docs" INTEGER,
   "depth" REAL,
   "rowids" BLOB,
   "scores" BLOB,
   "bits" BLOB,
   "every" BLOB
)"""
"""Impact-ordered lists: for each phrase that a ranked query can score and that more than rank.EXACT_RANKING
services match (an index token, or a prefix of several tokens written `"word" *`), its best LIST_DEPTH services by
bm25 of that phrase alone (the weights of FTS_WEIGHTS), best first. `list`: the FTS5 phrase scored, without quotes
("support", "help *"). `docs`: how many services match it. `rowids` and `scores`: the list, little-endian int32 and
float64 (bm25 as SQLite gives it, negative, best first). `depth`: the score of its last row (every service not
listed scores that or worse). `bits`: every service that matches, a bitmap like FILTER_BITMAPS; `every`: the score
of each of them, in rowid order (float64), read only when a search of several words needs a score the lists do not
hold. The row with list ""
holds, in `bits`, the full-text index's averages record as it was when the lists were written: a database whose
index changed since (no longer the same record) has stale lists, which the ranked query ignores. Written by
nhfind.core.db.write.write_search_lists, read by nhfind.core.db.rank. A rowid table: its rows are hundreds of KB,
and a WITHOUT ROWID table reads a whole row to compare its key on each lookup (~3 ms)."""

SEARCH_LIST_WORDS = """CREATE TABLE search_list_words (
   "phrase" TEXT PRIMARY KEY,
   "list" TEXT
) WITHOUT ROWID"""
"""Which SEARCH_LISTS row scores a phrase as a ranked query writes it (without quotes): every word of the data the
tokenizer turns into a listed token ("families", "family" -> "famili"), and "word *" for each typed word whose
prefix stands for a listed prefix of several tokens ("help *")."""

LIST_DEPTH = 1_000
"""Rows per impact-ordered list: a page of `need` services that a filter leaves is exact from the list when at least
`need` listed services pass the filter (nhfind.core.db.rank)."""

COUNTED_TABLES = ("services", "organizations", "phones", "facets", "sources", "services_fts")
"""The tables `db info` and `db check` count."""


def name_key(column: str) -> str:
    """A name without its part in parentheses, lower case: "calfresh" for "CalFresh (food benefits, EBT)"."""
    return f"lower(substr({column}, 1, instr({column} || ' (', ' (') - 1))"


INDEXES: tuple[tuple[str, str, str], ...] = (
    ("services_by_name", "services", "name, id"),
    ("services_by_lower_name", "services", "lower(name)"),
    ("services_by_short_name", "services", name_key("name")),
    ("services_by_lower_organization", "services", "lower(organization)"),
    ("services_by_short_organization", "services", name_key("organization")),
    ("idx_openings_day_opens", "openings", "day, opens"),
)
"""(index, table, expression): a first page by name without sorting every row, every case of EXACT_RANK found by
EXACT_CANDIDATES without reading every row, and the openings of a day by time."""


def exact_rank(alias: str) -> str:
    """How exactly a service (table alias `alias`) is named what was typed (:exact, :slug), best first:
    3 its name (with or without the part in parentheses) or its id; 2 its name begins with the typed words ("loaves &
    fishes" is "Loaves & Fishes dining room"); 1 its organization's name; 0 none of these."""
    name, org = f"{alias}.name", f"{alias}.organization"
    return (
        f"(CASE WHEN lower({name}) = :exact OR {alias}.id = :slug OR {name_key(name)} = :exact THEN 3"
        f" WHEN length(:exact) >= 3 AND substr(lower({name}), 1, length(:exact) + 1) IN (:exact || ' ', :exact || ':')"
        " THEN 2"
        f" WHEN lower({org}) = :exact OR {name_key(org)} = :exact THEN 1"
        " ELSE 0 END)"
    )


EXACT_CANDIDATES = (
    "SELECT rowid FROM services WHERE lower(name) = :exact"
    " UNION SELECT rowid FROM services WHERE id = :slug"
    f" UNION SELECT rowid FROM services WHERE {name_key('name')} = :exact"
    " UNION SELECT rowid FROM services WHERE length(:exact) >= 3"
    " AND lower(name) >= :exact || ' ' AND lower(name) < :exact || '!'"
    " UNION SELECT rowid FROM services WHERE length(:exact) >= 3"
    " AND lower(name) >= :exact || ':' AND lower(name) < :exact || ';'"
    " UNION SELECT rowid FROM services WHERE lower(organization) = :exact"
    f" UNION SELECT rowid FROM services WHERE {name_key('organization')} = :exact"
)
"""Every row exact_rank puts above 0, one indexed lookup per case (INDEXES). A prefix "x " or "x:" is the range
[x + ' ', x + '!') or [x + ':', x + ';')."""
