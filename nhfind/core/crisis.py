"""Crisis lines: the emergency and round-the-clock lines, picked from the data and put in a sensible order.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
Nothing here is a hard-coded number: a service is a crisis line because its record is in the `emergency` or
`crisis-line` category, and it is "24/7" only when its sourced hours say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhfind.core.db.store import Store
from nhfind.core.models import Filters, Resource
from nhfind.core.search import search

CATEGORIES = ("emergency", "crisis-line")
"""Categories whose services belong on the crisis screen."""
GROUPS = ("emergency", "24/7", "other-hours")
"""Display order of the groups: danger now first, then lines open at any hour, then lines with set or unknown hours."""
GROUP_TITLES = {
    "emergency": "Danger right now",
    "24/7": "Open 24/7",
    "other-hours": "Set or unknown hours",
}
_NATIONAL = ("united states", "national", "nationwide", "u.s.")


@dataclass(frozen=True)
class CrisisLines:
    """The crisis screen's content, in display order."""

    groups: dict[str, tuple[Resource, ...]]
    """Group name (see GROUPS) -> services with a number to call or text."""
    without_phone: tuple[Resource, ...]
    """Services in the crisis categories that have no phone line (emergency rooms): named, not listed as lines."""


def group_of(resource: Resource) -> str:
    """Which group a crisis service belongs to."""
    if "emergency" in resource.categories:
        return "emergency"
    if resource.hours is not None and resource.hours.always:
        return "24/7"
    return "other-hours"


def _reach(resource: Resource) -> int:
    """0 national lines (the short, well-known ones), 1 state, 2 county and local."""
    area = resource.service_area.casefold()
    if any(word in area for word in _NATIONAL):
        return 0
    return 1 if "california" in area else 2


def crisis_lines(store: Store) -> CrisisLines:
    """Emergency and crisis lines from the data, grouped and ordered.

    Emergency services (911) come first, then lines open 24/7, then the other crisis lines; within a group
    national lines come before state and county ones, then by name.

    Args:
        store: the database.

    Returns:
        The grouped services.

    Raises:
        DatabaseError: the database is missing or damaged.
    """
    page = search(store, "", Filters(categories=CATEGORIES))
    lines = [r for r in page.results if any(p.kind != "fax" for p in r.phones)]
    ordered = sorted(lines, key=lambda r: (GROUPS.index(group_of(r)), _reach(r), r.name.casefold(), r.id))
    groups = {name: tuple(r for r in ordered if group_of(r) == name) for name in GROUPS}
    without = tuple(r for r in page.results if r not in lines)
    return CrisisLines(groups, without)
