"""Mask personal data in logs (Personal Data Protection Law 91/2025/QH15): phone numbers never reach a log."""

from __future__ import annotations

import logging
import re

PHONE_PATTERN = re.compile(r"(?<![\d])(\+?84|0)(\d[\s.-]?){8,10}(?![\d])")


def mask_phone_numbers(message: str) -> str:
    """Replace every Vietnamese phone number with its last three digits only (0*******123)."""

    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "*" * (len(digits) - 3) + digits[-3:]

    return PHONE_PATTERN.sub(masked, message)


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks phone numbers in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with phone numbers masked."""
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = mask_phone_numbers(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_masking() -> None:
    """Attach the masking filter to every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, PersonalDataFilter) for existing in handler.filters):
            handler.addFilter(PersonalDataFilter())
