"""Free text as people type it: control characters removed at the edge, personal data masked on erasure.

Pure functions over strings and JSON-like values; nothing here knows about Telegram or the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# C0 and C1 control characters and DEL, except tab, line feed and carriage return (people type those).
# PostgreSQL refuses U+0000 in text outright; the others corrupt logs and messages.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PHONE_NUMBER = re.compile(r"(?<![\d])(\+?84|0)(?:[\s.-]?\d){8,10}(?![\d])")
PHONE_NUMBER_IN_TEXT = re.compile(r"(?<![\d.,])(\+?84|0)(?:[\s.-]?\d){8,10}(?![\d]|[.,]\d)")  # not in amounts
INTERNATIONAL_PHONE_NUMBER = re.compile(r"\+84(?:[\s.-]?\d){8,10}(?![\d])")
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Citizen identity card (CCCD, 12 digits), old identity card (CMND, 9 digits), optionally spaced in threes.
# Not inside amounts ("1.000.000.000 đồng") or decimals: no dot or comma joins it to other digits.
IDENTITY_NUMBER = re.compile(r"(?<![\d.,])\d{3} ?\d{3} ?\d{3}(?: ?\d{3})?(?!\d|[.,]\d)")
MASKED = "***"


def without_control_characters(value: str) -> str:
    """Replace each control character with a space (keeps Telegram's entity offsets valid)."""
    return CONTROL_CHARACTERS.sub(" ", value)


def clean_json(value: Any) -> Any:
    """Return a JSON-like value with control characters removed from every string in it (keys too)."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {clean_json(key): clean_json(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [clean_json(inner) for inner in value]
    return value


def mask_personal_text(value: str, known_values: Iterable[str] = ()) -> str:
    """Mask phone numbers, e-mail addresses, identity numbers and known personal values in free text."""
    for known in sorted(
        {known for known in known_values if known and len(known) >= 2}, key=len, reverse=True
    ):
        value = re.sub(rf"(?<!\w){re.escape(known)}(?!\w)", MASKED, value)
    value = EMAIL_ADDRESS.sub(MASKED, value)
    value = INTERNATIONAL_PHONE_NUMBER.sub(MASKED, value)  # before identity numbers: +84 912 345 678
    value = IDENTITY_NUMBER.sub(MASKED, value)  # before phone numbers: 001 088 012 345 starts with 0
    return PHONE_NUMBER_IN_TEXT.sub(MASKED, value)


def mask_personal_json(
    value: Any, known_values: Iterable[str] = (), *, keys: frozenset[str] | None = None
) -> Any:
    """Return a JSON-like value with its strings masked (only those under `keys`, when given)."""
    known = tuple(known_values)
    if isinstance(value, str):
        return mask_personal_text(value, known) if keys is None else value
    if isinstance(value, dict):
        return {
            key: mask_personal_text(inner, known)
            if isinstance(inner, str) and (keys is None or key in keys)
            else mask_personal_json(inner, known, keys=keys)
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [mask_personal_json(inner, known, keys=keys) for inner in value]
    return value
