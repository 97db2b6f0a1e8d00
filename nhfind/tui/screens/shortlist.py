"""ShortlistScreen: the services picked for this visit, in memory only; one combined card, or an export of it.

Nothing here is written anywhere unless the worker exports it; quick-hide (ctrl+g) forgets the list.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from nhfind.core.card import render_cards
from nhfind.core.models import Resource
from nhfind.tui.host import Host
from nhfind.tui.keys import HIDE
from nhfind.tui.resource_text import clean, main_phone_text

EXPORT_FORMATS = {"txt": "Text cards (prints well)", "html": "Printable page with QR codes", "vcf": "vCard contacts"}
"""File suffix -> what the dialog calls it."""
_CARD_FORMAT = {"txt": "text", "html": "html", "vcf": "vcard"}


class ShortlistScreen(Screen[None]):
    """The visit's services: enter shows them as one set of cards; d takes one off; ctrl+s exports the cards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q", "app.pop_screen", "Back", id="shortlist.back", tooltip="Back to the search."),
        Binding("enter,c", "cards", "Cards", id="shortlist.cards", tooltip="All the services as cards, one by one."),
        Binding("d,delete,a", "remove", "Remove", id="shortlist.remove", tooltip="Take the highlighted service off."),
        Binding("ctrl+s", "export", "Export", id="shortlist.export", priority=True,
                tooltip="Save the cards as text, a printable page with QR codes, or vCard contacts."),
        Binding("f4", "app.switch_lang", "Español", id="shortlist.lang", tooltip="Cards in Spanish or English."),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        with Vertical(id="shortlist-body") as body:
            body.border_title = "Shortlist for this visit"
            yield Static(id="shortlist-empty")
            yield OptionList(id="shortlist-list")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refill()
        self.query_one(OptionList).focus()

    @property
    def items(self) -> list[Resource]:
        return list(getattr(self.app, "shortlist", []))

    @property
    def highlighted(self) -> Resource | None:
        """The service under the cursor (the app's shortlist key acts on it)."""
        options = self.query_one(OptionList)
        items = self.items
        index = options.highlighted
        return items[index] if index is not None and 0 <= index < len(items) else None

    def refill(self) -> None:
        """Show the list as it is now."""
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        for resource in self.items:
            line = Text(clean(resource.name), style="bold")
            line.append(f"  {main_phone_text(resource)}")
            options.add_option(Option(line, id=resource.id))
        items = self.items
        empty = self.query_one("#shortlist-empty", Static)
        empty.update(
            Text("Empty. On the results or a card, press a to add the highlighted service.", style="italic")
            if not items
            else Text(f"{len(items)} service{'s' if len(items) != 1 else ''}: enter shows the cards")
        )
        if items:
            options.highlighted = min(keep, len(items) - 1)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cards", "remove", "export"):
            return bool(self.items) or None
        return True

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_cards()

    def action_cards(self) -> None:
        from nhfind.tui.screens.card import CardScreen

        items = self.items
        if items:
            screen = CardScreen(items)
            index = self.query_one(OptionList).highlighted or 0
            screen.index = min(index, len(items) - 1)
            self.app.push_screen(screen)

    def action_remove(self) -> None:
        resource = self.highlighted
        if resource is not None and isinstance(self.app, Host):
            self.app.toggle_in_shortlist(resource)

    def action_export(self) -> None:
        from nhfind.tui.screens.export import ExportScreen

        lang = str(getattr(self.app, "lang", "en"))

        def write(fmt: str, resources: tuple[Resource, ...]) -> str:
            return render_cards(resources, _CARD_FORMAT[fmt], lang)

        items = tuple(self.items)
        self.app.push_screen(
            ExportScreen(items, EXPORT_FORMATS, write, stem="nhfind-cards", noun="card"), self._exported
        )

    def _exported(self, path: object) -> None:
        if path:
            self.notify(f"Saved to {path}", title="Exported")
