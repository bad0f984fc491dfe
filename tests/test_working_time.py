"""Tests for the Vietnamese working-time calendar that sets every deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.working_time import WorkingCalendar

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
HOUR = timedelta(hours=1)
WORKING_DAY = timedelta(hours=8)

FAST = settings(max_examples=60, deadline=None)
ORACLE = settings(max_examples=30, deadline=None)

INPUT_TIMEZONES = st.sampled_from(
    [
        UTC,
        VIETNAM,
        ZoneInfo("Europe/London"),
        ZoneInfo("America/New_York"),
        timezone(timedelta(hours=-3, minutes=-30)),
    ]
)
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2028, 12, 31)
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Build a Vietnam-local aware datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Draw an aware instant in 2025-2028, often exactly on a period boundary, in some input timezone."""
    zone = draw(INPUT_TIMEZONES)
    if draw(st.booleans()):
        boundary = draw(st.sampled_from([time(7, 30), time(11, 30), time(13, 0), time(17, 0), time(0, 0)]))
        at = datetime.combine(draw(days), boundary, tzinfo=VIETNAM)
    else:
        at = draw(
            st.datetimes(
                min_value=datetime.combine(FIRST_DAY, time()),
                max_value=datetime.combine(LAST_DAY, time(23, 59, 59)),
                timezones=st.just(VIETNAM),
            )
        )
    return at.astimezone(zone)


@st.composite
def minute_instants(draw: st.DrawFn) -> datetime:
    """Draw an aware instant on a whole minute, for comparison with minute-by-minute counting."""
    minute = draw(st.integers(min_value=0, max_value=(LAST_DAY - FIRST_DAY).days * 24 * 60))
    at = datetime.combine(FIRST_DAY, time(), tzinfo=VIETNAM) + timedelta(minutes=minute)
    return at.astimezone(draw(INPUT_TIMEZONES))


