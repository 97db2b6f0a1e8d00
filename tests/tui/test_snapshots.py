"""SVG snapshots of each screen at 80x24 on the fixture database (update only after reading the report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from nhfind.core.db.store import Store
from nhfind.tui.app import FinderApp
from tests.tui.conftest import settle, steady

SIZE = (80, 24)


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
        await pilot.press(*"STI")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(_app(fixture_db), terminal_size=SIZE, run_before=run_before)


def test_card_screen(snap_compare: Any, fixture_db: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press(*"STI")
        await settle(pilot)
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
