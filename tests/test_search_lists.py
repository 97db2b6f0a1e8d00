"""Impact-ordered lists (schema.SEARCH_LISTS): what the build writes keeps its promise, and searches that rank from
the lists give exactly the pages and totals of the plain query (every match scored by SQLite's bm25).

A county's database lists nothing (no word is held by more than rank.EXACT_RANKING services), so these tests build
generated data with a low threshold and shallow lists: the lists then decide some pages and give way on others.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nhfind.core import fts
from nhfind.core.db import rank, schema
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.core.models import Filters

ROOT = Path(__file__).resolve().parent.parent
SIZE = 300
LISTED_FROM = 40
DEPTH = 25

pytestmark = pytest.mark.slow  # generates and builds a synthetic data set

FILTERS = (
    Filters(),
    Filters(costs=("free",)),
    Filters(categories=("medical-care",), costs=("free",)),
    Filters(exclude_law_enforcement=True),
    Filters(languages=("es",)),
)
TEXTS = ("support", "shel", "help", "food", "clinic", "care", "family support", "free food", "support group",
         "mental health", "help support free", "services", "program", "zzzz", "support zzzz")  # fmt: skip


def _build(out: Path, data: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rank, "EXACT_RANKING", LISTED_FROM)
        patch.setattr(schema, "LIST_DEPTH", DEPTH)
        patch.setattr(schema, "PREFIXED_TOKEN_DOCS", 10)  # prefixes of several tokens too
        build(data, out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("lists") / "data", SIZE)


def _generate(out: Path, size: int) -> Path:
    """benchmarks/generate.py's synthetic data of `size` services in `out`."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--n", str(size), "--seed", "4", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def listed_db(generated: Path) -> Path:
    db = generated.parent / "listed.db"
    _build(db, generated)
    return db


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each ranked page came from the lists (True) or from the ranking without them (False)."""
    calls: list[bool] = []
    listed = rank._listed

    def spy(*args: Any) -> Any:
        found = listed(*args)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(rank, "_listed", spy)
    yield calls


def _plain(monkeypatch: pytest.MonkeyPatch, store: Store, *args: Any) -> object:
    """The plain query: every match joined, filtered and ranked by SQLite's bm25."""
    with monkeypatch.context() as patch:
        patch.setattr(rank, "_ranked_in_index", lambda *a: None)
        return store.search(*args)


def test_the_lists_hold_the_best_services_by_bm25_and_every_match(listed_db: Path) -> None:
    conn = sqlite3.connect(listed_db)
    try:
        lists = conn.execute("SELECT list, docs, depth, rowids, scores, bits, every FROM search_lists WHERE list <> ''")
        rows = lists.fetchall()
        assert len(rows) > 20 and any(r[0].endswith(" *") for r in rows), "tokens and prefixes are listed"
        words = conn.execute("SELECT phrase, list FROM search_list_words").fetchall()
        spelled: dict[str, str] = {}
        for phrase, name in words:
            spelled.setdefault(name, phrase)
        scored = f"SELECT rowid, bm25(services_fts, {rank.WEIGHTS}) AS s FROM services_fts WHERE services_fts MATCH ?"
        for name, docs, depth, rowids, scores, bits, in_order in rows:
            word = spelled[name]
            match = f"{fts.quote(word.removesuffix(' *'))}{' *' if word.endswith(' *') else ''}"
            every = conn.execute(f"{scored} ORDER BY s, rowid", [match]).fetchall()
            assert docs == len(every) > LISTED_FROM, name
            assert list(zip(rank._unpack("i", rowids), rank._unpack("d", scores), strict=True)) == every[:DEPTH], name
            assert depth == every[DEPTH - 1][1]
            assert rank.from_blob(bits) == rank.bitmap(r for r, _ in every), name
            assert rank._unpack("d", in_order).tolist() == [s for _, s in sorted(every)], name
        for phrase, name in words:  # each phrase listed scores exactly as its list's
            match = f"{fts.quote(phrase.removesuffix(' *'))}{' *' if phrase.endswith(' *') else ''}"
            first = conn.execute(f"{scored} ORDER BY s, rowid LIMIT ?", [match, DEPTH]).fetchall()
            listed = conn.execute("SELECT rowids FROM search_lists WHERE list = ?", [name]).fetchone()[0]
            assert rank._unpack("i", listed).tolist() == [r for r, _ in first], phrase
    finally:
        conn.close()