durations = st.one_of(
    st.integers(min_value=0, max_value=60 * 8 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(min_value=0, max_value=60).map(lambda count: count * WORKING_DAY),
    st.timedeltas(min_value=timedelta(0), max_value=60 * WORKING_DAY),
)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    """Draw the default calendar or one with random province days off and make-up days."""
    if draw(st.booleans()):
        return CALENDAR
    days_off = draw(st.frozensets(days, max_size=40))
    makeup_days = draw(st.frozensets(days, max_size=20)) - days_off
    return WorkingCalendar(extra_days_off=days_off, makeup_working_days=makeup_days)


def count_working_minutes(
    calendar: WorkingCalendar,
    start: datetime,
    end: datetime,
    paused: list[tuple[datetime, datetime]] = [],  # noqa: B006 - never mutated
) -> timedelta:
    """Count working minutes one at a time, an independent oracle for minute-aligned inputs."""
    minutes = 0
    at = start
    while at < end:
        wall = at.astimezone(VIETNAM)
        is_paused = any(pause_start <= at < pause_end for pause_start, pause_end in paused)
        is_in_period = time(7, 30) <= wall.time() < time(11, 30) or time(13, 0) <= wall.time() < time(17, 0)
        if is_in_period and not is_paused and calendar.is_working_day(wall.date()):
            minutes += 1
        at += timedelta(minutes=1)
    return timedelta(minutes=minutes)


# --- Properties ------------------------------------------------------------------------------------


@FAST
@given(calendar=calendars(), start=instants(), duration=durations)
def test_deadline_always_falls_in_working_time(
    calendar: WorkingCalendar, start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add_working_time(start, duration)
    assert calendar.is_working_instant(deadline)
    assert deadline.tzinfo == VIETNAM
    assert deadline >= start


@FAST
@given(calendar=calendars(), first=instants(), second=instants(), duration=durations)
def test_later_start_never_gives_earlier_deadline(
    calendar: WorkingCalendar, first: datetime, second: datetime, duration: timedelta
) -> None:
    earlier, later = sorted([first, second])
    assert calendar.add_working_time(earlier, duration) <= calendar.add_working_time(later, duration)


@FAST
@given(calendar=calendars(), start=instants(), first=durations, second=durations)
def test_longer_duration_never_gives_earlier_deadline(
    calendar: WorkingCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    shorter, longer = sorted([first, second])
    assert calendar.add_working_time(start, shorter) <= calendar.add_working_time(start, longer)


@FAST
@given(calendar=calendars(), start=instants(), duration=durations)
def test_working_time_until_deadline_is_the_duration(
    calendar: WorkingCalendar, start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add_working_time(start, duration)
    assert calendar.working_time_between(start, deadline) == duration


@FAST
@given(calendar=calendars(), start=instants(), duration=durations, extra=durations)
def test_deadline_is_the_first_instant_with_enough_working_time(
    calendar: WorkingCalendar, start: datetime, duration: timedelta, extra: timedelta
) -> None:
    deadline = calendar.add_working_time(start, duration + extra)
    partial = calendar.add_working_time(start, duration)
    assert calendar.working_time_between(partial, deadline) == extra


@FAST
@given(
    calendar=calendars(),
    start=instants(),
    end=instants(),
    paused=st.lists(st.tuples(instants(), instants()).map(sorted), max_size=4),
)
def test_pausing_never_adds_working_time(
    calendar: WorkingCalendar, start: datetime, end: datetime, paused: list[list[datetime]]
) -> None:
    pauses = [(pause_start, pause_end) for pause_start, pause_end in paused]
    unpaused = calendar.working_time_between(start, end)
    with_pauses = calendar.working_time_between(start, end, pauses)
    assert timedelta(0) <= with_pauses <= unpaused
    whole_span = (min(start, end), max(start, end))
    assert calendar.working_time_between(start, end, [*pauses, whole_span]) == timedelta(0)


@ORACLE
@given(
    calendar=calendars(),
    start=minute_instants(),
    span_minutes=st.integers(min_value=-60, max_value=4 * 24 * 60),
    pauses=st.lists(
        st.tuples(
            st.integers(min_value=-600, max_value=5 * 24 * 60), st.integers(min_value=0, max_value=2000)
        ),
        max_size=3,
    ),
)
def test_working_time_matches_counting_minutes(
    calendar: WorkingCalendar, start: datetime, span_minutes: int, pauses: list[tuple[int, int]]
) -> None:
    end = start + timedelta(minutes=span_minutes)
    paused = [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in pauses
    ]
    expected = count_working_minutes(calendar, start, end, paused)
    assert calendar.working_time_between(start, end, paused) == expected


@ORACLE
@given(calendar=calendars(), start=minute_instants(), minutes=st.integers(min_value=0, max_value=3 * 8 * 60))
def test_deadline_matches_counting_minutes(calendar: WorkingCalendar, start: datetime, minutes: int) -> None:
    deadline = calendar.add_working_time(start, timedelta(minutes=minutes))
    assert count_working_minutes(calendar, start, deadline) == timedelta(minutes=minutes)
    if minutes > 0:
        # One minute earlier must not have been enough: the deadline is the earliest such instant.
        one_minute_early = deadline - timedelta(minutes=1)
        assert count_working_minutes(calendar, start, one_minute_early) < timedelta(minutes=minutes)


@FAST
@given(calendar=calendars(), start=instants(), count=st.integers(min_value=0, max_value=60))
def test_end_of_working_days_is_five_pm_on_the_nth_working_day(
    calendar: WorkingCalendar, start: datetime, count: int
) -> None:
    deadline = calendar.end_of_working_days(start, count)
    received_on = start.astimezone(VIETNAM).date()
    assert deadline.tzinfo == VIETNAM
    assert deadline.time() == time(17, 0)
    assert calendar.is_working_day(deadline.date())
    assert calendar.is_working_instant(deadline)
    working_days_after = sum(
        calendar.is_working_day(received_on + timedelta(days=offset))
        for offset in range(1, (deadline.date() - received_on).days + 1)
    )
    if count == 0:
        assert deadline.date() >= received_on
        assert working_days_after <= 1
        assert calendar.is_working_day(received_on) == (deadline.date() == received_on)
    else:
        assert working_days_after == count


@FAST
@given(calendar=calendars(), day=days)
def test_next_working_day_skips_exactly_the_days_off(calendar: WorkingCalendar, day: date) -> None:
    following = calendar.next_working_day(day)
    assert following > day
    assert calendar.is_working_day(following)
    skipped = [day + timedelta(days=offset) for offset in range(1, (following - day).days)]
    assert not any(calendar.is_working_day(between) for between in skipped)


# --- Holidays from the `holidays` package -------------------------------------------------------------


def test_tet_2026_break_is_a_holiday_from_the_package() -> None:
    # Tết Bính Ngọ: 17/02/2026; officials are off 14/02-22/02, the weekdays of which are 16-20/02.
    tet_weekdays = [date(2026, 2, day) for day in range(16, 21)]
    assert all(CALENDAR.is_public_holiday(day) for day in tet_weekdays)
    assert not any(CALENDAR.is_working_day(day) for day in tet_weekdays)
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert CALENDAR.is_working_day(date(2026, 2, 23))


def test_tet_2027_break_moves_weekend_days_to_weekdays() -> None:
    # Tết Đinh Mùi falls on Saturday 06/02/2027; the package shifts the weekend Tết days to Thursday
    # (29 Tết) and Wednesday (mùng 5), so five weekdays are off.
    tet_weekdays = [date(2027, 2, 4), date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)]
    assert all(CALENDAR.is_public_holiday(day) for day in tet_weekdays)
    assert CALENDAR.is_working_day(date(2027, 2, 3))
    assert CALENDAR.is_working_day(date(2027, 2, 11))


def test_item_received_just_before_tet_is_due_after_the_break() -> None:
    received_at = local(2026, 2, 13, 16, 0)
    assert CALENDAR.add_working_time(received_at, 2 * HOUR) == local(2026, 2, 23, 8, 30)
    assert CALENDAR.add_working_time(received_at, WORKING_DAY) == local(2026, 2, 23, 16, 0)
    # 10 working days after Friday 13/02: 23-27/02 and 02-06/03.
    assert CALENDAR.end_of_working_days(received_at, 10) == local(2026, 3, 6, 17, 0)
    assert CALENDAR.working_time_between(received_at, local(2026, 2, 23, 7, 30)) == HOUR


def test_reunification_and_labour_day_are_skipped() -> None:
    # 30/04/2026 is a Thursday and 01/05/2026 a Friday.
    assert CALENDAR.add_working_time(local(2026, 4, 29, 16, 0), 2 * HOUR) == local(2026, 5, 4, 8, 30)
    assert CALENDAR.end_of_working_days(local(2026, 4, 29, 9, 0), 1) == local(2026, 5, 4, 17, 0)


def test_labour_day_on_saturday_is_observed_on_monday() -> None:
    # 01/05/2027 is a Saturday; the package moves it to Monday 03/05.
    assert CALENDAR.is_public_holiday(date(2027, 5, 3))
    assert CALENDAR.add_working_time(local(2027, 4, 29, 16, 0), 2 * HOUR) == local(2027, 5, 4, 8, 30)


def test_national_day_2026_is_skipped_with_its_substituted_monday() -> None:
    # 01-02/09/2026 are Tuesday and Wednesday; Monday 31/08 is off in exchange for Saturday 22/08.
    assert all(CALENDAR.is_public_holiday(date(2026, month, day)) for month, day in [(8, 31), (9, 1), (9, 2)])
    assert CALENDAR.add_working_time(local(2026, 8, 28, 16, 0), 2 * HOUR) == local(2026, 9, 3, 8, 30)


def test_national_day_2027_holiday_is_thursday_and_friday() -> None:
    assert CALENDAR.is_public_holiday(date(2027, 9, 2))
    assert CALENDAR.is_public_holiday(date(2027, 9, 3))
    assert CALENDAR.add_working_time(local(2027, 9, 1, 17, 0), HOUR) == local(2027, 9, 6, 8, 30)


def test_hung_kings_day_on_sunday_is_observed_on_monday() -> None:
    assert CALENDAR.is_public_holiday(date(2026, 4, 26))
    assert not CALENDAR.is_working_day(date(2026, 4, 27))
    assert CALENDAR.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)


def test_ordinary_days_are_not_holidays() -> None:
    assert not CALENDAR.is_public_holiday(date(2026, 3, 10))
    assert CALENDAR.is_working_day(date(2026, 3, 10))


# --- Province days off and make-up days ---------------------------------------------------------------


def test_makeup_saturday_counts_as_a_working_day() -> None:
    makeup = WorkingCalendar(makeup_working_days=frozenset({date(2026, 8, 22)}))
    assert not CALENDAR.is_working_day(date(2026, 8, 22))
    assert makeup.is_working_day(date(2026, 8, 22))
    assert makeup.add_working_time(local(2026, 8, 21, 16, 0), 2 * HOUR) == local(2026, 8, 22, 8, 30)
    assert CALENDAR.add_working_time(local(2026, 8, 21, 16, 0), 2 * HOUR) == local(2026, 8, 24, 8, 30)
    assert makeup.end_of_working_days(local(2026, 8, 21, 9, 0), 1) == local(2026, 8, 22, 17, 0)
    assert makeup.working_time_between(local(2026, 8, 21, 0, 0), local(2026, 8, 24, 0, 0)) == 2 * WORKING_DAY


def test_makeup_day_wins_over_a_public_holiday() -> None:
    makeup = WorkingCalendar(makeup_working_days=frozenset({date(2026, 2, 20)}))
    assert makeup.is_public_holiday(date(2026, 2, 20))
    assert makeup.is_working_day(date(2026, 2, 20))
    assert makeup.add_working_time(local(2026, 2, 13, 17, 0), HOUR) == local(2026, 2, 20, 8, 30)


def test_extra_day_off_is_skipped() -> None:
    province = WorkingCalendar(extra_days_off=frozenset({date(2026, 3, 9)}))
    assert CALENDAR.is_working_day(date(2026, 3, 9))
    assert not province.is_working_day(date(2026, 3, 9))
    assert province.add_working_time(local(2026, 3, 6, 16, 0), 2 * HOUR) == local(2026, 3, 10, 8, 30)
    assert province.end_of_working_days(local(2026, 3, 6, 9, 0), 1) == local(2026, 3, 10, 17, 0)


def test_day_cannot_be_both_off_and_makeup() -> None:
    with pytest.raises(ValueError, match="2026-03-07"):
        WorkingCalendar(
            extra_days_off=frozenset({date(2026, 3, 7)}), makeup_working_days=frozenset({date(2026, 3, 7)})
        )


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(11, 0), time(8, 0)),),
        ((time(13, 0), time(17, 0)), (time(7, 30), time(11, 30))),
        ((time(7, 30), time(12, 0)), (time(11, 0), time(17, 0))),
        ((time(7, 30, tzinfo=UTC), time(11, 30, tzinfo=UTC)),),
    ],
)
def test_inconsistent_periods_are_refused(periods: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(periods=periods)


def test_weekday_outside_the_week_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(working_weekdays=frozenset({0, 7}))


def test_calendar_without_any_working_day_fails_instead_of_hanging() -> None:
    with pytest.raises(ValueError, match="no working day"):
        WorkingCalendar(working_weekdays=frozenset()).next_working_day(date(2026, 3, 9))


def test_collections_given_as_sets_are_frozen() -> None:
    calendar = WorkingCalendar(extra_days_off={date(2026, 3, 9)})  # type: ignore[arg-type]
    assert isinstance(calendar.extra_days_off, frozenset)
    assert hash(calendar) == hash(WorkingCalendar(extra_days_off=frozenset({date(2026, 3, 9)})))


# --- Ordinary working time ------------------------------------------------------------------------------


def test_working_day_is_eight_hours() -> None:
    assert CALENDAR.working_day_length() == WORKING_DAY
    assert WorkingCalendar(periods=((time(8, 0), time(12, 0)),)).working_day_length() == 4 * HOUR


def test_friday_afternoon_plus_two_hours_is_monday_morning() -> None:
    assert CALENDAR.add_working_time(local(2026, 3, 6, 16, 0), 2 * HOUR) == local(2026, 3, 9, 8, 30)


def test_weekend_start_begins_on_monday_morning() -> None:
    assert CALENDAR.add_working_time(local(2026, 3, 7, 10, 0), HOUR) == local(2026, 3, 9, 8, 30)


def test_lunch_break_is_skipped() -> None:
    assert CALENDAR.add_working_time(local(2026, 3, 10, 11, 0), HOUR) == local(2026, 3, 10, 13, 30)
    assert CALENDAR.add_working_time(local(2026, 3, 10, 12, 0), HOUR) == local(2026, 3, 10, 14, 0)
    assert CALENDAR.working_time_between(local(2026, 3, 10, 11, 0), local(2026, 3, 10, 13, 30)) == HOUR


def test_result_on_a_period_end_stays_there() -> None:
    assert CALENDAR.add_working_time(local(2026, 3, 9, 7, 30), WORKING_DAY) == local(2026, 3, 9, 17, 0)
    assert CALENDAR.add_working_time(local(2026, 3, 9, 7, 30), 4 * HOUR) == local(2026, 3, 9, 11, 30)
    assert CALENDAR.add_working_time(local(2026, 3, 9, 7, 30), 5 * WORKING_DAY) == local(2026, 3, 13, 17, 0)


def test_zero_duration_keeps_a_working_instant_and_moves_others_forward() -> None:
    assert CALENDAR.add_working_time(local(2026, 3, 10, 9, 15), timedelta(0)) == local(2026, 3, 10, 9, 15)
    assert CALENDAR.add_working_time(local(2026, 3, 10, 11, 30), timedelta(0)) == local(2026, 3, 10, 11, 30)
    assert CALENDAR.add_working_time(local(2026, 3, 10, 12, 0), timedelta(0)) == local(2026, 3, 10, 13, 0)
    assert CALENDAR.add_working_time(local(2026, 3, 13, 17, 0, 1), timedelta(0)) == local(2026, 3, 16, 7, 30)


def test_utc_input_is_computed_in_vietnam_time() -> None:
    # 09:00 UTC is 16:00 in Hà Nội; in UTC terms the deadline would wrongly land the same Friday.
    deadline = CALENDAR.add_working_time(datetime(2026, 3, 6, 9, 0, tzinfo=UTC), 2 * HOUR)
    assert deadline == local(2026, 3, 9, 8, 30)
    assert deadline.tzinfo == VIETNAM
    assert deadline.hour == 8
    # 20:00 UTC on Sunday is already 03:00 on Monday in Hà Nội.
    sunday_evening_utc = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)
    assert CALENDAR.end_of_working_days(sunday_evening_utc, 0) == local(2026, 3, 9, 17, 0)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (local(2026, 3, 10, 7, 30), True),
        (local(2026, 3, 10, 7, 29, 59), False),
        (local(2026, 3, 10, 11, 30), True),
        (local(2026, 3, 10, 11, 31), False),
        (local(2026, 3, 10, 12, 59), False),
        (local(2026, 3, 10, 13, 0), True),
        (local(2026, 3, 10, 17, 0), True),
        (local(2026, 3, 10, 17, 0, 1), False),
        (local(2026, 3, 14, 9, 0), False),
        (datetime(2026, 3, 10, 2, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 10, 10, 30, tzinfo=UTC), False),
    ],
)
def test_working_instants(at: datetime, expected: bool) -> None:
    assert CALENDAR.is_working_instant(at) is expected


