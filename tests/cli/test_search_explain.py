"""`nhfind search --explain`, "did you mean" and the never-blank answer: on stderr, results untouched on stdout."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nhfind.cli import app

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_explain_shows_synonyms_and_left_out_words_on_stderr(real_db: Path) -> None:
    code, out, err = run(real_db, "search", "where can i get narcan", "--explain", "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["id"] == "naloxone-distribution"  # stdout is still only the results
    assert "narcan -> also naloxone" in err
    assert "ignored:    where, can, i, get" in err


def test_a_corrected_typo_is_said_even_without_explain(real_db: Path) -> None:
    code, out, err = run(real_db, "search", "shelterr", "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "emergency-shelter"
    assert 'did you mean "shelter"' in err
    code, _, err = run(real_db, "search", "shelterr", "--format", "json", "--explain")
    assert "corrected:  shelterr -> shelter" in err


def test_no_results_suggests_categories_and_prints_the_crisis_lines(real_db: Path) -> None:
    code, out, err = run(real_db, "search", "xyzzyq", "--format", "json")
    assert code == 1 and json.loads(out) == []
    assert "a category with -c:" in err and len(err.splitlines()) <= 5
    assert "988" in err and "911" in err


def test_explain_echoes_typed_text_inert(fixture_db: Path) -> None:
    _code, _out, err = run(fixture_db, "search", "\x1b[31mshelter\x1b]0;pwned\x07", "--explain")
    assert "\x1b" not in err and "\x07" not in err
