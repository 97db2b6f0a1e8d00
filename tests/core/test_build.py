"""Building the database from data files: validation, determinism, atomicity."""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset, sources_hash
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.core.errors import DataError
from tests.conftest import FIXTURE_DATA, REAL_DATA


def test_build_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build(FIXTURE_DATA, first)
    build(FIXTURE_DATA, second)
    assert first.read_bytes() == second.read_bytes()


def test_build_records_metadata(fixture_store: Store) -> None:
    meta = fixture_store.meta()
    assert meta["services"] == "6"
    assert meta["build_date"] == "2026-11-29"  # the newest last_verified, not the clock
    assert meta["oldest_verified"] == "2025-01-15"


@pytest.fixture
def broken_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return data


def _break(data: Path, old: str, new: str) -> None:
    path = data / "organizations" / "test-clinic.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "field", "record"),
    [
        ('categories = ["sexual-health", "medical-care"]', 'categories = ["sexual-health", "spa"]', "categories",
         "test-sti-testing"),
        ('id = "test-primary-care"', 'id = "test-sti-testing"', "id", "test-sti-testing"),
        ('kind = "voice"\nlabel = "Front desk"\nsource = "site"', 'kind = "voice"', "phones[0].source",
         "test-sti-testing"),
        ("last_verified = 2026-11-29", 'last_verified = "last week"', "last_verified", "test-sti-testing"),
        ('grade = "low"', 'grade = "none"', "sources.old.grade", ""),
        ('hours = { weekly = ["mon-fri 08:00-16:00"', 'hours = { weekly = ["weekdays 8-4"', "hours",
         "test-sti-testing"),
        ('cost = { value = ["free"], source = "site" }', 'cost = { value = ["free"], source = "nowhere" }', "cost",
         "test-sti-testing"),
    ],
)  # fmt: skip
def test_invalid_data_names_file_record_and_field(
    broken_data: Path, old: str, new: str, field: str, record: str
) -> None:
    _break(broken_data, old, new)
    with pytest.raises(DataError) as info:
        load_dataset(broken_data)
    assert info.value.path.endswith("test-clinic.toml")
    assert info.value.field == field
    assert info.value.record == record
    assert "\n" not in str(info.value)


def test_failed_build_leaves_previous_database_byte_identical(broken_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "nhfind.db"
    build(broken_data, target)
    before = target.read_bytes()
    _break(broken_data, '"sexual-health", "medical-care"', '"sexual-health", "spa"')
    with pytest.raises(DataError):
        build(broken_data, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_invalid_toml_is_reported_as_data_error(broken_data: Path) -> None:
    (broken_data / "organizations" / "test-clinic.toml").write_text("[organization\nid=")
    with pytest.raises(DataError, match="not valid TOML"):
        load_dataset(broken_data)


def test_sqlite_utils_search_works_on_the_built_file(fixture_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(fixture_db), "services", "shelter", "-c", "id"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "test-shelter-beds" in result.stdout


@pytest.mark.parametrize("data", [FIXTURE_DATA, REAL_DATA], ids=["fixture", "data"])
def test_build_on_several_cores_writes_the_same_bytes(tmp_path: Path, data: Path) -> None:
    # a large data/ is read by worker processes, each staging a run of files; the result must not show it
    build(data, tmp_path / "one.db", workers=1)
    report = build(data, tmp_path / "two.db", workers=2)
    assert (tmp_path / "two.db").read_bytes() == (tmp_path / "one.db").read_bytes()
    assert report.services == len(load_dataset(data).resources)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.db", "two.db"]  # no staged parts left behind


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('categories = ["sexual-health", "medical-care"]', 'categories = ["sexual-health", "spa"]'),
        ('id = "test-primary-care"', 'id = "test-shelter-beds"'),  # a duplicate of an id in another file
        ("[organization]", "[organization"),  # not TOML
    ],
)
def test_build_on_several_cores_reports_the_first_problem_as_one_process_does(
    broken_data: Path, tmp_path: Path, old: str, new: str
) -> None:
    _break(broken_data, old, new)
    target = tmp_path / "nhfind.db"
    with pytest.raises(DataError) as serial:
        build(broken_data, target, workers=1)
    with pytest.raises(DataError) as parallel:
        build(broken_data, target, workers=2)
    assert str(parallel.value) == str(serial.value)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_worker_that_dies_gives_one_line(broken_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from nhfind.cli import app
    from nhfind.core.db import write

    target = tmp_path / "nhfind.db"
    build(broken_data, target)
    before = target.read_bytes()
    monkeypatch.setattr(write, "PARALLEL_FROM", 1)  # this small data/ is read on several cores too

    def hash_and_kill(data: Path) -> str:  # the parent hashes data/ while the workers read it
        for worker in multiprocessing.active_children():
            worker.kill()  # as the kernel's out-of-memory killer would
        return sources_hash(data)

    monkeypatch.setattr(write, "sources_hash", hash_and_kill)
    result = CliRunner().invoke(app, ["db", "build", "--data", str(broken_data), "--output", str(target)])
    assert result.exit_code == 2
    assert "stopped unexpectedly" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "nhfind.db"]


def _entries(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}


def test_build_cache_serves_unchanged_files_and_never_stale_or_damaged_ones(broken_data: Path, tmp_path: Path) -> None:
    cache, first, again = tmp_path / "cache", tmp_path / "first.db", tmp_path / "again.db"
    build(broken_data, first, workers=2, cache=cache)
    kept = _entries(cache)
    assert len([name for name in kept if name.endswith(".db")]) == 4  # one run of files per file here
    build(broken_data, again, workers=2, cache=cache)
    assert again.read_bytes() == first.read_bytes()
    assert _entries(cache) == kept  # every run came from the cache

    # a changed file is read again; the result is what a build without any cache writes
    _break(broken_data, 'name = "Free STI Testing"', 'name = "Free STI Testing and Treatment"')
    changed, fresh = tmp_path / "changed.db", tmp_path / "fresh.db"
    build(broken_data, changed, workers=2, cache=cache)
    build(broken_data, fresh, workers=1)
    assert changed.read_bytes() == fresh.read_bytes() != first.read_bytes()
    now = _entries(cache)
    assert len(now) == len(kept) and len(set(now) - set(kept)) == 2  # the changed run's entry replaced the old one

    # a damaged entry (truncated, or bytes changed on disk) is read again, never used
    for entry in sorted(cache.glob("*.db"))[:2]:
        entry.write_bytes(entry.read_bytes()[:-100])
    again.unlink()
    build(broken_data, again, workers=2, cache=cache)
    assert again.read_bytes() == fresh.read_bytes()
