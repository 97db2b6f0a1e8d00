"""The benchmark works end to end at a tiny size, and the speed paths it drove give the same answers as before.

No timings are asserted here (timings live in benchmarks/run.py); these tests check that the benchmark runs and
prints its table, that generated data passes the real build, and that the fast search path and the fast record
serializer return exactly what the plain ones do.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest

from nhfind.core import fts
from nhfind.core.dataset import load_dataset
from nhfind.core.db import rank, schema
from nhfind.core.db.store import Store
from nhfind.core.db.write import build, record_json
from nhfind.core.db.write import write_filter_bitmaps as _write_bitmaps
from nhfind.core.models import Filters, Resource

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
SIZE = 200

# generates and builds a synthetic data set and runs the benchmark scripts: long, so out of `make test-quick`
pytestmark = pytest.mark.slow


def _generate(out: Path, n: int = SIZE, seed: int = 3) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), "--n", str(n), "--seed", str(seed), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "data"
    _generate(out)
    return out


@pytest.fixture(scope="module")
def generated_db(generated: Path) -> Path:
    db = generated.parent / "bench.db"
    build(generated, db)
    return db


def test_generated_data_passes_the_real_build(generated: Path, generated_db: Path) -> None:
    dataset = load_dataset(generated)
    assert len(dataset.resources) == SIZE
    assert len(list((generated / "organizations").glob("*.toml"))) == SIZE // 10
    assert Store(generated_db).counts()["services_fts"] == SIZE


def test_generator_is_seeded(tmp_path: Path) -> None:
    _generate(tmp_path / "a", n=30, seed=5)
    _generate(tmp_path / "b", n=30, seed=5)
    _generate(tmp_path / "c", n=30, seed=6)
    files = sorted(p.name for p in (tmp_path / "a" / "organizations").iterdir())
    same = [(tmp_path / "a" / "organizations" / f).read_bytes() == (tmp_path / "b" / "organizations" / f).read_bytes()
            for f in files]  # fmt: skip
    assert all(same)
    assert (tmp_path / "a" / "organizations" / files[0]).read_bytes() != (
        tmp_path / "c" / "organizations" / files[0]
    ).read_bytes()


def test_generated_records_are_plainly_fake(generated: Path) -> None:
    for resource in load_dataset(generated).resources:
        assert "synthetic" in resource.description
        assert all("-555-01" in phone.number for phone in resource.phones)
        assert all(".example.org" in source.url for source in resource.sources.values())


@pytest.mark.skipif(shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) is None
                    and shutil.which("sqlite-utils") is None, reason="sqlite-utils CLI not installed")  # fmt: skip
def test_benchmark_runs_and_prints_its_table() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--sizes",
            str(SIZE),
            "--reps",
            "2",
            "--cli-reps",
            "1",
            "--tui-runs",
            "1",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| size | measure | median | p95 |")
    body = "\n".join(lines)
    for measure in ("build: `nhfind db build`", "search common word", "counted in the index",
                    "counted through the join", "LIKE scan", "CLI `nhfind search", "do-nothing Typer app",
                    "sqlite-utils search", "TUI", "first page shared with full bm25"):  # fmt: skip
        assert measure in body, f"no {measure!r} row in:\n{done.stdout}"
    assert all(line.startswith(f"| {SIZE} |") for line in lines[2:] if line.startswith("| "))
    for measure in ("TUI keystroke to repainted results", "TUI first paint"):
        assert measure in body, f"no {measure!r} row in:\n{done.stdout}"
    assert "n/a" not in body, f"a measure was skipped:\n{done.stdout}"


# -- the speed paths answer exactly as the plain ones -------------------------------------------------------------


FILTERS = (
    Filters(),
    Filters(categories=("medical-care",), costs=("free",)),
    Filters(categories=("food", "housing"), populations=("adults",)),
    Filters(exclude_law_enforcement=True),
    Filters(confidentiality=("law-enforcement",)),
    Filters(open_at=dt.datetime(2026, 12, 2, 10, 30)),
)


T = TypeVar("T")


def _both(monkeypatch: pytest.MonkeyPatch, call: Callable[[], T]) -> tuple[T, T]:
    """`call` answered by the index-only fast path, then by the plain join-then-rank query."""
    fast = call()
    with monkeypatch.context() as patch:
        patch.setattr(rank, "_ranked_in_index", lambda *args: None)
        plain = call()
    return fast, plain


def _texts(store: Store) -> list[str]:
    pairs = store.names()
    names = [name for _, name in pairs[:6]]
    organization = json.loads(store.records([pairs[0][0]])[pairs[0][0]])["organization"]
    return ["support", "shel", "sh", "clinic", "food pantry", "services help", "zzzz", *names, names[0].upper(),
            " ".join(names[1].split()[:2]), pairs[2][0].replace("-", " "), organization]  # fmt: skip


def test_fast_ranked_search_returns_the_same_pages_as_the_plain_query(
    generated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(generated_db)
    for text in _texts(store):
        for any_word in (False, True):
            match = fts.expression(fts.tokens(text), any_word=any_word)
            for filters in FILTERS:
                for limit, offset in ((20, 0), (5, 3), (1, 0), (0, 0), (60, 10), (None, 0)):
                    fast, plain = _both(monkeypatch, partial(store.search, match, filters, limit, offset, text))
                    assert fast == plain, (text, filters, limit, offset)


def test_fast_relaxed_search_keeps_the_all_words_matches_first(
    generated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(generated_db)
    for text in ("support clinic", "food shelter help", "oakmont pantry"):
        words = fts.tokens(text)
        match, relaxed = fts.expression(words), fts.expression(words, any_word=True)
        for limit, offset in ((20, 0), (7, 5)):
            call = partial(store.search_or_relax, match, relaxed, 10**6, Filters(), limit, offset, text)
            fast, plain = _both(monkeypatch, call)
            assert fast == plain, (text, limit, offset)
            assert fast[2], "the relaxed search ran"


@pytest.mark.parametrize("threshold", ["EXACT_RANKING", "EXACT_FILTERED"])
def test_capped_ranking_covering_every_match_returns_the_same_pages_as_the_plain_query(
    generated_db: Path, monkeypatch: pytest.MonkeyPatch, threshold: str
) -> None:
    """Above rank.EXACT_RANKING matches (EXACT_FILTERED with filters) bm25 scores a capped candidate set; when the
    cap covers every match, the pages are exactly the plain ones (the candidate machinery loses nothing and orders as
    the plain query)."""
    monkeypatch.setattr(rank, threshold, 0)
    monkeypatch.setattr(rank, "CANDIDATES", SIZE * 100)  # every tier's share covers every match
    monkeypatch.setattr(rank, "SPAN", 0)
    store = Store(generated_db)
    for text in _texts(store):
        match = fts.expression(fts.tokens(text))
        for filters in FILTERS[:3]:
            for limit, offset in ((20, 0), (5, 3), (60, 10)):
                fast, plain = _both(monkeypatch, partial(store.search, match, filters, limit, offset, text))
                assert fast == plain, (text, filters, limit, offset)


def test_a_small_cap_keeps_the_total_the_exact_name_first_and_the_bm25_order(
    generated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cap far below the matches, the page may hold other services than full bm25's, but the total is exact,
    an exactly named service still comes first, and what is shown keeps the plain query's relative order."""
    monkeypatch.setattr(rank, "EXACT_RANKING", 0)
    monkeypatch.setattr(rank, "CANDIDATES", 5)
    store = Store(generated_db)
    for text in _texts(store):
        match = fts.expression(fts.tokens(text))
        fast, _ = _both(monkeypatch, partial(store.search, match, Filters(), 20, 0, text))
        with monkeypatch.context() as patch:
            patch.setattr(rank, "_ranked_in_index", lambda *args: None)
            every, total = store.search(match, Filters(), None, 0, text)
        records, fast_total = fast
        assert fast_total == total, text
        assert len(records) == min(20, total), text  # a capped page is never short of matches
        positions = [every.index(record) for record in records]
        assert positions == sorted(positions), text
        assert not every or every[0] in records[:1] or json.loads(every[0])["name"].lower() != text.lower(), text


