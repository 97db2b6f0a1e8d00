"""App-wide messages: posted from the search worker's thread, handled on the main thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.message import Message

from nhfind.core.models import Filters, Page, Vocabulary


@dataclass
class SearchFinished(Message):
    """A search finished in the worker; the screen shows it only if query and filters are still the current ones."""

    text: str
    """The text the search ran for."""
    filters: Filters
    """The filters it ran with."""
    page: Page
    """Results and total."""
    counts: Mapping[str, Mapping[str, int]]
    """facet -> value -> how many results that value would give (other facets' filters applied)."""
    vocabulary: Vocabulary | None = None
    """What the values mean (labels for categories and languages)."""

    def can_replace(self, message: Message) -> bool:
        # only the newest answer matters; an older one waiting in the queue is dropped
        return isinstance(message, SearchFinished)


@dataclass
class FacetsCounted(Message):
    """The filter counts for a search, posted after its results (counting can take longer than the results)."""

    text: str
    filters: Filters
    counts: Mapping[str, Mapping[str, int]]
    """facet -> value -> how many results that value would give (other facets' filters applied)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FacetsCounted)
