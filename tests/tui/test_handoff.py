"""The hand-off in the TUI at 80x24: the QR code a phone will read, call/text switch, Spanish, the visit's shortlist."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.tui.app import FinderApp
from nhfind.tui.screens.card import CardScreen
from nhfind.tui.screens.hidden import HiddenScreen
from nhfind.tui.screens.search import SearchScreen
from nhfind.tui.screens.shortlist import ShortlistScreen
from nhfind.tui.widgets.qr_code import QRCode
from tests.conftest import ROOT
from tests.tui.conftest import settle, type_text
from tests.tui.test_app import screen_text

SIZE = (80, 24)
pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="session")
def handoff_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("handoff-tui") / "handoff.db"
    build(ROOT / "tests" / "fixtures" / "handoff", path)
    return path


@pytest.fixture
def app(handoff_db: Path) -> FinderApp:
    return FinderApp(Store(handoff_db))


async def open_card(pilot: Pilot[None], words: str) -> CardScreen:
    await type_text(pilot, words)
    await pilot.press("down", "c")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CardScreen)
    return screen


async def test_an_extension_is_dialled_as_an_extension_and_the_text_keeps_40_columns(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_card(pilot, "extension")
        assert screen.query_one(QRCode).data == "tel:+16504034300;ext=4385"
        assert "Scan to call" in screen_text(app)
        assert screen.query_one("#card-text").size.width >= 40
        assert screen.query_one("#card-qr").region.bottom <= SIZE[1] - 1  # the whole code is on screen


async def test_t_switches_the_qr_between_the_call_and_the_text_line(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_card(pilot, "vanity")
        assert screen.query_one(QRCode).data == "tel:+18002324636"
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one(QRCode).data == "sms:+19167877678"
        assert "Scan to text" in screen_text(app)


async def test_a_keyword_text_line_is_scanned_to_text_the_keyword(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_card(pilot, "keyword")
        assert screen.query_one(QRCode).data == "sms:741741?body=HOME"
        text = screen_text(app)
        assert "Scan to text" in text and "Scan to call" not in text
        assert not screen.check_action("switch_line", ())  # nothing to switch to


async def test_v_shows_a_contact_qr(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "extension")
        await pilot.press("v")
        await pilot.pause()
        data = app.screen.query_one(QRCode).data
        assert data.startswith("BEGIN:VCARD") and "FN:Extension Line" in data and "+16504034300x4385" in data


async def test_f4_puts_the_card_in_spanish(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "extension")
        await pilot.press("f4")
        await pilot.pause()
        text = screen_text(app)
        assert "Escanee para llamar" in text and "Una oficina inventada" in text and "Horario" in text


async def test_the_shortlist_collects_shows_and_is_forgotten_by_quick_hide(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "a", "down", "a")  # two services from the results
        await pilot.pause()
        assert len(app.shortlist) == 2
        assert "List 2" in screen_text(app)  # the footer counts them
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ShortlistScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and len(app.screen.resources) == 2
        assert "Card 1 of 2" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "Card 2 of 2" in screen_text(app)
        await pilot.press("escape", "d")  # back to the list; take one off
        await pilot.pause()
        assert len(app.shortlist) == 1
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, HiddenScreen) and app.shortlist == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and "List 0" in screen_text(app)


async def test_quick_hide_forgets_a_switch_to_spanish(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4", "ctrl+g")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "c")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        text = screen_text(app)
        assert "Scan to" in text and "Escanee" not in text  # the next client sees the card in English again


async def test_a_on_a_card_adds_that_service(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "keyword")
        await pilot.press("a")
        await pilot.pause()
        assert [r.id for r in app.shortlist] == ["test-keyword-text"]


async def test_the_shortlist_exports_its_cards_as_a_printable_page(app: FinderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "a", "down", "a", "ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#format-html")  # the printable page
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == str(tmp_path / "nhfind-cards.html")  # HOME is tmp_path in the TUI tests
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        target = tmp_path / "nhfind-cards.html"
        page = target.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and page.count("<article>") == 2 and "<svg" in page
