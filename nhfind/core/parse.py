"""The small parsers every reader of times, weekdays, dates, phones and spreadsheet cells shares: one copy each.

Core module: pure Python (zoneinfo only when a time carries an offset). Never imports typer, rich, textual,
nhfind.cli or nhfind.tui, nor any other nhfind module: hours (every lookup), import, template and export all use it.

Patterns are kept as strings and compiled on first use (re caches them): every lookup imports this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

TIMEZONE = "America/Los_Angeles"
"""Where every service is; opening times are this zone's wall-clock times."""
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet run a cell as a formula."""
DAY_MINUTES = 24 * 60
LOCAL_OFFSETS = (-8 * 60, -7 * 60)
"""Los Angeles's own UTC offsets (standard, daylight) in minutes."""

_TIME = (
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?P<tz>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})
_WORD_DAYS = {"weekdays": (0, 1, 2, 3, 4), "weekday": (0, 1, 2, 3, 4), "weekends": (5, 6), "weekend": (5, 6),
              "daily": tuple(range(7)), "everyday": tuple(range(7))}  # fmt: skip


# -- times and dates ----------------------------------------------------------------------------------------------


class Clock(tuple[int, bool]):
    """A time of day read from the data, on a Los Angeles wall clock: (minute, shifted).

    A plain tuple subclass, not a NamedTuple: every lookup imports this module, and a NamedTuple class costs a
    fraction of a millisecond to define.
    """

    __slots__ = ()

    def __new__(cls, minute: int, shifted: bool = False) -> Clock:
        return tuple.__new__(cls, (minute, shifted))

    @property
    def minute(self) -> int:
        """Minutes after midnight; below 0 or from 1440 on when an offset moved it into the day before or after."""
        return self[0]

    @property
    def shifted(self) -> bool:
        """True when the text carried an offset (or Z) other than Los Angeles's own, and was converted."""
        return self[1]

    @property
    def text(self) -> str:
        """ "HH:MM" (24:00 for a closing midnight), of the day it falls on."""
        minute = self.minute if self.minute == DAY_MINUTES else self.minute % DAY_MINUTES
        return f"{minute // 60:02d}:{minute % 60:02d}"


def zone() -> dt.tzinfo:
    """The Los Angeles time zone (from the OS, or from the tzdata package where the OS has none)."""
    from zoneinfo import ZoneInfo  # deferred: a lookup that never asks the time need not pay for it

    return ZoneInfo(TIMEZONE)


