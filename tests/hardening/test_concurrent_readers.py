"""Readers during writes: searches in 8 processes while the database is rebuilt 20 times in place.

Every read must return either the old or the new data, whole: never an error, never a mix.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from nhfind.core.db.write import build
from tests.conftest import FIXTURE_DATA

READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from nhfind.core.search import search
    from nhfind.core.db.store import Store
    db, stop = Path(sys.argv[1]), Path(sys.argv[2])
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


def test_eight_readers_while_rebuilding_twenty_times(tmp_path: Path) -> None:
    data_a = tmp_path / "a"
    data_b = tmp_path / "b"
    shutil.copytree(FIXTURE_DATA, data_a)
    shutil.copytree(FIXTURE_DATA, data_b)
    shelter = data_b / "organizations" / "test-shelter.toml"
    shelter.write_text(shelter.read_text() + EXTRA)
    db, stop = tmp_path / "live.db", tmp_path / "stop"
    build(data_a, db)
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    try:
        for i in range(20):
            build(data_b if i % 2 == 0 else data_a, db)
    finally:
        stop.touch()
        outputs = [json.loads(r.communicate(timeout=120)[0]) for r in readers]
    for out in outputs:
        assert out["errors"] == []
        assert set(out["seen"]) <= {6, 7}
        assert out["reads"] >= 5
    assert {n for out in outputs for n in out["seen"]} == {6, 7}, "readers should have seen both versions"


LAYERED_READER = READER.replace('page = search(Store(db), "")', 'page = search(open_store(), "")').replace(
    "from nhfind.core.db.store import Store", "from nhfind.core.search import open_store"
)


def _layered_readers(env: dict[str, str], stop: Path) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", LAYERED_READER, "-", str(stop)], stdout=subprocess.PIPE, text=True, env=env
        )  # fmt: skip
        for _ in range(8)
    ]


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
    readers = _layered_readers(env, stop)
    try:
        for i in range(20):
            _nhfind(env, "db", "update", str(offered_b if i % 2 == 0 else offered_a))
    finally:
        stop.touch()
        outputs = [json.loads(r.communicate(timeout=120)[0]) for r in readers]
    for out in outputs:
        assert out["errors"] == [] and set(out["seen"]) <= {6, 7} and out["reads"] >= 5


def test_eight_readers_while_imports_come_and_go_twenty_times(tmp_path: Path) -> None:
    from tests.hsds.conftest import FIXTURES

    env, stop = _layered_env(tmp_path), tmp_path / "stop"
    offered = tmp_path / "base.db"
    build(FIXTURE_DATA, offered)
    _nhfind(env, "db", "update", str(offered))  # a known base of 6 services
    readers = _layered_readers(env, stop)
    try:
        for i in range(20):
            if i % 2 == 0:
                _nhfind(env, "import", str(FIXTURES / "hsds3.json"))
            else:
                _nhfind(env, "db", "reset-overlay", "--yes")
    finally:
        stop.touch()
        outputs = [json.loads(r.communicate(timeout=120)[0]) for r in readers]
    for out in outputs:
        assert out["errors"] == [], out["errors"]
        assert set(out["seen"]) <= {6, 8} and out["reads"] >= 5
