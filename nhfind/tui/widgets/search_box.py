"""SearchBox: the search field, repainting only itself on each key."""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.widgets import Input


class SearchBox(Input):
    """An Input whose keystrokes never re-lay out the screen.

    Textual 8.2.8's Input assigns `virtual_size` (a layout reactive) on every change of value, so each key re-laid
    out and repainted the whole screen (~20 ms here). The width only matters to the field's own horizontal
    scrolling, so it is stored without the layout pass. Mirrors Input._watch_value of that pinned version.
    """

    on_text: Callable[[str], None] | None = None
    """Called at once with each new value, before the Changed message (saves a trip through the message queues)."""

    def _watch_value(self, value: str) -> None:
        if self.on_text is not None:
            self.on_text(value)
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        self._suggestion = ""
        if self.suggester and value:
            self.run_worker(self.suggester._get_suggestion(self, value))
        validation_result = self.validate(value) if "changed" in self.validate_on else None
        self.post_message(self.Changed(self, value, validation_result))
        if self._initial_value:
            self.cursor_position = len(self.value)
            self._initial_value = False
        else:
            self.selection = self.selection
        self.refresh()
