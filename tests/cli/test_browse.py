"""`nhfind crisis`, `nhfind categories`, `nhfind facets` and `nhfind db info`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nhfind.core.models import SCHEMA_VERSION
from nhfind.core.search import get, open_store, vocabulary
from tests.cli.conftest import Nhfind


def test_crisis_orders_danger_first_then_24_7_national_before_county(nhfind: Nhfind, crisis_db: Path) -> None:
    result = nhfind("crisis", db=crisis_db)
    assert result.code == 0
    out = result.out
    order = ["Test Emergency Number", "Zulu National Hotline", "Alpha County Crisis Line", "Beta Evening Warm Line"]
    positions = [out.index(name) for name in order]
    assert positions == sorted(positions)
    assert out.index("DANGER RIGHT NOW") < out.index("OPEN 24/7") < out.index("SET OR UNKNOWN HOURS")


def test_crisis_shows_text_lines_flags_and_leaves_out_the_rest(nhfind: Nhfind, crisis_db: Path) -> None:
    out = nhfind("crisis", db=crisis_db).out
    assert "55555           text  Text HELP to 55555" in out
    assert "police may come" in out  # the emergency number is law enforcement
    assert "24/7: check before relying" in out  # the county line's hours rest on a low-grade page
    evening = get(open_store(crisis_db), "test-evening-line")
    assert evening is not None and evening.hours is not None
    assert f"Beta Evening Warm Line [hours: {evening.hours.summary()}]" in out
    assert out.count("number: check before relying") == 1  # only the warm line's number rests on a low-grade page
    assert "916-555-0499" not in out  # fax
    assert "Test Food Bank" not in out  # 24/7 but not a crisis line
    assert "Also, with no phone line: Test Emergency Room" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_crisis_json(nhfind: Nhfind, crisis_db: Path) -> None:
    rows = json.loads(nhfind("crisis", "--format", "json", db=crisis_db).out)
    assert [r["group"] for r in rows] == ["emergency", "24/7", "24/7", "other-hours"]
    assert rows[1]["phones"][1] == {
        "number": "55555", "kind": "text", "label": "", "hours": "", "instructions": "Text HELP to 55555",
    }  # fmt: skip


def test_crisis_with_no_lines_exits_1(nhfind: Nhfind) -> None:
    result = nhfind("crisis")  # the main fixture has no crisis-line or emergency services
    assert result.code == 1 and "no crisis lines" in result.err


def test_categories_lists_every_category_with_its_count(nhfind: Nhfind, fixture_db: Path) -> None:
    rows = json.loads(nhfind("categories", "--format", "json").out)
    assert {r["value"] for r in rows} == set(vocabulary(open_store(fixture_db)).categories)
    for row in rows:
        result = nhfind("search", "-c", row["value"], "--format", "json", "--limit", "1000")
        found = json.loads(result.out) if result.code == 0 else []
        assert row["count"] == len(found), row["value"]
    text = nhfind("categories").out
    assert "sexual-health" in text and "Sexual health: STI and HIV testing" in text


def test_facets_cover_every_filter_with_counts_and_meanings(nhfind: Nhfind) -> None:
    data = json.loads(nhfind("facets", "--format", "json").out)
    assert set(data["facets"]) == {"category", "cost", "confidentiality", "population", "language", "access"}
    cost = {r["value"]: r for r in data["facets"]["cost"]}
    free = json.loads(nhfind("search", "--cost", "free", "--format", "json", "--limit", "1000").out)
    assert cost["free"]["count"] == len(free) and cost["free"]["meaning"] == "No charge."
    text = nhfind("facets").out
    assert "cost  (filter: --cost)" in text and "law-enforcement" in text


def test_facets_narrow_to_a_query_and_filters(nhfind: Nhfind) -> None:
    everything = json.loads(nhfind("facets", "--format", "json").out)["total"]
    narrowed = json.loads(nhfind("facets", "std", "--format", "json").out)
    assert 0 < narrowed["total"] < everything
    assert json.loads(nhfind("facets", "-c", "food", "--format", "json").out)["total"] < everything
    none = nhfind("facets", "zzzzqqq")
    assert none.code == 1


def test_db_info_reports_freshness_and_warns_on_old_records(nhfind: Nhfind) -> None:
    result = nhfind("db", "info", "--format", "json")
    info = json.loads(result.out)
    records = json.loads(nhfind("export", "--format", "json").out)
    dates = sorted(r["last_verified"] for r in records)
    assert (info["oldest_verified"], info["newest_verified"]) == (dates[0], dates[-1])
    cutoff = (dt.date.today() - dt.timedelta(days=365)).isoformat()
    stale = sorted(r["id"] for r in records if r["last_verified"] < cutoff)
    assert info["stale_services"] == stale
    if stale:
        assert "over 12 months ago" in result.err
    text = nhfind("db", "info").out
    assert f"records last checked: oldest {dates[0]}, newest {dates[-1]}" in text
    assert f"schema version: {SCHEMA_VERSION}" in text


def test_db_build_then_info(nhfind: Nhfind, tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    target = tmp_path / "built.db"
    built = nhfind("db", "build", "--data", str(FIXTURE_DATA), db=target)
    assert built.code == 0 and "built" in built.err
    assert "services: 6" in nhfind("db", "info", db=target).out


def test_no_results_crisis_hint_claims_no_hours_the_data_lacks(
    nhfind: Nhfind, crisis_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhfind.core import crisis

    monkeypatch.setattr(crisis, "HINT_LINES", 10)  # down to the evening line
    err = nhfind("search", "xyzzyq", db=crisis_db).err
    assert "answer any time" not in err
    line = next(x for x in err.splitlines() if "Beta Evening Warm Line" in x)  # an evening line, listed with its hours
    evening = get(open_store(crisis_db), "test-evening-line")
    assert evening is not None and evening.hours is not None and evening.hours.summary() in line
    assert "Test Emergency Number: 555 (hours not stated)" in err
