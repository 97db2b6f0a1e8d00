"""FilterPanel: every facet value with its count, toggled with the keyboard or a click (line API)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from nhfind.core.facets import FACETS, SWITCHES, title_of
from nhfind.tui.widgets.line_list import LineList


@dataclass(frozen=True)
class Row:
    """One line of the panel: a facet title (no value, no switch), a value to toggle, or a switch to turn on/off."""

    facet: str
    value: str = ""
    count: int = 0
    switch: str = ""
    """The `Filters` field of a switch row (nhfind.core.facets.SWITCHES), "" for other rows."""

    @property
    def is_title(self) -> bool:
        return not self.value and not self.switch


class FilterPanel(LineList):
    """Facet values with counts; space or enter toggles the highlighted one."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--thumb",
        "filter-panel--title",
        "filter-panel--cursor",
        "filter-panel--on",
        "filter-panel--count",
        "filter-panel--police",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False, id="filters.up", tooltip="Previous filter value."),
        Binding("down,j", "move(1)", "Down", show=False, id="filters.down", tooltip="Next filter value."),
        Binding("pageup", "move(-10)", "Page up", show=False, id="filters.page-up", tooltip="Ten values up."),
        Binding("pagedown", "move(10)", "Page down", show=False, id="filters.page-down", tooltip="Ten values down."),
        Binding(
            "space,enter",
            "toggle_value",
            "Toggle",
            show=False,  # named in the panel's border, so the footer keeps room for the crisis key
            id="filters.toggle",
            tooltip="Turn the highlighted filter value on or off.",
        ),
    ]

    @dataclass
    class Toggled(Message):
        """A filter value was turned on or off."""

        facet: str
        value: str

    @dataclass
    class Switched(Message):
        """A switch (nhfind.core.facets.SWITCHES, e.g. hide police) was turned on or off."""

        field: str

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: list[Row] = []
        self.selected: Mapping[str, frozenset[str]] = {}
        self.switches: frozenset[str] = frozenset()
        """The `Filters` fields of the switches turned on."""
        self.label: Callable[[str, str], str] = lambda facet, value: value
        self.cursor = 1

    def show(
        self,
        counts: Mapping[str, Mapping[str, int]],
        selected: Mapping[str, frozenset[str]],
        switches: frozenset[str] = frozenset(),
    ) -> None:
        """Redraw from fresh counts; the cursor stays on the same row where it can.

        A facet's switches (hide police under Privacy) come first under its title, shown whenever the facet is.
        """
        keep = self.highlighted
        facets = [f for f in FACETS if f in counts or selected.get(f)]
        facets += sorted(f for f in counts if f not in FACETS)
        rows: list[Row] = []
        for facet in facets:
            values = {v: n for v, n in counts.get(facet, {}).items() if n}
            for value in selected.get(facet, ()):
                values.setdefault(value, 0)
            own = [s for s in SWITCHES if s.facet == facet]
            if not values and not own:
                continue
            rows.append(Row(facet))
            rows.extend(Row(facet, switch=s.field) for s in own)
            order = sorted(values, key=lambda v: (self.label(facet, v).casefold(), v))
            rows.extend(Row(facet, v, values[v]) for v in order)
        self.rows = rows
        self.selected = selected
        self.switches = switches
        index = next((i for i, r in enumerate(rows) if keep and (r.facet, r.value, r.switch) ==
                      (keep.facet, keep.value, keep.switch)), None)  # fmt: skip
        self.cursor = index if index is not None else self._value_index(self.cursor, 1)
        self.top = max(0, min(self.top, len(rows) - self.size.height))
        self._strips.clear()
        self.refresh()

    @property
    def highlighted(self) -> Row | None:
        """The value under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _value_index(self, start: int, step: int) -> int:
        """The nearest value row from `start` in direction `step` (titles are skipped)."""
        if not self.rows:
            return 0
        index = max(0, min(start, len(self.rows) - 1))
        while 0 <= index < len(self.rows) and self.rows[index].is_title:
            index += step
        if not 0 <= index < len(self.rows):
            index = max(0, min(start, len(self.rows) - 1))
            while 0 <= index < len(self.rows) and self.rows[index].is_title:
                index -= step
        return max(0, min(index, len(self.rows) - 1))

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index` and scroll it (and its facet title just above) into view."""
        old, self.cursor = self.cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        top = index - 1 if index > 0 and self.rows and self.rows[index - 1].is_title else index
        self.reveal(top, index - top + 1)

    def action_move(self, step: int) -> None:
        self.move_to(self._value_index(self.cursor + step, 1 if step > 0 else -1))

    def action_toggle_value(self) -> None:
        row = self.highlighted
        if row and row.switch:
            self.post_message(self.Switched(row.switch))
        elif row and not row.is_title:
            self.post_message(self.Toggled(row.facet, row.value))

    def on_click(self, event: events.Click) -> None:
        """A click on a value toggles it."""
        index = event.y + self.top
        if 0 <= index < len(self.rows) and not self.rows[index].is_title:
            self.move_to(index)
            self.focus()
            self.action_toggle_value()

    def line_count(self) -> int:
        return len(self.rows)

    def cache_key(self, line: int) -> object:
        return (line == self.cursor and self.has_focus,)

    def draw(self, line: int, width: int) -> Strip:
        row = self.rows[line]
        if row.is_title:
            return Strip([Segment(set_cell_size(" " + title_of(row.facet), width), self.part("filter-panel--title"))])
        cursor = ("filter-panel--cursor",) if line == self.cursor and self.has_focus else ()
        base = self.part(*cursor)
        if row.switch:
            on = row.switch in self.switches
            label, count = next((s.short for s in SWITCHES if s.field == row.switch), row.switch), ""
            label_role = "filter-panel--police"
        else:
            on = row.value in self.selected.get(row.facet, ())
            label, count = self.label(row.facet, row.value), f" {row.count}"
            police = (row.facet, row.value) in {(s.facet, s.value) for s in SWITCHES}
            label_role = "filter-panel--police" if police else ""
        room = max(1, width - 5 - cell_len(count))
        if cell_len(label) > room:
            label = set_cell_size(label, room - 1) + "…"
        segments = [
            Segment(" [x] " if on else " [ ] ", self.part(*cursor, "filter-panel--on") if on else base),
            Segment(set_cell_size(label, room), self.part(*cursor, label_role) if label_role else base),
            Segment(count, self.part(*cursor, "filter-panel--count")),
        ]
        return Strip(segments).crop(0, width).extend_cell_length(width, base)
