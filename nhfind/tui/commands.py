"""The command palette provider: every action of the finder, searchable by name (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Search", "Move to the search box", "screen.focus_search"),
    ("Filters", "Move to the filter list", "screen.focus_filters"),
    ("Clear filters", "Turn every filter off", "screen.clear_filters"),
    ("Open now", "Only services open right now by their sourced hours", "screen.toggle_open_now"),
    ("Hide police", "Hide police and law-enforcement services, or show them again", "screen.toggle_police"),
    ("Details", "Open the highlighted service's details with sources", "screen.details"),
    ("Referral card", "Show the highlighted service's card with a QR code", "screen.card"),
    ("Export results", "Save the current results to CSV or Markdown", "screen.export"),
    ("Crisis lines", "Show emergency and crisis lines", "app.crisis"),
    ("Quick hide", "Blank the screen and forget the search", "app.quick_hide"),
    ("High contrast", "Switch the high-contrast theme on or off", "app.toggle_contrast"),
    ("Help", "Every key and what it does", "app.help"),
    ("Quit", "Leave nhfind", "app.quit"),
)
"""(title, help, action) for each palette entry."""

_SEARCH_ONLY = ("screen.focus_", "screen.clear_", "screen.toggle_", "screen.details", "screen.card", "screen.export")


class FinderCommands(Provider):
    """Palette entries for the finder's own actions."""

    def _available(self) -> list[tuple[str, str, str]]:
        from nhfind.tui.screens.search import SearchScreen

        on_search = isinstance(self.screen, SearchScreen)
        return [a for a in ACTIONS if on_search or not a[2].startswith(_SEARCH_ONLY)]

    async def _run(self, action: str) -> None:
        await self.app.run_action(action, self.screen)

    async def discover(self) -> Hits:
        for title, help_text, action in self._available():
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._available():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), text=title, help=help_text)