def test_exact_name_lookups_find_every_row_the_exact_boost_ranks_up(generated_db: Path) -> None:
    """The fast path finds boosted rows through indexes (schema.EXACT_CANDIDATES), missing none exact_rank lifts."""
    store = Store(generated_db)
    conn = sqlite3.connect(generated_db)
    try:
        rows = conn.execute("SELECT id, name, organization FROM services ORDER BY rowid LIMIT 40").fetchall()
        texts = {"zz", "su"}
        for sid, name, organization in rows:
            short_org = organization.split(" (")[0]
            texts |= {name, sid.replace("-", " "), " ".join(name.split()[:1]), " ".join(name.split()[:2]),
                      organization, short_org, short_org.split()[0]}  # fmt: skip
        for text in texts:
            exact = " ".join(text.casefold().split())
            values = {"exact": exact, "slug": "-".join(exact.split())}
            every = f"SELECT rowid FROM services s WHERE {schema.exact_rank('s')} > 0"
            boosted = {r[0] for r in conn.execute(every, values)}
            found = {r[0] for r in conn.execute(schema.EXACT_CANDIDATES, values)}
            assert boosted <= found, text
            assert boosted or text in ("zz", "su")
    finally:
        conn.close()
    assert store.counts()["services"] == SIZE


@pytest.fixture(scope="module")
def prefixed_db(generated: Path) -> Path:
    """The generated data built with every token listed in search_prefixes (a county-sized build lists none)."""
    db = generated.parent / "prefixed.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema, "PREFIXED_TOKEN_DOCS", 1)
        build(generated, db)
    return db


