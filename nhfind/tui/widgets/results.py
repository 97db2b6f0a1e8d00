"""ResultsList: the search results, two lines per service, drawn with the line API (only visible rows render)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nhfind.core.models import Resource, Vocabulary
from nhfind.tui.resource_text import badge, category_labels, clean, cost_text, main_phone_text

ROW_HEIGHT = 2


class ResultsList(ScrollView, can_focus=True):
    """The current results: name and main phone on the first line; badge, cost, category, organization below."""

    DEFAULT_CSS = """
    ResultsList { height: 1fr; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
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
        Binding("enter", "choose", "Details", id="results.details",
                tooltip="Open every detail of the highlighted service, with sources."),  # fmt: skip
        Binding("c", "card", "Card", id="results.card",
                tooltip="Show the referral card (with a QR code) for the highlighted service."),  # fmt: skip
    ]

    @dataclass
    class ResourceChosen(Message):
        """The user asked for the details of a service."""

        resource: Resource

    @dataclass
    class CardRequested(Message):
        """The user asked for the referral card of a service."""

        resource: Resource

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.resources: tuple[Resource, ...] = ()
        self.vocabulary: Vocabulary | None = None
        self.empty_message = "Searching..."
        self._strips: dict[tuple[int, int, int, bool], Strip] = {}

    # -- data -------------------------------------------------------------------------------------------------

    def show(self, resources: tuple[Resource, ...], empty_message: str = "") -> None:
        """Replace the rows (cursor back to the top)."""
        self.resources = resources
        self.empty_message = empty_message
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(resources) * ROW_HEIGHT or 1)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.set_reactive(ResultsList.cursor, 0)
        self.refresh()

    @property
    def highlighted(self) -> Resource | None:
        """The service under the cursor, if any."""
        return self.resources[self.cursor] if 0 <= self.cursor < len(self.resources) else None

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_lines(old * ROW_HEIGHT - round(self.scroll_y), ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT - round(self.scroll_y), ROW_HEIGHT)
        self.scroll_to_region(Region(0, new * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.resources) - 1))

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(event.size.width, len(self.resources) * ROW_HEIGHT or 1)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    # -- actions ----------------------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.resources) - 1

    def action_choose(self) -> None:
        if self.highlighted:
            self.post_message(self.ResourceChosen(self.highlighted))

    def action_card(self) -> None:
        if self.highlighted:
            self.post_message(self.CardRequested(self.highlighted))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a second click (or double click) on it opens the details."""
        index = (event.y + round(self.scroll_y)) // ROW_HEIGHT
        if not 0 <= index < len(self.resources):
            return
        if index == self.cursor and self.has_focus or event.chain > 1:
            self.cursor = index
            self.action_choose()
        else:
            self.cursor = index
        self.focus()

    # -- drawing ----------------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        index, part = divmod(row, ROW_HEIGHT)
        if not self.resources:
            if row == 0:
                style = self.rich_style + self.get_component_rich_style("results-list--empty", partial=True)
                return Strip([Segment(f" {self.empty_message}"[:width], style)]).extend_cell_length(width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        if index >= len(self.resources):
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, part, width, selected)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw(self.resources[index], part, width, selected)
        return strip

    def _draw(self, resource: Resource, part: int, width: int, selected: bool) -> Strip:
        base = self.rich_style
        if selected:
            base = base + self.get_component_rich_style("results-list--cursor", partial=True)
        segments: list[Segment] = []
        if part == 0:
            phone = main_phone_text(resource)
            room = max(1, width - cell_len(phone) - 3)
            name = _fit(clean(resource.name), room)
            segments.append(Segment(" " + name, base + self.get_component_rich_style("results-list--name", partial=True)))
            gap = max(1, width - 1 - cell_len(name) - cell_len(phone) - 1)
            segments.append(Segment(" " * gap, base))
            segments.append(Segment(phone + " ", base + self.get_component_rich_style("results-list--phone", partial=True)))
        else:
            text = badge(resource)
            role = "results-list--police" if resource.is_law_enforcement else "results-list--badge"
            segments.append(Segment("   ", base))
            segments.append(Segment(f"[{text}]", base + self.get_component_rich_style(role, partial=True)))
            meta = f" {cost_text(resource)} · {category_labels(resource, self.vocabulary)}"
            if clean(resource.organization) != clean(resource.name):
                meta += f" · {clean(resource.organization)}"
            segments.append(Segment(meta, base + self.get_component_rich_style("results-list--meta", partial=True)))
        strip = Strip(segments)
        return strip.crop(0, width).extend_cell_length(width, base)


def _fit(text: str, room: int) -> str:
    """`text` cut to `room` cells with an ellipsis."""
    return text if cell_len(text) <= room else set_cell_size(text, max(0, room - 1)) + "…"

