"""Mask personal data in logs (Personal Data Protection Law 91/2025/QH15): no phone number, name or token.

Phone numbers and e-mail addresses are masked wherever they appear. Names and free text are masked where
they appear as the fields Telegram and this project use for them (first_name, contact_name, text,
caption, … in dicts, JSON and object reprs), and so are coordinates. The bot token, which the HTTP client
puts in every request URL it logs, is masked too. The same masks apply at every level: python-telegram-bot
logs whole updates and requests at DEBUG. DEBUG is still meant for development only.
"""

from __future__ import annotations

import logging
import re

from models.personal_text import EMAIL_ADDRESS, PHONE_NUMBER

PHONE_PATTERN = PHONE_NUMBER
NAME_FIELDS = (
    "first_name",
    "last_name",
    "username",
    "full_name",
    "display_name",
    "contact_name",
    "actor_name",
    "claimed_by_name",
    # free text people type, and what Telegram attaches to it
    "text",
    "caption",
    "question",
    "answer",
    "comment",
    "phone_number",
    "vcard",
    "address",
    "email",
)
NAME_PATTERN = re.compile(
    r"""(?P<key>["']?\b(?:""" + "|".join(NAME_FIELDS) + r""")\b["']?\s*[:=]\s*)"""
    r"""(?P<quote>["'])(?P<value>(?:\\.|(?!(?P=quote)).)*)(?P=quote)"""
)
COORDINATE_PATTERN = re.compile(
    r"""(?P<key>["']?\b(?:latitude|longitude)\b["']?\s*[:=]\s*)(?P<value>-?\d+(?:\.\d+)?)"""
)
TOKEN_PATTERN = re.compile(r"\b(bot)?\d{5,}:[A-Za-z0-9_-]{30,}")
MASK = "***"
# Database drivers that log each statement with its bound values at DEBUG (SQLAlchemy's own logging is
# covered by hide_parameters on the engine): their records keep the call, never the values.
# PostgreSQL puts the offending values in an error's DETAIL, which hide_parameters does not cover.
FAILING_ROW_PATTERN = re.compile(r"Failing row contains \(.*?(?=\n\[SQL|\n\(Background|\Z)", re.DOTALL)
KEY_VALUE_PATTERN = re.compile(r"Key \((?P<columns>[^)]*)\)=\((?:[^()]|\([^()]*\))*\)")
PARAMETER_LOGGERS = ("aiosqlite", "asyncpg")
DRIVER_CALL_PATTERN = re.compile(r"(?P<call>partial\(<[^>]*>).*", re.DOTALL)


def mask_phone_numbers(message: str) -> str:
    """Replace every Vietnamese phone number with its last three digits only (0*******123)."""

    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "*" * (len(digits) - 3) + digits[-3:]

    return PHONE_PATTERN.sub(masked, message)


def mask_names(message: str) -> str:
    """Replace the value of every name or text field (first_name='Lan', "text": "…") with ***."""
    message = NAME_PATTERN.sub(lambda match: f"{match['key']}{match['quote']}{MASK}{match['quote']}", message)
    return COORDINATE_PATTERN.sub(lambda match: f"{match['key']}{MASK}", message)


def mask_database_details(message: str) -> str:
    """Replace the values PostgreSQL quotes in an error's DETAIL ("Failing row contains (…)", "Key (…)=(…)")."""
    message = FAILING_ROW_PATTERN.sub(f"Failing row contains ({MASK})", message)
    return KEY_VALUE_PATTERN.sub(lambda match: f"Key ({match['columns']})=({MASK})", message)


def mask_email_addresses(message: str) -> str:
    """Replace every e-mail address with ***."""
    return EMAIL_ADDRESS.sub(MASK, message)


def mask_tokens(message: str) -> str:
    """Replace a bot token (123456:ABC…) with its bot id only."""
    return TOKEN_PATTERN.sub(lambda match: match.group(0).split(":", 1)[0] + ":" + MASK, message)


def mask_personal_data(message: str) -> str:
    """Apply every mask to a log line."""
    return mask_phone_numbers(mask_email_addresses(mask_names(mask_database_details(mask_tokens(message)))))


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks personal data in the message and in the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (and formatted exception) with personal data masked."""
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = mask_personal_data(message)
        if record.name.startswith(PARAMETER_LOGGERS):
            cleaned = DRIVER_CALL_PATTERN.sub(lambda match: f"{match['call']}, parameters hidden)", cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


def install_log_masking(logger: logging.Logger | None = None) -> None:
    """Attach the masking filter to every handler of a logger (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(existing, PersonalDataFilter) for existing in handler.filters):
            handler.addFilter(PersonalDataFilter())
