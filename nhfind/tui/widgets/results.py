"""ResultsList: the search results, two lines per service; only the visible lines are drawn."""
# Second line: badge, hours at a glance (as of the moment the results arrived), cost, categories, organization.

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from nhfind.core import hours
from nhfind.core.models import Resource, Vocabulary
from nhfind.tui.resource_text import badge, category_labels, clean, cost_text, main_phone_text
from nhfind.tui.widgets.line_list import LineList

ROW_HEIGHT = 2


EMPTY_LINES = 4
"""Lines for the message shown instead of results ("Nothing matches..."), wrapped to the list's width."""


class ResultsList(LineList):
    """The current results: name and main phone on the first line; badge, hours, cost, category, organization below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--thumb",
        "results-list--cursor",
        "results-list--name",
        "results-list--phone",
        "results-list--meta",
        "results-list--badge",
        "results-list--police",
        "results-list--empty",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="results.up", tooltip="Previous result."),
        Binding("down,j", "cursor(1)", "Down", show=False, id="results.down", tooltip="Next result."),
        Binding("pageup", "page(-1)", "Page up", show=False, id="results.page-up", tooltip="A page up."),
        Binding("pagedown", "page(1)", "Page down", show=False, id="results.page-down", tooltip="A page down."),
        Binding("home", "jump(0)", "First", show=False, id="results.first", tooltip="First result."),
        Binding("end", "jump(-1)", "Last", show=False, id="results.last", tooltip="Last result."),
        Binding(
            "enter",
            "choose",
            "Details",
            id="results.details",
            show=False,
            tooltip="Open every detail of the highlighted service, with sources.",
        ),
        Binding(
            "c",
            "card",
            "Card",
            id="results.card",
            show=False,
            tooltip="Show the referral card (with a QR code) for the highlighted service.",
        ),
    ]

    @dataclass
    class ResourceChosen(Message):
        """The user asked for the details of a service."""

        resource: Resource

    @dataclass
    class CardRequested(Message):
        """The user asked for the referral card of a service."""

        resource: Resource

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.resources: tuple[Resource, ...] = ()
        self.vocabulary: Vocabulary | None = None
        self.empty_message = "Searching..."
        self.cursor = 0
        self.when = hours.now()
        """The moment the hours status describes ("Open until 4 pm"): when the results arrived."""

    # -- data -------------------------------------------------------------------------------------------------

    def show(self, resources: tuple[Resource, ...], empty_message: str = "") -> None:
        """Replace the rows (cursor back to the top)."""
        self.resources = resources
        self.when = hours.now()
        self.empty_message = empty_message
        self.cursor = 0
        self.top = 0
        self._strips.clear()
        self.refresh()

    @property
    def highlighted(self) -> Resource | None:
        """The service under the cursor, if any."""
        return self.resources[self.cursor] if 0 <= self.cursor < len(self.resources) else None

    def move_to(self, index: int) -> None:
        """Put the cursor on result `index` (clamped) and scroll it into view."""
        index = max(0, min(index, len(self.resources) - 1))
        old, self.cursor = self.cursor, index
        for line in range(ROW_HEIGHT):
            self.refresh_line(old * ROW_HEIGHT + line)
            self.refresh_line(index * ROW_HEIGHT + line)
        self.reveal(index * ROW_HEIGHT, ROW_HEIGHT)

    # -- actions ----------------------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height // ROW_HEIGHT))

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self.resources) - 1)

    def action_choose(self) -> None:
        if self.highlighted:
            self.post_message(self.ResourceChosen(self.highlighted))

    def action_card(self) -> None:
        if self.highlighted:
            self.post_message(self.CardRequested(self.highlighted))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a second click (or double click) on it opens the details."""
        index = (event.y + self.top) // ROW_HEIGHT
        if not 0 <= index < len(self.resources):
            return
        again = index == self.cursor and self.has_focus
        self.move_to(index)
        self.focus()
        if again or event.chain > 1:
            self.action_choose()

    # -- drawing ----------------------------------------------------------------------------------------------

    def line_count(self) -> int:
        return len(self.resources) * ROW_HEIGHT or EMPTY_LINES

    def cache_key(self, line: int) -> object:
        return (line // ROW_HEIGHT == self.cursor, self.has_focus) if self.resources else None

    def draw(self, line: int, width: int) -> Strip:
        if not self.resources:
            wrapped = textwrap.wrap(self.empty_message, max(1, width - 2))  # said whole, never cut at the edge
            text = f" {wrapped[line]}" if line < len(wrapped) else ""
            return Strip([Segment(set_cell_size(text, width), self.part("results-list--empty"))], width)
        index, part = divmod(line, ROW_HEIGHT)
        resource = self.resources[index]
        selected = index == self.cursor

        def style(name: str) -> Style:
            return self.part("results-list--cursor", name) if selected else self.part(name)

        base = self.part("results-list--cursor") if selected else self.base_style
        segments: list[Segment] = []
        if part == 0:
            phone = main_phone_text(resource)
            room = max(1, width - cell_len(phone) - 3)
            name = _fit(clean(resource.name), room)
            segments.append(Segment(" " + name, style("results-list--name")))
            gap = max(1, width - 1 - cell_len(name) - cell_len(phone) - 1)
            segments.append(Segment(" " * gap, base))
            segments.append(Segment(phone + " ", style("results-list--phone")))
        else:
            role = "results-list--police" if resource.is_law_enforcement else "results-list--badge"
            segments.append(Segment("   ", base))
            segments.append(Segment(f"[{badge(resource)}]", style(role)))
            meta = f" {hours.summary(resource.hours, self.when)} · {cost_text(resource)}"
            meta += f" · {category_labels(resource, self.vocabulary)}"
            if clean(resource.organization) != clean(resource.name):
                meta += f" · {clean(resource.organization)}"
            segments.append(Segment(meta, style("results-list--meta")))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)


def _fit(text: str, room: int) -> str:
    """`text` cut to `room` cells with an ellipsis."""
    return text if cell_len(text) <= room else set_cell_size(text, max(0, room - 1)) + "…"
