"""Short, signed callback data for inline buttons: forged or tampered presses are recognised."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
SEPARATOR = "|"


@dataclass(frozen=True)
class CallbackPress:
    """A verified button press: the action, the item (0 when none), the card version and one argument."""

    action: str
    item_id: int
    version: int
    argument: str


class CallbackSigner:
    """Sign and verify callback data with a secret derived from the bot token (stable across restarts)."""

    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"pakn-callback:" + secret).digest()

    def sign(self, action: str, item_id: int = 0, version: int = 0, argument: str = "") -> str:
        """Return callback data of at most 64 bytes for a button."""
        if SEPARATOR in action or SEPARATOR in argument:
            raise ValueError("callback parts may not contain '|'")
        body = SEPARATOR.join((action, str(item_id), str(version), argument))
        data = f"{body}{SEPARATOR}{self._tag(body)}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    def verify(self, data: str | None) -> CallbackPress | None:
        """Return the press if the data is well formed and signed by us, else None."""
        if not data:
            return None
        body, _, tag = data.rpartition(SEPARATOR)
        parts = body.split(SEPARATOR)
        if len(parts) != 4 or not hmac.compare_digest(tag.encode(), self._tag(body).encode()):
            return None
        action, item_id, version, argument = parts
        if not (item_id.isdigit() and version.isdigit()):
            return None
        return CallbackPress(action=action, item_id=int(item_id), version=int(version), argument=argument)

    def _tag(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:8]).decode().rstrip("=")
