"""The TUI's crisis screen (ctrl+r) shows what `nhfind crisis` shows, in the same order, and the first lines fit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static
from typer.testing import CliRunner

from nhfind.cli import app as cli_app
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.tui.app import FinderApp
from nhfind.tui.screens.crisis import CrisisScreen
from tests.tui.conftest import settle

pytestmark = pytest.mark.asyncio

CLI_CRISIS_DATA = Path(__file__).resolve().parent.parent / "cli" / "fixtures" / "crisis"


@pytest.fixture(scope="module")
def cli_crisis_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Crisis lines in every group: danger now, 24/7 (national before county), evenings, unknown hours."""
    path = tmp_path_factory.mktemp("crisis-groups") / "crisis.db"
    build(CLI_CRISIS_DATA, path)
    return path


def _cli_json(db: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli_app, ["--db", str(db), "crisis", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


async def _screen(db: Path) -> tuple[str, int]:
    """The crisis screen's text (whitespace collapsed) and how many of its lines show without scrolling."""
    app = FinderApp(Store(db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, CrisisScreen)
        text = str(app.screen.query_one("#crisis-text", Static).render())
        visible = app.screen.query_one("#crisis-body", VerticalScroll).scrollable_content_region.height
        return text, visible


@pytest.mark.parametrize("which", ["bundled", "groups"])
async def test_crisis_screen_lists_the_cli_lines_in_the_cli_order(
    which: str, real_db: Path, cli_crisis_db: Path
) -> None:
    db = real_db if which == "bundled" else cli_crisis_db
    rows = _cli_json(db)
    text, _visible = await _screen(db)
    flat = " ".join(text.split())
    names = list(dict.fromkeys(str(r["name"]) for r in rows))
    assert len(names) >= 3
    where = [flat.find(name) for name in names]
    assert -1 not in where, f"missing on the screen: {[n for n, w in zip(names, where, strict=True) if w < 0]}"
    assert where == sorted(where), f"screen order {sorted(names, key=lambda n: flat.find(n))} != cli order {names}"
    groups = list(dict.fromkeys(str(r["group"]) for r in rows))
    titles = {"emergency": "DANGER RIGHT NOW", "24/7": "OPEN 24/7", "other-hours": "SET OR UNKNOWN HOURS"}
    assert [flat.find(titles[g]) for g in groups] == sorted(flat.find(titles[g]) for g in groups)


async def test_a_line_without_a_number_never_sits_above_one_with_a_number(real_db: Path) -> None:
    text, _visible = await _screen(real_db)
    last_number = max(text.find(str(r["phones"][0]["number"])) for r in _cli_json(real_db))
    assert text.find("Hospital emergency departments") > last_number


async def test_911_988_trafficking_and_weave_show_without_scrolling_at_80x24(real_db: Path) -> None:
    text, visible = await _screen(real_db)
    shown = "\n".join(text.splitlines()[:visible])
    for wanted in ("911", "988", "National Human Trafficking Hotline", "1-888-373-7888", "WEAVE", "916-920-2952"):
        assert wanted in shown, f"{wanted} is below the first screen"
