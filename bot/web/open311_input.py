"""Open311 input: the POST requests form and the list query, checked field by field.

Every wrong field is an ApiError naming the field, so a channel's developer sees at once what to fix;
nothing is written before the whole form has passed.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.services import Services
from bot.texts import text
from bot.web.open311_output import ApiError
from models.submission import Submission
from models.tables import ItemKind

MAX_SPAN = timedelta(days=90)
MAX_FIELD_CHARS = 200
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}


async def read_form(request: web.Request, limit: int) -> dict[str, str]:
    """Read a urlencoded body of at most `limit` bytes into a dict (the last of repeated fields wins)."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"request body larger than {limit} bytes")
    body = await request.content.read(limit + 1)
    if len(body) > limit:
        raise ApiError(413, f"request body larger than {limit} bytes")
    content_type = request.content_type
    if body and content_type not in {"application/x-www-form-urlencoded", "application/octet-stream"}:
        raise ApiError(400, "send the request as application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=100
        )
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the body is not UTF-8 form data") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        if "\x00" in value or "\x00" in key:
            raise ApiError(400, f"{key[:40]} contains a NUL character")
        form[key] = value
    return form


def _flag(form: dict[str, str], name: str) -> bool:
    raw = form.get(f"attribute[{name}]", "").strip().lower()
    if raw in TRUE_VALUES:
        return True
    if raw in FALSE_VALUES:
        return False
    raise ApiError(400, f"attribute[{name}] must be true or false")


def _short(form: dict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    if len(value) > MAX_FIELD_CHARS:
        raise ApiError(400, f"{name} is longer than {MAX_FIELD_CHARS} characters")
    return value or None


def _coordinate(form: dict[str, str], name: str, bound: float) -> float | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a decimal number") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise ApiError(400, f"{name} is out of range")
    return value


def parse_submission(form: dict[str, str], services: Services, channel: str) -> Submission:
    """Validate a POST requests form and turn it into the same Submission a Telegram citizen makes."""
    directory = services.directory
    settings = services.settings
    service_code = form.get("service_code", "").strip()
    if not service_code:
        raise ApiError(400, "service_code is required")
    if service_code not in directory.categories_by_code:
        raise ApiError(404, f"service_code {service_code[:40]!r} not found")
    description = form.get("description", "").strip()
    address = _short(form, "address_string")
    if not settings.description_min_chars <= len(description) <= settings.description_max_chars:
        raise ApiError(
            400,
            f"description must be {settings.description_min_chars}-{settings.description_max_chars} characters",
        )
    kind_value = form.get("attribute[kind]", ItemKind.FEEDBACK.value).strip() or ItemKind.FEEDBACK.value
    if kind_value not in {kind.value for kind in ItemKind}:
        raise ApiError(400, "attribute[kind] must be feedback or petition")
    locality = form.get("attribute[locality]", "").strip() or None
    if locality is not None and locality not in directory.localities_by_code:
        raise ApiError(400, f"attribute[locality] {locality[:40]!r} is not a locality code")
    latitude = _coordinate(form, "lat", 90.0)
    longitude = _coordinate(form, "long", 180.0)
    if (latitude is None) != (longitude is None):
        raise ApiError(400, "lat and long go together")
    has_consent = _flag(form, "consent")
    is_publication_allowed = _flag(form, "publication")
    first, last = _short(form, "first_name"), _short(form, "last_name")
    phone, email = _short(form, "phone"), _short(form, "email")
    if email is not None and ("@" not in email or any(character.isspace() for character in email)):
        raise ApiError(400, "email is not an e-mail address")
    if (
        phone is not None
        and not phone.replace(" ", "").replace(".", "").replace("-", "").lstrip("+").isdigit()
    ):
        raise ApiError(400, "phone may hold only digits, spaces, dots, dashes and a leading +")
    name = " ".join(part for part in (first, last) if part) or None
    if address:
        description = f"{description}\n{address}"[: settings.description_max_chars]
    return Submission(
        citizen_telegram_user_id=None,
        kind=ItemKind(kind_value),
        category_code=service_code,
        text=description,
        locality_code=locality,
        latitude=latitude,
        longitude=longitude,
        # Contact details are kept only when the channel states the sender's consent (DESIGN §10).
        contact_phone=phone if has_consent else None,
        contact_name=name if has_consent else None,
        contact_email=email if has_consent else None,
        contact_consent_wording=text(settings.default_language, "open311.consent_wording", channel=channel)
        if has_consent and (phone or name or email)
        else None,
        language=settings.default_language,
        channel=channel,
        is_publication_allowed=is_publication_allowed,
    )


# --- the list query ------------------------------------------------------------------------------


def _instant(raw: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise ApiError(400, f"{name} must be a W3C date-time such as 2026-12-01T00:00:00+07:00") from None
    if value.tzinfo is None:
        raise ApiError(400, f"{name} needs a time zone (Z or +07:00)")
    return value


def whole_number(raw: str | None, name: str, default: int, lowest: int, highest: int) -> int:
    """Read an optional query number within [lowest, highest]."""
    if raw is None or raw.strip() == "":
        return default
    if not raw.strip().isdigit() or not lowest <= int(raw) <= highest:
        raise ApiError(400, f"{name} must be a whole number from {lowest} to {highest}")
    return int(raw)


def date_range(query: Any, now: datetime) -> tuple[datetime, datetime]:
    """Read start_date/end_date: a missing one is 90 days from the other; with neither, the last 90 days."""
    start = _instant(query["start_date"], "start_date") if query.get("start_date") else None
    end = _instant(query["end_date"], "end_date") if query.get("end_date") else None
    if start is None and end is None:
        end = now
    if start is None:
        start = (end if end is not None else now) - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise ApiError(400, "end_date is before start_date")
    if end - start > MAX_SPAN:
        raise ApiError(400, "start_date and end_date may not span more than 90 days")
    return start, end
