"""Fixtures for the command-line tests: a runner helper, a small crisis-line database, the installed entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest
from typer.testing import CliRunner

from nhfind.core.db.write import build

CRISIS_DATA = Path(__file__).resolve().parent / "fixtures" / "crisis"
ENTRY_POINT = Path(sys.executable).parent / "nhfind"
"""The console script pip installed next to the interpreter running the tests (.venv/bin/nhfind)."""


class Result:
    """What a user sees from one command: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


class Nhfind(Protocol):
    """The `nhfind` fixture: run the app in-process on the fixture database (or `db`)."""

    def __call__(self, *args: str, db: Path | None = None, env: dict[str, str] | None = None) -> Result: ...


class Installed(Protocol):
    """The `installed` fixture: run the installed entry point as a subprocess, `stdin` piped in."""

    def __call__(self, *args: str, db: Path | None = None, stdin: str | None = None) -> Result: ...


@pytest.fixture(scope="session")
def crisis_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crisis") / "crisis.db"
    build(CRISIS_DATA, path)
    return path


@pytest.fixture
def nhfind(fixture_db: Path) -> Nhfind:
    """Run `nhfind --db <fixture db> ARGS...` through Typer's runner."""
    from nhfind.cli import app

    runner = CliRunner()

    def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(db or fixture_db), *args], env=env)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def installed(fixture_db: Path) -> Installed:
    """Run the installed entry point as a subprocess, on the fixture database (NHFIND_DB)."""
    if not ENTRY_POINT.exists():
        pytest.skip("the nhfind entry point is not installed next to this python (pip install -e .)")

    def run(*args: str, db: Path | None = None, stdin: str | None = None) -> Result:
        env = {**os.environ, "NHFIND_DB": str(db or fixture_db)}
        env.pop("NHFIND_DEBUG", None)
        proc = subprocess.run(
            [str(ENTRY_POINT), *args], capture_output=True, text=True, env=env, input=stdin, timeout=60
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
