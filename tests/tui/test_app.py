"""The finder driven as a user would, with Textual's Pilot at 80x24 on the fixture database."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from nhfind.core.badges import CHECK
from nhfind.core.db.store import Store
from nhfind.core.models import Filters
from nhfind.core.search import search
from nhfind.tui.app import HIGH_CONTRAST, FinderApp
from nhfind.tui.commands import ACTIONS
from nhfind.tui.messages import SearchFinished
from nhfind.tui.screens.card import CardScreen
from nhfind.tui.screens.crisis import CrisisScreen
from nhfind.tui.screens.details import DetailsScreen
from nhfind.tui.screens.export import ExportScreen
from nhfind.tui.screens.help import HelpScreen
from nhfind.tui.screens.hidden import HiddenScreen
from nhfind.tui.screens.search import SearchScreen
from nhfind.tui.widgets.filters import FilterPanel
from nhfind.tui.widgets.qr_code import QRCode
from nhfind.tui.widgets.results import ResultsList
from tests.tui.conftest import send_keys, settle, type_text

SIZE = (80, 24)
pytestmark = pytest.mark.asyncio


def ids(app: FinderApp) -> list[str]:
    return [r.id for r in app.search_screen.query_one(ResultsList).resources]


def screen_text(app: FinderApp) -> str:
    """What is on the terminal, as plain text."""
    return "\n".join(line.text for line in app.screen._compositor.render_strips())  # noqa: SLF001


def widget_text(widget: Static) -> str:
    return str(widget.render())


async def test_search_box_has_focus_and_lists_everything(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input)
        assert ids(app) == [r.id for r in search(fixture_store).results]


async def test_keys_typed_while_starting_are_kept(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"shelter")  # no waiting: the first keys arrive before the search box is mounted
        await settle(pilot)
        assert app.search_screen.query_one("#query", Input).value == "shelter"


async def test_typing_narrows_results(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = ids(app)
        await type_text(pilot, "shelter")
        expected = [r.id for r in search(fixture_store, "shelter").results]
        assert ids(app) == expected
        assert 0 < len(expected) < len(everything)
        assert "Emergency Shelter Beds" in screen_text(app)
        assert "Free STI Testing" not in screen_text(app)


async def test_a_long_answer_lists_the_first_results_and_says_how_many_match(
    app: FinderApp, fixture_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a statewide directory: the list holds the best RESULT_LIMIT, the status line the whole count
    monkeypatch.setattr(SearchScreen, "RESULT_LIMIT", 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = search(fixture_store, "", with_facets=True)
        assert ids(app) == [r.id for r in everything.results[:2]]
        status = widget_text(app.search_screen.query_one("#active-filters", Static))
        assert f"{everything.total} services" in status and "first 2 listed" in status
        # the filter counts still cover every match, not only the listed ones
        panel = app.search_screen.query_one(FilterPanel)
        counts = {(r.facet, r.value): r.count for r in panel.rows if not r.is_title}
        assert counts[("cost", "free")] == everything.facets["cost"]["free"] == 3


async def test_a_stale_answer_never_replaces_a_newer_one(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "shelter")
        shown = ids(app)
        old = search(fixture_store, "", with_facets=True)
        app.search_screen.post_message(SearchFinished("", Filters(), old, old.facets))
        await settle(pilot)
        assert ids(app) == shown


async def test_nothing_found_says_what_to_do(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "zzzqqq")
        assert ids(app) == []
        assert "Nothing matches" in screen_text(app)
        assert "(ctrl+l)" in screen_text(app)  # the whole hint, its key included, not cut at the list's edge


async def _toggle_with_keys(pilot: Pilot[None], app: FinderApp, facet: str, value: str) -> None:
    await pilot.press("ctrl+f")
    panel = app.search_screen.query_one(FilterPanel)
    assert app.focused is panel
    target = next(r for r in panel.rows if (r.facet, r.value) == (facet, value) and not r.is_title)
    downs = sum(1 for r in panel.rows[panel.cursor + 1 : panel.rows.index(target) + 1] if not r.is_title)
    await send_keys(pilot, *["down"] * downs, until=lambda: panel.highlighted == target)  # down skips the titles
    await pilot.press("space")
    await settle(pilot)


@pytest.mark.parametrize(
    ("facet", "value", "filters"),
    [
        ("category", "shelter", Filters(categories=("shelter",))),
        ("cost", "free", Filters(costs=("free",))),
        ("confidentiality", "confidential", Filters(confidentiality=("confidential",))),
        ("population", "women", Filters(populations=("women",))),
        ("language", "es", Filters(languages=("es",))),
    ],
)
async def test_each_filter_narrows_and_one_key_clears(
    app: FinderApp, fixture_store: Store, facet: str, value: str, filters: Filters
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = ids(app)
        await _toggle_with_keys(pilot, app, facet, value)
        expected = [r.id for r in search(fixture_store, "", filters).results]
        assert ids(app) == expected
        assert 0 < len(expected) < len(everything)
        assert app.search_screen.selected[facet] == {value}
        label = app.search_screen.label(facet, value)
        assert label in widget_text(app.search_screen.query_one("#active-filters", Static))
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert ids(app) == everything
        assert "no filters" in widget_text(app.search_screen.query_one("#active-filters", Static))


async def test_filters_combine_and_counts_show_what_each_value_would_give(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _toggle_with_keys(pilot, app, "cost", "free")
        await _toggle_with_keys(pilot, app, "confidentiality", "confidential")
        both = Filters(costs=("free",), confidentiality=("confidential",))
        assert ids(app) == [r.id for r in search(fixture_store, "", both).results]
        panel = app.search_screen.query_one(FilterPanel)
        counts = {(r.facet, r.value): r.count for r in panel.rows if not r.is_title}
        # the count beside a cost value ignores the cost filter itself, so it is what choosing it would add
        free_only = search(fixture_store, "", Filters(confidentiality=("confidential",)), with_facets=True)
        assert counts[("cost", "free")] == free_only.facets["cost"]["free"]


async def test_open_now_narrows_to_what_the_hours_say_and_clears(app: FinderApp, fixture_store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = ids(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        moment = app.search_screen.open_at
        assert moment is not None
        assert ids(app) == [r.id for r in search(fixture_store, "", Filters(open_at=moment)).results]
        assert len(ids(app)) < len(everything)  # the fixtures hold services with unknown hours: never "open"
        assert "open now" in widget_text(app.search_screen.query_one("#active-filters", Static))
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.search_screen.open_at is None and ids(app) == everything


async def test_law_enforcement_is_unmistakable_in_the_results(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "trafficking")
        text = screen_text(app)
        assert "Trafficking Tip Line" in text
        assert "POLICE / LAW ENFORCEMENT" in text


async def test_data_is_shown_as_typed_never_as_markup(app: FinderApp) -> None:
    async with app.run_test(size=(200, 50)) as pilot:
        await type_text(pilot, "hyperlink")
        assert "[bold red]Markup Org[/bold red]" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "[link=http://x]markup[/link]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_details_show_sources_grades_dates_conflicts(app: FinderApp) -> None:
    async with app.run_test(size=(120, 60)) as pilot:
        await type_text(pilot, "STI")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailsScreen)
        text = widget_text(app.screen.query_one("#details-text", Static))
        assert "https://clinic.example.org/about" in text
        assert "grade high" in text and "2025-01-02" in text
        # the text line rests on a low-grade 2016 story: flagged
        assert "news.example.org/old-story" in text and CHECK in text
        assert "Information dated 2016–2025 — call ahead" in text
        assert "Last checked: 2026-11-29 (when we last checked the record)" in text
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        await type_text(pilot, "")
        query = app.search_screen.query_one("#query", Input)
        query.value = "primary care"
        query.focus()
        await settle(pilot)
        await pilot.press("down")
        results = app.search_screen.query_one(ResultsList)
        for _ in results.resources:
            if results.highlighted and results.highlighted.id == "test-primary-care":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        text = widget_text(app.screen.query_one("#details-text", Static))
        assert "Sources disagree" in text and "An old story says around the clock" in text


async def test_details_copy_phone_and_entry(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "STI")
        await pilot.press("down", "enter")
        await pilot.press("p")
        assert app.clipboard == "916-555-0101"
        await pilot.press("y")
        assert "Free STI Testing" in app.clipboard and "https://clinic.example.org/about" in app.clipboard


async def test_card_shows_a_qr_code_with_the_phone(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "STI")
        await pilot.press("down", "c")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        qr = app.screen.query_one(QRCode)
        assert qr.data == "tel:+19165550101"  # what a phone dials from anywhere (core.phone)
        drawing = widget_text(qr)
        assert "█" in drawing and "▀" in drawing
        text = screen_text(app)
        assert "Free STI Testing" in text and "Scan to call" in text
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


async def test_a_police_card_says_so_first(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "tip line")
        await pilot.press("down", "c")
        await settle(pilot)
        text = widget_text(app.screen.query_one("#card-lines", Static))
        assert text.lstrip().startswith("⚠ POLICE / LAW ENFORCEMENT")
        assert "may be used in an investigation" in text


async def test_crisis_screen_on_one_key(crisis_db: Path) -> None:
    app = FinderApp(Store(crisis_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, CrisisScreen)
        text = widget_text(app.screen.query_one("#crisis-text", Static))
        assert "Test Crisis Line" in text and "916-555-0188" in text and "Text TALK to 555888" in text
        assert "Free STI Testing" not in text
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize(("fmt", "radio"), [("csv", None), ("md", "down")])
async def test_export_writes_a_file_that_parses(app: FinderApp, tmp_path: Path, fmt: str, radio: str | None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "free")
        shown = ids(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExportScreen)
        if radio:
            await pilot.click("#format-md")
            await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == str(tmp_path / f"nhfind-results.{fmt}")
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        target = tmp_path / f"nhfind-results.{fmt}"
        assert isinstance(app.screen, SearchScreen)
        text = target.read_text(encoding="utf-8")
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert [row["id"] for row in rows] == shown
        else:
            lines = text.splitlines()
            assert lines[0].startswith("| name |") and len(lines) == 2 + len(shown)


async def test_export_writes_every_match_not_only_the_listed_ones(
    app: FinderApp, tmp_path: Path, fixture_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SearchScreen, "RESULT_LIMIT", 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(ids(app)) == 2
        await pilot.press("ctrl+s")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        rows = list(csv.DictReader(io.StringIO((tmp_path / "nhfind-results.csv").read_text(encoding="utf-8"))))
        assert [row["id"] for row in rows] == [r.id for r in search(fixture_store, "").results]
        assert len(rows) > 2


async def test_export_never_overwrites_without_a_second_yes(app: FinderApp, tmp_path: Path) -> None:
    target = tmp_path / "nhfind-results.csv"
    target.write_text("keep me\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "already exists" in widget_text(app.screen.query_one("#export-message", Static))
        assert target.read_text() == "keep me\n"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert target.read_text().startswith("id,name,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nhfind-results.csv"]  # no temp file left


async def test_export_to_an_unwritable_place_says_so(app: FinderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = "/proc/nhfind-cannot-write-here.csv"  # the folder exists; nobody can write in it
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "Could not save" in widget_text(app.screen.query_one("#export-message", Static))


async def test_quick_hide_clears_query_filters_and_results(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "shelter")
        await _toggle_with_keys(pilot, app, "cost", "free")
        await pilot.press("down", "enter")  # a details screen open over the results
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, HiddenScreen)
        assert len(app.screen_stack) == 2
        screen = app.search_screen
        assert screen.query_one("#query", Input).value == ""
        assert screen.selected == {}
        assert ids(app) == []
        assert screen.query_one(FilterPanel).rows == []
        assert "shelter" not in screen_text(app).lower() and screen_text(app).strip() == ""
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.search_screen.query_one("#query", Input).value == ""
        assert "Emergency Shelter Beds" in screen_text(app)  # a fresh list, as at start
        assert "no filters" in widget_text(app.search_screen.query_one("#active-filters", Static))


async def test_quick_hide_key_is_in_the_footer(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "^g Hide" in footer and "^q Quit" in footer


async def test_help_opens_on_f1_and_question_mark(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = widget_text(app.screen.query_one("#help-text", Static))
        assert "Hide" in text and "Crisis" in text and "Export" in text
        await pilot.press("escape")
        await pilot.press("down")  # to the results: there "?" is not typed into the search box
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_quit_key_ends_the_app(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_every_palette_entry_runs_an_action_that_exists(app: FinderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _title, _help, action in ACTIONS:
            namespace, name = action.split(".")
            target = app.search_screen if namespace == "screen" else app
            assert callable(getattr(target, f"action_{name}", None)), action
        await app.run_action("app.toggle_contrast")
        assert app.theme == HIGH_CONTRAST.name


_NETWORK: list[str] = []
_WATCHING = False


def _audit(event: str, _args: object) -> None:
    if _WATCHING and event.startswith(("socket.", "http.", "urllib.", "ftplib.", "smtplib.", "webbrowser.")):
        _NETWORK.append(event)


async def test_the_app_never_touches_the_network_or_the_disk(app: FinderApp, tmp_path: Path) -> None:
    global _WATCHING
    sys.addaudithook(_audit)  # hooks cannot be removed; it only records while _WATCHING is set
    _NETWORK.clear()
    async with app.run_test(size=SIZE) as pilot:
        _WATCHING = True
        try:
            await type_text(pilot, "clinic")
            await _toggle_with_keys(pilot, app, "cost", "free")
            await pilot.press("shift+tab", "down", "enter", "p", "y", "c")
            await settle(pilot)
            await pilot.press("escape", "escape", "ctrl+r", "escape", "f1", "escape", "ctrl+g", "escape")
            await settle(pilot)
        finally:
            _WATCHING = False
    assert _NETWORK == []
    assert list(tmp_path.iterdir()) == []  # the home folder (see conftest): no history, settings or screenshots
