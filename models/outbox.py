"""Outgoing messages, queued in the same transaction as the change that caused them (DESIGN §11)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import OutboxMessage, OutboxStatus

MediaType = Literal["photo", "document", "voice", "video", "audio", "video_note", "animation"]


@dataclass(frozen=True)
class Button:
    """An inline button: a label and its (signed) callback data, or a URL."""

    label: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ReplyTarget:
    """A message to reply to or edit, found at delivery time by what it was posted for."""

    purpose: str
    item_id: int | None = None
    key: str | None = None  # narrows the purpose, e.g. a consultation id

    def as_payload(self) -> dict[str, Any]:
        """Return the JSON form stored in the outbox."""
        return {"purpose": self.purpose, "item_id": self.item_id, "key": self.key}


@dataclass
class Message:
    """A message to send, independent of Telegram's API."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None  # {"text", "request_contact"/"request_location"}
    remove_keyboard: bool = False
    force_reply: bool = False
    reply_to_message_id: int | None = None
    reply_to: ReplyTarget | None = None

    def as_payload(self) -> dict[str, Any]:
        """Return the JSON form stored in the outbox."""
        return {
            "text": self.text,
            "buttons": [
                [{"label": b.label, "callback_data": b.callback_data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "reply_keyboard": self.reply_keyboard,
            "remove_keyboard": self.remove_keyboard,
            "force_reply": self.force_reply,
            "reply_to_message_id": self.reply_to_message_id,
            "reply_to": self.reply_to.as_payload() if self.reply_to else None,
        }


class Outbox:
    """Queue messages on the caller's session; a delivery worker sends them in order per chat."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self._session = session
        self._now = now
        self.queued: list[OutboxMessage] = []

    def send(
        self,
        chat_id: int,
        message: Message,
        *,
        item_id: int | None = None,
        purpose: str | None = None,
        purpose_data: dict[str, Any] | None = None,
    ) -> OutboxMessage:
        """Queue a text message; `purpose` records what a reply to it, or a press on it, means."""
        return self._queue(chat_id, "send_message", message.as_payload(), item_id, purpose, purpose_data)

    def edit(self, chat_id: int, target: ReplyTarget | int, message: Message) -> OutboxMessage:
        """Queue an edit of an earlier message (by message id, or by what it was posted for)."""
        payload = message.as_payload()
        payload["target"] = target if isinstance(target, int) else target.as_payload()
        item_id = None if isinstance(target, int) else target.item_id
        purpose = None if isinstance(target, int) else target.purpose
        purpose_data = None if isinstance(target, int) or target.key is None else {"key": target.key}
        # the purpose registers the message again if the edit has to fall back to a fresh send
        return self._queue(chat_id, "edit_message", payload, item_id, purpose, purpose_data)

    def send_media(
        self,
        chat_id: int,
        *,
        media_type: str,
        file_id: str,
        caption: str | None = None,
        reply_to: ReplyTarget | None = None,
        item_id: int | None = None,
        purpose: str | None = None,
        purpose_data: dict[str, Any] | None = None,
    ) -> OutboxMessage:
        """Queue a photo, document, voice note or video by Telegram file_id."""
        payload = {
            "media_type": media_type,
            "file_id": file_id,
            "caption": caption,
            "reply_to": reply_to.as_payload() if reply_to else None,
        }
        return self._queue(chat_id, "send_media", payload, item_id, purpose, purpose_data)

    def send_location(
        self,
        chat_id: int,
        *,
        latitude: float,
        longitude: float,
        reply_to: ReplyTarget | None = None,
        item_id: int | None = None,
    ) -> OutboxMessage:
        """Queue a map pin."""
        payload = {
            "latitude": latitude,
            "longitude": longitude,
            "reply_to": reply_to.as_payload() if reply_to else None,
        }
        return self._queue(chat_id, "send_location", payload, item_id, None, None)

    def _queue(
        self,
        chat_id: int,
        method: str,
        payload: dict[str, Any],
        item_id: int | None,
        purpose: str | None,
        purpose_data: dict[str, Any] | None,
    ) -> OutboxMessage:
        row = OutboxMessage(
            chat_id=chat_id,
            method=method,
            payload=payload,
            item_id=item_id,
            purpose=purpose,
            purpose_data=purpose_data or {},
            status=OutboxStatus.PENDING,
            available_at=self._now,
            created_at=self._now,
        )
        self._session.add(row)
        self.queued.append(row)
        return row
