"""`search`/`export` with --open-now, --open-at, --near and --language, as a user runs them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app, where
from nhfind.core import hours, parse
from nhfind.core.models import Filters
from nhfind.core.search import open_store, search

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def ids(out: str) -> list[str]:
    return [record["id"] for record in json.loads(out)]


def rows_by_name(table: str) -> dict[str, str]:
    """Each row of a wide table by its name (the text before the first two-space gap)."""
    lines = table.splitlines()[2:]  # after the heading and its rule
    return {line.split("  ")[0].strip(): line for line in lines if line.strip()}


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide table, so cells are not folded across lines."""
    monkeypatch.setenv("COLUMNS", "300")


def test_open_at_saturday_1am_lists_only_what_sources_say_is_open(fixture_db: Path) -> None:
    code, out, err = run(fixture_db, "search", "--open-at", "2026-12-05 01:00", "--format", "json")
    assert code == 0
    found = set(ids(out))
    assert "test-food-hall" in found  # its Friday 22:00-02:00 range
    assert "test-sti-testing" not in found  # closed at night
    # services with no hours in the data are left out, and the user is told how many and why
    for record in json.loads(out):
        assert record["hours"] is not None
    assert "open at: Sat 2026-12-05 01:00 PST" in err and "America/Los_Angeles" in err
    assert "3 left out because no source gives their hours" in err  # hostile, police tip line, shelter


def test_open_now_uses_los_angeles_time_and_says_so(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monday_morning = dt.datetime(2026, 12, 7, 9, 15, tzinfo=parse.zone())
    monkeypatch.setattr(hours, "now", lambda: monday_morning)
    code, out, err = run(fixture_db, "search", "--open-now", "--format", "json")
    assert code == 0
    assert set(ids(out)) == {"test-sti-testing", "test-primary-care"}
    assert "open now: Mon 2026-12-07 09:15 PST, Los Angeles time" in err


def test_open_now_table_shows_the_hours_at_a_glance(
    fixture_db: Path, monkeypatch: pytest.MonkeyPatch, wide: None
) -> None:
    saturday_afternoon = dt.datetime(2026, 12, 5, 15, 0, tzinfo=parse.zone())
    monkeypatch.setattr(hours, "now", lambda: saturday_afternoon)
    code, out, _ = run(fixture_db, "search", "--format", "table")
    assert code == 0
    lines = rows_by_name(out)
    assert "Opens Mon 8 am" in lines["Free STI Testing"]
    assert "Hours unknown \u2014 call" in lines["Trafficking Tip Line"]
    # its hours come from a low-grade source and another source disagrees: both are said
    assert "24/7 (check before relying; sources disagree" in lines["Primary Care"]
    assert "Opens Sun 11:30 am" in lines["Community Meal Hall"]  # the late range is Fridays only


def test_open_now_and_open_at_together_is_one_clear_error(fixture_db: Path) -> None:
    code, _, err = run(fixture_db, "search", "--open-now", "--open-at", "sat 10:00")
    assert code == 2 and err.count("\n") == 1 and "use one of them" in err


@pytest.mark.parametrize("value", ["someday", "sat 25:00", "\x1b[31m10", ""])
def test_unreadable_open_at_is_one_line_with_an_example(fixture_db: Path, value: str) -> None:
    code, _, err = run(fixture_db, "search", "--open-at", value)
    assert code == 2 and err.count("\n") == 1 and "sat 10:00" in err and "Traceback" not in err


def test_near_sorts_by_distance_and_explains(fixture_db: Path) -> None:
    code, out, err = run(fixture_db, "search", "--near", "95814", "--format", "json", "--limit", "1")
    assert code == 0
    assert ids(out) == ["test-sti-testing"]  # the only record with a street address and a ZIP
    assert "near ZIP 95814 (Sacramento)" in err and "ZIP centroids" in err and "not street routes" in err


def test_near_table_never_gives_a_made_up_distance(fixture_db: Path, wide: None) -> None:
    code, out, err = run(fixture_db, "search", "--near", "95814", "--format", "table")
    assert code == 0
    rows = rows_by_name(out)
    assert "mi (ZIP centroid)" in rows["Free STI Testing"]
    assert "location kept confidential" in rows["Emergency Shelter Beds"]
    assert "phone / no fixed place" in rows["Trafficking Tip Line"]
    for name, row in rows.items():
        if name != "Free STI Testing":
            assert " mi " not in row, name
    assert "1 of 6 shown have a distance, 5 without one" in err
    assert "1 location kept confidential" in err


@pytest.mark.parametrize(("zip_code", "why"), [("10001", "California"), ("9566", "5 digits"), ("abcde", "5 digits")])
def test_near_refuses_a_zip_it_cannot_place(fixture_db: Path, zip_code: str, why: str) -> None:
    code, _, err = run(fixture_db, "search", "--near", zip_code)
    assert code == 2 and err.count("\n") == 1 and why in err and "--near" in err


def test_language_filter(fixture_db: Path) -> None:
    code, out, err = run(fixture_db, "search", "--language", "es", "--format", "json")
    assert code == 0 and ids(out) == ["test-sti-testing"]
    assert "language es" in err
    code, _, err = run(fixture_db, "search", "--language", "esp")
    assert code == 2 and "--language 'esp'" in err and "es" in err


def test_language_table_shows_interpreter_notes(real_db: Path, wide: None) -> None:
    expected = search(open_store(real_db), "", Filters(languages=("es",))).results
    noted = [r for r in expected if r.languages and r.languages.note]
    assert noted, "the real data has no language notes to show"
    code, out, _ = run(real_db, "search", "--language", "es", "--format", "table", "--limit", "100")
    assert code == 0
    for resource in noted:
        assert resource.languages is not None and resource.languages.note in where.language_text(resource)
        # Rich folds long cells, so look for the note's opening words in its row
        assert " ".join(resource.languages.note.split()[:3]) in out


def test_open_now_near_clinic_answers_and_explains(real_db: Path, wide: None) -> None:
    code, out, err = run(real_db, "search", "--open-now", "--near", "95660", "clinic", "--format", "table")
    assert code in (0, 1)  # at night nothing may be open: then it says so
    assert "open now:" in err and "Los Angeles time" in err and "near ZIP 95660 (North Highlands)" in err
    assert "Traceback" not in err


def test_export_csv_stays_clean_with_where_options(fixture_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "near.csv"
    code, out, err = run(fixture_db, "export", "--near", "95814", "--open-at", "mon 09:00", "--output", str(target))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["id"] == "test-sti-testing"
    assert {row["id"] for row in rows} == {"test-sti-testing", "test-primary-care"}
    assert rows[0]["hours"] == "Mon-Fri 8 am-4 pm; Sat 10 am-2 pm; closed Sun"
    assert "open at: Mon" in err and "wrote 2 records" in err
