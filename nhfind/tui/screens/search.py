"""SearchScreen: the main screen. Search box, filter panel, results; searches run in a thread worker."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Mapping
from time import monotonic
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from nhfind.core import badges, facets, hours
from nhfind.core.db.store import Store
from nhfind.core.models import Filters, Resource, Vocabulary
from nhfind.core.search import facet_counts, search, vocabulary
from nhfind.tui.host import Host
from nhfind.tui.keys import HIDE
from nhfind.tui.messages import FacetsCounted, SearchFinished
from nhfind.tui.resource_text import clean
from nhfind.tui.widgets.filters import FilterPanel
from nhfind.tui.widgets.results import ResultsList
from nhfind.tui.widgets.search_box import SearchBox


def filters_from(selected: Mapping[str, frozenset[str]], switches: frozenset[str] = frozenset()) -> Filters:
    """The Filters for the values and switches turned on in the panel (fields named by nhfind.core.facets)."""
    fields: dict[str, Any] = {
        facets.BY_NAME[f].field: tuple(sorted(v)) for f, v in selected.items() if v and f in facets.BY_NAME
    }
    fields.update({s.field: True for s in facets.SWITCHES if s.field in switches})
    return Filters(**fields)


class SearchScreen(Screen[None]):
    """Type to search; filters on the left; results on the right."""

    AUTO_FOCUS = None
    DEBOUNCE = 0.15
    """Seconds between searches while typing: the first key searches at once, later ones at most this often.
    0 searches on every key: the tests (tests/tui/conftest.py) and benchmarks/tui.py set it, as they wait on the
    answer itself."""
    RESULT_LIMIT = 100
    """The list holds at most this many results (the status line says how many match in all, and an export takes
    every match): an unlimited search decoded every match on each keystroke, over a second per key at 100,000
    services; 200 cost ~25-60 ms per key there, 100 about 20 ms (docs/performance.md), and 100 is six screens at
    80x24."""

    BINDINGS: ClassVar[list[BindingType]] = [
        HIDE,
        Binding("ctrl+f", "focus_filters", "Filters", id="search.filters", priority=True, show=False,
                tooltip="Open the filter list over the results: arrows to move, space to turn a value on or off; "
                "escape closes it."),
        Binding("escape", "close_filters", "Close filters", show=False, id="search.close-filters",
                tooltip="Close the filter list, back to the search box."),
        Binding("ctrl+l", "clear_filters", "Clear", id="search.clear-filters", priority=True, show=False,
                tooltip="Turn every filter off (the filter line names this key whenever one is on)."),
        Binding("ctrl+n", "toggle_police", "No police", id="search.no-police", priority=True,
                tooltip="Hide police and law-enforcement services (as --no-law-enforcement does); again to show them."),
        Binding("ctrl+o", "toggle_open_now", "Open", id="search.open-now", priority=True,
                tooltip="Only services open right now by their sourced hours (Los Angeles time); "
                "services whose hours are unknown are left out."),
        Binding("ctrl+s", "export", "Save", id="search.export", priority=True,
                tooltip="Export: save the current results to a CSV or Markdown file you name."),
        Binding("slash", "focus_search", "Find", key_display="/", id="search.focus",
                tooltip="Back to the search box."),
        Binding("down", "focus_results", "Results", show=False, id="search.results",
                tooltip="From the search box, move to the results."),
    ]  # fmt: skip

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.selected: dict[str, frozenset[str]] = {}
        self.switches: frozenset[str] = frozenset()
        """The `Filters` fields of the switches turned on (nhfind.core.facets.SWITCHES: hide police)."""
        self.open_at: dt.datetime | None = None
        """The moment "open now" was switched on (fixed, so an answer can be matched to its request), or None."""
        self.vocabulary: Vocabulary | None = None
        self.total = 0
        self.notices: tuple[str, ...] = ()
        """How the core read the words ("leaving out police and law-enforcement services, as asked")."""
        self._timer: Timer | None = None
        self.ready = False
        """True once the widgets are mounted (just after the first frame)."""
        self._typed_early = ""
        self._held: contextlib.AbstractContextManager[None] | None = None
        self._hold_timer: Timer | None = None
        self._last_search = 0.0
        self.searches_shown = 0
        """How many answers reached the screen (the benchmark counts them)."""
        self.answered = asyncio.Event()
        """Set when the answer for the current text and filters is on screen; cleared while one is due."""

    def compose(self) -> ComposeResult:
        # Paint first (harlequin #393): the first frame is one line; the widgets and the stylesheet follow at once.
        yield Static(Text("nhfind · starting…"), id="splash")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        """Load the stylesheet, mount the real widgets, replay keys typed meanwhile, and run the first search."""
        if isinstance(self.app, Host):
            self.app.load_css()
        query = SearchBox(placeholder="Search: food, shelter, STI test, detox...", id="query", select_on_focus=False)
        query.border_title = "Search"
        query.on_text = lambda _text: self.request_search()
        panel = FilterPanel(id="filters")
        panel.border_title = "Filters · ctrl+f"  # its key, kept out of the footer (room for hide police at 80 columns)
        panel.border_subtitle = "space: on/off · esc: close"
        panel.label = self.label
        results = ResultsList(id="results")
        results.border_title = "Results"
        results.border_subtitle = "enter: details · c: card"  # their keys, kept out of a crowded footer
        await self.query_one("#splash").remove()
        await self.mount_all(
            [
                query,
                Static(id="active-filters"),
                Horizontal(panel, results, id="body"),
                Footer(compact=True, show_command_palette=False),
            ]
        )
        self.ready = True
        self.watch(self, "focused", self._focus_moved, init=False)
        query.focus()
        if self._typed_early:
            query.insert_text_at_cursor(self._typed_early)
            self._typed_early = ""
        self._show_active()
        self.run_search()

    def on_key(self, event: events.Key) -> None:
        """Keep what is typed before the search box has focus (the first few milliseconds) and put it there.

        Keys reach the screen itself only when nothing had focus as they were sent (the search box stops the
        printable keys it gets, and keys from the lists are ignored here).
        """
        if (self.focused is None or self.focused.id == "query") and event.is_printable and event.character:
            event.stop()
            if not self.ready:
                self._typed_early += event.character
            else:
                query = self.query_one("#query", SearchBox)
                query.focus()
                query.insert_text_at_cursor(event.character)

    # -- state --------------------------------------------------------------------------------------------------

    @property
    def filters(self) -> Filters:
        filters = filters_from(self.selected, self.switches)
        return filters._replace(open_at=self.open_at) if self.open_at else filters

    @property
    def text(self) -> str:
        return self.query_one("#query", Input).value

    def label(self, facet: str, value: str) -> str:
        """How a facet value reads in the panel and the active-filter line."""
        vocab = self.vocabulary
        if facet == "category" and vocab and value in vocab.categories:
            return clean(vocab.categories[value][0])
        if facet == "language" and vocab and value in vocab.languages:
            return clean(vocab.languages[value])
        if facet == "confidentiality":
            return clean(badges.privacy_badge(value))
        return clean(value)

    def reset(self) -> None:
        """Forget everything: query, filters, results (quick-hide). No search runs until `run_search`."""
        self._typed_early = ""
        self._release_frame()
        if not self.ready:
            return
        self.workers.cancel_group(self, "search")
        if self._timer:
            self._timer.stop()
            self._timer = None
        query = self.query_one("#query", SearchBox)
        on_text, query.on_text = query.on_text, None
        try:
            query.value = ""
        finally:
            query.on_text = on_text
        self.selected = {}
        self.switches = frozenset()
        self.open_at = None
        self.total = 0
        self.notices = ()
        self.query_one(ResultsList).show((), "")
        self.query_one(FilterPanel).show({}, {})
        self._show_active()
        self.answered.set()

    # -- searching ----------------------------------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_focus_results()

    def request_search(self) -> None:
        """Search now if the last search was long enough ago, else once typing pauses."""
        self.answered.clear()
        if self._timer:
            self._timer.stop()
            self._timer = None
        if monotonic() - self._last_search >= self.DEBOUNCE:
            self.run_search()
        else:
            self._timer = self.set_timer(self.DEBOUNCE, self.run_search)

    HOLD = 0.05
    """At most this long (seconds) the key's echo waits to be painted together with its results."""

    def _hold_frame(self) -> None:
        """Paint the typed key and its results in one frame: no flash of old results under new text.

        Also saves a frame: Textual paints the echo at once, and its frame timer then waits up to two frame
        periods before the next paint (the results). Released by `_release_frame`, or after HOLD at most.
        """
        if self._held is None:
            self._held = self.app.batch_update()
            self._held.__enter__()
            self._hold_timer = self.set_timer(self.HOLD, self._release_frame)

    def _release_frame(self) -> None:
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if self._held is not None:
            held, self._held = self._held, None
            held.__exit__(None, None, None)
            self.check_idle()  # the screen repaints what changed meanwhile

    def run_search(self) -> None:
        """Start a search for the current text and filters (a newer one cancels an older one)."""
        if not self.ready:
            return
        self._timer = None
        self._last_search = monotonic()
        self._hold_frame()
        self.answered.clear()
        self._search(self.text, self.filters)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, filters: Filters) -> None:
        """Runs in a thread: query the core, then post the answer; never touches widgets."""
        worker = get_current_worker()
        vocab = vocabulary(self.store)
        page = search(self.store, text, filters, limit=self.RESULT_LIMIT)
        if worker.is_cancelled:
            return
        self.post_message(SearchFinished(text, filters, page, {}, vocab))  # results first, counts follow
        counts = facet_counts(self.store, page, filters)  # one pass; each facet's counts ignore its own selection
        if not worker.is_cancelled:
            self.post_message(FacetsCounted(text, filters, counts))

    @on(SearchFinished)
    def _show(self, message: SearchFinished) -> None:
        if message.text != self.text or message.filters != self.filters:
            return  # stale: the user has typed or toggled since
        self.vocabulary = message.vocabulary
        results = self.query_one(ResultsList)
        results.vocabulary = message.vocabulary
        self.total = message.page.total
        self.notices = message.page.notices
        hint = "Nothing matches. Try fewer or other words, or clear the filters (ctrl+l)."
        results.show(message.page.results, hint)
        if message.counts:  # otherwise they follow in a FacetsCounted
            self.query_one(FilterPanel).show(message.counts, self.selected, self.switches)
        self._show_active()
        self.searches_shown += 1
        if message.counts:
            self.answered.set()
        self._release_frame()

    @on(FacetsCounted)
    def _show_counts(self, message: FacetsCounted) -> None:
        if message.text != self.text or message.filters != self.filters:
            return  # stale
        self.query_one(FilterPanel).show(message.counts, self.selected, self.switches)
        self.answered.set()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.answered.set()
            self._release_frame()
            error = clean(str(event.worker.error))
            self.notify(error, title="Search failed", severity="error", timeout=10, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # nothing to act on in the few milliseconds before the widgets are mounted
        if action == "close_filters":
            return self.ready and self.filters_open
        return self.ready

    def _show_active(self) -> None:
        if not self.ready:
            return
        line = Text()
        results = self.query_one(ResultsList)
        found = len(results.resources)
        total = max(self.total, found)
        # Two rows, each cut at its end if it must be: the count and the core's reading of the words (the police
        # notice first, whole at 80 columns), then the filters led by the key that clears them.
        line.append(f"{total} service{'s' if total != 1 else ''} ", style="bold")
        for notice in self.notices:  # the core's reading of the words, as the CLI prints it on stderr
            line.append(f"· {notice} ", style="bold")
        if total > found:
            line.append(f"· first {found} listed: add words or filters", style="dim")
        line.append("\n")
        parts = [
            f"{facets.title_of(facet)}: {', '.join(self.label(facet, v) for v in sorted(values))}"
            for facet, values in self.selected.items()
            if values
        ]
        parts[:0] = [s.label.lower() for s in facets.SWITCHES if s.field in self.switches]
        if self.open_at:
            parts.insert(0, f"open now ({hours.clock(hours.week_minute(self.open_at)[1])})")
        if not parts:
            line.append("no filters (ctrl+f to filter)", style="dim")
        else:
            line.append("(ctrl+l clears) ", style="dim")
            line.append("filters: ")
            line.append(" · ".join(parts), style="bold")
        self.query_one("#active-filters", Static).update(line, layout=False)  # fixed height: repaint only

    # -- filters ------------------------------------------------------------------------------------------------

    @on(FilterPanel.Toggled)
    def _toggled(self, message: FilterPanel.Toggled) -> None:
        self.toggle_filter(message.facet, message.value)

    def toggle_filter(self, facet: str, value: str) -> None:
        """Turn one filter value on or off and search again."""
        values = set(self.selected.get(facet, ()))
        values.symmetric_difference_update({value})
        self.selected = {**self.selected, facet: frozenset(values)}
        self._show_active()
        self.run_search()

    @on(FilterPanel.Switched)
    def _switched(self, message: FilterPanel.Switched) -> None:
        self.toggle_switch(message.field)

    def toggle_switch(self, field: str) -> None:
        """Turn a switch (hide police) on or off and search again."""
        self.switches = self.switches ^ {field}
        self._show_active()
        self.run_search()

    def action_toggle_police(self) -> None:
        self.toggle_switch(facets.NO_LAW_ENFORCEMENT.field)

    def action_clear_filters(self) -> None:
        self.selected = {}
        self.switches = frozenset()
        self.open_at = None
        self._show_active()
        self.run_search()

    def action_toggle_open_now(self) -> None:
        self.open_at = None if self.open_at else hours.now()
        self._show_active()
        self.run_search()

    # -- moving around and opening things -----------------------------------------------------------------------

    @property
    def filters_open(self) -> bool:
        """Whether the filter list is shown (over the results; closed by default so results get the width)."""
        return self.query_one(FilterPanel).has_class("-open")

    def action_focus_filters(self) -> None:
        """ctrl+f: open the filter list over the results and move into it (escape closes it)."""
        panel = self.query_one(FilterPanel)
        panel.add_class("-open")
        panel.focus()

    def action_close_filters(self) -> None:
        self.query_one(FilterPanel).remove_class("-open")
        self.action_focus_search()

    def _focus_moved(self, focused: object) -> None:
        """The filter list closes when focus leaves it (tab, a click on the results, the search box)."""
        panel = self.query_one(FilterPanel)
        if focused is not panel and focused is not None and panel.has_class("-open"):
            panel.remove_class("-open")

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(ResultsList).focus()

    def _current(self) -> Resource | None:
        return self.query_one(ResultsList).highlighted

    def action_details(self) -> None:
        resource = self._current()
        if resource:
            self.open_details(resource)

    def action_card(self) -> None:
        resource = self._current()
        if resource:
            self.open_card(resource)

    @on(ResultsList.ResourceChosen)
    def _chosen(self, message: ResultsList.ResourceChosen) -> None:
        self.open_details(message.resource)

    @on(ResultsList.CardRequested)
    def _card(self, message: ResultsList.CardRequested) -> None:
        self.open_card(message.resource)

    def open_details(self, resource: Resource) -> None:
        from nhfind.tui.screens.details import DetailsScreen

        # back from the details, typing searches again
        self.app.push_screen(DetailsScreen(resource, self.vocabulary), lambda _: self.action_focus_search())

    def open_card(self, resource: Resource) -> None:
        from nhfind.tui.screens.card import CardScreen

        self.app.push_screen(CardScreen(resource))

    def action_export(self) -> None:
        from nhfind.tui.screens.export import ExportScreen

        resources = tuple(self.query_one(ResultsList).resources)
        if not resources:
            self.notify("No results to export.", severity="warning")
            return
        if self.total > len(resources):  # the list holds the best RESULT_LIMIT; an export is every match
            resources = search(self.store, self.text, self.filters).results
        self.app.push_screen(ExportScreen(resources), self._exported)

    def _exported(self, path: object) -> None:
        if path:
            self.notify(clean(f"Saved to {path}"), title="Exported", markup=False)
