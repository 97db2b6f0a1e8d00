"""Filter values in any case, or by their label; a value nhfind cannot place gets "did you mean"; plain wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def ids(db: Path, *args: str) -> list[str]:
    code, out, err = run(db, "search", *args, "--format", "json", "--fields", "id", "--limit", "100")
    assert code == 0, err
    return [r["id"] for r in json.loads(out)]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (("--cost", "Free"), ("--cost", "free")),
        (("--language", "spanish"), ("--language", "es")),
        (("--language", "ES"), ("--language", "es")),
        (("-c", "SHELTER"), ("-c", "shelter")),
        (("-c", "Legal aid"), ("-c", "legal-aid")),  # the label, as the TUI and `nhfind categories` show it
        (("--confidentiality", "Confidential"), ("--confidentiality", "confidential")),
        (("--population", "Women"), ("--population", "women")),
    ],
)
def test_values_in_any_case_or_by_label(real_db: Path, typed: tuple[str, str], meant: tuple[str, str]) -> None:
    assert ids(real_db, *typed) == ids(real_db, *meant) != []


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [(("--language", "spansh"), "es"), (("-c", "sheltr"), "shelter"), (("--cost", "fre"), "free")],
)
def test_a_value_it_cannot_place_gets_did_you_mean(real_db: Path, args: tuple[str, str], suggestion: str) -> None:
    code, out, err = run(real_db, "search", *args)
    assert code == 2 and out == "" and f"did you mean {suggestion}" in err and err.count("\n") == 1


def test_open_at_error_does_not_ask_for_a_24_hour_time(real_db: Path) -> None:
    code, _, err = run(real_db, "search", "--open-at", "someday")
    assert code == 2 and "24-hour" not in err and "10pm" in err


def test_a_note_that_says_check_before_relying_is_not_repeated(real_db: Path) -> None:
    code, out, _ = run(real_db, "card", "mental-health-urgent-care")
    words = " ".join(out.split()).casefold()
    assert code == 0 and "check before relying. (check before relying)" not in words