def test_listed_prefixes_match_what_the_prefix_matches_with_the_same_scores(prefixed_db: Path) -> None:
    """Each search_prefixes row keeps its promise: its tokens' OR matches exactly the services the typed prefix
    matches, one token gives the same bm25 scores, and `docs` is how many services that is."""
    conn = sqlite3.connect(prefixed_db)
    try:
        rows = conn.execute("SELECT prefix, tokens, docs, columns FROM search_prefixes").fetchall()
        assert len(rows) > 100, "the build lists prefixes"
        assert {"support", "supp", "shel"} <= {r[0] for r in rows}
        for prefix, tokens, docs, columns in rows:
            typed = f"{fts.quote(prefix)} *"
            either = " OR ".join(fts.quote(t) for t in tokens.split())
            scored = f"SELECT rowid, bm25(services_fts, {rank.WEIGHTS}) FROM services_fts WHERE services_fts MATCH ?"
            want = conn.execute(scored, [typed]).fetchall()
            assert {r[0] for r in conn.execute(scored, [either])} == {r[0] for r in want}, prefix
            if docs is not None:
                assert conn.execute(scored, [either]).fetchall() == want, prefix
                assert docs == len(want), prefix
            for column in json.loads(columns):
                assert column in schema.FTS_WEIGHTS
    finally:
        conn.close()


