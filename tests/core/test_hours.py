"""Opening hours: open now/open at in Los Angeles time, past midnight, daylight saving, plain summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from nhfind.core import hours, parse
from nhfind.core.db.store import Store
from nhfind.core.models import Filters, Hours
from nhfind.core.search import get, search

LA = parse.zone()
UTC = dt.UTC
CLINIC = Hours("site", weekly=("mon-fri 08:00-16:00", "sat 10:00-14:00"))
FOOD_HALL = Hours("site", weekly=("mon-sun 11:30-13:00", "fri 22:00-02:00"))
SUNDAY_DAY = Hours("site", weekly=("sun 08:00-16:00",))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LA)


# -- open or not ------------------------------------------------------------------------------------------------


def test_range_past_midnight_is_open_early_next_day() -> None:
    # 2026-12-04 is a Friday: "fri 22:00-02:00" covers Saturday 01:00 but not 03:00
    assert hours.is_open(FOOD_HALL, at(2026, 12, 5, 1, 0))
    assert not hours.is_open(FOOD_HALL, at(2026, 12, 5, 3, 0))
    assert hours.summary(FOOD_HALL, at(2026, 12, 4, 23, 0)) == "Open until Sat 2 am"
    assert hours.summary(FOOD_HALL, at(2026, 12, 5, 1, 0)) == "Open until 2 am"
    # Thursday night has no late range
    assert not hours.is_open(FOOD_HALL, at(2026, 12, 4, 1, 0))


def test_sunday_night_range_runs_into_monday() -> None:
    late = Hours("site", weekly=("sun 22:00-02:00",))
    assert hours.is_open(late, at(2026, 12, 7, 1, 30))  # Monday 01:30
    assert not hours.is_open(late, at(2026, 12, 7, 2, 0))  # closing minute is closed
    assert hours.summary(late, at(2026, 12, 6, 23, 0)) == "Open until Mon 2 am"


def test_unknown_hours_are_never_open() -> None:
    for when in (at(2026, 12, 5, 1), at(2026, 12, 7, 12), at(2026, 12, 9, 23, 59)):
        assert hours.status(None, when).state == "unknown"
        assert not hours.is_open(None, when)
    assert hours.summary(None, at(2026, 12, 7, 12)) == "Hours unknown \u2014 call"
    assert hours.summary(None) == "Hours unknown \u2014 call"


def test_always_open() -> None:
    always = Hours("site", always=True)
    assert hours.is_open(always, at(2026, 12, 6, 3, 33))
    assert hours.summary(always, at(2026, 12, 6, 3, 33)) == "24/7"


def test_closing_minute_and_opening_minute() -> None:
    assert hours.is_open(CLINIC, at(2026, 12, 7, 8, 0))  # Monday
    assert not hours.is_open(CLINIC, at(2026, 12, 7, 7, 59))
    assert hours.is_open(CLINIC, at(2026, 12, 7, 15, 59))
    assert not hours.is_open(CLINIC, at(2026, 12, 7, 16, 0))


# -- daylight saving ----------------------------------------------------------------------------------------------


def test_spring_forward_2026_03_08_uses_the_new_offset() -> None:
    # 15:30 UTC is 07:30 PST the Sunday before the change, but 08:30 PDT on the day itself
    assert not hours.is_open(SUNDAY_DAY, dt.datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    assert hours.is_open(SUNDAY_DAY, dt.datetime(2026, 3, 8, 15, 30, tzinfo=UTC))
    assert hours.summary(SUNDAY_DAY, dt.datetime(2026, 3, 8, 15, 30, tzinfo=UTC)) == "Open until 4 pm"


def test_spring_forward_skipped_hour() -> None:
    night = Hours("site", weekly=("sun 01:00-03:00",))
    assert hours.is_open(night, dt.datetime(2026, 3, 8, 9, 59, tzinfo=UTC))  # 01:59 PST
    assert not hours.is_open(night, dt.datetime(2026, 3, 8, 10, 0, tzinfo=UTC))  # 03:00 PDT: 02:xx never happened


def test_fall_back_2026_11_01_uses_the_new_offset() -> None:
    # 15:30 UTC is 08:30 PDT a week before, but 07:30 PST on the day of the change
    assert hours.is_open(SUNDAY_DAY, dt.datetime(2026, 10, 25, 15, 30, tzinfo=UTC))
    assert not hours.is_open(SUNDAY_DAY, dt.datetime(2026, 11, 1, 15, 30, tzinfo=UTC))
    assert hours.summary(SUNDAY_DAY, dt.datetime(2026, 11, 1, 15, 30, tzinfo=UTC)) == "Opens today 8 am"


def test_fall_back_repeated_hour_is_open_both_times() -> None:
    night = Hours("site", weekly=("sun 01:00-02:00",))
    assert hours.is_open(night, dt.datetime(2026, 11, 1, 8, 30, tzinfo=UTC))  # 01:30 PDT
    assert hours.is_open(night, dt.datetime(2026, 11, 1, 9, 30, tzinfo=UTC))  # 01:30 PST, an hour later
    assert not hours.is_open(night, dt.datetime(2026, 11, 1, 10, 0, tzinfo=UTC))  # 02:00 PST


def test_open_at_a_weekday_across_the_spring_change_gets_the_summer_offset() -> None:
    saturday_noon = at(2026, 3, 7, 12, 0)
    sunday = hours.parse_when("sun 10:00", saturday_noon)
    assert (sunday.date(), sunday.hour, sunday.minute) == (dt.date(2026, 3, 8), 10, 0)
    assert sunday.utcoffset() == dt.timedelta(hours=-7)
    assert saturday_noon.utcoffset() == dt.timedelta(hours=-8)


# -- words --------------------------------------------------------------------------------------------------------


def test_weekly_text_is_plain() -> None:
    assert hours.weekly_text(CLINIC) == "Mon-Fri 8 am-4 pm; Sat 10 am-2 pm; closed Sun"
    assert hours.weekly_text(FOOD_HALL) == (
        "Mon-Thu 11:30 am-1 pm; Fri 11:30 am-1 pm, 10 pm-2 am; Sat-Sun 11:30 am-1 pm"
    )
    assert CLINIC.summary() == hours.weekly_text(CLINIC)


def test_summary_says_when_it_next_opens() -> None:
    assert hours.summary(CLINIC, at(2026, 12, 5, 15, 0)) == "Opens Mon 8 am"  # Saturday after closing
    assert hours.summary(CLINIC, at(2026, 12, 5, 9, 0)) == "Opens today 10 am"
    assert hours.summary(CLINIC, at(2026, 12, 7, 9, 15)) == "Open until 4 pm"
    assert hours.summary(FOOD_HALL, at(2026, 12, 7, 11, 45)) == "Open until 1 pm"
    assert hours.summary(Hours("s", weekly=("mon 09:00-12:00",)), at(2026, 12, 7, 10)) == "Open until noon"


def test_adjacent_ranges_read_as_one_opening() -> None:
    split = Hours("site", weekly=("mon 08:00-12:00", "mon 12:00-17:30"))
    assert hours.summary(split, at(2026, 12, 7, 9)) == "Open until 5:30 pm"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sat 10:00", dt.datetime(2026, 12, 5, 10, 0)),
        ("Saturday 4pm", dt.datetime(2026, 12, 5, 16, 0)),
        ("today 17:30", dt.datetime(2026, 12, 2, 17, 30)),
        ("tomorrow 9am", dt.datetime(2026, 12, 3, 9, 0)),
        ("wed 08:00", dt.datetime(2026, 12, 9, 8, 0)),  # today's 08:00 has passed: next Wednesday
        ("wed 13:00", dt.datetime(2026, 12, 2, 13, 0)),
        ("2026-12-25 10:00", dt.datetime(2026, 12, 25, 10, 0)),
        ("12am", dt.datetime(2026, 12, 2, 0, 0)),
    ],
)
def test_parse_when(text: str, expected: dt.datetime) -> None:
    wednesday_noon = at(2026, 12, 2, 12, 0)
    got = hours.parse_when(text, wednesday_noon)
    assert got.replace(tzinfo=None) == expected
    assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(hours=-8)


@pytest.mark.parametrize("text", ["someday 10:00", "sat 25:00", "13pm", "sat", "", "s 10:00", "2026-02-30 10:00"])
def test_parse_when_refuses_nonsense_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="sat 10:00"):
        hours.parse_when(text, at(2026, 12, 2, 12, 0))


# -- the database filter agrees with the Python rule ---------------------------------------------------------------


def test_open_at_filter_matches_status_every_half_hour_of_a_week(fixture_store: Store) -> None:
    everything = search(fixture_store, "").results
    start = at(2026, 11, 30, 0, 0)  # a Monday
    for step in range(7 * 48):
        when = start + dt.timedelta(minutes=30 * step)
        found = {r.id for r in search(fixture_store, "", Filters(open_at=when)).results}
        expected = {r.id for r in everything if hours.is_open(r.hours, when)}
        assert found == expected, hours.describe(when)


def test_open_at_filter_finds_the_late_friday_range(fixture_store: Store) -> None:
    saturday_1am = at(2026, 12, 5, 1, 0)
    found = {r.id for r in search(fixture_store, "", Filters(open_at=saturday_1am)).results}
    assert "test-food-hall" in found
    assert "test-sti-testing" not in found
    # no record without sourced hours is ever in an "open" answer
    assert all((r := get(fixture_store, rid)) is not None and r.hours is not None for rid in found)


# -- properties: the summary's promises hold for any weekly ranges -----------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TIME = st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
_SPEC = st.builds(
    lambda d1, d2, a, b: f"{hours.DAYS[d1]}-{hours.DAYS[d2]} {a[0]:02d}:{a[1]:02d}-{b[0]:02d}:{b[1]:02d}",
    st.integers(0, 6), st.integers(0, 6), _TIME, _TIME,
)  # fmt: skip
_WHEN = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 31)).map(lambda d: d.replace(tzinfo=UTC))


def _simple_rule(week: Hours, when: dt.datetime) -> bool:
    """The rule the database filter uses: an opening that started today, or yesterday and runs past midnight."""
    day, minute = hours.week_minute(when)
    return any(
        (o.day == day and o.opens <= minute < o.closes) or (o.day == (day - 1) % 7 and minute + 1440 < o.closes)
        for o in hours.openings(week)
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPEC, min_size=1, max_size=4), _WHEN)
def test_status_agrees_with_the_database_rule_and_keeps_its_promises(specs: list[str], when: dt.datetime) -> None:
    week = Hours("site", weekly=tuple(specs))
    state = hours.status(week, when)
    assert state.is_open == _simple_rule(week, when)
    if state.until is not None:  # open: still open a minute before "until", closed at "until"
        assert _simple_rule(week, state.until - dt.timedelta(minutes=1))
        assert not _simple_rule(week, state.until)
    if state.next_open is not None:  # closed: closed a minute before "opens", open at "opens"
        assert not _simple_rule(week, state.next_open - dt.timedelta(minutes=1))
        assert _simple_rule(week, state.next_open)
