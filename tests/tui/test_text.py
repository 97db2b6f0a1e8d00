"""What the TUI's text builders and app options produce, without driving the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhfind.core.db.store import Store
from nhfind.core.models import Fact, Phone, Resource
from nhfind.tui.app import FinderApp
from nhfind.tui.resource_text import qr_payload
from nhfind.tui.widgets.qr_code import qr_text


def test_card_qr_falls_back_to_the_web_address() -> None:
    base = Resource("x", "X", "o", "O", "d", "2026-01-01")
    phone = Phone("+1 (916) 555-0177", "voice", "s")
    assert qr_payload(base) == ""
    assert qr_payload(Resource("x", "X", "o", "O", "d", "2026-01-01", phones=(phone,))) == "tel:+19165550177"
    web = Resource("x", "X", "o", "O", "d", "2026-01-01", website=Fact("www.example.org", "s"))
    assert qr_payload(web) == "https://www.example.org"


def test_qr_drawing_has_one_cell_per_two_modules() -> None:
    import segno

    size = segno.make("tel:911", error="m", micro=False).symbol_size(scale=1, border=2)[0]
    lines = qr_text("tel:911").plain.splitlines()
    assert len(lines) == (size + 1) // 2
    assert {len(line) for line in lines} == {size}


def test_no_color_is_respected(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert FinderApp(Store(fixture_db)).no_color
    monkeypatch.delenv("NO_COLOR")
    assert FinderApp(Store(fixture_db), color=False).no_color
    assert not FinderApp(Store(fixture_db)).no_color
