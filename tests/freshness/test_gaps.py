"""`nhfind db gaps`: every missing or weak fact on a worksheet, and the filled worksheet imported back as facts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.freshness.conftest import Run


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_worksheet_lists_every_missing_fact_crisis_lines_first(isolated: Run) -> None:
    code, out, _err = isolated("db", "gaps")
    rows = _rows(out)
    assert code == 0
    assert {"id", "name", "field", "current", "grade", "source_date", "new_value", "source_url", "checked_on",
            "note"} <= set(rows[0])  # fmt: skip
    # the first rows are crisis and emergency lines; a service no one can reach comes before those that can be
    first_ids = [r["id"] for r in rows[:5]]
    assert "child-abuse-hotline" in first_ids or "county-behavioral-health-access" in first_ids
    ids_in_order = list(dict.fromkeys(r["id"] for r in rows if r["field"] in ("phone", "address", "hours")))
    assert ids_in_order.index("pre-arrest-diversion") < ids_in_order.index("calfresh")
    # CASH's phone rests on a low-grade 2015 page: a row to check, with that date
    cash = [r for r in rows if r["id"] == "cash-sacramento" and r["field"] == "phone"]
    assert cash and cash[0]["source_date"] == "2015-10-23" and cash[0]["grade"] == "low"
    assert any(r["id"] == "cash-sacramento" and r["field"] == "address" and r["problem"] == "missing" for r in rows)
    assert all(r["new_value"] == "" for r in rows)


def test_worksheet_for_one_service_lists_every_fact(isolated: Run) -> None:
    code, out, _err = isolated("db", "gaps", "--service", "sacramento-211")
    rows = _rows(out)
    assert code == 0 and {r["id"] for r in rows} == {"sacramento-211"}
    assert any(r["field"] == "phone" and r["current"].startswith("211") for r in rows)
    code, _out, err = isolated("db", "gaps", "--service", "no-such-thing")
    assert code == 2 and "no service with id" in err and "Traceback" not in err


def test_filled_row_imports_back_as_a_sourced_fact(isolated: Run, tmp_path: Path) -> None:
    _code, out, _err = isolated("db", "gaps", "--service", "cash-sacramento")
    rows = _rows(out)
    for row in rows:
        if row["field"] == "address":
            row.update(new_value="123 Example St., Sacramento, CA 95815", source_url="https://cash.example.org/visit",
                       checked_on="2026-11-30", note="Front desk confirmed")  # fmt: skip
    sheet = _write(tmp_path / "gaps.csv", rows)
    code, out, err = isolated("import", str(sheet))
    assert code == 0, err
    assert "gaps worksheet" in out
    code, shown, _err = isolated("show", "cash-sacramento")
    assert "Address: 123 Example St., Sacramento, CA 95815" in shown
    assert "https://cash.example.org/visit" in shown and "grade imported" in shown
    assert "CHECK BEFORE RELYING" in shown
    assert "Last checked: 2026-11-30" in shown
    # everything else the record had is still there
    assert "916-856-2900" in shown


def test_a_row_without_a_source_url_is_refused_in_one_line(isolated: Run, tmp_path: Path) -> None:
    _code, out, _err = isolated("db", "gaps", "--service", "cash-sacramento")
    rows = _rows(out)
    rows[0].update(new_value="916-555-0100", checked_on="2026-11-30")
    code, _out, err = isolated("import", str(_write(tmp_path / "gaps.csv", rows)))
    assert code == 2
    assert err.count("\n") == 1 and "source_url" in err and "row 2" in err and "nothing was imported" in err
    _code, shown, _err = isolated("show", "cash-sacramento")
    assert "916-555-0100" not in shown


def test_a_correction_that_replaces_a_value_keeps_the_old_one_visible(isolated: Run, tmp_path: Path) -> None:
    _code, out, _err = isolated("db", "gaps", "--service", "cash-sacramento")
    rows = _rows(out)
    phone = next(r for r in rows if r["field"] == "phone")
    phone.update(new_value="916-555-0100", source_url="tel:+19165550100", checked_on="2026-11-30")
    code, _out, err = isolated("import", str(_write(tmp_path / "fix.csv", rows)))
    assert code == 0, err
    _code, shown, _err = isolated("show", "cash-sacramento")
    assert "Phone: 916-555-0100" in shown
    assert "SOURCES DISAGREE" in shown and "916-856-2900" in shown.split("SOURCES DISAGREE", 1)[1]
    _code, card, _err = isolated("card", "cash-sacramento")
    assert "916-555-0100" in card and "number checked by phone in 2026" in " ".join(card.split())


def test_filled_hours_import_back_as_weekly_hours(isolated: Run, tmp_path: Path) -> None:
    _code, out, _err = isolated("db", "gaps", "--service", "cash-sacramento")
    rows = [r for r in _rows(out) if r["field"] == "hours"]
    assert rows, "cash-sacramento has an hours row to fill"
    rows[0].update(new_value="mon-fri 9am-5pm; sat 10am-2pm", source_url="https://cash.example.org/hours",
                   checked_on="2026-11-30")  # fmt: skip
    code, _out, err = isolated("import", str(_write(tmp_path / "hours.csv", rows)))
    assert code == 0, err
    code, shown, _err = isolated("show", "cash-sacramento", "--format", "json")
    hours = json.loads(shown)["hours"]
    assert hours["weekly"] == ["mon-fri 09:00-17:00", "sat 10:00-14:00"], hours
