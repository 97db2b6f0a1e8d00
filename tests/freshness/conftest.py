"""A private user data folder and a private "bundled" database (a copy of the real data's) for import tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app
from nhfind.core.db import locate

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def isolated(tmp_path: Path, real_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    monkeypatch.setenv("NHFIND_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NHFIND_DB", raising=False)
    bundled = tmp_path / "bundled" / "nhfind.db"
    bundled.parent.mkdir()
    shutil.copyfile(real_db, bundled)
    monkeypatch.setattr(locate, "PACKAGED_DB", bundled)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    yield run
