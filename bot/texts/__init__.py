"""All user-facing text: one catalogue per language, Vietnamese first; `text()` looks keys up."""

from __future__ import annotations

import string
from typing import Any

from bot.texts import en, vi

CATALOGUES: dict[str, dict[str, str]] = {"vi": vi.TEXTS, "en": en.TEXTS}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "vi"


class _CatalogueFormatter(string.Formatter):
    """str.format plus a plural field: "{count:p/item/items}" reads "item" for exactly one, else "items"."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("p/"):
            singular, _, plural = format_spec[2:].partition("/")
            return singular if value == 1 else plural
        return str(super().format_field(value, format_spec))


_FORMATTER = _CatalogueFormatter()


def text(language: str | None, key: str, /, **values: Any) -> str:
    """Return the text for a key in the reader's language (Vietnamese when unknown), filled in."""
    catalogue = CATALOGUES.get(language or DEFAULT_LANGUAGE, vi.TEXTS)
    template = catalogue.get(key) or vi.TEXTS[key]
    return _FORMATTER.format(template, **values) if values else template


def language_of(telegram_language_code: str | None) -> str:
    """Pick a catalogue from a Telegram language code; Vietnamese unless English was asked for."""
    return "en" if (telegram_language_code or "").lower().startswith("en") else DEFAULT_LANGUAGE