def test_searches_answer_the_same_with_and_without_the_listed_prefixes(
    prefixed_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Prefixes written as whole tokens (rank.whole_words) change no page and no total: exact rankings, capped ones
    covering every match, filters, relaxed searches, and the shortcut total of one word."""
    unlisted = tmp_path / "unlisted.db"
    shutil.copyfile(prefixed_db, unlisted)
    conn = sqlite3.connect(unlisted)
    conn.execute("DROP TABLE search_prefixes")
    conn.commit()
    conn.close()
    listed, plain = Store(prefixed_db), Store(unlisted)
    texts = [*_texts(listed), "sup", "supp", "supporting", "hel", "housing", "families", "family support",
             "shelter help", "food pro"]  # fmt: skip
    for cap in (False, True):
        with monkeypatch.context() as patch:
            if cap:
                patch.setattr(rank, "EXACT_RANKING", 0)
                patch.setattr(rank, "CANDIDATES", SIZE * 100)
                patch.setattr(rank, "SPAN", 0)
            for text in texts:
                for any_word in (False, True):
                    match = fts.expression(fts.tokens(text), any_word=any_word)
                    for filters in FILTERS[:4]:
                        for limit, offset in ((20, 0), (5, 3)):
                            args = (match, filters, limit, offset, text)
                            assert listed.search(*args) == plain.search(*args), (text, filters, cap)
                words = fts.tokens(text)
                args2 = (fts.expression(words), fts.expression(words, any_word=True), 10**6, Filters(), 20, 0, text)
                assert listed.search_or_relax(*args2) == plain.search_or_relax(*args2), text


def test_pages_put_support_services_before_police_ones_and_join_into_the_whole_list(generated_db: Path) -> None:
    """Each page is ranked once, twice its length, and split into support and police services when it holds police
    ones (core.search._ranked): page after page gives what the whole list gives, police after everyone else."""
    from nhfind.core.search import search

    store = Store(generated_db)
    seen_police = False
    for text in ("support", "services help", "", "clinic"):
        results = search(store, text, Filters(), limit=None).results
        whole, police = [r.id for r in results], [r.is_law_enforcement for r in results]
        seen_police |= any(police)
        assert police == sorted(police), text  # support services first
        pages = [r.id for at in range(0, 28, 7) for r in search(store, text, Filters(), limit=7, offset=at).results]
        assert pages == whole[:28], text
    assert seen_police, "the generated data has police services on these searches"


def test_an_exactly_named_service_still_comes_first(generated_db: Path) -> None:
    store = Store(generated_db)
    _, name = store.names()[-1]
    records, total = store.search(fts.expression(fts.tokens(name)), Filters(), 3, 0, exact=name.lower())
    assert total >= 1
    assert json.loads(records[0])["name"].lower() == name.lower()


@pytest.mark.parametrize("data", [FIXTURE_DATA, None], ids=["fixtures", "generated"])
def test_fast_record_serializer_equals_to_dict(data: Path | None, generated: Path) -> None:
    for resource in load_dataset(data or generated).resources:
        expected = json.dumps(resource.to_dict(), sort_keys=True, ensure_ascii=False)
        assert record_json(resource) == expected
        assert Resource.from_dict(json.loads(record_json(resource))) == resource


def test_cli_startup_benchmark_runs_and_reports_both_targets(generated_db: Path) -> None:
    # two rounds only: this checks that benchmarks/cli.py works and says what it measured, not the timings
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "cli.py"), "--runs", "2", "--warmup", "0", "--breakdown",
         "--db", str(generated_db)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = ["typer do-nothing app", "sqlite-utils search", "nhfind search shelter --format csv", "import typer",
            "the same without nhfind.entry", "nhfind / typer do-nothing", "nhfind / sqlite-utils"]  # fmt: skip
    assert [row for row in rows if row not in done.stdout] == []


@pytest.mark.parametrize("odd_hours", [False, True], ids=["updated in place", "written whole"])
def test_layered_filter_bitmaps_hold_what_a_full_build_writes(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd_hours: bool
) -> None:
    """layer_database sets the new services' bits in the base's bitmaps instead of rewriting them all; a new
    service opening at a minute the base has no stretch of the week for makes it write them whole. Either way they
    hold what a full build of base + overlay writes."""
    from dataclasses import replace

    from nhfind.core.db import write
    from nhfind.core.models import Hours

    base_set = load_dataset(generated)
    base = tmp_path / "base.db"
    write.write_database(base_set, base)
    other = tmp_path / "other"
    _generate(other, n=40, seed=11)
    new = [r._replace(id=f"imported-{r.id}") for r in load_dataset(other).resources[:30]]
    if odd_hours:
        source = next(iter(new[0].sources))
        new[0] = new[0]._replace(hours=Hours(source, weekly=("tue 07:13-08:47", "sat 23:11-02:07")))
    orgs = {o[0]: o for o in base_set.organizations} | {r.organization_id: (r.organization_id, r.organization, "")
                                                         for r in new}  # fmt: skip
    full, layered = tmp_path / "full.db", tmp_path / "layered.db"
    everything = sorted([*base_set.resources, *new], key=lambda r: r.id)
    write.write_database(replace(base_set, resources=tuple(everything), organizations=tuple(sorted(orgs.values())),
                                 sources_hash="x"), full)  # fmt: skip
    whole: list[int] = []

    def written_whole(conn: sqlite3.Connection) -> None:
        whole.append(1)
        _write_bitmaps(conn)

    monkeypatch.setattr(write, "write_filter_bitmaps", written_whole)
    write.layer_database(base, replace(base_set, resources=tuple(sorted(new, key=lambda r: r.id)),
                                       organizations=tuple(orgs[r.organization_id] for r in new), sources_hash="x"),
                         layered)  # fmt: skip
    assert whole == ([1] if odd_hours else [])
    a, b = sqlite3.connect(full), sqlite3.connect(layered)
    try:
        assert _bitmaps_by_id(a) == _bitmaps_by_id(b)
    finally:
        a.close()
        b.close()


def test_import_benchmark_imports_a_generated_package_over_a_given_base(generated_db: Path, tmp_path: Path) -> None:
    # a tiny package, one run: benchmarks/importing.py makes its HSDS package and times a real `nhfind import`
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "importing.py"), "--n", "30", "--runs", "1", "--base", str(generated_db),
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "run 1: " in done.stdout and "s CPU" in done.stdout
    assert "imported 30 services" in done.stdout and f"over {generated_db}" in done.stdout


def test_filter_counts_from_the_index_equal_counts_over_the_services_table(generated_db: Path) -> None:
    """Store.facet_counts goes from full-text rowids to facet codes (schema.FACET_CODES); it must count exactly what
    the facets table says of the matching services."""
    store = Store(generated_db)
    conn = sqlite3.connect(generated_db)
    try:
        for text in _texts(store):
            match = fts.expression(fts.tokens(text))
            for filters in FILTERS:
                body, params = rank.matching(match, rank.conditions(filters))
                expected: dict[str, dict[str, int]] = {}
                for facet, value, count in conn.execute(
                    f"SELECT facet, value, count(*) FROM facets WHERE service_id IN (SELECT s.id {body})"
                    " GROUP BY facet, value",
                    params,
                ):
                    expected.setdefault(facet, {})[value] = count
                got = {facet: values for facet, values in store.facet_counts(match, filters).items() if values}
                assert got == expected, (text, filters)
    finally:
        conn.close()


def test_filter_choice_counts_from_the_index_equal_the_counts_over_the_facets_table(generated_db: Path) -> None:
    """The TUI's one-pass counts (Store.facet_choice_counts, over facet codes) equal the same counts taken over the
    facets table by service id, for every word and filter mix."""
    store = Store(generated_db)
    mixes = (*FILTERS, Filters(categories=("food", "housing"), costs=("free",), exclude_law_enforcement=True))
    for text in [*_texts(store), ""]:
        match = fts.expression(fts.tokens(text))
        for filters in mixes:
            got = {f: v for f, v in store.facet_choice_counts(match, filters).items() if v}
            expected = {f: v for f, v in store._facet_choice_counts_by_id(match, filters).items() if v}
            assert got == expected, (text, filters)


def _bitmaps_by_id(conn: sqlite3.Connection) -> dict[tuple[object, ...], set[str]]:
    """The filter and open bitmaps of a database with each rowid read as its service id (layering moves rowids)."""
    ids = dict(conn.execute("SELECT rowid, id FROM services"))
    out: dict[tuple[object, ...], set[str]] = {}
    for table in ("filter_bitmaps", "open_bitmaps"):
        for *key, blob in conn.execute(f"SELECT * FROM {table}"):
            bits = rank.from_blob(blob)
            out[(table, *key)] = {ids[r] for r in range(bits.bit_length()) if bits >> r & 1}
    return out


def test_layering_services_over_a_copy_answers_as_a_full_rebuild(generated: Path, tmp_path: Path) -> None:
    """The overlay compiler writes imported services into a copy of the base (write.layer_database) instead of
    rebuilding every service: the tables, searches and counts must be those of a full build of base + overlay."""
    from dataclasses import replace

    from nhfind.core.db.write import layer_database, write_database

    base_set = load_dataset(generated)
    base = tmp_path / "base.db"
    write_database(base_set, base)
    other = tmp_path / "other"
    _generate(other, n=40, seed=9)
    new = [r._replace(id=f"imported-{r.id}") for r in load_dataset(other).resources[:30]]
    changed = [r._replace(name=r.name + " Annex", description="A changed description: dental care") for r in
               base_set.resources[:10]]  # fmt: skip
    # the base's oldest and newest verified services come back with another date: the dates in meta must follow
    dated = sorted((r for r in base_set.resources if r.last_verified), key=lambda r: r.last_verified)
    changed += [r._replace(last_verified=dated[len(dated) // 2].last_verified) for r in (dated[0], dated[-1])]
    overlay = {r.id: r for r in [*new, *changed]}
    merged = {**{r.id: r for r in base_set.resources}, **overlay}
    orgs = {o[0]: o for o in base_set.organizations} | {r.organization_id: (r.organization_id, r.organization, "")
                                                         for r in new}  # fmt: skip
    full, layered = tmp_path / "full.db", tmp_path / "layered.db"
    write_database(replace(base_set, resources=tuple(merged[k] for k in sorted(merged)),
                           organizations=tuple(sorted(orgs.values())), sources_hash="x"), full)  # fmt: skip
    layer_database(base, replace(base_set, resources=tuple(overlay[k] for k in sorted(overlay)),
                                 organizations=tuple(orgs[r.organization_id] for r in new), sources_hash="x"),
                   layered)  # fmt: skip
    tables = {
        "services": "SELECT * FROM services ORDER BY id",
        "facets": "SELECT * FROM facets ORDER BY 1, 2, 3",
        "phones": "SELECT * FROM phones ORDER BY 1, 2",
        "openings": "SELECT * FROM openings ORDER BY 1, 2, 3",
        "sources": "SELECT * FROM sources ORDER BY 1, 2",
        "organizations": "SELECT * FROM organizations ORDER BY 1",
        "meta": "SELECT * FROM meta ORDER BY 1",
        "codes": "SELECT s.id, v.facet, v.value FROM facet_codes c JOIN services s ON s.rowid = c.service_rowid"
        " JOIN facet_values v USING (code) ORDER BY 1, 2, 3",
    }
    a, b = sqlite3.connect(full), sqlite3.connect(layered)
    try:
        for name, sql in tables.items():
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), name
        assert _bitmaps_by_id(a) == _bitmaps_by_id(b)
        terms = set(b.execute("SELECT term, weight FROM search_terms").fetchall())
        assert set(a.execute("SELECT term, weight FROM search_terms").fetchall()) <= terms
        assert b.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert b.execute("INSERT INTO services_fts(services_fts) VALUES ('integrity-check')").fetchall() == []
    finally:
        a.close()
        b.close()
    full_store, layered_store = Store(full), Store(layered)
    for text in ["dental care annex", "imported", "support", "shel", "clinic", *[r.name for r in new[:3]]]:
        match = fts.expression(fts.tokens(text))
        for filters in MIXES:  # hide police and open at too, through the layered database's bitmaps
            assert layered_store.search(match, filters, 20, 0, text) == full_store.search(match, filters, 20, 0, text)
            assert layered_store.facet_choice_counts(match, filters) == full_store.facet_choice_counts(match, filters)
            assert layered_store.facet_counts(match, filters) == full_store.facet_counts(match, filters)


def _without(db: Path, out: Path, *tables: str) -> Path:
    """A copy of `db` without `tables`: a database as an older nhfind built it."""
    shutil.copyfile(db, out)
    conn = sqlite3.connect(out)
    try:
        for table in tables:
            conn.execute(f"DROP TABLE {table}")
        conn.commit()
    finally:
        conn.close()
    return out


WEEK = [dt.datetime(2026, 11, 30) + dt.timedelta(minutes=m) for m in range(0, 7 * 24 * 60, 25)]
"""Every 25 minutes of a week (Monday 30 November 2026 on): each day's openings, closings and past-midnight hours."""

MIXES = (
    *FILTERS,
    Filters(categories=("food", "housing"), costs=("free",), exclude_law_enforcement=True),
    Filters(categories=("medical-care",), exclude_law_enforcement=True, open_at=dt.datetime(2026, 12, 6, 1, 15)),
    Filters(costs=("free", "sliding-scale"), languages=("es",), open_at=dt.datetime(2026, 12, 5, 23, 50)),
    Filters(populations=("no-such-value",)),
    Filters(exclude_law_enforcement=True, confidentiality=("law-enforcement",)),
)


def test_filters_as_bitmaps_give_the_pages_and_counts_of_the_service_id_subqueries(
    generated_db: Path, tmp_path: Path
) -> None:
    """The ranked pages, totals and filter counts read through the filter bitmaps (schema.FILTER_BITMAPS,
    OPEN_BITMAPS) equal those of the same database without them (an older nhfind's: filters as subqueries of service
    ids, counts over facet codes), for every word and filter mix, hide police and open-at included."""
    stores = {
        "bitmaps": Store(generated_db),
        "none": Store(_without(generated_db, tmp_path / "none.db", "filter_bitmaps", "open_bitmaps")),
        "no open bitmaps": Store(_without(generated_db, tmp_path / "facets-only.db", "open_bitmaps")),
    }
    for text in [*_texts(stores["bitmaps"]), ""]:
        match = fts.expression(fts.tokens(text))
        for filters in MIXES:
            answers = {
                name: (
                    store.search(match, filters, 20, 0, text),
                    store.search(match, filters, 5, 3, text),
                    store.search(match, filters, None, 0, text),
                    store.facet_counts(match, filters),
                    store.facet_choice_counts(match, filters),
                )
                for name, store in stores.items()
            }
            assert answers["bitmaps"] == answers["none"] == answers["no open bitmaps"], (text, filters)


def test_open_bitmaps_hold_the_services_the_openings_table_says_are_open(generated_db: Path) -> None:
    """At every time of a week, the services the open-at bitmap leaves are those the openings table's SQL finds."""
    conn = sqlite3.connect(generated_db)
    try:
        assert conn.execute("SELECT count(*) FROM open_bitmaps").fetchone()[0] > 7
        for when in WEEK:
            filters = Filters(open_at=when)
            bits = rank.filter_bits(conn, filters)
            assert bits is not None
            found = {rowid for (rowid,) in conn.execute("SELECT rowid FROM services") if bits.rows() >> rowid & 1}
            where = rank.conditions(filters)  # no connection: the subqueries of service ids
            body, params = rank.matching("", where)
            expected = {row[0] for row in conn.execute(f"SELECT s.rowid {body}", params)}
            assert found == expected, when
            assert expected or when.hour < 6, when  # the generated services keep day hours
    finally:
        conn.close()


def test_too_many_opening_times_leave_open_at_to_the_openings_table(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data set whose openings have more distinct times than write.MAX_OPEN_SEGMENTS gets no open bitmaps (they
    would be too large), and open-at filters then read the openings table: same answers."""
    from nhfind.core.db import write

    monkeypatch.setattr(write, "MAX_OPEN_SEGMENTS", 7)
    db = tmp_path / "few.db"
    build(generated, db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'open_bitmaps'").fetchone() is None
        assert rank.filter_bits(conn, Filters(open_at=WEEK[30])) is None
        assert rank.filter_bits(conn, Filters(costs=("free",))) is not None
    finally:
        conn.close()
    store = Store(db)
    filters = Filters(categories=("medical-care",), open_at=WEEK[30])
    assert rank.conditions(filters).params  # the service-id subqueries
    total = store.search("", filters, None, 0)[1]
    assert 0 < total == store.facet_counts("", filters)["category"]["medical-care"]
