"""Shell completion offers values: categories, costs, privacy, populations, languages, service ids and names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def complete(db: Path, line: str) -> str:
    env = {**os.environ, "_NHFIND_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line, "NHFIND_DB": str(db)}
    code = "import sys; sys.argv[0] = 'nhfind'; from nhfind.cli import main; main()"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.stderr == ""
    return proc.stdout


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("nhfind search --category ", ["shelter", "sexual-health", "food"]),
        ("nhfind search -c sh", ["shelter"]),
        ("nhfind search --cost ", ["free", "sliding-scale"]),
        ("nhfind export --confidentiality ", ["confidential", "law-enforcement"]),
        ("nhfind search --population ", ["anyone"]),
        ("nhfind search --language e", ["en", "es"]),
        ("nhfind show we", ["weave-support-line"]),
        ("nhfind card 98", ["988 Suicide & Crisis Lifeline"]),
        ("nhfind card calfresh li", ["lifeline-988"]),
    ],
)
def test_values_are_offered(real_db: Path, line: str, offered: list[str]) -> None:
    out = complete(real_db, line)
    for value in offered:
        assert f'"{value}"' in out, out


def test_a_database_it_cannot_read_offers_nothing_quietly(tmp_path: Path) -> None:
    assert "weave" not in complete(tmp_path / "missing.db", "nhfind show we")
