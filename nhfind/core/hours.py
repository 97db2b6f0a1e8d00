"""Weekly opening hours: parsing the data's "mon-fri 08:00-16:00" ranges, "open now", and plain summaries.

Core module: pure Python (zoneinfo; the `tzdata` dependency supplies the zone where the OS has none).
Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Every time is Los Angeles wall-clock time: the sources publish local opening times, so "open at sat 10:00" means
10:00 on a Saturday as a clock in Sacramento shows it, whatever the daylight-saving offset that day. An aware
datetime is converted to that zone first; a naive one is taken to be Los Angeles time already.

Unknown hours are never open: `is_open` is False and `status` says "unknown" for a service whose hours no source
gives, or gives only as a note (a monthly rule, an expired schedule).
"""

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple, Protocol

from nhfind.core.parse import DAYS as DAYS  # re-exported for callers of hours
from nhfind.core.parse import FULL_DAYS, day_list, minutes, zone
from nhfind.core.parse import TIMEZONE as TIMEZONE  # re-exported for callers of hours

UNKNOWN = "Hours unknown \u2014 call"
"""What a service without sourced hours shows."""
ALWAYS = "24/7"

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY = 24 * 60


class Week(Protocol):
    """What this module reads of a service's sourced hours (nhfind.core.models.Hours, which calls it: so this
    module names a shape, not the class)."""

    @property
    def always(self) -> bool: ...

    @property
    def weekly(self) -> tuple[str, ...]: ...


_WEEK = 7 * _DAY
_RANGE = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<open>\d{1,2}:\d{2})-(?P<close>\d{1,2}:\d{2})$")


class Opening(NamedTuple):
    """One opening: a weekday (0 = Monday) and minutes from that day's midnight.

    `closes` may exceed 1440 for a range that runs past midnight ("fri 22:00-02:00" closes at 1560).
    """

    day: int
    opens: int
    closes: int


class Status(NamedTuple):
    """Whether a service is open at one moment, and what changes next."""

    state: str
    """"open", "closed" or "unknown" (no source gives its hours: never treated as open)."""
    at: dt.datetime
    """The moment asked about, in Los Angeles time."""
    until: dt.datetime | None = None
    """When open: when it closes (None for 24/7)."""
    next_open: dt.datetime | None = None
    """When closed: when it next opens."""

    @property
    def is_open(self) -> bool:
        return self.state == "open"


# -- parsing the data ---------------------------------------------------------------------------------------------


def parse_range(spec: str) -> list[Opening]:
    """Parse one weekly range such as "mon-fri 08:00-16:00" or "sat,sun 10:00-14:00".

    Raises:
        ValueError: with a message saying what is wrong.
    """
    match = _RANGE.match(spec.strip().lower())
    if not match:
        raise ValueError(f"{spec!r} is not of the form 'mon-fri 08:00-16:00'")
    opens, closes = minutes(match["open"]), minutes(match["close"])
    if closes <= opens:
        closes += 24 * 60  # runs past midnight
    return [Opening(day, opens, closes) for day in day_list(match["days"])]


def openings(hours: "Week | None") -> list[Opening]:
    """Every opening of a service, sorted; 24/7 is seven whole days; unknown hours have none."""
    if hours is None:
        return []
    if hours.always:
        return [Opening(day, 0, _DAY) for day in range(7)]
    return sorted({o for spec in hours.weekly for o in parse_range(spec)}, key=lambda o: (o.day, o.opens, o.closes))


