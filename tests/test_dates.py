"""Tests for showing dates and deadlines to people."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.views.dates import format_date, format_datetime, format_deadline

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_vietnamese_datetime_is_written_the_vietnamese_way() -> None:
    assert format_datetime(datetime(2026, 12, 4, 17, 0, tzinfo=VIETNAM), "vi") == "17:00 thứ Sáu, 04/12/2026"


def test_english_datetime_keeps_day_month_year() -> None:
    assert format_datetime(datetime(2026, 12, 4, 17, 0, tzinfo=VIETNAM), "en") == "17:00 Friday, 04/12/2026"


def test_deadlines_in_both_languages() -> None:
    deadline = datetime(2026, 12, 4, 17, 0, tzinfo=VIETNAM)
    assert format_deadline(deadline, "vi") == "trước 17:00 thứ Sáu, 04/12/2026"
    assert format_deadline(deadline, "en") == "before 17:00 Friday, 04/12/2026"


def test_utc_is_converted_to_vietnam_time() -> None:
    # 10:00 UTC is 17:00 in Hà Nội.
    assert (
        format_deadline(datetime(2026, 12, 4, 10, 0, tzinfo=UTC), "vi") == "trước 17:00 thứ Sáu, 04/12/2026"
    )


def test_utc_evening_is_already_the_next_day_in_vietnam() -> None:
    at = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    assert format_datetime(at, "vi") == "01:30 thứ Bảy, 05/12/2026"
    assert format_datetime(at, "en") == "01:30 Saturday, 05/12/2026"
    assert format_date(at, "vi") == "thứ Bảy, 05/12/2026"


def test_other_offsets_are_converted_too() -> None:
    at = datetime(2026, 12, 3, 23, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert format_datetime(at, "vi") == "11:15 thứ Sáu, 04/12/2026"


@pytest.mark.parametrize(
    ("day", "vietnamese", "english"),
    [
        (date(2026, 11, 30), "thứ Hai", "Monday"),
        (date(2026, 12, 1), "thứ Ba", "Tuesday"),
        (date(2026, 12, 2), "thứ Tư", "Wednesday"),
        (date(2026, 12, 3), "thứ Năm", "Thursday"),
        (date(2026, 12, 4), "thứ Sáu", "Friday"),
        (date(2026, 12, 5), "thứ Bảy", "Saturday"),
        (date(2026, 12, 6), "Chủ nhật", "Sunday"),
    ],
)
def test_every_weekday_is_named(day: date, vietnamese: str, english: str) -> None:
    assert format_date(day, "vi") == f"{vietnamese}, {day:%d/%m/%Y}"
    assert format_date(day, "en") == f"{english}, {day:%d/%m/%Y}"


def test_single_digits_are_zero_padded() -> None:
    assert format_datetime(datetime(2026, 2, 3, 7, 5, tzinfo=VIETNAM), "vi") == "07:05 thứ Ba, 03/02/2026"


def test_seconds_are_never_shown_nor_rounded_up() -> None:
    assert format_datetime(datetime(2026, 12, 4, 16, 59, 59, 999999, tzinfo=VIETNAM), "vi") == (
        "16:59 thứ Sáu, 04/12/2026"
    )


@pytest.mark.parametrize("language", ["fr", "", "zh-Hans", "xx"])
def test_unknown_language_falls_back_to_vietnamese(language: str) -> None:
    at = datetime(2026, 12, 4, 17, 0, tzinfo=VIETNAM)
    assert format_deadline(at, language) == "trước 17:00 thứ Sáu, 04/12/2026"


@pytest.mark.parametrize("language", ["EN", "en-US", "en_GB"])
def test_language_tags_with_regions_are_understood(language: str) -> None:
    at = datetime(2026, 12, 4, 17, 0, tzinfo=VIETNAM)
    assert format_deadline(at, language) == "before 17:00 Friday, 04/12/2026"


def test_another_local_timezone_can_be_chosen() -> None:
    at = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    assert format_datetime(at, "en", ZoneInfo("Europe/London")) == "10:00 Friday, 04/12/2026"
    assert format_date(at, "en", timezone=ZoneInfo("Pacific/Kiritimati")) == "Saturday, 05/12/2026"


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 12, 4, 17, 0)
    with pytest.raises(ValueError):
        format_datetime(naive, "vi")
    with pytest.raises(ValueError):
        format_date(naive, "vi")
    with pytest.raises(ValueError):
        format_deadline(naive, "en")
