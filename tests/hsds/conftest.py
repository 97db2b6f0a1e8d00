"""Isolation for the HSDS, overlay and update tests: a private user data folder and a private "bundled" database.

Nothing here touches the real user folder: NHFIND_DATA_DIR, XDG_DATA_HOME and HOME point into tmp_path, and the
packaged database path is replaced by a copy of the fixture database.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app
from nhfind.core.db import locate

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SCHEMA_DIR = HERE / "schema"

runner = CliRunner()


@dataclass
class Env:
    """The isolated world of one test."""

    data_dir: Path
    bundled: Path

    def run(self, *args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def env(tmp_path: Path, fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv("NHFIND_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NHFIND_DB", raising=False)
    bundled = tmp_path / "bundled" / "nhfind.db"
    bundled.parent.mkdir()
    shutil.copyfile(fixture_db, bundled)
    monkeypatch.setattr(locate, "PACKAGED_DB", bundled)
    yield Env(data_dir, bundled)