def _intervals(hours: "Week") -> list[tuple[int, int]]:
    """Merged [start, end) minutes over three copies of the week, so that for a moment in the middle copy, ranges
    running in from the week before and out into the week after join up with it."""
    spans = sorted(
        (o.day * _DAY + o.opens + shift, o.day * _DAY + o.closes + shift)
        for o in openings(hours)
        for shift in (0, _WEEK, 2 * _WEEK)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


# -- the clock ----------------------------------------------------------------------------------------------------


def now() -> dt.datetime:
    """The current time in Los Angeles."""
    return dt.datetime.now(zone())


def local(when: dt.datetime) -> dt.datetime:
    """`when` in Los Angeles time; a naive datetime is taken to be Los Angeles time already."""
    return when.replace(tzinfo=zone()) if when.tzinfo is None else when.astimezone(zone())


def week_minute(when: dt.datetime) -> tuple[int, int]:
    """(weekday 0 = Monday, minute of the day) of `when` on a Los Angeles wall clock."""
    wall = local(when)
    return wall.weekday(), wall.hour * 60 + wall.minute


def status(hours: "Week | None", when: dt.datetime) -> Status:
    """Whether a service with these hours is open at `when`, and until when (or when it next opens).

    Args:
        hours: the service's sourced hours; None means no source gives them.
        when: the moment (aware, or naive Los Angeles time).

    Returns:
        A Status; "unknown" when `hours` is None, never "open".
    """
    wall = local(when).replace(second=0, microsecond=0)
    if hours is None or not (hours.always or hours.weekly):  # a note alone ("1st Friday") is not weekly hours
        return Status("unknown", wall)
    if hours.always:
        return Status("open", wall)
    day, minute = week_minute(wall)
    point = _WEEK + day * _DAY + minute  # in the middle copy of the week
    intervals = _intervals(hours)
    if any(end - start >= _WEEK for start, end in intervals):  # ranges that cover the whole week
        return Status("open", wall)
    for start, end in intervals:
        if start <= point < end:
            return Status("open", wall, until=wall + dt.timedelta(minutes=end - point))
    starts = [start - point for start, _ in intervals if start > point]
    if not starts:
        return Status("closed", wall)
    return Status("closed", wall, next_open=wall + dt.timedelta(minutes=min(starts)))


def is_open(hours: "Week | None", when: dt.datetime) -> bool:
    """True only when sourced hours say the service is open at `when` (unknown hours: False)."""
    return status(hours, when).is_open


# -- words ----------------------------------------------------------------------------------------------------------


def clock(minute: int) -> str:
    """Minutes after midnight as "8 am", "11:30 am", "noon", "midnight"."""
    minute %= _DAY
    if minute == 0:
        return "midnight"
    if minute == 12 * 60:
        return "noon"
    hour, mins = divmod(minute, 60)
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}:{mins:02d} {suffix}" if mins else f"{hour} {suffix}"


def _moment(when: dt.datetime, reference: dt.datetime) -> str:
    """A time as "4 pm" on the reference's day, else "Sat 2 am"."""
    text = clock(when.hour * 60 + when.minute)
    return text if when.date() == reference.date() else f"{DAY_NAMES[when.weekday()]} {text}"


def weekly_text(
    hours: "Week | None",
    day_names: "tuple[str, ...]" = DAY_NAMES,
    clock: "Callable[[int], str]" = clock,
    words: "tuple[str, str, str]" = ("closed", "", ""),
) -> str:
    """The whole week in plain words: "Mon-Fri 8 am-4 pm; Sat 10 am-2 pm; closed Sun".

    Another language passes its day names, its clock and its words for (closed, 24/7, unknown); blank ones keep
    the English ALWAYS and UNKNOWN (nhfind.core.card's Spanish cards).
    """
    if hours is None or not (hours.always or hours.weekly):  # a note alone is not weekly hours
        return words[2] or UNKNOWN
    if hours.always:
        return words[1] or ALWAYS
    DAY_NAMES = day_names  # noqa: N806 - the names below are this language's
    per_day: list[tuple[str, ...]] = [() for _ in range(7)]
    for o in openings(hours):
        per_day[o.day] += (f"{clock(o.opens)}-{clock(o.closes)}",)
    groups: list[tuple[int, int, tuple[str, ...]]] = []
    for day, ranges in enumerate(per_day):
        if groups and groups[-1][2] == ranges and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, ranges)
        else:
            groups.append((day, day, ranges))
    parts, closed = [], []
    for first, last, ranges in groups:
        days = DAY_NAMES[first] if first == last else f"{DAY_NAMES[first]}-{DAY_NAMES[last]}"
        if ranges:
            parts.append(f"{days} {', '.join(ranges)}")
        else:
            closed.append(days)
    if closed:
        parts.append(f"{words[0]} " + ", ".join(closed))
    return "; ".join(parts)


