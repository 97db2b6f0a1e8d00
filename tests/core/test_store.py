"""Opening the database: read-only, and a clear error for every kind of damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nhfind.core.db.store import Store
from nhfind.core.errors import DatabaseError
from nhfind.core.models import SCHEMA_VERSION
from nhfind.core.search import search


def test_connections_are_read_only(fixture_store: Store) -> None:
    with fixture_store.connect() as conn, pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM services")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database at .*nhfind db build"):
        search(Store(tmp_path / "nope.db"), "x")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "not an nhfind database"), (b"hello, not sqlite" * 100, "damaged or not SQLite")],
)
def test_damaged_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=expected):
        search(Store(path), "x")


def test_truncated_file(tmp_path: Path, fixture_db: Path) -> None:
    path = tmp_path / "cut.db"
    path.write_bytes(fixture_db.read_bytes()[:3000])
    with pytest.raises(DatabaseError):
        search(Store(path), "shelter")


def test_wrong_schema_version(tmp_path: Path, fixture_db: Path) -> None:
    path = tmp_path / "old.db"
    path.write_bytes(fixture_db.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(DatabaseError, match=f"schema version 0, this nhfind reads version {SCHEMA_VERSION}"):
        search(Store(path), "x")


def test_threads_searching_one_store_each_get_their_own_answers(real_store: Store) -> None:
    # the TUI searches from worker threads while the UI thread reads details: a search's shared connection
    # (Store.session) belongs to one thread, so none sees another's, or one closed under it
    from concurrent.futures import ThreadPoolExecutor

    queries = ["shelter", "food stamps", "where can i get an std test", "narcan", "shelterr", "legal", "", "detox"]
    expected = {q: [r.id for r in search(real_store, q, limit=10).results] for q in queries}
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda q: (q, [r.id for r in search(real_store, q, limit=10).results]), queries * 25))
    assert all(ids == expected[q] for q, ids in answers)
    assert all(expected[q] for q in ("shelter", "food stamps", "narcan", "detox"))


def test_a_session_shares_one_connection_and_ends_with_it(fixture_store: Store) -> None:
    with fixture_store.session():
        with fixture_store.connect() as first, fixture_store.connect() as second:
            assert first is second
        with fixture_store.session(), fixture_store.connect() as nested:
            assert nested is first
    with fixture_store.connect() as after:
        assert after is not first
