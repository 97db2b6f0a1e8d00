"""The filter list: hide police with one key or from the privacy filter, and counts asked for once per keystroke."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from nhfind.core import facets
from nhfind.core.db.store import Store
from nhfind.core.models import Filters
from nhfind.core.search import facet_counts, search
from nhfind.tui.app import FinderApp
from nhfind.tui.screens import search as search_screen
from nhfind.tui.widgets.filters import FilterPanel
from nhfind.tui.widgets.results import ResultsList
from tests.tui.conftest import send_keys, settle

pytestmark = pytest.mark.asyncio
SIZE = (80, 24)
POLICE = "test-police-tips"
"""The fixture's law-enforcement service (tests/fixtures/data/organizations/test-police.toml)."""


def ids(app: FinderApp) -> list[str]:
    return [r.id for r in app.search_screen.query_one(ResultsList).resources]


def status(app: FinderApp) -> str:
    return str(app.search_screen.query_one("#active-filters", Static).render())


async def test_the_footer_key_hides_police_as_no_law_enforcement_does(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert POLICE in ids(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert ids(app) == [r.id for r in search(fixture_store, "", Filters(exclude_law_enforcement=True)).results]
        assert POLICE not in ids(app)
        assert "hiding police / law enforcement" in status(app)
        # the privacy filter shows the switch on, and no police value to count
        panel = app.search_screen.query_one(FilterPanel)
        switch = next(r for r in panel.rows if r.switch == facets.NO_LAW_ENFORCEMENT.field)
        assert switch.facet == "confidentiality" and switch.switch in panel.switches
        assert ("confidentiality", "law-enforcement") not in {(r.facet, r.value) for r in panel.rows}
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert POLICE in ids(app) and "no filters" in status(app)


async def test_the_privacy_filter_can_hide_police_and_ctrl_l_clears_it(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = ids(app)
        await pilot.press("ctrl+f")
        panel = app.search_screen.query_one(FilterPanel)
        target = next(r for r in panel.rows if r.switch)
        downs = sum(1 for r in panel.rows[panel.cursor + 1 : panel.rows.index(target) + 1] if not r.is_title)
        await send_keys(pilot, *["down"] * downs, until=lambda: panel.highlighted == target)  # down skips the titles
        assert panel.highlighted is not None and panel.highlighted.switch == facets.NO_LAW_ENFORCEMENT.field
        assert panel.highlighted.facet == "confidentiality"  # listed under Privacy
        await pilot.press("space")
        await settle(pilot)
        assert POLICE not in ids(app) and len(ids(app)) == len(everything) - 1
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert ids(app) == everything


async def test_quick_hide_forgets_the_police_switch(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+g", "escape")
        await settle(pilot)
        assert app.search_screen.switches == frozenset() and POLICE in ids(app)


async def test_counts_are_asked_for_once_per_keystroke(app: FinderApp, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_search, real_counts = search, facet_counts  # what the screen imports

    def counting_search(*args: Any, **kwargs: Any) -> Any:
        calls.append("search")
        return real_search(*args, **kwargs)

    def counting_counts(*args: Any, **kwargs: Any) -> Any:
        calls.append("counts")
        return real_counts(*args, **kwargs)

    monkeypatch.setattr(search_screen, "search", counting_search)
    monkeypatch.setattr(search_screen, "facet_counts", counting_counts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        for _ in range(3):  # a value and the police switch on: the old screen ran 3 searches for the counts
            await pilot.press("down")
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        calls.clear()
        await pilot.press("slash", "s")
        await settle(pilot)
        assert calls == ["search", "counts"]
