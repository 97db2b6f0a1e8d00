"""LineList: the base of the results and filter lists, drawing only the visible lines (Textual's line API).

It scrolls itself instead of being a ScrollView: a ScrollView's virtual size is a layout reactive, so each new set of
results would re-lay out and repaint the whole screen (~40 ms here); this widget repaints only its own lines.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

THUMB = "▐"
"""Drawn in the last column beside the visible part when the list is longer than the widget."""


class LineList(Widget, can_focus=True):
    """A list of lines with its own scrolling and a scroll indicator; subclasses draw each line."""

    DEFAULT_CSS = """
    LineList { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.top = 0
        """The first visible line."""
        self._styles: dict[str, Style] = {}
        self._strips: dict[tuple[object, ...], Strip] = {}

    # -- for subclasses -----------------------------------------------------------------------------------------

    def line_count(self) -> int:
        """How many lines the list has."""
        raise NotImplementedError

    def draw(self, line: int, width: int) -> Strip:
        """Line `line` (0-based over the whole list), exactly `width` cells wide."""
        raise NotImplementedError

    def cache_key(self, line: int) -> object:
        """What line `line` depends on besides its width (None: do not cache)."""
        return None

    # -- styles, cached: rich_style walks every ancestor, too slow to ask per line --------------------------------

    @property
    def base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def part(self, *names: str) -> Style:
        """The base style plus the named component classes' own settings, later names winning."""
        key = "|".join(names)
        style = self._styles.get(key)
        if style is None:
            style = self.base_style
            for name in names:
                style += self.get_component_rich_style(name, partial=True)
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())

    def restyle(self) -> None:
        """Forget cached styles and lines (theme or focus changed) and repaint."""
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def on_focus(self) -> None:
        self.restyle()

    def on_blur(self) -> None:
        self.restyle()

    def on_resize(self) -> None:
        self._strips.clear()
        self.top = max(0, min(self.top, self.line_count() - self.size.height))

    # -- scrolling ----------------------------------------------------------------------------------------------

    def reveal(self, start: int, height: int = 1) -> None:
        """Scroll so lines start..start+height-1 are visible."""
        visible = max(1, self.size.height)
        top = self.top
        if start < top:
            top = start
        elif start + height > top + visible:
            top = start + height - visible
        self.scroll_to_line(top)

    def scroll_to_line(self, top: int) -> None:
        top = max(0, min(top, self.line_count() - self.size.height))
        if top != self.top:
            self.top = top
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_to_line(self.top + 3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_to_line(self.top - 3)

    def refresh_line(self, line: int) -> None:
        """Repaint one list line if it is on screen."""
        y = line - self.top
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- drawing ------------------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        count = self.line_count()
        height = self.size.height
        scrolls = count > height
        inner = width - 1 if scrolls else width
        line = y + self.top
        if line >= count:
            strip = Strip.blank(inner, self.base_style)
        else:
            key = self.cache_key(line)
            if key is None:
                strip = self.draw(line, inner)
            else:
                full = (key, line, inner)
                cached = self._strips.get(full)
                if cached is None:
                    cached = self._strips[full] = self.draw(line, inner)
                strip = cached
        if scrolls:
            start = self.top * height // count
            end = max(start + 1, (self.top + height) * height // count)
            thumb = Segment(THUMB if start <= y < end else " ", self.part(self.THUMB_CLASS))
            strip = Strip([*strip, thumb], width)
        return strip

    THUMB_CLASS = "line-list--thumb"
    COMPONENT_CLASSES = {"line-list--thumb"}
