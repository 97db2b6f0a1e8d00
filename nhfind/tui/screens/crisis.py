"""CrisisScreen: every emergency and crisis line in the data, one key away."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from nhfind.core.db.store import Store
from nhfind.core.models import Filters, Resource
from nhfind.core.search import search
from nhfind.tui.keys import HIDE
from nhfind.tui.resource_text import BADGES, clean

CRISIS_CATEGORIES = ("emergency", "crisis-line")
"""The categories whose services the crisis screen lists (emergency first)."""


def crisis_text(resources: tuple[Resource, ...]) -> Text:
    """Each line's name, numbers (with how to text), hours and a police warning where it applies."""
    out = Text()
    if not resources:
        out.append("No crisis lines in this database. In danger now: call 911.\n", style="bold")
    for resource in resources:
        out.append(clean(resource.name), style="bold")
        if resource.is_law_enforcement:
            out.append(f"  {BADGES['law-enforcement']}", style="bold reverse")
        out.append("\n")
        if clean(resource.organization) != clean(resource.name):
            out.append(f"  {clean(resource.organization)}\n", style="dim")
        for phone in resource.phones:
            if phone.kind == "fax":
                continue
            how = {"text": "text", "tty": "TTY"}.get(phone.kind, "call")
            out.append(f"  {how} ")
            out.append(clean(phone.number), style="bold")
            extras = [clean(x) for x in (phone.label, phone.hours, phone.instructions) if x]
            if extras:
                out.append("  " + "; ".join(extras))
            out.append("\n")
        if not resource.phones:
            out.append("  no number listed\n")
        out.append("\n")
    return out


def crisis_lines(store: Store) -> tuple[Resource, ...]:
    """Emergency services first, then crisis lines, each group by name."""
    page = search(store, "", Filters(categories=CRISIS_CATEGORIES))
    return tuple(sorted(page.results, key=lambda r: ("emergency" not in r.categories, r.name.casefold())))


class CrisisScreen(ModalScreen[None]):
    """Crisis and emergency lines from the data, in large clear type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("escape,q", "dismiss", "Back", id="crisis.back", tooltip="Close the crisis lines."),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="crisis-body") as body:
            body.border_title = "Crisis and emergency lines"
            body.border_subtitle = "escape: back"
            yield Static(crisis_text(crisis_lines(self.store)), id="crisis-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#crisis-body").focus()
