"""Relevance: what outreach workers type must put the right services in the first three results.

Scored on the real data/ against tests/relevance/queries.toml; the numbers (recall@3, MRR, and the same for a
plain full-text search over the same records) are printed in pytest's summary.
"""

from __future__ import annotations

import pytest

from nhfind.core import fts
from nhfind.core.db.store import Store
from nhfind.core.models import Filters
from nhfind.core.search import search
from tests.relevance.metrics import QUERIES, REPORT, TARGET_RECALL, Query, Score, load_queries, score

MIN_SCORED = 60
MIN_SITUATIONS = 40
"""Queries in the situations section: what clients say happened, in their words (issue 14)."""


@pytest.fixture(scope="module")
def scored(real_store: Store) -> tuple[list[Query], list[Query], Score, Score]:
    present = set(real_store.all_ids())
    queries = load_queries()
    ready = [q for q in queries if set(q.top3) <= present]
    pending = [q for q in queries if q not in ready]
    police = frozenset(r.id for r in search(real_store, "", Filters(confidentiality=("law-enforcement",))).results)
    ours = score(
        "nhfind search", ready, lambda text: [r.id for r in search(real_store, text, limit=10).results], police
    )
    plain = score("plain FTS5 (quoted words, bm25)", ready, lambda text: baseline_ids(real_store, text, 10), police)
    REPORT.clear()
    REPORT.append(f"{len(ready)} queries scored, {len(pending)} pending (their services are not in data/ yet)")
    for s in (ours, plain):
        REPORT.append(
            f"{s.name:<34} recall@3 {s.recall:6.1%}   MRR {s.mrr:.3f}   misses {len(s.misses)}"
            f"   police shown when refused {len(s.violations)}"
        )
    for text, wanted, got in ours.misses:
        REPORT.append(f"  miss: {text!r} wants {', '.join(wanted)}; top 3: {', '.join(got) or '(nothing)'}")
    for text, shown in ours.violations:
        REPORT.append(f"  police shown: {text!r} refused them; top 5 has {', '.join(shown)}")
    if pending:
        REPORT.append("  pending: " + ", ".join(sorted({i for q in pending for i in q.top3} - present)))
    return ready, pending, ours, plain


def test_the_suite_is_big_enough_to_mean_something(scored: tuple[list[Query], list[Query], Score, Score]) -> None:
    ready, _pending, _ours, _plain = scored
    assert len(ready) >= MIN_SCORED, f"only {len(ready)} queries have their services in data/"


def test_recall_at_3_meets_the_target(scored: tuple[list[Query], list[Query], Score, Score]) -> None:
    _ready, _pending, ours, _plain = scored
    assert ours.recall >= TARGET_RECALL, "\n".join(f"{t!r}: want {w}, got {g}" for t, w, g in ours.misses)


def test_no_police_where_the_words_refuse_them(scored: tuple[list[Query], list[Query], Score, Score]) -> None:
    ready, _pending, ours, _plain = scored
    assert sum(q.no_police for q in ready) >= 10, "too few queries that refuse the police to mean something"
    assert not ours.violations, "\n".join(f"{t!r}: {', '.join(shown)}" for t, shown in ours.violations)


def test_the_situations_are_many_enough() -> None:
    text = QUERIES.read_text(encoding="utf-8")
    situations = text[text.index("# situations") :]
    assert situations.count("text = ") >= MIN_SITUATIONS


def test_understanding_beats_plain_full_text(scored: tuple[list[Query], list[Query], Score, Score]) -> None:
    _ready, _pending, ours, plain = scored
    assert ours.recall > plain.recall and ours.mrr > plain.mrr


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("food stamps", {"calfresh"}),
        ("narcan", {"naloxone-distribution", "harm-reduction-services"}),
        ("shelterr", {"emergency-shelter"}),
        ("where can i get an std test", {"county-sexual-health-clinic"}),
    ],
)
def test_what_the_client_said_finds_the_right_service_first(real_store: Store, text: str, first: set[str]) -> None:
    results = search(real_store, text, limit=3).results
    assert results and results[0].id in first


def baseline_ids(store: Store, text: str, limit: int = 10) -> list[str]:
    """Plain full-text search for comparison: every word quoted, all required, ranked by unweighted bm25.

    No synonyms, stop words, prefixes, corrections, field weights or exact-name boost.
    """
    match = fts.expression(fts.tokens(text), prefix_last=False)
    if not match:
        return []
    with store.connect() as conn:
        rows = conn.execute(
            "SELECT s.id FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH ?"
            " ORDER BY bm25(services_fts), s.id LIMIT ?",
            [match, limit],
        ).fetchall()
    return [row[0] for row in rows]