def summary(hours: "Week | None", when: dt.datetime | None = None) -> str:
    """What a person needs at a glance: "Open until 4 pm", "Opens Mon 8 am", "24/7", "Hours unknown — call".

    Args:
        hours: the service's sourced hours, or None.
        when: the moment to describe; None gives the weekly hours instead ("Mon-Fri 8 am-4 pm").
    """
    if hours is None or not (hours.always or hours.weekly):
        return UNKNOWN
    if hours.always:
        return ALWAYS
    if when is None:
        return weekly_text(hours)
    state = status(hours, when)
    if state.is_open:
        return f"Open until {_moment(state.until, state.at)}" if state.until else ALWAYS
    if state.next_open is None:
        return "Closed"
    if state.next_open.date() == state.at.date():
        return f"Opens today {clock(state.next_open.hour * 60 + state.next_open.minute)}"
    return f"Opens {_moment(state.next_open, state.at)}"


# -- reading "sat 10:00" ----------------------------------------------------------------------------------------------

_WHEN = r"^(?:(?P<day>[a-z]+)\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
_ISO = r"^(?P<date>\d{4}-\d{2}-\d{2})[ t](?P<time>\d{1,2}:\d{2})$"
"""Patterns compiled on first use (re caches them), not at import: every lookup imports this module."""


def parse_when(text: str, reference: dt.datetime | None = None) -> dt.datetime:
    """A moment from words such as "sat 10:00", "saturday 4pm", "today 17:30", "tomorrow 9am", "2026-12-05 10:00".

    A weekday means its next occurrence at or after `reference` (default: now); a time alone means today.

    Raises:
        ValueError: with a message saying what is wrong and an example that works.
    """
    example = "use a day and a time such as 'sat 10:00', 'sat 10pm', 'today 17:30' or '2026-12-05 10:00'"
    base = local(reference) if reference else now()
    cleaned = " ".join(text.strip().lower().split())
    text = text if len(text) <= 40 else text[:40] + "..."  # shown in messages: keep them one short line
    iso = re.match(_ISO, cleaned)
    if iso:
        try:
            date = dt.date.fromisoformat(iso["date"])
            minute = minutes(iso["time"])
        except ValueError:
            raise ValueError(f"{text!r} is not a date and time: {example}") from None
        if abs(date.year - base.year) > 100:  # hours are weekly: the year matters little, and 9999-12-31 overflows
            raise ValueError(f"{text!r} is more than 100 years away: {example}")
        return dt.datetime.combine(date, dt.time(minute // 60 % 24, minute % 60), zone())
    match = re.match(_WHEN, cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a day and time: {example}")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: {hour} is not an hour on a 12-hour clock: {example}")
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day: {example}")
    day = match["day"] or "today"
    if day == "today":
        offset = 0
    elif day == "tomorrow":
        offset = 1
    else:
        names = [d for d in range(7) if FULL_DAYS[d].startswith(day) and len(day) >= 2]
        if len(names) != 1:
            raise ValueError(f"{text!r}: {day!r} is not a day (mon..sun, today, tomorrow): {example}")
        offset = (names[0] - base.weekday()) % 7
        if offset == 0 and (hour, minute) < (base.hour, base.minute):
            offset = 7
    date = base.date() + dt.timedelta(days=offset)
    return dt.datetime.combine(date, dt.time(hour, minute), zone())


def describe(when: dt.datetime) -> str:
    """A moment as "Sat 2026-12-05 10:00 PST" for explaining what "open now" or "open at" meant."""
    wall = local(when)
    return f"{DAY_NAMES[wall.weekday()]} {wall:%Y-%m-%d %H:%M} {wall.tzname()}"
