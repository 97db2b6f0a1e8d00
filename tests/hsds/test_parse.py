"""The shared parsers (nhfind.core.parse) read times, hours and phones the way people and publishers write them,
and a filled-in spreadsheet written that way imports."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from nhfind.core import hsds_import, parse
from nhfind.core.db.store import Store
from nhfind.core.search import vocabulary
from tests.hsds.conftest import Env

WINTER = dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("text", "always", "ranges"),
    [("24/7", True, ()),
     ("Open 24 hours", True, ()),
     ("daily 9am-5pm", False, ("mon-sun 09:00-17:00",)),
     ("weekdays 9-5", False, ("mon-fri 09:00-17:00",)),
     ("weekends noon-4pm", False, ("sat-sun 12:00-16:00",)),
     ("Mon\u2013Fri 9am\u2013noon, 1pm\u20135pm; Sat 10-2", False,
      ("mon-fri 09:00-12:00", "mon-fri 13:00-17:00", "sat 10:00-14:00")),
     ("Mon, Wed & Fri 9:00 to 17:00", False, ("mon,wed,fri 09:00-17:00",)),
     ("Monday - Friday: 9:00 AM \u2014 5:00 PM", False, ("mon-fri 09:00-17:00",)),
     ("Fri 10 pm-midnight", False, ("fri 22:00-24:00",)),
     ("Mon-Fri 24 hours", False, ("mon-fri 00:00-24:00",)),
     ("Mon-Fri 8 am-4 pm; closed Sat-Sun", False, ("mon-fri 08:00-16:00",)),  # what `export --format csv` writes
     ("fri 22:00-02:00", False, ("fri 22:00-02:00",))],
)  # fmt: skip
def test_hours_are_read_as_people_write_them(text: str, always: bool, ranges: tuple[str, ...]) -> None:
    week = parse.parse_hours(text)
    assert (week.always, week.ranges) == (always, ranges)


@pytest.mark.parametrize("text", ["sometimes", "mon-fri", "9-5 maybe", "closed 12-1"])
def test_hours_that_say_nothing_readable_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not hours like"):
        parse.parse_hours(text)


@pytest.mark.parametrize(
    ("text", "minute", "shifted"),
    [("noon", 720, False), ("midnight", 0, False), ("09:00-08:00", 540, False), ("09:00:00-07:00", 540, False),
     ("17:00Z", 540, True), ("17:00+00:00", 540, True), ("02:00Z", -360, True)],
)  # fmt: skip
def test_clock_times_with_offsets_become_los_angeles_wall_time(text: str, minute: int, shifted: bool) -> None:
    assert parse.parse_clock(text, WINTER) == parse.Clock(minute, shifted)


@pytest.mark.parametrize(
    ("text", "number", "extra"),
    [("(916) 555-0100", "(916) 555-0100", ""),
     ("916.555.0100 x12", "916.555.0100 ext. 12", ""),
     ("+1 916 555 0100 (text: Text HOME)", "+1 916 555 0100", "text: Text HOME"),
     ('"+44 1234 234567"', "+44 1234 234567", ""),
     ("916-SUPPORT (text: Send a text to 916-SUPPORT (type the letters).)", "916-SUPPORT",
      "text: Send a text to 916-SUPPORT (type the letters)."),
     ("988", "988", "")],
)  # fmt: skip
def test_phones_are_read_in_any_common_spelling(text: str, number: str, extra: str) -> None:
    assert parse.parse_phone(text) == (number, extra)


def test_a_phone_cell_splits_between_phones_not_inside_their_notes() -> None:
    cell = "911 (hotline); 911 (text: Call if you can; text only when calling is not safe.)"
    assert parse.split_outside_brackets(cell) == [
        "911 (hotline)", "911 (text: Call if you can; text only when calling is not safe.)"]  # fmt: skip


def test_the_same_line_is_one_key_and_a_text_line_is_another() -> None:
    key = hsds_import._phone_key
    assert key("(916) 555-0100", "12", "voice") == key("916-555-0100 ext. 12", "", "voice")
    assert key("+1 916 555 0100", "", "voice") == key("916.555.0100", "", "voice")
    assert key("916-SUPPORT", "", "voice") == key("916-787-7678", "", "voice")
    assert key("911", "", "voice") != key("911", "", "text")


def test_a_spreadsheet_written_as_people_write_imports(env: Env, tmp_path: Path) -> None:
    rows = [
        ["name", "organization", "phones", "hours", "address"],
        ["Test Night Desk", "Test Org", "(916) 555-0100; (916) 555-0101 (text: Text DESK)", "24 hours", ""],
        ["Test Day Desk", "Test Org", "916.555.0102 x7", "weekdays 9\u2013noon, 1\u20135; Sat noon-4pm",
         "12 Test Way, Suite 3, North Highlands, CA 95660"],
    ]  # fmt: skip
    with (tmp_path / "mine.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = hsds_import.read(tmp_path / "mine.csv", vocabulary(Store(env.bundled)))
    by_name = {r.name: r for r in result.resources}
    night, day = by_name["Test Night Desk"], by_name["Test Day Desk"]
    assert [(p.number, p.kind, p.instructions) for p in night.phones] == [
        ("(916) 555-0100", "voice", ""), ("(916) 555-0101", "text", "Text DESK")]  # fmt: skip
    assert night.hours is not None and night.hours.always
    assert day.phones[0].number == "916.555.0102 ext. 7"
    assert day.hours is not None and day.hours.weekly == (
        "mon-fri 09:00-12:00", "mon-fri 13:00-17:00", "sat 12:00-16:00")  # fmt: skip
    assert day.address is not None and (day.address.street, day.address.city, day.address.postal_code) == (
        "12 Test Way, Suite 3", "North Highlands", "95660")  # fmt: skip
