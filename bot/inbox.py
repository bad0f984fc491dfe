"""The inbox: updates are stored before they are acknowledged, then handled once, in order per chat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application

from bot.context import UnitOfWork, current_unit_of_work, services_of
from bot.logging_privacy import mask_personal_data
from bot.texts import text
from models.db import dialect_name
from models.outbox import Message, Outbox
from models.personal_text import clean_json
from models.tables import Citizen, InboxUpdate

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BIGINT_RANGE = range(-(2**63), 2**63)


def _telegram_id(value: Any) -> int | None:
    """Return an id that fits the database's 64-bit columns, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and value in BIGINT_RANGE:
        return value
    return None


def chat_id_of(payload: dict[str, Any]) -> int | None:
    """Find the chat an update belongs to, so one chat's updates are handled in order."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "chat_member"):
        if isinstance(payload.get(key), dict):
            chat = payload[key].get("chat")
            return _telegram_id(chat.get("id")) if isinstance(chat, dict) else None
    callback = payload.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and _telegram_id(chat.get("id")) is not None:
            return _telegram_id(chat.get("id"))
        sender = callback.get("from")
        return _telegram_id(sender.get("id")) if isinstance(sender, dict) else None
    return None


def handled_payload(update_id: int) -> dict[str, Any]:
    """Return what is kept of a raw update once it is handled: its id only, to recognise redeliveries."""
    return {"update_id": update_id}


async def store_update(session: AsyncSession, payload: dict[str, Any], now: Any) -> bool:
    """Store a raw update unless its update_id is known; return True when it was new.

    Control characters are removed from every string first (this is the edge every free text crosses):
    PostgreSQL refuses NUL in text, and the others have no place in a petition or a log line.
    """
    payload = clean_json(payload)
    update_id = _telegram_id(payload.get("update_id"))
    if update_id is None or update_id < 0:
        raise ValueError("an update needs a non-negative 64-bit integer update_id")
    values = {
        "update_id": update_id,
        "chat_id": chat_id_of(payload),
        "payload": payload,
        "received_at": now,
        "attempts": 0,
    }
    dialect = dialect_name(session)
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(InboxUpdate).values(**values).on_conflict_do_nothing(index_elements=["update_id"])
    result = await session.exec(statement)
    return bool(getattr(result, "rowcount", 0))


class InboxProcessor:
    """Handle stored updates through the python-telegram-bot application, one transaction each."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application
        self._services = services_of(application)

    async def process_pending(
        self, *, limit: int = 200, should_stop: Callable[[], bool] | None = None
    ) -> int:
        """Handle up to `limit` waiting updates, one at a time until `should_stop()`; return how many."""
        settled = 0
        tried: set[int] = set()
        while settled < limit and not (should_stop is not None and should_stop()):
            update_id = await self._process_next(tried)
            if update_id is None:
                break
            tried.add(update_id)
            settled += 1
        if settled:
            self._services.outbox_wakeup.set()
        return settled

    async def _process_next(self, tried: set[int]) -> int | None:
        services = self._services
        now = services.clock.now()
        session = services.session_factory()
        try:
            async with session.begin():
                row = await self._claim_next(session, tried)
                if row is None:
                    return None
                update_id = row.update_id
                unit = UnitOfWork(session=session, now=now, outbox=Outbox(session, now))
                token = current_unit_of_work.set(unit)
                try:
                    update = Update.de_json(row.payload, self._application.bot)
                    await self._application.process_update(update)
                finally:
                    current_unit_of_work.reset(token)
                if unit.error is not None:
                    raise unit.error
                row.processed_at = now
                row.attempts += 1
                # the raw update held names, texts and the card an officer pressed: keep only its id
                row.payload = handled_payload(update_id)
                row.chat_id = None
                return update_id
        except Exception as error:  # the handler's changes are rolled back; record the failure
            if "update_id" not in locals():
                raise
            logger.error("Update %s failed: %s", update_id, error, exc_info=error)
            await self._record_failure(update_id, error)
            return update_id
        finally:
            await session.close()

    async def purge_processed(self, *, older_than: datetime) -> int:
        """Delete raw updates handled before an instant (they hold personal data); return how many.

        They are kept long enough to recognise every redelivery: Telegram keeps an update 24 hours.
        """
        async with self._services.session_factory() as session, session.begin():
            result = await session.exec(
                delete(InboxUpdate).where(
                    col(InboxUpdate.processed_at).is_not(None), col(InboxUpdate.processed_at) < older_than
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def _claim_next(self, session: AsyncSession, tried: set[int]) -> InboxUpdate | None:
        earlier = InboxUpdate.__table__.alias("earlier")  # type: ignore[attr-defined]
        statement = (
            select(InboxUpdate)
            .where(col(InboxUpdate.processed_at).is_(None))
            .where(col(InboxUpdate.update_id).not_in(tried) if tried else True)
            .where(
                ~select(earlier.c.update_id)
                .where(
                    earlier.c.processed_at.is_(None),
                    earlier.c.chat_id == InboxUpdate.chat_id,
                    earlier.c.update_id < InboxUpdate.update_id,
                )
                .exists()
            )
            .order_by(col(InboxUpdate.update_id))
            .limit(1)
        )
        if dialect_name(session) == "postgresql":
            statement = statement.with_for_update(skip_locked=True, of=InboxUpdate)
        return (await session.exec(statement)).first()

    async def _record_failure(self, update_id: int, error: BaseException) -> None:
        services = self._services
        now = services.clock.now()
        try:
            async with services.session_factory() as session, session.begin():
                row = await session.get(InboxUpdate, update_id)
                if row is None:
                    return
                row.attempts += 1
                row.last_error = mask_personal_data(f"{type(error).__name__}: {error}")[:2000]
                if row.attempts < MAX_ATTEMPTS:
                    return
                row.processed_at = now  # kept with its error for an administrator; not retried forever
                chat_id = row.chat_id
                if chat_id is not None:
                    language = services.settings.default_language
                    if chat_id > 0:
                        citizen = await session.get(Citizen, chat_id)
                        language = citizen.language if citizen else language
                    Outbox(session, now).send(chat_id, Message(text(language, "error.internal")))
        except SQLAlchemyError:
            logger.exception("Could not record the failure of update %s", update_id)
