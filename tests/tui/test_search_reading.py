"""The finder screen reads the words as the CLI does (the same core search) and says so in its status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from nhfind.core.db.store import Store
from nhfind.core.search import NO_POLICE
from nhfind.tui.app import FinderApp
from nhfind.tui.widgets.results import ResultsList
from tests.tui.conftest import settle, type_text

pytestmark = pytest.mark.asyncio


async def test_refusing_the_police_hides_them_and_the_status_line_says_so(real_db: Path) -> None:
    app = FinderApp(Store(real_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "sin policía mi novio me golpea")
        screen = app.search_screen
        status = str(screen.query_one("#active-filters", Static).render())
        shown = screen.query_one(ResultsList).resources
        assert NO_POLICE in status
        assert shown and shown[0].id == "weave-support-line"
        assert not [r.id for r in shown if r.is_law_enforcement]
