"""Readers during writes: searches in 8 processes while the database is rebuilt 20 times in place.

Every read must return either the old or the new data, whole: never an error, never a mix; and the readers must
have seen both versions, which proves that the reads and the writes overlapped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from nhfind.core.db.write import build
from tests.conftest import FIXTURE_DATA

# 8 reader processes against 20 rewrites, three times: out of `make test-quick`
pytestmark = pytest.mark.slow

READER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from nhfind.core.search import search
    from nhfind.core.db.store import Store
    db, stop, ready = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    seen, errors, reads = set(), [], 0
    while not stop.exists() or reads < 5:
        try:
            page = search(Store(db), "")
            ids = sorted(r.id for r in page.results)
            if len(ids) != page.total:
                errors.append(f"partial: {len(ids)} records of {page.total}")
            seen.add(len(ids))
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        if reads == 0:
            (ready / str(os.getpid())).touch()
        reads += 1
    print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "reads": reads}))
    """
)

EXTRA = """
[[services]]
id = "test-extra-service"
name = "Extra Service"
description = "Present only in the second version of the data."
categories = ["food"]
last_verified = 2026-11-29
sources = ["site"]
"""


READERS = 8


def _start(argv: list[str], ready: Path, env: dict[str, str] | None = None) -> list[subprocess.Popen[str]]:
    """Start the readers and return once every one of them has finished a first read (so the writes overlap them)."""
    ready.mkdir()
    readers = [
        subprocess.Popen([sys.executable, "-c", *argv, str(ready)], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(READERS)
    ]
    deadline = time.monotonic() + 120
    while len(list(ready.iterdir())) < READERS:
        if time.monotonic() > deadline or any(r.poll() is not None for r in readers):
            for r in readers:
                r.kill()
            pytest.fail("the reader processes did not all start reading")
        time.sleep(0.02)
    return readers


def _finish(readers: list[subprocess.Popen[str]], stop: Path) -> list[dict[str, Any]]:
    stop.touch()
    return [json.loads(r.communicate(timeout=120)[0]) for r in readers]


def _assert_whole_and_both(outputs: list[dict[str, Any]], old: int, new: int) -> None:
    """Every read saw the old or the new data, whole; and between them the readers saw both, so reads and writes
    really overlapped (a test whose readers only ever saw one version would prove nothing)."""
    for out in outputs:
        assert out["errors"] == [], out["errors"]
        assert set(out["seen"]) <= {old, new}, out["seen"]
        assert out["reads"] >= 5
    seen = {n for out in outputs for n in out["seen"]}
    assert seen == {old, new}, f"readers saw only {sorted(seen)} services; both versions ({old} and {new}) expected"


def test_eight_readers_while_rebuilding_twenty_times(tmp_path: Path) -> None:
    data_a = tmp_path / "a"
    data_b = tmp_path / "b"
    shutil.copytree(FIXTURE_DATA, data_a)
    shutil.copytree(FIXTURE_DATA, data_b)
    shelter = data_b / "organizations" / "test-shelter.toml"
    shelter.write_text(shelter.read_text() + EXTRA)
    db, stop = tmp_path / "live.db", tmp_path / "stop"
    build(data_a, db)
    readers = _start([READER, str(db), str(stop)], tmp_path / "ready")
    try:
        for i in range(20):
            build(data_b if i % 2 == 0 else data_a, db)
    finally:
        outputs = _finish(readers, stop)
    _assert_whole_and_both(outputs, 6, 7)


LAYERED_READER = READER.replace('page = search(Store(db), "")', 'page = search(open_store(), "")').replace(
    "from nhfind.core.db.store import Store", "from nhfind.core.search import open_store"
)


def _layered_readers(env: dict[str, str], tmp_path: Path) -> list[subprocess.Popen[str]]:
    return _start([LAYERED_READER, "-", str(tmp_path / "stop")], tmp_path / "ready", env)


def _nhfind(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "nhfind", *args], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def _layered_env(tmp_path: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NHFIND")}
    return env | {"NHFIND_DATA_DIR": str(tmp_path / "user-data"), "HOME": str(tmp_path / "home")}


def test_eight_readers_while_db_update_swaps_twenty_times(tmp_path: Path) -> None:
    data_b = tmp_path / "b"
    shutil.copytree(FIXTURE_DATA, data_b)
    shelter = data_b / "organizations" / "test-shelter.toml"
    shelter.write_text(shelter.read_text() + EXTRA)
    offered_a, offered_b = tmp_path / "a.db", tmp_path / "b.db"
    build(FIXTURE_DATA, offered_a)
    build(data_b, offered_b)
    env, stop = _layered_env(tmp_path), tmp_path / "stop"
    _nhfind(env, "db", "update", str(offered_a))
    readers = _layered_readers(env, tmp_path)
    try:
        for i in range(20):
            _nhfind(env, "db", "update", str(offered_b if i % 2 == 0 else offered_a))
    finally:
        outputs = _finish(readers, stop)
    _assert_whole_and_both(outputs, 6, 7)


def test_eight_readers_while_imports_come_and_go_twenty_times(tmp_path: Path) -> None:
    from tests.hsds.conftest import FIXTURES

    env, stop = _layered_env(tmp_path), tmp_path / "stop"
    offered = tmp_path / "base.db"
    build(FIXTURE_DATA, offered)
    _nhfind(env, "db", "update", str(offered))  # a known base of 6 services; the import adds 2
    readers = _layered_readers(env, tmp_path)
    try:
        for i in range(20):
            if i % 2 == 0:
                _nhfind(env, "import", str(FIXTURES / "hsds3.json"))
            else:
                _nhfind(env, "db", "reset-overlay", "--yes")
    finally:
        outputs = _finish(readers, stop)
    _assert_whole_and_both(outputs, 6, 8)
