"""FinderApp: the interactive finder. Built with an injected Store; `run` is what the CLI calls.

Nothing is written to disk except an export the user asks for: no history, no settings, no screenshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import Monochrome
from textual.screen import Screen
from textual.theme import Theme

from nhfind.core.db.store import Store
from nhfind.core.models import Resource
from nhfind.tui.commands import FinderCommands
from nhfind.tui.screens.search import SearchScreen

HIGH_CONTRAST = Theme(
    name="nhfind-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    warning="#ffff00",
    error="#ff6060",
    success="#00ff00",
    dark=True,
    variables={"footer-key-foreground": "#ffff00", "input-selection-background": "#ffff00 40%"},
)
"""White on black with yellow accents, for bright sun and low vision."""

DEFAULT_THEME = "textual-dark"


class FinderApp(App[None]):
    """Search-as-you-type over the services, with filters, details, referral cards, crisis lines and export."""

    STYLESHEET = Path(__file__).with_name("app.tcss")
    """Loaded by `load_css` just after the first frame (paint first), not through CSS_PATH."""
    TITLE = "nhfind"
    COMMANDS: ClassVar = App.COMMANDS | {FinderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g,f12", "quick_hide", "Hide", id="app.quick-hide", priority=True,
                tooltip="Blank the screen at once and forget the query, filters and results. Escape comes back."),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Leave nhfind."),
        Binding("ctrl+r", "crisis", "Crisis", id="app.crisis", priority=True,
                tooltip="911, 988, the trafficking hotline and other crisis lines from the data."),
        Binding("f1", "help", "Help", id="app.help", priority=True, tooltip="Every key and what it does."),
        Binding("question_mark", "help", "Help", show=False, id="app.help-key",
                tooltip="The same as F1 (outside the search box)."),
        Binding("f3", "toggle_contrast", "Contrast", show=False, id="app.contrast",
                tooltip="Switch the high-contrast theme on or off."),
        Binding("a", "toggle_shortlist", "Add", show=False, id="app.shortlist-add",
                tooltip="Add the highlighted service to the visit's shortlist, or take it off (not while typing)."),
        Binding("ctrl+t", "shortlist", "List 0", id="app.shortlist", priority=True,
                tooltip="The visit's shortlist: its services as one set of cards, to show, print or save."),
        Binding("f4", "switch_lang", "Español", show=False, id="app.lang", priority=True,
                tooltip="Cards in Spanish or in English."),
    ]  # fmt: skip

    def __init__(self, store: Store, *, color: bool = True, high_contrast: bool = False, lang: str = "en") -> None:
        super().__init__()
        self.store = store
        self.high_contrast = high_contrast
        self.lang = lang
        """The cards' language: "en" or "es" (F4 switches)."""
        self._launch_lang = lang
        """The language nhfind was started in: quick-hide goes back to it (a switch to Spanish says something about
        the client)."""
        self.shortlist: list[Resource] = []
        """The services picked for this visit: in memory only, forgotten by quick-hide and at exit."""
        self._css_loaded = False
        if not color and not self.no_color:
            # --no-color asks for what NO_COLOR gives (Textual reads NO_COLOR itself)
            self.no_color = True
            self._filters.append(Monochrome())

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else DEFAULT_THEME

    def load_css(self) -> None:
        """Read app.tcss (once): the search screen calls this after painting its first frame."""
        if not self._css_loaded:
            self._css_loaded = True
            self.stylesheet.read(self.STYLESHEET)
            self.stylesheet.parse()  # only the new file is parsed; the others come from the parser's cache
            self.stylesheet.update(self, animate=False)

    def get_default_screen(self) -> Screen[None]:
        return SearchScreen(self.store)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # no "Screenshot": it would write the screen, search included, to disk
        return (c for c in super().get_system_commands(screen) if c.title != "Screenshot")

    @property
    def search_screen(self) -> SearchScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, SearchScreen)
        return screen

    def action_quick_hide(self) -> None:
        """Blank the screen and forget the search; escape or enter returns to an empty search."""
        from nhfind.tui.screens.hidden import HiddenScreen

        if isinstance(self.screen, HiddenScreen):
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.clear_notifications()
        self.search_screen.reset()
        self.shortlist.clear()
        self.lang = self._launch_lang
        self._show_shortlist_count()
        self._clipboard = ""
        self.push_screen(HiddenScreen())

    def action_unhide(self) -> None:
        """Back from the blank screen to a fresh, empty search."""
        self.pop_screen()
        self.search_screen.run_search()
        self.search_screen.action_focus_search()

    def action_crisis(self) -> None:
        from nhfind.tui.screens.crisis import CrisisScreen

        if not isinstance(self.screen, CrisisScreen):
            self.push_screen(CrisisScreen(self.store))

    def action_help(self) -> None:
        from nhfind.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_contrast(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    # -- the visit's shortlist and the cards' language ---------------------------------------------------------

    def _highlighted(self) -> Resource | None:
        """The service the current screen has under its cursor (results, details, card, shortlist)."""
        screen = self.screen
        if isinstance(screen, SearchScreen):
            from nhfind.tui.widgets.results import ResultsList

            return screen.query_one(ResultsList).highlighted if screen.ready else None
        found = getattr(screen, "highlighted", None) or getattr(screen, "resource", None)
        return found if isinstance(found, Resource) else None

    def toggle_in_shortlist(self, resource: Resource) -> None:
        """Add `resource` to the shortlist, or take it off when it is there."""
        ids = [r.id for r in self.shortlist]
        if resource.id in ids:
            del self.shortlist[ids.index(resource.id)]
            self.notify(f"Taken off the shortlist ({len(self.shortlist)} left).", markup=False, timeout=2)
        else:
            self.shortlist.append(resource)
            self.notify(f"Added to the shortlist ({len(self.shortlist)}). ctrl+t shows it.", markup=False, timeout=2)
        self._show_shortlist_count()
        refill = getattr(self.screen, "refill", None)
        if callable(refill):
            refill()

    def _show_shortlist_count(self) -> None:
        """The footer's shortlist key carries the count ("Shortlist 3")."""
        label = f"List {len(self.shortlist)}"
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, description=label) if b.action == "shortlist" else b for b in bindings
            ]
        self.refresh_bindings()

    def action_toggle_shortlist(self) -> None:
        resource = self._highlighted()
        if resource is None:
            self.notify("Highlight a service first.", severity="warning", timeout=2)
            return
        self.toggle_in_shortlist(resource)

    def action_shortlist(self) -> None:
        from nhfind.tui.screens.shortlist import ShortlistScreen

        if not isinstance(self.screen, ShortlistScreen):
            self.push_screen(ShortlistScreen())

    async def action_switch_lang(self) -> None:
        """Switch the cards between English and Spanish; an open card is drawn again."""
        self.lang = "es" if self.lang == "en" else "en"
        redraw = getattr(self.screen, "redraw", None)
        if callable(redraw):
            await redraw()
        self.notify("Tarjetas en español." if self.lang == "es" else "Cards in English.", timeout=2)


def run(store: Store, color: bool = True, high_contrast: bool = False, lang: str = "en") -> None:
    """Open the finder on `store` (checked first, so a missing database is one clear line, not a screen)."""
    from nhfind.core.search import vocabulary

    vocabulary(store)  # raises DatabaseError with a one-line message when the file is missing or damaged
    FinderApp(store, color=color, high_contrast=high_contrast, lang=lang).run()
