"""`show` and `card` take what a worker types: an id, a name, or the start of either; never a guess."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nhfind.cli import app


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_show_and_card_take_a_name_or_a_prefix(real_db: Path) -> None:
    code, out, _ = run(real_db, "show", "weave")
    assert code == 0 and "(id: weave-support-line)" in out
    code, out, _ = run(real_db, "card", "988", "WEAVE 24/7 support line")
    assert code == 0 and "988 SUICIDE & CRISIS LIFELINE" in out and "WEAVE 24/7 SUPPORT LINE" in out
    code, out, _ = run(real_db, "show", "lifeline-988")  # the id still works, exactly
    assert code == 0 and "(id: lifeline-988)" in out


def test_an_ambiguous_name_lists_the_services_and_prints_nothing(real_db: Path) -> None:
    code, out, err = run(real_db, "show", "clinic")
    assert code == 2 and out == ""
    assert "services; give one of these ids" in err
    assert "county-sexual-health-clinic" in err and "mental-health-urgent-care" in err
    code, out, err = run(real_db, "card", "weave", "clinic")
    assert code == 2 and out == "" and "county-sexual-health-clinic" in err


def test_an_unknown_name_says_did_you_mean(real_db: Path) -> None:
    code, out, err = run(real_db, "show", "calfresch")
    assert code == 2 and out == "" and "did you mean calfresh" in err and err.count("\n") == 1
