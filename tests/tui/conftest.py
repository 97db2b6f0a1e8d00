"""TUI fixtures: apps on the fixture database, colour on (so snapshots show the badges), cursor blink off."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
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


@pytest.fixture(autouse=True)
def _search_on_every_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # SearchScreen.DEBOUNCE (0.15 s) makes each typed word wait before its search; the tests wait on the answer
    # itself (settle), so the pause only adds time. A test about the debounce sets the attribute back.
    monkeypatch.setattr(SearchScreen, "DEBOUNCE", 0)


@pytest.fixture(autouse=True)
def _finer_idle_polls(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    # pilot.press and pilot.pause wait until the process looks idle, sampling in 20 ms slices (Textual's
    # SLEEP_GRANULARITY): at least 40 ms per key, most of these tests' time. 5 ms slices answer the same question
    # (idle = under 5% CPU over the slice, worker threads included) four times as often; the tests still wait on
    # their answers themselves (settle, send_keys), never on the idle guess alone. Not for the snapshots: a
    # screenshot is taken when the app looks idle, and a 5 ms lull caught the filter panel before its counts.
    if request.module.__name__.endswith("test_snapshots"):
        return
    from textual import _wait

    monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", 0.005)
    monkeypatch.setattr(_wait, "SLEEP_IDLE", 0.005 / 20)


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
    # bounded, so an answer that never comes fails the test instead of hanging the run
    await asyncio.wait_for(screen.answered.wait(), timeout=60)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def send_keys(pilot: Pilot[None], *keys: str, until: Callable[[], bool]) -> None:
    """Send `keys` in one burst, as a terminal delivers a fast typist's keys or a held-down arrow, then wait until
    `until()` holds.

    `pilot.press` waits for the whole process to go idle after every key (40 ms at the least, far more while a search
    runs); here the wait is for the condition the keys are meant to bring about, bounded so that keys lost on their
    way fail the test instead of hanging it.
    """
    for key in keys:
        char = " " if key == "space" else key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(pilot.app)  # as the pilot and the drivers send them
        pilot.app.post_message(event)
    for _ in range(500):
        if until():
            return
        await pilot.pause()
    assert until(), f"{keys} did not have their effect"


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` into the search box (keys typed before it is mounted included), then wait for its answer."""
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, SearchScreen)
    expected = (screen.query_one("#query", Input).value if screen.ready else "") + text
    assert all(char.isalnum() or char == " " for char in text), f"type_text sends letters, digits and spaces: {text!r}"
    keys = ["space" if char == " " else char for char in text]
    await send_keys(pilot, *keys, until=lambda: screen.ready and screen.query_one("#query", Input).value == expected)
    await settle(pilot)


async def steady(pilot: Pilot[None]) -> None:
    """Cursor blink off and searches settled: a screen that looks the same every run."""
    await settle(pilot)
    for query in pilot.app.query(Input):
        query.cursor_blink = False
    await pilot.pause()
