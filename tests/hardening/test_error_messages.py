"""The catalogue of errors a user can reach: each is one line on stderr, says what is wrong and what to do, exit 2.

When a new error becomes reachable, it is added here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app

runner = CliRunner()

# (arguments after --db FIXTURE, words the message must contain: what is wrong, then what to do)
CATALOGUE: list[tuple[list[str], tuple[str, ...]]] = [
    (["search", "x", "--limit", "-5"], ("--limit", "--help")),
    (["search", "x", "--limit", "many"], ("--limit", "--help")),
    (["search", "x", "--format", "yaml"], ("yaml", "--help")),
    (["search", "x", "--category", "spa"], ("--category", "nhfind facets")),
    (["search", "x", "--cost", "cheap"], ("--cost", "nhfind facets")),
    (["search", "x", "--confidentiality", "secret"], ("--confidentiality", "nhfind facets")),
    (["search", "x", "--population", "martians"], ("--population", "nhfind facets")),
    (["search", "x", "--fields", "name,shoe_size"], ("shoe_size", "--help")),
    (["search", "--category"], ("--category", "--help")),
    (["export", "--format", "xls"], ("xls", "--help")),
    (["show"], ("ID", "--help")),
    (["show", "test-shelter-bads"], ("test-shelter-bads", "did you mean")),  # (a prefix of an id is taken)
    (["show", "test-sti-testing", "--format", "pdf"], ("pdf", "--help")),
    (["no-such-command"], ("no-such-command", "--help")),
    (["db", "no-such"], ("no-such", "--help")),
    (["search", "x", "--open-at", "someday"], ("--open-at", "someday", "sat 10:00")),
    (["search", "x", "--open-now", "--open-at", "sat 10:00"], ("--open-now", "use one")),
    (["search", "x", "--near", "10001"], ("--near", "10001", "California ZIP such as 95660")),
    (["export", "--near", "north highlands"], ("--near", "5 digits")),
    (["search", "x", "--language", "klingon"], ("--language", "nhfind facets")),
]


@pytest.mark.parametrize(("args", "words"), CATALOGUE, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_error_is_one_clear_line(fixture_db: Path, args: list[str], words: tuple[str, ...]) -> None:
    result = runner.invoke(app, ["--db", str(fixture_db), *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("nhfind: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_export_refusing_to_overwrite_says_how(fixture_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious")
    result = runner.invoke(app, ["--db", str(fixture_db), "export", "--output", str(target)])
    assert result.exit_code == 2 and "--force" in result.stderr and target.read_text() == "precious"
    assert len(result.stderr.strip().splitlines()) == 1
