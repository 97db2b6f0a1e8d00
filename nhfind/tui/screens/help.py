"""HelpScreen: every key, written out from the bindings themselves (description and tooltip)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from nhfind.core import badges
from nhfind.tui.keys import HIDE

if TYPE_CHECKING:
    from textual.app import App

INTRO = (
    "nhfind finds support services in North Highlands and Sacramento County. It works offline: "
    "nothing you type is sent anywhere or saved. Every fact shows where it came from; "
    f'facts marked "{badges.CHECK}" come from weak or old sources.\n'
)


def bindings_text(app: App[object], groups: list[tuple[str, list[BindingType]]]) -> Text:
    """A section per group listing key, description and tooltip of each binding."""
    out = Text(INTRO + "\n")
    for title, bindings in groups:
        out.append(title + "\n", style="bold underline")
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = ", ".join(app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(","))
            out.append(f"  {keys:<12}", style="bold")
            out.append(f"{binding.description}")
            if binding.tooltip:
                out.append(f": {binding.tooltip}", style="dim")
            out.append("\n")
        out.append("\n")
    return out


class HelpScreen(ModalScreen[None]):
    """What each key does, on every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q,question_mark,f1", "dismiss", "Back", id="help.back", tooltip="Close the help."),
    ]

    def compose(self) -> ComposeResult:
        from nhfind.tui.screens.card import CardScreen
        from nhfind.tui.screens.details import DetailsScreen
        from nhfind.tui.screens.hidden import HiddenScreen
        from nhfind.tui.screens.search import SearchScreen
        from nhfind.tui.widgets.filters import FilterPanel
        from nhfind.tui.widgets.results import ResultsList

        groups = [
            ("Anywhere", list(type(self.app).BINDINGS)),
            ("Search screen", SearchScreen.BINDINGS),
            ("Results list", ResultsList.BINDINGS),
            ("Filter list", FilterPanel.BINDINGS),
            ("Details", DetailsScreen.BINDINGS),
            ("Referral card", CardScreen.BINDINGS),
            ("Blank screen (after quick-hide)", HiddenScreen.BINDINGS),
        ]
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help"
            body.border_subtitle = "escape: back"
            yield Static(bindings_text(self.app, groups), id="help-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
