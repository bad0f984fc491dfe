"""Outgoing messages, queued in the same transaction as the change that caused them (DESIGN §11)."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Insert, delete, event, exists
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import OutboxFile, OutboxMessage, OutboxStatus

# How far Telegram's date of a copy may lie outside the time its outbox row was being sent (clock skew,
# whole seconds): a copy can only come from a call made while the row was pending.
COPY_SLACK = timedelta(seconds=30)
MAX_COPY_CANDIDATES = 50
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")

MediaType = Literal["photo", "document", "voice", "video", "audio", "video_note", "animation"]
UploadType = Literal["photo", "document"]
# Bot API upload limits: a photo up to 10 MB, any other file up to 50 MB.
UPLOAD_LIMITS: dict[str, int] = {"photo": 10 * 1024 * 1024, "document": 50 * 1024 * 1024}
# A generated file is kept this long after it was made, then deleted once no pending message uploads it
# (a report can always be made again for its period).
GENERATED_FILE_RETENTION = timedelta(days=7)


@dataclass(frozen=True)
class QueuedMessage:
    """A message queued in this transaction: its chat, its Bot API method and what it sends."""

    chat_id: int
    method: str
    payload: dict[str, Any]


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
        self.queued: list[QueuedMessage] = []

    def send(
        self,
        chat_id: int,
        message: Message,
        *,
        item_id: int | None = None,
        purpose: str | None = None,
        purpose_data: dict[str, Any] | None = None,
    ) -> QueuedMessage:
        """Queue a text message; `purpose` records what a reply to it, or a press on it, means."""
        return self._queue(chat_id, "send_message", message.as_payload(), item_id, purpose, purpose_data)

    def edit(self, chat_id: int, target: ReplyTarget | int, message: Message) -> QueuedMessage:
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
    ) -> QueuedMessage:
        """Queue a photo, document, voice note or video by Telegram file_id."""
        payload = {
            "media_type": media_type,
            "file_id": file_id,
            "caption": caption,
            "reply_to": reply_to.as_payload() if reply_to else None,
        }
        return self._queue(chat_id, "send_media", payload, item_id, purpose, purpose_data)

    async def send_file(
        self,
        chat_id: int,
        *,
        media_type: UploadType,
        file_name: str,
        content_type: str,
        content: bytes,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> QueuedMessage:
        """Queue an upload of generated bytes (a chart, a workbook); they are stored, so retries resend them."""
        if len(content) > UPLOAD_LIMITS[media_type]:
            raise ValueError(f"a {media_type} upload holds at most {UPLOAD_LIMITS[media_type]} bytes")
        stored = OutboxFile(
            file_name=file_name,
            content_type=content_type,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=self._now,
        )
        self._session.add(stored)
        await self._session.flush()
        payload = {
            "media_type": media_type,
            "file_ref": stored.id,
            "file_name": file_name,
            "caption": caption,
            "reply_to_message_id": reply_to_message_id,
        }
        return self._queue(chat_id, "send_file", payload, None, None, None)

    def send_location(
        self,
        chat_id: int,
        *,
        latitude: float,
        longitude: float,
        reply_to: ReplyTarget | None = None,
        item_id: int | None = None,
    ) -> QueuedMessage:
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
    ) -> QueuedMessage:
        row = {
            "chat_id": chat_id,
            "method": method,
            "payload": payload,
            "item_id": item_id,
            "purpose": purpose,
            "purpose_data": purpose_data or {},
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "available_at": self._now,
            "created_at": self._now,
        }
        self._session.info.setdefault(_UNWRITTEN_ROWS, []).append(row)
        queued = QueuedMessage(chat_id, method, payload)
        self.queued.append(queued)
        return queued


# Queued rows are written in one INSERT, without ORM objects (a message is queued for nearly every
# update): before the session's next statement, so a query in the same transaction sees them as it
# would see added objects, and at the latest when it commits. A rollback, or a close without a
# commit, forgets them.
_UNWRITTEN_ROWS = "pakn_outbox_unwritten"


def _insert_rows() -> Insert:
    return OutboxMessage.__table__.insert()  # type: ignore[attr-defined]


def _write_queued_rows(session: Session) -> None:
    rows = session.info.pop(_UNWRITTEN_ROWS, None)
    if rows:
        session.connection().execute(_insert_rows(), rows)


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    _write_queued_rows(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _write_queued_rows(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed without a commit (a commit wrote them)
        session.info.pop(_UNWRITTEN_ROWS, None)


def visible_text(markup: str) -> str:
    """Return HTML text as a chat shows it (tags dropped, entities decoded, spaces collapsed)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", markup))).strip()


async def find_sent_copy(
    session: AsyncSession, *, chat_id: int, text: str, posted_at: datetime
) -> OutboxMessage | None:
    """Return the sent outbox row that a message with this text and date in the chat is a copy of.

    A copy comes from a resend after a lost answer: same chat, same text, posted while its row was
    being sent. Rows sent without a purpose are skipped: nobody replies to them.
    """
    wanted = _SPACE.sub(" ", text).strip()
    if not wanted:
        return None
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.status == OutboxStatus.SENT,
            col(OutboxMessage.purpose).is_not(None),
            col(OutboxMessage.created_at) <= posted_at + COPY_SLACK,
            col(OutboxMessage.sent_at) >= posted_at - COPY_SLACK,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(MAX_COPY_CANDIDATES)
    )
    for row in (await session.exec(statement)).all():
        sent = visible_text(str(row.payload.get("text") or row.payload.get("caption") or ""))
        if sent and (sent == wanted or wanted in sent):  # a long text may have gone in several parts
            return row
    return None


async def purge_generated_files(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete generated files made before an instant that no pending message still uploads; return how many."""
    file_ref = OutboxMessage.__table__.c.payload["file_ref"].as_integer()  # type: ignore[attr-defined]
    still_needed = exists().where(
        col(OutboxMessage.status) == OutboxStatus.PENDING,
        col(OutboxMessage.method) == "send_file",
        file_ref == col(OutboxFile.id),
    )
    result = await session.exec(
        delete(OutboxFile).where(col(OutboxFile.created_at) < older_than, ~still_needed)
    )
    return int(getattr(result, "rowcount", 0) or 0)
