"""Typed, signed callback data for inline buttons: forged or tampered presses are recognised.

Each button family is a frozen dataclass with typed fields and a short prefix, in the spirit of aiogram's
`CallbackData`::

    @dataclass(frozen=True)
    class CardPress(CallbackData, prefix="o"):
        action: CardAction
        item_id: int
        version: int

    data = signer.pack(CardPress(CardAction.CLAIM, item.id, item.state_version))   # "o|claim|12|3|<tag>"
    press = signer.unpack(query.data, CardPress)                                    # CardPress or None

The signature covers the whole text and is checked before any field is read; the 64-byte limit of
Telegram is checked when a button is made, so an oversized button fails in tests, not in a chat.
Fields may be `int` (not negative), `bool`, `str` (without "|") or a `StrEnum`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import typing
from dataclasses import fields
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

MAX_CALLBACK_BYTES = 64
SEPARATOR = "|"

Data = TypeVar("Data", bound="CallbackData")


class CallbackData:
    """The base of every button family; subclass it as a frozen dataclass with `prefix="…"`."""

    prefix: ClassVar[str]
    families: ClassVar[dict[str, type[CallbackData]]] = {}

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEPARATOR in prefix:
            raise ValueError(f"a callback prefix must be non-empty and free of {SEPARATOR!r}: {prefix!r}")
        if prefix in CallbackData.families:
            raise ValueError(f"two button families share the prefix {prefix!r}")
        cls.prefix = prefix
        CallbackData.families[prefix] = cls

    @classmethod
    def pattern(cls, *leading: Any) -> re.Pattern[str]:
        """Return the pattern a CallbackQueryHandler uses to route this family's presses.

        `leading` narrows it to presses whose first fields have these values (`MenuPress.pattern(MenuChoice.NEW)`).
        """
        parts = [cls.prefix, *(encode_field(value) for value in leading)]
        return re.compile("^" + "".join(re.escape(part) + re.escape(SEPARATOR) for part in parts))

    def encoded_fields(self) -> list[str]:
        """Return the fields as text, in declaration order."""
        return [encode_field(getattr(self, field.name)) for field in fields(self)]  # type: ignore[arg-type]

    @classmethod
    def from_text(cls: type[Data], parts: list[str]) -> Data | None:
        """Build the data from its text fields, or return None if any field is not of its type."""
        declared = _field_types(cls)  # type: ignore[arg-type]
        if len(parts) != len(declared):
            return None
        values: list[Any] = []
        for kind, part in zip(declared, parts, strict=True):
            value = decode_field(kind, part)
            if value is None:
                return None
            values.append(value)
        return cls(*values)


@functools.cache
def _field_types(family: type[CallbackData]) -> tuple[Any, ...]:
    """Return a family's field types in declaration order (resolved once: every press reads them)."""
    hints = typing.get_type_hints(family)
    return tuple(hints[field.name] for field in fields(family))  # type: ignore[arg-type]


def encode_field(value: Any) -> str:
    """Return one field as text."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"callback integers may not be negative: {value}")
        return str(value)
    text = str(value.value if isinstance(value, StrEnum) else value)
    if SEPARATOR in text:
        raise ValueError(f"callback fields may not contain {SEPARATOR!r}: {text!r}")
    return text


def decode_field(kind: Any, text: str) -> Any:
    """Return one field read back as its declared type, or None if the text is not of that type."""
    if kind is bool:
        return {"1": True, "0": False}.get(text)
    if kind is int:
        return int(text) if text.isascii() and text.isdigit() else None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(text)
        except ValueError:
            return None
    if kind is str:
        return text
    raise TypeError(f"unsupported callback field type: {kind!r}")


class CallbackSigner:
    """Sign and verify callback data with a secret derived from the bot token (stable across restarts)."""

    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"pakn-callback:" + secret).digest()

    def pack(self, data: CallbackData) -> str:
        """Return the signed callback data of a button; raise ValueError past Telegram's 64 bytes."""
        body = SEPARATOR.join((data.prefix, *data.encoded_fields()))
        return self._signed(body)

    def unpack(self, raw: str | None, family: type[Data]) -> Data | None:
        """Return the press if it is signed by us and of this family with well-typed fields, else None."""
        body = self._verified_body(raw)
        if body is None:
            return None
        prefix, *parts = body.split(SEPARATOR)
        if prefix != family.prefix:
            return None
        return family.from_text(parts)

    def is_signed(self, raw: str | None) -> bool:
        """Tell whether data carries our signature, whatever its layout (a button of an older version)."""
        return self._verified_body(raw) is not None

    def _signed(self, body: str) -> str:
        data = f"{body}{SEPARATOR}{self._tag(body)}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    def _verified_body(self, data: str | None) -> str | None:
        if not data:
            return None
        body, _, tag = data.rpartition(SEPARATOR)
        if not body or not hmac.compare_digest(tag.encode(), self._tag(body).encode()):
            return None
        return body

    def _tag(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:8]).decode().rstrip("=")
