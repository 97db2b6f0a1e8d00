"""Crisis lines: the one rule that picks the emergency and crisis lines and puts them in order.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
`nhfind crisis`, the TUI's crisis screen (ctrl+r) and the hint after a search that finds nothing all call
`crisis_lines` and show its groups in its order. Nothing here is a hard-coded number: a service is a crisis line
because its record is in the `emergency` or `crisis-line` category, and it is "24/7" only when its sourced hours
say so. A service without a number to call or text (emergency rooms) is never listed among the lines: it is named
after them, so a line without a number never sits above one with a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from nhfind.core import badges
from nhfind.core.db.store import Store
from nhfind.core.models import WEAK_GRADE, Phone, Resource, Source
from nhfind.core.records import get_many  # a damaged record is left out with a warning naming it

CATEGORIES = ("emergency", "crisis-line")
"""Categories whose services belong on the crisis screen."""
DANGER = "emergency"
"""The category of danger-now services (911): listed first."""
GROUPS = ("emergency", "24/7", "other-hours")
"""Display order of the groups: danger now first, then lines open at any hour, then lines with set or unknown hours."""
GROUP_TITLES = {
    "emergency": "Danger right now",
    "24/7": "Open 24/7",
    "other-hours": "Set or unknown hours",
}
HINT_LINES = 3
"""The hint after a search that finds nothing lists at most this many lines, the first ones in crisis order (a
statewide export can have thousands of crisis lines, which nobody reads on a no-results page; the whole hint is at
most five lines, the crisis lines first)."""
HOW = {"voice": "call", "hotline": "call", "text": "text", "tty": "tty"}
"""Phone kind -> how a person reaches a crisis line by it (fax numbers are for offices, never listed)."""
LINE_KINDS = tuple(HOW)
_NATIONAL = ("united states", "national", "nationwide", "u.s.")


@dataclass(frozen=True)
class CrisisLines:
    """The crisis screen's content, in display order."""

    groups: dict[str, tuple[Resource, ...]]
    """Group name (see GROUPS) -> services with a number to call or text, in order."""
    without_phone: tuple[Resource, ...]
    """Services in the crisis categories that have no phone line (emergency rooms): named, not listed as lines."""

    @property
    def lines(self) -> tuple[Resource, ...]:
        """Every service with a number, in display order (the groups one after another)."""
        return tuple(r for group in GROUPS for r in self.groups.get(group, ()))


def _group(danger: bool, always: bool) -> str:
    if danger:
        return "emergency"
    return "24/7" if always else "other-hours"


def _reach(service_area: str) -> int:
    """0 national lines (the short, well-known ones), 1 state, 2 county and local."""
    area = service_area.casefold()
    if any(word in area for word in _NATIONAL):
        return 0
    return 1 if "california" in area else 2


def _weak_hours(key: tuple[str, str, str, bool, bool, bool, str]) -> bool:
    """True when a 24/7 line's hours rest on a weak or missing source: it is listed after the well-sourced ones."""
    return key[4] and Source(key="", url="", grade=key[6] or WEAK_GRADE).weak


def crisis_lines(store: Store, limit: int | None = None) -> CrisisLines:
    """Emergency and crisis lines from the data, grouped and ordered.

    Emergency services (911) come first, then lines open 24/7, then the other crisis lines; within the 24/7 group,
    lines whose round-the-clock hours rest on a weak source ("check before relying") come after the well-sourced
    ones; within a group national lines come before state and county ones, then by name. Only the services shown
    are decoded: the order is read from a few columns of every crisis service.

    Args:
        store: the database.
        limit: at most this many lines, the first in order (None: all); with a limit, `without_phone` is empty.

    Returns:
        The grouped services.

    Raises:
        DatabaseError: the database is missing or damaged.
    """
    keys = store.crisis_keys(CATEGORIES, DANGER, LINE_KINDS)
    lines = sorted(
        (k for k in keys if k[5]),
        key=lambda k: (GROUPS.index(_group(k[3], k[4])), _weak_hours(k), _reach(k[2]), k[1].casefold(), k[0]),
    )
    if limit is not None:
        lines = lines[:limit]
    without = [] if limit is not None else sorted((k for k in keys if not k[5]), key=lambda k: (k[1].casefold(), k[0]))
    resources = {r.id: r for r in get_many(store, [k[0] for k in (*lines, *without)])}
    groups: dict[str, tuple[Resource, ...]] = {name: () for name in GROUPS}
    for k in lines:
        if k[0] in resources:
            group = _group(k[3], k[4])
            groups[group] = (*groups[group], resources[k[0]])
    return CrisisLines(groups, tuple(resources[k[0]] for k in without if k[0] in resources))


def flags(resource: Resource, group: str) -> list[str]:
    """The warnings beside a crisis line's name: police may come, 24/7 on a weak source, its hours when not 24/7."""
    out = []
    if resource.is_law_enforcement:
        out.append(badges.POLICE_MAY_COME)
    if group == "24/7" and resource.hours is not None and badges.check_flag(resource, resource.hours.source):
        out.append(f"24/7: {badges.CHECK}")
    if group == "other-hours":
        out.append(f"hours: {resource.hours.summary()}" if resource.hours else "hours not stated")
    return out


class Line(NamedTuple):
    """One number of a crisis line, as every front end lists it: number, how, then what to know. Raw data: front
    ends make it inert."""

    group: str
    resource: Resource
    phone: Phone
    how: str
    """call, text or tty."""
    head: str
    """On the service's first number: its name with its flags ("911 emergency [police may come]"); else ""."""
    extra: str
    """The number's instructions, or on later numbers its label; may be ""."""
    check: str
    """badges.CHECK when the number rests on a weak source, else ""."""


def lines_of(lines: CrisisLines) -> list[Line]:
    """Every number of every crisis line, in display order."""
    out: list[Line] = []
    for group in GROUPS:
        for resource in lines.groups.get(group, ()):
            found = flags(resource, group)
            head = resource.name + (f" [{'; '.join(found)}]" if found else "")
            for i, phone in enumerate(p for p in resource.phones if p.kind in HOW):
                extra = phone.instructions or (phone.label if i else "")
                check = badges.check_flag(resource, phone.source)
                out.append(Line(group, resource, phone, HOW[phone.kind], head if i == 0 else "", extra, check))
    return out
