"""The inbox: updates are stored before they are acknowledged, then handled once, in order per chat."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application

from bot.context import UnitOfWork, current_unit_of_work, services_of
from bot.texts import text
from models.db import dialect_name
from models.outbox import Message, Outbox
from models.tables import Citizen, InboxUpdate

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def chat_id_of(payload: dict[str, Any]) -> int | None:
    """Find the chat an update belongs to, so one chat's updates are handled in order."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "chat_member"):
        if isinstance(payload.get(key), dict):
            chat = payload[key].get("chat") or {}
            return chat.get("id") if isinstance(chat.get("id"), int) else None
    callback = payload.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        chat = message.get("chat") or {}
        if isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = callback.get("from") or {}
        return sender.get("id") if isinstance(sender.get("id"), int) else None
    return None


async def store_update(session: AsyncSession, payload: dict[str, Any], now: Any) -> bool:
    """Store a raw update unless its update_id is known; return True when it was new."""
    update_id = payload.get("update_id")
    if not isinstance(update_id, int):
        raise ValueError("an update needs an integer update_id")
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

    async def process_pending(self, *, limit: int = 200) -> int:
        """Handle up to `limit` waiting updates; return how many were settled."""
        settled = 0
        tried: set[int] = set()
        while settled < limit:
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
                return update_id
        except Exception as error:  # the handler's changes are rolled back; record the failure
            if "update_id" not in locals():
                raise
            logger.error("Update %s failed: %s", update_id, error, exc_info=error)
            await self._record_failure(update_id, error)
            return update_id
        finally:
            await session.close()

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
                row.last_error = f"{type(error).__name__}: {error}"[:2000]
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
