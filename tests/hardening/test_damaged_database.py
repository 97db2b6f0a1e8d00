"""Every kind of damaged or unusable database gets one clear line and exit code 2 from the CLI."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app

runner = CliRunner()


def _make(kind: str, tmp_path: Path, good: Path) -> Path:
    path = tmp_path / f"{kind}.db"
    if kind == "missing":
        return path
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(good.read_bytes()[:4096])
    elif kind == "not-sqlite":
        path.write_text("this is a shopping list, not a database\n" * 50)
    elif kind == "wrong-schema":
        path.write_bytes(good.read_bytes())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        conn.close()
    elif kind == "other-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    elif kind == "directory":
        path.mkdir()
    return path


KINDS = {
    "missing": "no database at",
    "empty": "not an nhfind database",
    "truncated": "",
    "not-sqlite": "damaged or not SQLite",
    "wrong-schema": "schema version 99",
    "other-sqlite": "not an nhfind database",
    "directory": "no database at",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", [["search", "shelter"], ["show", "test-shelter-beds"], ["export"], ["db", "info"]])
def test_damaged_database_one_line_exit_2(tmp_path: Path, fixture_db: Path, kind: str, command: list[str]) -> None:
    path = _make(kind, tmp_path, fixture_db)
    result = runner.invoke(app, ["--db", str(path), *command])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nhfind: ")
    assert KINDS[kind] in lines[0]
    assert "nhfind db build" in lines[0] or "--db" in lines[0]  # says what to do
    assert result.stdout == ""


def test_locked_database(tmp_path: Path, fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nhfind.core.db import store

    monkeypatch.setattr(store, "LOCK_WAIT", 0.2)  # the answer is the same after 2 s; the wait is not the point
    path = tmp_path / "locked.db"
    path.write_bytes(fixture_db.read_bytes())
    writer = sqlite3.connect(path, check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["--db", str(path), "search", "shelter"])
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 2
    assert "locked" in result.stderr and "try again" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_build_into_an_unwritable_place(tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(app, ["db", "build", "--data", str(FIXTURE_DATA), "--output", str(blocker / "x.db")])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "--output" in result.stderr


def test_reader_threads_share_nothing(fixture_db: Path) -> None:
    """The TUI searches from worker threads: each call opens its own connection."""
    from nhfind.core.db.store import Store
    from nhfind.core.search import search

    store, errors = Store(fixture_db), []

    def loop() -> None:
        try:
            for _ in range(50):
                assert search(store, "shelter").total >= 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=loop) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