def test_end_of_working_days() -> None:
    tuesday = local(2026, 3, 10, 16, 59)
    assert CALENDAR.end_of_working_days(tuesday, 0) == local(2026, 3, 10, 17, 0)
    assert CALENDAR.end_of_working_days(tuesday, 1) == local(2026, 3, 11, 17, 0)
    assert CALENDAR.end_of_working_days(tuesday, 10) == local(2026, 3, 24, 17, 0)
    saturday = local(2026, 3, 14, 10, 0)
    assert CALENDAR.end_of_working_days(saturday, 0) == local(2026, 3, 16, 17, 0)
    assert CALENDAR.end_of_working_days(saturday, 1) == local(2026, 3, 16, 17, 0)
    assert CALENDAR.end_of_working_days(saturday, 2) == local(2026, 3, 17, 17, 0)


def test_working_time_between_with_overlapping_pauses() -> None:
    start, end = local(2026, 3, 9, 7, 30), local(2026, 3, 13, 17, 0)
    assert CALENDAR.working_time_between(start, end) == 5 * WORKING_DAY
    assert CALENDAR.working_time_between(end, start) == timedelta(0)
    paused = [
        (local(2026, 3, 10, 7, 30), local(2026, 3, 11, 0, 0)),
        (local(2026, 3, 10, 16, 0), local(2026, 3, 11, 9, 30)),
        (local(2026, 3, 1, 0, 0), local(2026, 3, 9, 8, 30)),
    ]
    assert (
        CALENDAR.working_time_between(start, end, paused) == 5 * WORKING_DAY - WORKING_DAY - 2 * HOUR - HOUR
    )