def test_searches_ranked_from_the_lists_give_the_plain_pages_and_totals(
    listed_db: Path, monkeypatch: pytest.MonkeyPatch, used: list[bool]
) -> None:
    store = Store(listed_db)
    pairs = store.names()
    texts = [*TEXTS, pairs[0][1], pairs[5][1].split()[0]]  # exactly named services come first
    for text in texts:
        match = fts.expression(fts.tokens(text))
        for filters in FILTERS:
            for limit, offset in ((20, 0), (5, 0), (5, 3), (1, 0), (40, 0), (0, 0)):
                args = (match, filters, limit, offset, text)
                assert store.search(*args) == _plain(monkeypatch, store, *args), (text, filters, limit, offset)
    assert any(used) and not all(used), "the lists decided some pages and gave way on others"


def test_the_query_layer_answers_the_same_with_and_without_the_lists(listed_db: Path, tmp_path: Path) -> None:
    """Relaxed searches, police after support services, deep pages: the same through search() with the lists and
    from a copy without them (a database of an older build)."""
    from nhfind.core.search import search

    unlisted = tmp_path / "unlisted.db"
    shutil.copyfile(listed_db, unlisted)
    conn = sqlite3.connect(unlisted)
    conn.execute("DROP TABLE search_lists")
    conn.execute("DROP TABLE search_list_words")
    conn.commit()
    conn.close()
    with_lists, without = Store(listed_db), Store(unlisted)
    with pytest.MonkeyPatch.context() as patch:  # every ranking exact, so that both sides are the full bm25 order
        patch.setattr(rank, "EXACT_RANKING", 10**9)
        patch.setattr(rank, "EXACT_FILTERED", 10**9)
        for text in (*TEXTS, "support oakmont", "pantry help"):
            for filters in FILTERS:
                for limit, offset in ((20, 0), (7, 7)):
                    a = search(with_lists, text, filters, limit=limit, offset=offset)
                    b = search(without, text, filters, limit=limit, offset=offset)
                    assert ([r.id for r in a.results], a.total) == ([r.id for r in b.results], b.total), (text, filters)


def test_lists_of_an_index_changed_since_are_not_used(listed_db: Path, tmp_path: Path, used: list[bool]) -> None:
    """A database whose full-text index changed after the lists were written (by a tool that does not know them)
    answers as one without lists."""
    stale, unlisted = tmp_path / "stale.db", tmp_path / "unlisted.db"
    shutil.copyfile(listed_db, stale)
    conn = sqlite3.connect(stale)
    columns = ", ".join(schema.FTS_WEIGHTS)
    conn.execute(
        f"INSERT INTO services_fts (services_fts, rowid, {columns}) SELECT 'delete', rowid, {columns} FROM services"
        " WHERE rowid = (SELECT max(rowid) FROM services)"
    )
    conn.commit()
    conn.close()
    shutil.copyfile(stale, unlisted)
    conn = sqlite3.connect(unlisted)
    conn.execute("DROP TABLE search_lists")
    conn.commit()
    conn.close()
    for text in ("support", "family support", "help", "free food"):
        for filters in FILTERS[:2]:
            args = (fts.expression(fts.tokens(text)), filters, 20, 0, text)
            assert Store(stale).search(*args) == Store(unlisted).search(*args), text
    assert used and not any(used)


