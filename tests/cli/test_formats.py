"""One --format vocabulary: `text` and `table` mean "for people" everywhere, `json` is json everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app

COMMANDS = [
    ("search", "weave"),
    ("show", "weave-support-line"),
    ("card", "weave-support-line"),
    ("crisis",),
    ("categories",),
    ("facets",),
    ("db", "info"),
    ("db", "layers"),
]


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_text_and_table_are_one_format(real_db: Path, args: tuple[str, ...]) -> None:
    code_text, text = run(real_db, *args, "--format", "text")
    code_table, table = run(real_db, *args, "--format", "TABLE")  # any case
    assert code_text == code_table == 0 and text == table and text.strip()


@pytest.mark.parametrize("args", [c for c in COMMANDS if c[0] != "card"], ids=" ".join)
def test_json_everywhere(real_db: Path, args: tuple[str, ...]) -> None:
    code, out = run(real_db, *args, "--format", "json")
    assert code == 0 and json.loads(out) is not None
