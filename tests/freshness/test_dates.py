"""Dates from the sources: each fact is as old as the page it came from, and the tools say so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from nhfind.core import freshness
from nhfind.core.freshness import source_date
from nhfind.core.models import Address, Phone, Resource, Source


@pytest.mark.parametrize(
    ("page_date", "iso", "approximate"),
    [
        ("2015-10-23", "2015-10-23", False),
        ("2020-10", "2020-10", False),
        ("~2022", "~2022", True),
        ("undated (~2022)", "~2022", True),
        ("2017 edition", "2017", False),
        ("'Last verified: August 2026' (as stated)", "2026-08", False),
        ("January (year not shown)", "", False),
        ("", "", False),
    ],
)
def test_page_dates_are_read_as_the_facts_table_writes_them(page_date: str, iso: str, approximate: bool) -> None:
    found = source_date(page_date)
    assert found.iso() == iso
    assert found.approximate is approximate


def _resource(phone_date: str, address_date: str, **extra: Any) -> Resource:
    sources = {
        "a": Source("a", "https://a.example", "high", phone_date),
        "b": Source("b", "https://b.example", "low", address_date),
    }
    base = Resource(
        id="x", name="X", organization_id="o", organization="O", description="d", last_verified="2026-11-29",
        phones=(Phone("916-555-0100", "voice", "a"),), address=Address("b", street="1 Main St", city="Sacramento"),
        sources=sources,
    )  # fmt: skip
    return base._replace(**extra)


def test_a_record_is_as_old_as_the_pages_behind_its_phone_and_address() -> None:
    assert freshness.age_line(_resource("2015-10-23", "2024-01-31")) == "information dated 2015–2024 — call ahead"
    assert freshness.age_line(_resource("", "2024")) == "information dated 2024, some undated — call ahead"
    assert freshness.age_line(_resource("", "")) == "information undated — call ahead"


def test_each_fact_names_the_year_of_its_page() -> None:
    record = _resource("2015-10-23", "~2022")
    assert freshness.fact_date_phrase(record, "a", "number") == "number from a 2015 page"
    assert freshness.fact_date_phrase(record, "b", "address") == "address from a page of about 2022"
    assert freshness.fact_date_phrase(record._replace(sources={}), "a", "number") == "number from an undated page"


def test_no_phone_and_no_address_means_ask_211() -> None:
    record = _resource("2020", "2020")
    assert not freshness.unreachable(record)
    nothing = record._replace(phones=(), address=Address("b", city="Sacramento", note="street not found"))
    assert freshness.unreachable(nothing)
    assert not freshness.unreachable(nothing._replace(address=Address("b", confidential=True)))
    fax_only = nothing._replace(phones=(Phone("916-555-0199", "fax", "a"),))
    assert freshness.unreachable(fax_only)


def test_summary_counts_undated_and_old_facts() -> None:
    records = [_resource("2015-10-23", ""), _resource("2025-06", "2021")]
    found = freshness.summary(records, today=dt.date(2026, 11, 30))
    assert (found.sources_oldest, found.sources_newest) == ("2015-10-23", "2025-06")
    assert (found.facts, found.facts_undated, found.facts_older_than_3_years) == (4, 1, 2)


def _cli(db: Path, *args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from nhfind.cli import app

    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_card_dates_cash_phone_by_its_2015_source(real_db: Path) -> None:
    code, out, _err = _cli(real_db, "card", "cash-sacramento")
    assert code == 0
    text = " ".join(out.split())
    assert "916-856-2900" in text and "number from a 2015 page" in text
    assert "Information dated 2015–" in text and "call ahead" in text
    assert "Verified" not in text


def test_show_says_when_the_record_was_last_checked(real_db: Path) -> None:
    _code, out, _err = _cli(real_db, "show", "cash-sacramento")
    assert "Dates: information dated 2015–" in out
    assert "(when we last checked the record)" in out


def test_card_of_a_service_with_no_way_to_reach_it_says_ask_211(real_db: Path) -> None:
    code, out, _err = _cli(real_db, "card", "pre-arrest-diversion")
    text = " ".join(out.split())
    assert code == 0 and "No phone or address in our sources: ask 211." in text
    assert "call before going" not in text


def test_db_info_reports_source_dates_and_warns(real_db: Path) -> None:
    code, out, err = _cli(real_db, "db", "info", "--format", "json")
    info = json.loads(out)
    assert code == 0
    assert info["sources_oldest"].startswith("1999")
    assert info["sources_newest"] > "2025"
    assert info["facts_undated"] > 0 and info["facts_older_than_3_years"] > 0
    assert info["facts"] >= info["facts_undated"] + info["facts_older_than_3_years"]
    assert "from pages over 3 years old" in err and "undated" in err
    _code, text, _err = _cli(real_db, "db", "info")
    assert "source dates: oldest 1999" in text and "records last checked:" in text