def test_the_lists_are_written_the_same_every_time(generated: Path, listed_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    _build(again, generated)
    assert again.read_bytes() == listed_db.read_bytes()


def test_an_import_rewrites_the_lists_of_the_merged_database(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, used: list[bool]
) -> None:
    """layer_database (the overlay compiler) writes the lists again: the merged database's lists are fresh, and
    searches ranked from them give the plain query's pages over the imported services too."""
    from dataclasses import replace

    from nhfind.core.dataset import load_dataset
    from nhfind.core.db.write import layer_database

    base_set = load_dataset(generated)
    base, merged = tmp_path / "base.db", tmp_path / "merged.db"
    _build(base, generated)
    new = [r._replace(id=f"imported-{r.id}", name=f"{r.name} support") for r in base_set.resources[:40]]
    orgs = {o[0]: o for o in base_set.organizations}
    with monkeypatch.context() as patch:
        patch.setattr(rank, "EXACT_RANKING", LISTED_FROM)
        patch.setattr(schema, "LIST_DEPTH", DEPTH)
        patch.setattr(schema, "PREFIXED_TOKEN_DOCS", 10)
        layer_database(
            base,
            replace(base_set, resources=tuple(new), organizations=tuple(orgs[r.organization_id] for r in new),
                    sources_hash="x"),
            merged,
        )  # fmt: skip
    conn = sqlite3.connect(merged)
    try:
        listed = conn.execute("SELECT docs FROM search_lists WHERE list = 'support'").fetchone()[0]
        held = conn.execute("SELECT count(*) FROM services_fts WHERE services_fts MATCH 'support'").fetchone()[0]
        assert listed == held
    finally:
        conn.close()
    store = Store(merged)
    for text in ("support", "family support", "help", "food"):
        for filters in FILTERS[:3]:
            args = (fts.expression(fts.tokens(text)), filters, 20, 0, text)
            assert store.search(*args) == _plain(monkeypatch, store, *args), (text, filters)
    assert any(used)


def test_filter_counts_from_the_lists_bitmaps_are_the_index_counts(listed_db: Path, used: list[bool]) -> None:
    """The TUI's filter counts take a listed search's matches from the lists' bitmaps (rank.matched)."""
    store = Store(listed_db)
    for text in ("support", "family support", "help", "free food", "zzzz"):
        match = fts.expression(fts.tokens(text))
        for filters in FILTERS:
            counts = store.facet_counts(match, filters), store.facet_choice_counts(match, filters)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(rank, "LISTS", False)
                assert counts == (store.facet_counts(match, filters), store.facet_choice_counts(match, filters)), text


def test_a_build_on_several_processes_writes_the_same_lists(tmp_path: Path) -> None:
    """A build on several processes has the lists' bm25 passes run by its workers (write._pooled_lists): the file is
    the one a single process writes. Unpatched thresholds (worker processes do not see a test's patches): 8,000
    services, where a few words pass rank.EXACT_RANKING."""
    data = _generate(tmp_path / "data", 8000)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build(data, one, workers=1)
    build(data, two, workers=2)
    with sqlite3.connect(two) as conn:
        assert conn.execute("SELECT count(*) FROM search_lists WHERE list != ''").fetchone()[0] > 0
    conn.close()
    assert one.read_bytes() == two.read_bytes()


def test_an_import_over_a_large_base_scores_on_processes_what_threads_would(
    listed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """layer_database has the lists of a large base scored on a process per core (write._processes_lists): the same
    counts, best services, bitmaps and scores as the threads give."""
    from nhfind.core.db import write

    matches = ['"support"', '"help" *', '"food"', '"zzzz"']
    threads = write._ranked_lists(str(listed_db), matches)
    monkeypatch.setattr(write, "POOLED_FROM", 0)
    assert write._processes_lists(str(listed_db), matches) == threads
    assert threads[0][0] > 0 and threads[-1][0] == 0