def parse_clock(text: str, on: dt.date | None = None) -> Clock:
    """ "9am", "9:30 a.m.", "4:00 PM", "17:00", "17:00:00", "0900", "noon", "midnight", "09:00-08:00", "17:00Z".

    A time with an offset or Z is converted to Los Angeles wall time on the date `on` (default: today), since the
    offset between them changes with daylight saving. Pacific offsets (-08:00, -07:00) are read as the local wall
    time they name: a publisher in our zone writing "09:00-08:00" all year means 9 am, in summer too.

    Raises:
        ValueError: not a time of day.
    """
    raw = " ".join(text.strip().lower().translate(_DASHES).split())
    bad = ValueError(f"{text.strip()!r} is not a time (use 9am, 4:00 PM or 17:00)")
    if raw in ("noon", "midday", "12 noon"):
        return Clock(12 * 60)
    if raw in ("midnight", "12 midnight"):
        return Clock(0)
    if re.fullmatch(r"\d{4}", raw):
        raw = f"{raw[:2]}:{raw[2:]}"
    match = re.match(_TIME, raw)
    if not match:
        raise bad
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = re.sub(r"[\s.]", "", match["ampm"] or "")
    if ampm:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute) or int(match["s"] or 0) > 59:
        raise bad
    wall = hour * 60 + minute
    tz = match["tz"]
    if not tz:
        return Clock(wall)
    if tz in ("z", "utc", "gmt"):
        offset = 0
    else:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:4] or 0))
        if abs(offset) > 14 * 60:
            raise bad
    if offset in LOCAL_OFFSETS:
        return Clock(wall)
    day = on or dt.date.today()
    here = dt.datetime.combine(day, dt.time(12), zone()).utcoffset()
    la_offset = int(here.total_seconds() // 60) if here is not None else -8 * 60
    return Clock(wall - offset + la_offset, shifted=True)


def parse_time(text: str, on: dt.date | None = None) -> str:
    """ "9am", "4:00 PM", "17:00", "09:00-08:00" ... -> "HH:MM" on a Los Angeles wall clock (see parse_clock).

    Raises:
        ValueError: not a time of day.
    """
    return parse_clock(text, on).text


def minutes(text: str) -> int:
    """ "HH:MM" (24-hour, as the data writes it) -> minutes after midnight; "24:00" is 1440.

    Raises:
        ValueError: not a 24-hour time of day.
    """
    hours, _, mins = text.partition(":")
    if not (hours.isdigit() and mins.isdigit() and len(mins) == 2):
        raise ValueError(f"{text!r} is not a time of day (use 24-hour HH:MM)")
    hour, minute = int(hours), int(mins)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValueError(f"{text!r} is not a time of day (use 24-hour HH:MM)")
    return hour * 60 + minute


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> str:
    """ "2026-11-29", "2026-11-29T10:00:00Z", "2026/11/29", "11/29/2026" -> "2026-11-29".

    Raises:
        ValueError: not a date.
    """
    raw = text.strip()
    if _ISO_DATE.match(raw):  # the usual form, without strptime (slow: an import reads one per service)
        try:
            return dt.date.fromisoformat(raw[:10]).isoformat()
        except ValueError:
            pass  # "2026-02-30": strptime below says it is not a date
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(raw[:10] if pattern == "%Y-%m-%d" else raw, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use 2026-11-29)")


# -- weekdays -----------------------------------------------------------------------------------------------------


def parse_weekday(text: str) -> int:
    """ "Monday", "mon", "MO", "Thurs", "1" (ISO: 1 = Monday ... 7 = Sunday; 0 = Sunday too) -> 0..6.

    Raises:
        ValueError: not a weekday.
    """
    raw = text.strip().lower().rstrip(".")
    if raw.isdigit() and 0 <= int(raw) <= 7:
        return (int(raw) - 1) % 7
    if raw.endswith("s") and raw[:-1] in FULL_DAYS:  # "Mondays"
        raw = raw[:-1]
    matches = [i for i, name in enumerate(FULL_DAYS) if len(raw) >= 2 and name.startswith(raw)]
    if len(matches) == 1:
        return matches[0]
    if raw in ("tues", "thur", "thurs"):
        return 1 if raw == "tues" else 3
    raise ValueError(f"{text.strip()!r} is not a weekday (use Monday, mon or MO)")


def day_list(text: str) -> list[int]:
    """The data's day part: "mon-fri", "sat,sun", "fri-mon" (wraps) -> weekday numbers (0 = Monday).

    Raises:
        ValueError: not days as the data writes them.
    """
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


def days_spec(days: Iterable[int]) -> str:
    """Weekday numbers (0 = Monday) -> "mon-fri" / "mon,wed" / "sat-sun", Monday first."""
    ordered = sorted(set(days))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(DAYS[ordered[i]] if i == j else f"{DAYS[ordered[i]]}-{DAYS[ordered[j]]}")
        i = j + 1
    return ",".join(parts)


def rrule_days(text: str) -> list[int]:
    """An RRULE BYDAY list ("MO,TU", "1FR", "-1SU", "Monday") -> weekday numbers (ordinals dropped).

    Raises:
        ValueError: a part that is not a day.
    """
    out = []
    for part in text.replace(";", ",").split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code[-2:] in RRULE_DAYS and re.fullmatch(r"[+-]?\d{0,2}[A-Z]{2}", code):
            out.append(RRULE_DAYS.index(code[-2:]))
            continue
        try:
            out.append(parse_weekday(code))
        except ValueError:
            raise ValueError(f"{part.strip()!r} is not a day (use MO,TU,WE,TH,FR,SA,SU)") from None
    return out


# -- hours as people write them -----------------------------------------------------------------------------------

_HOURS_TOKEN = (
    r"\s*(?:(?P<always>24\s*/\s*7|24\s*hours?(?:\s+a\s+day)?|all\s+day|around\s+the\s+clock)"
    r"|(?P<time>noon|midnight|midday|\d{1,2}(?:[:.]\d{2})?(?::\d{2})?(?:\s*[ap]\.?\s?m\.?(?![a-z]))?)"
    r"|(?P<word>[a-z]+\.?)|(?P<dash>-)|(?P<sep>[,&/])|(?P<colon>:))"
)
_FILLER = {"and", "open", "hours", "from", "on", "every", "day", "days", "the", "a", "week", "of", "at"}


def _range_minutes(opens: str, closes: str, on: dt.date | None) -> tuple[int, int, bool]:
    """Two time words -> (opens, closes) minutes, guessing am/pm as people mean it: "9-5", "9-5pm", "1-5pm"."""
    pm = r"p\.?\s?m"
    am_pm = r"[ap]\.?\s?m"
    a, b = parse_clock(opens, on), parse_clock(closes, on)
    has_a, has_b = re.search(am_pm, opens), re.search(am_pm, closes)
    start, end = a.minute, b.minute
    if closes.strip() in ("midnight", "12 midnight"):
        end = DAY_MINUTES
    bare = r"^\d{1,2}(?:[:.]\d{2})?$"
    if not has_a and has_b and re.match(bare, opens.strip()):
        # "9-5pm": the open time takes the close's half of the day unless that puts it after the close
        if re.search(pm, closes) and start < 12 * 60 and start + 12 * 60 < end:
            start += 12 * 60
    elif not has_a and not has_b and re.match(bare, opens.strip()) and re.match(bare, closes.strip()):
        # "9-5", "10-2", "9:30-5:30": a working day, not a night (but "22:00-02:00" stays overnight);
        # "1-5" (no leading zero, no am/pm) is an afternoon, as in "9-noon, 1-5"
        if end <= start and 6 * 60 <= start <= 12 * 60 and end <= 12 * 60:
            end += 12 * 60
        elif re.match(r"^[1-5](?:[:.]\d{2})?$", opens.strip()) and start < end <= 12 * 60:
            start, end = start + 12 * 60, end + 12 * 60
    elif has_a and not has_b and re.match(bare, closes.strip()) and end <= start and start < end + 12 * 60:
        end += 12 * 60  # "9am-5"
    return start, end, a.shifted or b.shifted


class WeekHours(tuple[bool, tuple[str, ...], bool]):
    """Hours read from words: (always open, weekly ranges in the data's form "mon-fri 09:00-17:00", shifted: some
    time carried an offset and was converted to Los Angeles time)."""

    __slots__ = ()

    def __new__(cls, always: bool, ranges: tuple[str, ...], shifted: bool = False) -> WeekHours:
        return tuple.__new__(cls, (always, ranges, shifted))

    @property
    def always(self) -> bool:
        return self[0]

    @property
    def ranges(self) -> tuple[str, ...]:
        return self[1]

    @property
    def shifted(self) -> bool:
        return self[2]


def parse_hours(text: str, on: dt.date | None = None) -> WeekHours:
    """Opening hours as people write them, in the data's form.

    Reads "24/7", "open 24 hours", "daily 9am-5pm", "weekdays 9-5", "Mon–Fri 9am–noon, 1pm–5pm; Sat 10-2",
    "Mon, Wed & Fri 9:00 to 17:00", "Mon-Fri 8 am-4 pm; closed Sat-Sun" (what `nhfind export` writes), and the
    data's own "mon-fri 08:00-16:00". Days without a time ("closed Sun") are left out.

    Raises:
        ValueError: with what could not be read.
    """
    cleaned = " ".join(text.strip().lower().translate(_DASHES).split())
    cleaned = re.sub(r"\b(through|thru|until|till|to)\b", "-", cleaned)
    cleaned = cleaned.replace(";", ",")
    bad = ValueError(f"{text.strip()!r} is not hours like 'mon-fri 9am-5pm' or '24/7'")
    if not cleaned:
        raise bad
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(cleaned):
        match = re.compile(_HOURS_TOKEN).match(cleaned, pos)
        if not match or match.end() == pos:
            raise bad
        pos = match.end()
        kind = match.lastgroup or ""
        tokens.append((kind, match[kind].strip()))
    ranges: list[tuple[tuple[int, ...], int, int]] = []
    days: list[int] = []
    pending_days = False  # days named since the last time range
    closed = saw_closed = False
    always_alone = False
    shifted = False
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "word":
            word = value.rstrip(".")
            if word in ("closed", "except"):
                closed, saw_closed, days, pending_days = True, True, [], False
            elif closed:
                pass  # the days (or holidays) it is closed on
            elif word in _WORD_DAYS:
                if not pending_days:
                    days, closed = [], False
                days.extend(_WORD_DAYS[word])
                pending_days = True
            elif word in _FILLER:
                pass
            else:
                try:
                    first = parse_weekday(word)
                except ValueError:
                    raise bad from None
                if not pending_days:
                    days, closed = [], False
                last = first
                if i + 2 < len(tokens) and tokens[i + 1][0] == "dash" and tokens[i + 2][0] == "word":
                    try:
                        last = parse_weekday(tokens[i + 2][1])
                        i += 2
                    except ValueError:
                        last = first
                days.extend((first + k) % 7 for k in range((last - first) % 7 + 1))
                pending_days = True
        elif kind == "always":
            if closed:
                raise bad
            if not days and not ranges:
                always_alone = True
            ranges.append((tuple(days or range(7)), 0, DAY_MINUTES))
            pending_days = False
        elif kind == "time":
            if not (i + 2 < len(tokens) and tokens[i + 1][0] == "dash" and tokens[i + 2][0] == "time"):
                raise bad
            if closed:
                raise bad
            try:
                start, end, moved = _range_minutes(value, tokens[i + 2][1], on)
            except ValueError:
                raise bad from None
            shifted = shifted or moved
            ranges.append((tuple(days or range(7)), start, end))
            pending_days = False
            i += 2
        elif kind == "sep":
            closed = False
        i += 1
    if always_alone and len(ranges) == 1:
        return WeekHours(True, (), shifted)
    if not ranges:
        if saw_closed:
            return WeekHours(False, (), shifted)
        raise bad
    return WeekHours(False, tuple(week_ranges(ranges)), shifted)


def week_ranges(ranges: Iterable[tuple[Iterable[int], int, int]]) -> list[str]:
    """(days, opens, closes in minutes, possibly outside 0..1440) -> the data's "mon-fri 09:00-17:00" ranges.

    Times an offset moved into the day before or after move their days with them; days sharing the same times
    are joined; the result is sorted by first day, then time.
    """
    joined: dict[tuple[int, int], set[int]] = {}
    for days, opens, closes in ranges:
        shift, opens_in_day = divmod(opens, DAY_MINUTES)
        closes_in_day = closes - shift * DAY_MINUTES
        if closes_in_day <= opens_in_day:
            closes_in_day += DAY_MINUTES
        joined.setdefault((opens_in_day, closes_in_day), set()).update((d + shift) % 7 for d in days)
    out = []
    for (opens, closes), days in sorted(joined.items(), key=lambda item: (min(item[1]), item[0])):
        out.append(f"{days_spec(days)} {Clock(opens).text}-{Clock(closes).text}")
    return out


# -- phones, ids and spreadsheet cells ----------------------------------------------------------------------------

_NUMBER = r"^\+?[\d\s().\-/]*\d[\d\s().\-/A-Z]*(?:\s*(?:ext\.?|extension|x|#)\s*\d+)?$"


def split_outside_brackets(text: str, separator: str = ";") -> list[str]:
    """ "911 (voice); 911 (text: call if you can; text if not)" -> its two phones: separators inside brackets stay."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")") if depth or char == "(" else 0
        if char == separator and depth <= 0:
            parts.append("".join(current).strip())
            current, depth = [], 0
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


class PhoneText(tuple[str, str]):
    """(number as written with stray quotes and spaces trimmed, what followed in brackets: "voice",
    "text: Text HOME", or "")."""

    __slots__ = ()

    def __new__(cls, number: str, extra: str = "") -> PhoneText:
        return tuple.__new__(cls, (number, extra))

    @property
    def number(self) -> str:
        return self[0]

    @property
    def extra(self) -> str:
        return self[1]


def parse_phone(text: str) -> PhoneText:
    """One phone as people write it: "(916) 555-0100", "916.555.0100 x12", "+1 916 555 0100 (text: HOME)", "988".

    Raises:
        ValueError: no number in it.
    """
    raw = text.strip().strip("\"'").strip()
    bracket = re.search(r"\(\s*[A-Za-z]", raw)  # "(voice)", "(text: ...)"; not "(916)"
    number, extra = (raw[: bracket.start()], raw[bracket.start() :]) if bracket else (raw, "")
    number = number.strip().strip("\"'").strip()
    extra = extra.strip()
    if extra.startswith("(") and extra.endswith(")"):
        extra = extra[1:-1]
    digits = re.sub(r"\D", "", number)
    if len(digits) < 3 or not re.match(_NUMBER, number, re.I if not re.search(r"[a-z]", number) else 0):
        raise ValueError(f"{text.strip()!r} is not a phone number like (916) 555-0100 or 916-555-0100 (voice)")
    number = re.sub(r"\s*(?:ext\.?|extension|x|#)\s*(\d+)$", r" ext. \1", number, flags=re.I)
    return PhoneText(number, extra.strip())


def clean_number(text: str) -> str:
    """A number from a data file with stray quotes and spaces taken off (the HSDS example quotes its own)."""
    return text.strip().strip("\"'").strip()


def slugify(text: str) -> str:
    """Lowercase letters, digits and hyphens, at most 48 characters ("imported" when nothing is left)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")
    return slug or "imported"


def is_slug(text: str) -> bool:
    """True for an id in our form: lowercase letters, digits and hyphens, starting with a letter or digit."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", text) is not None


def spreadsheet_safe(cell: str) -> str:
    """Prefix a cell a spreadsheet would treat as a formula with an apostrophe, so it stays text."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def unformula(cell: str) -> str:
    """Undo spreadsheet_safe: a leading apostrophe before a formula character is dropped."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_START and len(cell) > 1 else cell
