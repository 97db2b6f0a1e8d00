"""Filters as bitmaps of services rowids (schema.FILTER_BITMAPS, OPEN_BITMAPS) answer as the SQL over the facets and
openings tables does: open at any minute of the week (hours past midnight, across Sunday night, 24/7), hide police,
and facet selections, for the pages a user sees and the filter counts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset
from nhfind.core.db import rank
from nhfind.core.db.store import Store
from nhfind.core.db.write import write_database
from nhfind.core.models import Filters, Hours
from nhfind.core.search import facet_counts, search

FIXTURE_DATA = Path(__file__).resolve().parent.parent / "fixtures" / "data"

LATE = (
    Hours("site", weekly=("fri 22:00-02:00", "mon-sun 11:30-13:00")),
    Hours("site", weekly=("sun 22:00-06:00",)),  # Sunday night into Monday: the week wraps
    Hours("site", always=True),
    Hours("site", weekly=("mon-fri 08:00-16:00", "sat 10:00-14:00")),
    Hours("site", weekly=("sat 23:45-23:59", "tue 00:00-00:15")),
)
WEEK = [dt.datetime(2026, 11, 30) + dt.timedelta(minutes=m) for m in range(0, 7 * 24 * 60, 15)]
"""Every quarter hour of a week from Monday 30 November 2026, plus the minutes either side of the odd times above."""
WEEK += [dt.datetime(2026, 12, 5, 23, m) for m in (44, 45, 58, 59)] + [dt.datetime(2026, 12, 1, 0, 14)]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture data with some services keeping late hours, built as now and as an older nhfind built it (no
    bitmaps)."""
    data = load_dataset(FIXTURE_DATA)
    resources = tuple(  # every sixth keeps its hours (often unknown)
        r._replace(hours=LATE[i % len(LATE)]._replace(source=next(iter(r.sources)))) if r.sources and i % 6 else r
        for i, r in enumerate(data.resources)
    )
    folder = tmp_path_factory.mktemp("bitmaps")
    new, old = folder / "new.db", folder / "old.db"
    write_database(dataclasses.replace(data, resources=resources), new)
    shutil.copyfile(new, old)
    conn = sqlite3.connect(old)
    conn.execute("DROP TABLE filter_bitmaps")
    conn.execute("DROP TABLE open_bitmaps")
    conn.commit()
    conn.close()
    return new, old


def test_the_late_hours_reach_the_database(databases: tuple[Path, Path]) -> None:
    conn = sqlite3.connect(databases[0])
    try:
        assert conn.execute("SELECT count(*) FROM openings WHERE closes > 1440").fetchone()[0] > 0
    finally:
        conn.close()


def test_open_at_every_quarter_hour_of_the_week_is_what_the_openings_table_says(databases: tuple[Path, Path]) -> None:
    conn = sqlite3.connect(databases[0])
    try:
        rowids = [r for (r,) in conn.execute("SELECT rowid FROM services")]
        seen = set()
        for when in WEEK:
            bits = rank.filter_bits(conn, Filters(open_at=when))
            assert bits is not None
            found = {r for r in rowids if bits.rows() >> r & 1}
            body, params = rank.matching("", rank.conditions(Filters(open_at=when)))  # the openings table's SQL
            expected = {r for (r,) in conn.execute(f"SELECT s.rowid {body}", params)}
            assert found == expected, when
            seen.add(frozenset(found))
        assert len(seen) > 5  # the week really changes who is open
    finally:
        conn.close()


MIXES = (
    Filters(exclude_law_enforcement=True),
    Filters(confidentiality=("law-enforcement",)),
    Filters(open_at=dt.datetime(2026, 12, 5, 1, 0)),  # Saturday 1 am: only the Friday-night hours
    Filters(open_at=dt.datetime(2026, 11, 30, 5, 59), exclude_law_enforcement=True),  # Monday, before 6 am
    Filters(categories=("shelter", "food"), costs=("free",), exclude_law_enforcement=True),
    Filters(costs=("free",), open_at=dt.datetime(2026, 12, 2, 12, 0)),
)


@pytest.mark.parametrize("text", ["", "shelter", "food", "help", "police", "clinic"])
def test_pages_and_filter_counts_equal_an_older_database(databases: tuple[Path, Path], text: str) -> None:
    new, old = Store(databases[0]), Store(databases[1])
    for filters in MIXES:
        pages = [search(store, text, filters, limit=5, with_facets=True) for store in (new, old)]
        assert [r.id for r in pages[0].results] == [r.id for r in pages[1].results], filters
        assert pages[0].total == pages[1].total, filters
        assert pages[0].facets == pages[1].facets, filters
        assert facet_counts(new, pages[0], filters) == facet_counts(old, pages[1], filters), filters
        if filters.exclude_law_enforcement:
            assert not any(r.is_law_enforcement for r in pages[0].results)


def test_hide_police_leaves_out_every_police_service(databases: tuple[Path, Path]) -> None:
    store = Store(databases[0])
    everything = search(store, "", Filters(), limit=None)
    hidden = search(store, "", Filters(exclude_law_enforcement=True), limit=None)
    police = [r.id for r in everything.results if r.is_law_enforcement]
    assert police, "the fixture data has police services"
    assert hidden.total == everything.total - len(police)
    assert not set(police) & {r.id for r in hidden.results}
