"""The inbox table's statements: store a raw update once, claim it in order per chat, park and retry it.

No Telegram here: a raw update is a JSON object, and only its `update_id` and chat matter. The inbox
processor (`bot/inbox.py`) decides when these run; this module says what they do to the rows.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import and_, bindparam, literal, null, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.db import dialect_name
from models.personal_text import clean_json
from models.tables import InboxUpdate

BIGINT_RANGE = range(-(2**63), 2**63)


def telegram_id(value: Any) -> int | None:
    """Return an id that fits the database's 64-bit columns, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and value in BIGINT_RANGE:
        return value
    return None


def chat_id_of(payload: dict[str, Any]) -> int | None:
    """Find the chat an update belongs to, so one chat's updates are handled in order."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "chat_member"):
        if isinstance(payload.get(key), dict):
            chat = payload[key].get("chat")
            return telegram_id(chat.get("id")) if isinstance(chat, dict) else None
    callback = payload.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and telegram_id(chat.get("id")) is not None:
            return telegram_id(chat.get("id"))
        sender = callback.get("from")
        return telegram_id(sender.get("id")) if isinstance(sender, dict) else None
    return None


def private_sender_of(payload: dict[str, Any]) -> int | None:
    """Return the sender of an update from a private chat with the bot, or None for any other update.

    That is a message, an edit, a press or a block/unblock whose chat is `private` and whose id is the
    sender's, as Telegram gives every private chat.
    """
    for key in ("message", "edited_message", "my_chat_member", "callback_query"):
        event = payload.get(key)
        if not isinstance(event, dict):
            continue
        holder = event.get("message") if key == "callback_query" else event
        chat = holder.get("chat") if isinstance(holder, dict) else None
        sender = event.get("from")
        if not isinstance(chat, dict) or not isinstance(sender, dict) or chat.get("type") != "private":
            return None
        sender_id = telegram_id(sender.get("id"))
        return sender_id if sender_id is not None and telegram_id(chat.get("id")) == sender_id else None
    return None


def handled_payload(update_id: int) -> dict[str, Any]:
    """Return what is kept of a raw update once it is handled: its id only, to recognise redeliveries."""
    return {"update_id": update_id}


async def store_update(session: AsyncSession, payload: dict[str, Any], now: Any) -> bool:
    """Store a raw update unless its update_id is known; return True when it was new.

    Control characters are removed from every string first (this is the edge every free text crosses):
    PostgreSQL refuses NUL in text, and the others have no place in a petition or a log line.
    """
    return await store_raw_update(session, payload, now) is not None


async def store_raw_update(session: AsyncSession, payload: dict[str, Any], now: Any) -> dict[str, Any] | None:
    """Store a raw update unless its update_id is known; return the JSON stored, or None if known."""
    payload = clean_json(payload)
    params = {
        "stored_update_id": valid_update_id(payload),
        "stored_chat_id": chat_id_of(payload),
        "stored_payload": payload,
        "now": now,
    }
    result = await session.exec(store_pending_statement(dialect_name(session)), params=params)
    return payload if getattr(result, "rowcount", 0) else None


@functools.cache
def store_pending_statement(dialect: str) -> Any:
    """Build (once) INSERT of a pending update … ON CONFLICT DO NOTHING: it runs for every stored update."""
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(table)
        .values(
            update_id=bindparam("stored_update_id", type_=table.c.update_id.type),
            chat_id=bindparam("stored_chat_id", type_=table.c.chat_id.type),
            payload=bindparam("stored_payload", type_=table.c.payload.type),
            received_at=bindparam("now", type_=table.c.received_at.type),
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
    )


def valid_update_id(payload: dict[str, Any]) -> int:
    """Return the update's id; raise ValueError unless it is a non-negative 64-bit integer."""
    update_id = telegram_id(payload.get("update_id"))
    if update_id is None or update_id < 0:
        raise ValueError("an update needs a non-negative 64-bit integer update_id")
    return update_id


@functools.cache
def claim_statements(*, locking: bool) -> tuple[Any, Any]:
    """Build the claim's two statements once (they run for every update): read, and mark handled.

    Both take the update only if it is pending and no older update of its chat is. On PostgreSQL the
    row is locked with SKIP LOCKED, so an update another instance has in hand is left to it.
    """
    table = InboxUpdate.__table__  # type: ignore[attr-defined]

    def is_claimable(rows: Any) -> Any:
        earlier = table.alias("earlier")
        return and_(
            rows.c.update_id == bindparam("claimed_update_id"),
            rows.c.processed_at.is_(None),
            ~select(earlier.c.update_id)
            .where(
                earlier.c.processed_at.is_(None),
                earlier.c.chat_id == rows.c.chat_id,
                earlier.c.update_id < rows.c.update_id,
            )
            .exists(),
        )

    select_payload = select(table.c.payload).where(is_claimable(table))
    condition = is_claimable(table)
    if locking:
        select_payload = select_payload.with_for_update(skip_locked=True, of=table)
        # the UPDATE takes only a row no other instance holds (a plain UPDATE would wait for it)
        pending = table.alias("pending")
        claimable = select(pending.c.update_id).where(is_claimable(pending)).with_for_update(skip_locked=True)
        condition = table.c.update_id.in_(claimable.scalar_subquery())
    mark_handled = (
        update(table)
        .where(condition)
        .values(
            processed_at=bindparam("now", type_=table.c.processed_at.type),
            attempts=table.c.attempts + 1,
            payload=bindparam("handled", type_=table.c.payload.type),
            chat_id=None,
        )
    )
    return select_payload, mark_handled


@functools.cache
def store_handled_statement(dialect: str) -> Any:
    """Build (once) INSERT … SELECT … WHERE the chat has no pending update, ON CONFLICT DO NOTHING."""
    return store_handled_insert(dialect)


def store_handled_insert(dialect: str) -> Any:
    """Build the INSERT that stores an arrival as handled (also a CTE of `private_arrival`'s statement)."""
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    pending = table.alias("pending")
    now = bindparam("now", type_=table.c.received_at.type)
    row = select_columns(
        bindparam("arrived_update_id", type_=table.c.update_id.type),
        null(),
        bindparam("handled", type_=table.c.payload.type),
        now,
        now,
        literal(1),
    ).where(
        ~select(pending.c.update_id)
        .where(pending.c.processed_at.is_(None), pending.c.chat_id == bindparam("arrived_chat_id"))
        .exists()
    )
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    columns = ["update_id", "chat_id", "payload", "received_at", "processed_at", "attempts"]
    return insert(table).from_select(columns, row).on_conflict_do_nothing(index_elements=["update_id"])


async def parked_updates(session: AsyncSession, *, limit: int = 100) -> list[InboxUpdate]:
    """Return parked updates, newest first."""
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.failed_at).is_not(None))
        .order_by(col(InboxUpdate.failed_at).desc(), col(InboxUpdate.update_id).desc())
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def retry_parked(session: AsyncSession, update_id: int) -> bool:
    """Put a parked update back in the queue with fresh attempts; False if no such parked update."""
    row = await session.get(InboxUpdate, update_id)
    if row is None or row.failed_at is None:
        return False
    row.processed_at = None
    row.failed_at = None
    row.attempts = 0
    return True
