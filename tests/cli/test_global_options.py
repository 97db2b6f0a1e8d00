"""`--db`, `--no-overlay` and `--no-color` work after the sub-command as well as before it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app, hoist_global_options


@pytest.mark.parametrize(
    "args",
    [
        ["search", "weave", "--format", "json", "--db", "{db}"],
        ["search", "weave", "--db={db}", "--no-color", "--no-overlay", "--format", "json"],
        ["--no-color", "search", "--db", "{db}", "weave", "--format", "json"],
    ],
)
def test_global_options_anywhere(real_db: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, [a.replace("{db}", str(real_db)) for a in args], env={"NHFIND_DB": "/nowhere"})
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)][0] == "weave-support-line"


def test_db_after_the_sub_command_is_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["show", "weave", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "missing.db" in result.stderr


def test_nothing_after_a_double_dash_is_taken() -> None:
    assert hoist_global_options(["search", "--", "--db", "x"]) == ["search", "--", "--db", "x"]
    assert hoist_global_options(["show", "a", "--db", "f", "--no-color"]) == ["--db", "f", "--no-color", "show", "a"]