def test_large_durations_are_fast() -> None:
    start = local(2025, 1, 1, 9, 0)
    deadline = CALENDAR.add_working_time(start, 2500 * WORKING_DAY)
    assert deadline.year == 2035
    assert CALENDAR.working_time_between(start, deadline) == 2500 * WORKING_DAY


def test_naive_datetimes_and_negative_values_are_refused() -> None:
    naive = datetime(2026, 3, 10, 9, 0)
    aware = local(2026, 3, 10, 9, 0)
    with pytest.raises(ValueError):
        CALENDAR.add_working_time(naive, HOUR)
    with pytest.raises(ValueError):
        CALENDAR.is_working_instant(naive)
    with pytest.raises(ValueError):
        CALENDAR.end_of_working_days(naive, 1)
    with pytest.raises(ValueError):
        CALENDAR.working_time_between(aware, naive)
    with pytest.raises(ValueError):
        CALENDAR.working_time_between(aware, aware + HOUR, [(naive, naive)])
    with pytest.raises(ValueError):
        CALENDAR.working_time_between(aware, aware + HOUR, [(aware + HOUR, aware)])
    with pytest.raises(ValueError):
        CALENDAR.add_working_time(aware, -HOUR)
    with pytest.raises(ValueError):
        CALENDAR.end_of_working_days(aware, -1)
    with pytest.raises(TypeError):
        CALENDAR.is_working_day(aware)
