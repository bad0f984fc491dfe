"""Show dates and deadlines to people the way they write them, in local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["format_date", "format_date_heading", "format_datetime", "format_deadline"]

VIETNAM_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_LANGUAGE = "vi"

# Indexed by date.weekday(); our own tables because the locale module is process-global and the
# server has no Vietnamese locale installed.
WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
DEADLINE_PREFIXES: dict[str, str] = {"vi": "trước", "en": "before"}


def format_datetime(at: datetime, language: str, timezone: ZoneInfo = VIETNAM_TIMEZONE) -> str:
    """Format an instant as local time and date, e.g. "17:00 thứ Sáu, 04/12/2026"."""
    local = _to_local(at, timezone)
    # Seconds are dropped, never rounded up, so a shown time is never later than the real one.
    return f"{local:%H:%M} {format_date(local, language, timezone)}"


def format_date(day: date | datetime, language: str, timezone: ZoneInfo = VIETNAM_TIMEZONE) -> str:
    """Format a date with its weekday, e.g. "thứ Sáu, 04/12/2026"; a datetime is taken in local time."""
    if isinstance(day, datetime):
        day = _to_local(day, timezone).date()
    weekday = WEEKDAY_NAMES[_language_code(language)][day.weekday()]
    return f"{weekday}, {day:%d/%m/%Y}"


def format_date_heading(day: date | datetime, language: str, timezone: ZoneInfo = VIETNAM_TIMEZONE) -> str:
    """Format a date for a heading, the weekday after it: "07/12/2026 (thứ Hai)"."""
    if isinstance(day, datetime):
        day = _to_local(day, timezone).date()
    return f"{day:%d/%m/%Y} ({WEEKDAY_NAMES[_language_code(language)][day.weekday()]})"


def format_deadline(at: datetime, language: str, timezone: ZoneInfo = VIETNAM_TIMEZONE) -> str:
    """Format a deadline as the local instant it falls before, e.g. "trước 17:00 thứ Sáu, 04/12/2026"."""
    code = _language_code(language)
    return f"{DEADLINE_PREFIXES[code]} {format_datetime(at, code, timezone)}"


def _language_code(language: str) -> str:
    """Return the supported language for a tag such as "en", "en-US" or "vi_VN", Vietnamese by default."""
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in WEEKDAY_NAMES else DEFAULT_LANGUAGE


def _to_local(at: datetime, timezone: ZoneInfo) -> datetime:
    """Convert an aware datetime to local time, refusing naive ones whose instant is unknown."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"cannot show a naive datetime to people: {at!r}")
    return at.astimezone(timezone)
