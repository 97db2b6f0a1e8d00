"""SVG snapshots of each screen at 80x24 on the fixture database (update only after reading the report)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from nhfind.core import hours, parse
from nhfind.core.db.store import Store
from nhfind.tui.app import FinderApp
from tests.tui.conftest import steady, type_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def saturday_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed clock, so each result's hours status ("Open until 2 pm") reads the same on every run."""
    monkeypatch.setattr(hours, "now", lambda: dt.datetime(2026, 12, 5, 12, 0, tzinfo=parse.zone()))


def _app(db: Path) -> FinderApp:
    return FinderApp(Store(db))


def test_main_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("down")  # to the results: every fixture service, police badge and hostile names included
        await steady(pilot)

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_details_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await type_text(pilot, "STI")
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_card_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await type_text(pilot, "STI")
        await pilot.press("down", "c")
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_crisis_screen(snap_compare: Any, crisis_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()

    assert snap_compare(_app(crisis_db), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_filters_open_over_the_results(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("ctrl+f", "down", "space")
        await steady(pilot)

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_export_dialog(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        for query in pilot.app.screen.query(Input):
            query.value = "nhfind-results.csv"  # not this run's home folder
            query.cursor_blink = False
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_shortlist_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("down", "a", "down", "a")
        pilot.app.clear_notifications()
        await pilot.press("ctrl+t")
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)
