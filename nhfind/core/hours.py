"""Weekly opening hours: parsing the data's "mon-fri 08:00-16:00" ranges.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<open>\d{1,2}:\d{2})-(?P<close>\d{1,2}:\d{2})$")


@dataclass(frozen=True)
class Opening:
    """One opening: a weekday (0 = Monday) and minutes from that day's midnight.

    `closes` may exceed 1440 for a range that runs past midnight ("fri 22:00-02:00" closes at 1560).
    """

    day: int
    opens: int
    closes: int


def _minutes(text: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day (use 24-hour HH:MM)")
    return hours * 60 + minutes


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in DAYS or last not in DAYS:
                raise ValueError(f"{part!r} is not a day range (use mon tue wed thu fri sat sun)")
            start, end = DAYS.index(first), DAYS.index(last)
            days.extend((start + i) % 7 for i in range((end - start) % 7 + 1))
        elif part in DAYS:
            days.append(DAYS.index(part))
        else:
            raise ValueError(f"{part!r} is not a day (use mon tue wed thu fri sat sun)")
    return days


def parse_range(spec: str) -> list[Opening]:
    """Parse one weekly range such as "mon-fri 08:00-16:00" or "sat,sun 10:00-14:00".

    Raises:
        ValueError: with a message saying what is wrong.
    """
    match = _RANGE.match(spec.strip().lower())
    if not match:
        raise ValueError(f"{spec!r} is not of the form 'mon-fri 08:00-16:00'")
    opens, closes = _minutes(match["open"]), _minutes(match["close"])
    if closes <= opens:
        closes += 24 * 60  # runs past midnight
    return [Opening(day, opens, closes) for day in _days(match["days"])]
