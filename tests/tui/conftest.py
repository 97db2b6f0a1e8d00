"""TUI fixtures: apps on the fixture database, colour on (so snapshots show the badges), cursor blink off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.tui.app import FinderApp
from nhfind.tui.screens.search import SearchScreen
from tests.conftest import FIXTURE_DATA

TUI_FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _colour_and_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # tests/conftest.py sets NO_COLOR for stable CLI output; the TUI tests want colour unless they ask otherwise,
    # and a home folder of their own so an export never lands in the real one.
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture(scope="session")
def crisis_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data plus one made-up crisis line (tests/tui/fixtures)."""
    data = tmp_path_factory.mktemp("crisis-data") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    for path in (TUI_FIXTURES / "organizations").glob("*.toml"):
        shutil.copy(path, data / "organizations" / path.name)
    out = tmp_path_factory.mktemp("crisis") / "crisis.db"
    build(data, out)
    return out


@pytest.fixture
def app(fixture_db: Path) -> FinderApp:
    return FinderApp(Store(fixture_db))


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the answer for what is typed and toggled is on screen (an event, no sleeping)."""
    await pilot.pause()
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, SearchScreen)
    await screen.answered.wait()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def steady(pilot: Pilot[None]) -> None:
    """Cursor blink off and searches settled: a screen that looks the same every run."""
    await settle(pilot)
    for query in pilot.app.query(Input):
        query.cursor_blink = False
    await pilot.pause()
