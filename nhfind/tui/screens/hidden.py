"""HiddenScreen: the neutral, empty view quick-hide shows; nothing of the search is on it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static


class HiddenScreen(Screen[None]):
    """A blank screen. Escape or enter goes back to an empty search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "app.unhide", "Back", show=False, id="hidden.back",
                tooltip="Leave the blank screen for an empty search."),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Static("", id="blank")
