"""DetailsScreen: every field of one service with each fact's source, grade and date; copy to the clipboard."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from nhfind.core.models import Resource, Vocabulary
from nhfind.tui.clipboard import copy_phone
from nhfind.tui.keys import HIDE
from nhfind.tui.resource_text import details, entry_plain


class DetailsScreen(ModalScreen[None]):
    """The whole entry; escape goes back to the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q", "dismiss", "Back", id="details.back", tooltip="Close the details, back to the results."),
        Binding("p", "copy_phone", "Copy phone", id="details.copy-phone",
                tooltip="Copy the main phone number to the clipboard."),
        Binding("y", "copy_entry", "Copy entry", id="details.copy-entry",
                tooltip="Copy the whole entry, sources included, as plain text."),
        Binding("c", "card", "Card", id="details.card", tooltip="Show the referral card with a QR code."),
    ]  # fmt: skip

    def __init__(self, resource: Resource, vocabulary: Vocabulary | None = None) -> None:
        super().__init__()
        self.resource = resource
        self.vocabulary = vocabulary

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details-body") as body:
            body.border_title = "Details"
            body.border_subtitle = "escape: back"
            yield Static(details(self.resource, self.vocabulary), id="details-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#details-body").focus()

    def action_copy_phone(self) -> None:
        copy_phone(self, self.resource)

    def action_copy_entry(self) -> None:
        self.app.copy_to_clipboard(entry_plain(self.resource, self.vocabulary))
        self.notify("Copied the whole entry.", title="Clipboard")

    def action_card(self) -> None:
        from nhfind.tui.screens.card import CardScreen

        self.app.push_screen(CardScreen(self.resource))
