"""The finder at 80x24: results get the width, carry their hours, and the keys lead back to typing."""

from __future__ import annotations

import datetime as dt

import pytest

from nhfind.core import hours, parse, search
from nhfind.core.dataset import load_dataset
from nhfind.core.db.store import Store
from nhfind.tui.app import FinderApp
from nhfind.tui.screens.card import CardScreen
from nhfind.tui.screens.details import DetailsScreen
from nhfind.tui.screens.export import ExportScreen
from nhfind.tui.widgets.filters import FilterPanel
from nhfind.tui.widgets.results import ResultsList
from nhfind.tui.widgets.search_box import SearchBox
from tests.conftest import REAL_DATA, ROOT
from tests.tui.conftest import settle

SIZE = (80, 24)
pytestmark = pytest.mark.asyncio


def screen_text(app: FinderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


@pytest.fixture(autouse=True)
def saturday_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hours, "now", lambda: dt.datetime(2026, 12, 5, 12, 0, tzinfo=parse.zone()))


async def test_results_use_the_width_and_say_their_hours(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.search_screen.query_one(FilterPanel)
        results = app.search_screen.query_one(ResultsList)
        assert not panel.display and results.size.width >= 76  # the filter list is closed: results get the width
        text = screen_text(app)
        assert "Free STI Testing" in text and "Open until 2 pm" in text and "Hours unknown" in text
        await pilot.press("ctrl+f")
        assert panel.display and app.focused is panel and panel.region.x < results.region.right
        assert results.size.width >= 76  # opened over the results, which keep their width underneath
        await pilot.press("escape")
        assert not panel.display and app.focused is app.search_screen.query_one("#query")


async def test_escape_from_details_goes_back_to_typing(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*"food")
        assert app.search_screen.query_one("#query", SearchBox).value == "food"
        assert "/ Find" in screen_text(app)  # the key back to the search box is in the footer


async def test_export_choice_reads_without_colour(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        text = screen_text(app)
        assert "(•) CSV" in text and "( ) Markdown" in text


async def test_the_status_line_keeps_the_police_notice_and_the_clear_key_whole(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"no police food", "ctrl+n")
        screen = app.search_screen
        for value in ("jobs", "shelter", "sexual-health", "medical-care"):  # more filters than one line holds
            screen.toggle_filter("category", value)
        await settle(pilot)
        text = screen_text(app)
        assert search.NO_POLICE in text  # never cut: the client asked not to see the police
        assert "ctrl+l clears" in text  # and the key that undoes the filters
        status = "\n".join(text.splitlines()[3:5])  # the two rows under the search box
        assert search.NO_POLICE in status and "ctrl+l clears" in status


async def test_a_card_footer_shows_its_keys_whole_at_80_columns(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "a", "down", "a", "ctrl+t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and len(app.screen.resources) == 2
        footer = screen_text(app).splitlines()[-1]
        for key in ("esc Back", "n Next", "f1 Help", "^t List 2"):
            assert key in footer, footer
        assert "v: contact QR" in screen_text(app)  # the QR's own keys are said under it


async def test_a_contact_qr_too_long_for_the_screen_says_so() -> None:
    app = FinderApp(Store(ROOT / "nhfind" / "_data" / "nhfind.db"))
    source = next(r for r in load_dataset(REAL_DATA).resources if r.id == "the-source")  # a 23-row contact QR
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(CardScreen(source))
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)  # it was a blank screen: the message had no width
        assert "Too long for a QR code on this screen: use `nhfind card --format vcard`." in text
        assert "v: number QR" in text
