"""Nothing half-written: a build that fails at any step leaves the previous database byte-identical."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from typer.testing import CliRunner

from nhfind.cli import app
from nhfind.core.dataset import Dataset
from nhfind.core.db import write as core_build
from tests.conftest import FIXTURE_DATA


@pytest.fixture
def built(tmp_path: Path) -> Path:
    target = tmp_path / "nhfind.db"
    core_build.build(FIXTURE_DATA, target)
    return target


@pytest.mark.parametrize("step", ["services", "facets", "enable_fts", "VACUUM"])
def test_crash_in_the_middle_of_a_build(built: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    before = built.read_bytes()
    import sqlite_utils

    real_insert = core_build._insert
    real_enable_fts = sqlite_utils.db.Table.enable_fts

    class Crash(RuntimeError):
        pass

    def insert(db: Any, table: str, columns: dict[str, type], rows: Iterable[tuple[Any, ...]]) -> None:
        if table == step:
            real_insert(db, table, columns, list(rows)[:1])  # part of the table is written...
            raise Crash("power cut")  # ...then the process dies
        return real_insert(db, table, columns, rows)

    def enable_fts(self: sqlite_utils.db.Table, *args: Any, **kwargs: Any) -> Any:  # as sqlite-utils declares it
        if step == "enable_fts":
            raise Crash("power cut")
        return real_enable_fts(self, *args, **kwargs)

    monkeypatch.setattr(core_build, "_insert", insert)
    monkeypatch.setattr(sqlite_utils.db.Table, "enable_fts", enable_fts)
    if step == "VACUUM":
        real_write = core_build.write_database

        def write_then_fail(dataset: Dataset, path: Path) -> NoReturn:
            real_write(dataset, path)
            raise Crash("power cut after writing, before the swap")

        monkeypatch.setattr(core_build, "write_database", write_then_fail)
    with pytest.raises(Crash):
        core_build.build(FIXTURE_DATA, built)
    assert built.read_bytes() == before
    assert sorted(p.name for p in built.parent.iterdir()) == ["nhfind.db"]


def test_full_disk_during_build(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = built.read_bytes()

    def no_space(dataset: Dataset, path: Path) -> NoReturn:
        Path(path).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(core_build, "write_database", no_space)
    result = CliRunner().invoke(app, ["db", "build", "--data", str(FIXTURE_DATA), "--output", str(built)])
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert built.read_bytes() == before
    assert sorted(p.name for p in built.parent.iterdir()) == ["nhfind.db"]


def test_broken_data_file_from_the_cli(built: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    org = data / "organizations" / "test-shelter.toml"
    org.write_text(org.read_text().replace('categories = ["shelter", "housing"]', 'categories = ["shelter", "spa"]'))
    before = built.read_bytes()
    result = CliRunner().invoke(app, ["db", "build", "--data", str(data), "--output", str(built)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "test-shelter.toml" in line and "test-shelter-beds" in line and "'categories'" in line
    assert "\n" not in line
    assert built.read_bytes() == before
