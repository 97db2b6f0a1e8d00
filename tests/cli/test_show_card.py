"""`nhfind show` and `nhfind card`: every fact with its source; referral slips that fit 80 columns and stay inert."""

from __future__ import annotations

import html
import json
from pathlib import Path

import click
import typer

from nhfind.core.card import card_html, card_markdown, card_text, render_cards
from nhfind.core.models import Fact, Phone, Resource, Source
from nhfind.core.search import get, open_store
from tests.cli.conftest import Nhfind


def _hours(fixture_db: Path, resource_id: str) -> str:
    resource = get(open_store(fixture_db), resource_id)
    assert resource is not None and resource.hours is not None
    return resource.hours.summary()


def test_show_cites_source_grade_and_page_date(nhfind: Nhfind, fixture_db: Path) -> None:
    result = nhfind("show", "test-sti-testing")
    assert result.code == 0
    assert "https://clinic.example.org/about" in result.out
    assert "grade high, page dated 2025-01-02" in result.out
    hours = _hours(fixture_db, "test-sti-testing")
    assert f"Hours: {hours} [site: high, page dated 2025-01-02]" in " ".join(result.out.split())  # across a wrap
    assert "CHECK BEFORE RELYING" in result.out  # the text line rests on a low-grade source
    assert "Eligibility: unknown" in result.out
    assert "Dates: information dated 2016–2025 — call ahead" in result.out  # its phone, address, hours pages
    assert "Last checked: 2026-11-29 (when we last checked the record)" in result.out


def test_show_how_to_get_there(nhfind: Nhfind) -> None:
    out = nhfind("show", "test-sti-testing").out
    section = out.split("HOW TO GET THERE", 1)[1]
    assert "Address: 1 Test Way, North Highlands, CA 95660" in section
    assert "Way in: walk-in (Walk in; no appointment)" in section
    shelter = nhfind("show", "test-shelter-beds").out
    assert "Address: Call for location (Given after a phone screen.)" in shelter


def test_show_conflicts_name_their_sources(nhfind: Nhfind) -> None:
    out = nhfind("show", "test-primary-care").out
    assert "SOURCES DISAGREE" in out
    assert "hours: An old story says around the clock" in out and "(sources [old], [site])" in out


def test_show_json_is_the_full_record(nhfind: Nhfind) -> None:
    record = json.loads(nhfind("show", "test-shelter-beds", "--format", "json").out)
    assert record["id"] == "test-shelter-beds" and record["address"]["confidential"] is True


def test_show_hostile_record_is_inert(nhfind: Nhfind) -> None:
    out = nhfind("show", "test-formula").out
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]Markup Org[/bold red]" in out  # shown literally, not styled


def test_show_law_enforcement_warning(nhfind: Nhfind) -> None:
    assert "LAW ENFORCEMENT" in nhfind("show", "test-police-tips").out


def test_show_unknown_id_suggests(nhfind: Nhfind) -> None:
    result = nhfind("show", "test-shelter-bads")
    assert result.code == 2 and "did you mean test-shelter-beds" in result.err and result.err.count("\n") == 1


def test_card_text_has_what_a_client_needs_within_80_columns(nhfind: Nhfind, fixture_db: Path) -> None:
    result = nhfind("card", "test-sti-testing")
    assert result.code == 0
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = result.out
    assert "FREE STI TESTING" in text
    assert "916-555-0101" in text and "Text TEST to 916-555-0102" in text
    assert "1 Test Way, North Highlands, CA 95660" in text
    assert f"Hours          {_hours(fixture_db, 'test-sti-testing')}" in text
    assert "free" in text and "confidential" in text
    assert "What to bring  Not stated: ask when you call" in text
    assert "2026-11-29" in text


def test_card_says_call_for_location_and_flags_police(nhfind: Nhfind) -> None:
    assert "Call for location" in nhfind("card", "test-shelter-beds").out
    assert "Law enforcement" in nhfind("card", "test-police-tips").out


def test_card_several_ids_in_order(nhfind: Nhfind) -> None:
    out = nhfind("card", "test-food-hall", "test-sti-testing").out
    assert out.index("COMMUNITY MEAL HALL") < out.index("FREE STI TESTING")


def test_card_unknown_id_prints_nothing(nhfind: Nhfind) -> None:
    result = nhfind("card", "test-sti-testing", "test-shelter-bads")
    assert result.code == 2 and result.out == "" and "did you mean test-shelter-beds" in result.err


def test_card_formats_escape_hostile_data(nhfind: Nhfind) -> None:
    md = nhfind("card", "test-formula", "--format", "md").out
    assert "\\[link=http://x\\]markup\\[/link\\]" in md and "\x1b" not in md
    page = nhfind("card", "test-formula", "--format", "html").out
    assert page.startswith("<!DOCTYPE html>") and "&quot;http://evil.example&quot;" in page
    assert "\x1b" not in page and "\x07" not in page
    assert "http://" not in page.split("<body>")[0]  # nothing fetched from the network when printed


def test_card_html_escapes_tags() -> None:
    hostile = Resource(
        id="x", name="<script>alert(1)</script>", organization="A & B", organization_id="x",
        description="<img src=x onerror=alert(1)>", last_verified="2026-01-01",
        phones=(Phone("<b>1</b>", "voice", "s"),), sources={"s": Source("s", "https://e.org", "high")},
        website=Fact("javascript:alert(1)", "s"),
    )  # fmt: skip
    page = card_html(hostile)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert html.escape("<script>alert(1)</script>") in page and "A &amp; B" in page
    assert "<script>" not in card_markdown(hostile) and all(len(line) <= 80 for line in card_text(hostile).splitlines())


def test_card_long_words_still_fit_80_columns() -> None:
    long = Resource(
        id="y", name="N" * 200, organization="O", organization_id="y", description="word " * 100 + "u" * 150,
        last_verified="2026-01-01", sources={"s": Source("s", "https://e.org", "high")},
        website=Fact("https://example.org/" + "p" * 120, "s"),
    )  # fmt: skip
    assert all(len(line) <= 80 for line in render_cards([long, long]).splitlines())


def test_card_asks_nothing_about_the_client() -> None:
    """The card command takes ids and a format only: no name, date of birth or note field to fill in or keep."""
    from nhfind.cli import app

    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    command = root.get_command(click.Context(click.Command("x")), "card")
    assert command is not None
    names = {p.name for p in command.params}
    assert names == {"ids", "fmt", "lang", "crisis"}  # a language and the crisis card: nothing about the client
