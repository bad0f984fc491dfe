"""Deliver the outbox to Telegram: in order per chat, inside Telegram's limits, every outcome recorded.

One outbox row becomes one or more Bot API calls ("parts": a text over 4096 characters is split).
Each call goes through three short steps, so no database lock is held while Telegram is asked::

    claim   (transaction) lock the chat's ChatDelivery row (SKIP LOCKED on PostgreSQL), take its oldest
            pending row, plan the call, mark the row "being sent" with a lease, commit
    call    the Bot API, outside any transaction
    settle  (transaction) record the outcome: part sent (and the message registered for replies),
            or what the failure leads to (bot/delivery_failures.py): flood-control pause, back-off,
            unreachable, migrated or refused

A row still marked "being sent" once its lease has passed was interrupted between Telegram accepting
the call and the outcome being committed (a crash or kill -9). Telegram has no idempotency key, so it
is sent again and the resend is logged: delivery is at least once, and only that one call can repeat.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot
from telegram import Message as TelegramMessage

from bot.delivery_calls import PlannedCall, Undeliverable, plan_call
from bot.delivery_failures import BACKOFF_BASE_SECONDS, FailedCalls, note_reachable
from bot.delivery_lease import SenderLease
from bot.delivery_limits import DeliveryLimiter
from bot.delivery_progress import PROGRESS_KEY, DeliveryReport, set_progress
from bot.services import Services
from models.db import READ_ONLY, UtcDateTime, dialect_name
from models.privacy import FORGET_AFTER_DELIVERY, forget_delivered_message
from models.tables import ChatDelivery, OutboxMessage, OutboxStatus, PostedMessage

logger = logging.getLogger(__name__)

EDIT_RESENDS = 3  # an edit is idempotent: repeating it after a lost answer cannot duplicate anything


class OutboxDelivery:
    """Send pending outbox messages with the bot, one chat at a time, claiming each chat in the database.

    With `deliver_as_sender` (the runner's loop) only the instance holding the sender lease
    (bot/delivery_lease.py) sends; it renews the lease between calls, and an instance that takes the
    lease over first takes over the limits' state and the calls the previous holder left in flight.
    """

    def __init__(
        self,
        bot: Bot,
        services: Services,
        limiter: DeliveryLimiter | None = None,
        *,
        backoff_base_seconds: float = BACKOFF_BASE_SECONDS,
        holder: str | None = None,
    ) -> None:
        self._bot = bot
        self._services = services
        self.limiter = limiter or DeliveryLimiter()
        if self.limiter.clock is None:
            self.limiter.clock = services.clock
        self._failed_calls = FailedCalls(
            services, self.limiter, self._transaction, backoff_base_seconds=backoff_base_seconds
        )
        self._sender_lease = SenderLease(services, self.limiter, self._transaction, holder=holder)

    @property
    def _send_lease(self) -> timedelta:
        return timedelta(seconds=self._services.settings.outbox_send_lease_seconds)

    # --- the sender lease (bot/delivery_lease.py) -------------------------------------------------

    @property
    def holder(self) -> str:
        """Return the name this instance holds the sender lease under (host:pid:random)."""
        return self._sender_lease.holder

    def holds_lease(self) -> bool:
        """Tell whether this instance holds the sender lease with a safe margin left."""
        return self._sender_lease.is_held()

    async def hold_lease(self) -> bool:
        """Take or renew the sender lease when due; on taking it over, take over the sending state too."""
        return await self._sender_lease.hold()

    async def release_lease(self) -> None:
        """Give the sender lease up (a graceful stop), so that another instance sends at once."""
        await self._sender_lease.release()

    async def take_over(self) -> None:
        """Rebuild the limits from the recorded calls, and resend at once what another sender left in flight."""
        await self._sender_lease.take_over()

    def seconds_until_sendable(self, chat_ids: Iterable[int]) -> float:
        """Return how long until the first of these chats may take a message (inf for no chat)."""
        return min((self.limiter.wait_seconds(chat_id) for chat_id in chat_ids), default=math.inf)

    async def deliver_as_sender(
        self, *, should_stop: Callable[[], bool] | None = None
    ) -> DeliveryReport | None:
        """Deliver what is due if this instance is the sender; return None if another instance is."""
        if not await self.hold_lease():
            return None

        def pass_over() -> bool:
            return (should_stop is not None and should_stop()) or self._sender_lease.renewal_due()

        return await self.deliver_due(should_stop=pass_over)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """Open a write transaction; on SQLite it queues behind this instance's other writers, intake first.

        Without the queue, a writer that finds SQLite's lock taken sleeps in SQLite's busy handler.
        """
        services = self._services
        gate = services.sqlite_writes.ordinary() if services.settings.is_sqlite else contextlib.nullcontext()
        async with gate, services.session_factory() as session, session.begin():
            yield session

    # --- delivery passes --------------------------------------------------------------------------

    async def deliver_due(
        self, *, max_messages: int = 200, should_stop: Callable[[], bool] | None = None
    ) -> DeliveryReport:
        """Deliver what is due now until `should_stop()`; return what happened.

        The chats take turns, one call each, so that neither groups nor private chats starve the other;
        a chat held back by the limits leaves this pass, and the report says when the first is free again.
        """
        report = DeliveryReport()
        turns = deque(await self._chats_with_due_messages(self._services.clock.now()))
        while turns and report.sent < max_messages:
            if should_stop is not None and should_stop():
                break
            chat_id = turns.popleft()
            wait = self.limiter.wait_seconds(chat_id)
            if wait > 0:
                report.note_wait(wait)
                continue
            if await self._deliver_next_part(chat_id, report):
                turns.append(chat_id)
        return report

    async def _chats_with_due_messages(self, now: datetime) -> list[int]:
        async with self._services.session_factory() as session:
            await session.connection(execution_options={READ_ONLY: True})  # never waits for intake's lock
            return list((await session.exec(_chats_with_due_messages(), params={"now": now})).all())

    async def _deliver_next_part(self, chat_id: int, report: DeliveryReport) -> bool:
        """Send the next part of the chat's oldest pending row; return True if the chat may take more."""
        planned = await self._claim(chat_id, report)
        if planned is None:
            return False
        # Counted at the instant of the call, not of the claim: a claim whose commit was slow would
        # otherwise let the next calls bunch up behind it, past Telegram's 30 per second.
        self.limiter.note_sent(planned.chat_id, max(planned.claimed_at, self.limiter.now()))
        sender: Callable[..., Awaitable[Any]] = getattr(self._bot, planned.bot_method)
        try:
            result = await sender(**planned.arguments)
        except Exception as error:  # every outcome is recorded, whatever it is
            return await self._failed_calls.settle(planned, error, report)
        return await self._settle_success(planned, result, report)

    # --- claim ----------------------------------------------------------------------------------

    async def _claim(self, chat_id: int, report: DeliveryReport) -> PlannedCall | None:
        now = self._services.clock.now()
        async with self._transaction() as session:
            if await self._sender_lease.is_lost(session, now):  # a sender that lost it sends nothing more
                return None
            chat = await self._claim_chat(session, chat_id)
            if chat is None or (chat.paused_until is not None and chat.paused_until > now):
                return None
            message = (
                await session.exec(
                    select(OutboxMessage)
                    .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING)
                    .order_by(col(OutboxMessage.id))
                    .limit(1)
                )
            ).first()
            if message is None or message.available_at > now:
                return None  # a later message never overtakes an earlier one waiting to be retried
            progress = dict(message.payload.get(PROGRESS_KEY) or {})
            if progress.pop("sending_since", None):  # the process stopped before the call was settled
                progress["lost_answers"] = int(progress.get("lost_answers", 0)) + 1
            try:
                planned = await plan_call(session, message, progress, claimed_at=self.limiter.now())
            except Undeliverable as problem:
                message.status = OutboxStatus.UNDELIVERABLE
                message.last_error = f"Undeliverable: {problem}"[:2000]
                message.claimed_by = None
                report.undeliverable += 1
                logger.error("Outbox message %s cannot be sent: %s", message.id, problem)
                return None
            if planned.is_resend and not self._may_resend(message, planned, progress, now, report):
                return None
            progress["sending_since"] = now.isoformat()
            set_progress(message, progress)
            message.attempts += 1
            message.available_at = now + self._send_lease  # the lease: nobody else sends this row meanwhile
            message.claimed_by = self.holder
            chat.recent_attempts = self.limiter.limits.keep_recent(
                chat_id, [*(chat.recent_attempts or []), planned.claimed_at], planned.claimed_at
            )
            chat.last_attempt_at = now
            return planned

    def _may_resend(
        self,
        message: OutboxMessage,
        planned: PlannedCall,
        progress: dict[str, Any],
        now: datetime,
        report: DeliveryReport,
    ) -> bool:
        """Allow a bounded number of resends after lost answers; past it, take the part as delivered."""
        lost = int(progress.get("lost_answers", 0))
        allowed = (
            EDIT_RESENDS if planned.is_edit else self._services.settings.outbox_resends_after_lost_answer
        )
        counters = self._services.delivery_counters
        where = f"outbox message {planned.outbox_id} (part {planned.part + 1}/{planned.parts}) to chat {planned.chat_id}"
        if lost <= allowed:
            counters.resends += 1
            logger.warning(
                "Resending %s: the answer to the previous attempt was lost, so %s "
                "(at-least-once delivery; resend %s of at most %s)",
                where,
                "the edit is repeated (harmless)" if planned.is_edit else "the chat may see it twice",
                lost,
                allowed,
            )
            return True
        # Telegram most probably has it: a lost answer usually follows an accepted call. Another copy
        # would only add to the duplicates, so the part is taken as delivered, unconfirmed.
        counters.unconfirmed += 1
        logger.error(
            "Not resending %s again: the answers to %s attempts were lost; taking it as delivered, unconfirmed",
            where,
            lost,
        )
        progress["parts_sent"] = planned.part + 1
        progress.pop("lost_answers", None)
        progress.pop("failures", None)
        set_progress(message, progress)
        message.claimed_by = None
        message.last_error = f"unconfirmed: the answers to {lost} attempts were lost"
        message.available_at = now
        if planned.part + 1 >= planned.parts:
            message.status = OutboxStatus.SENT
            message.sent_at = now
        report.retried += 1
        return False

    async def _claim_chat(self, session: AsyncSession, chat_id: int) -> ChatDelivery | None:
        statement = select(ChatDelivery).where(ChatDelivery.chat_id == chat_id)
        if dialect_name(session) == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        chat = (await session.exec(statement)).first()
        if chat is not None:
            return chat
        insert = postgresql_insert if dialect_name(session) == "postgresql" else sqlite_insert
        await session.exec(
            insert(ChatDelivery)
            .values(chat_id=chat_id, is_unreachable=False, recent_attempts=[])
            .on_conflict_do_nothing(index_elements=["chat_id"])
        )
        statement = select(ChatDelivery).where(ChatDelivery.chat_id == chat_id)
        if dialect_name(session) == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        return (await session.exec(statement)).first()

    # --- settle ---------------------------------------------------------------------------------

    async def _settle_success(self, planned: PlannedCall, result: Any, report: DeliveryReport) -> bool:
        now = self._services.clock.now()
        async with self._transaction() as session:
            message = await session.get(OutboxMessage, planned.outbox_id)
            if message is None or message.status != OutboxStatus.PENDING:
                return False
            if message.purpose == FORGET_AFTER_DELIVERY and planned.part + 1 >= planned.parts:
                await forget_delivered_message(session, message)  # sent after an erasure: no trace kept
                report.sent += 1
                return False  # the chat's delivery row is gone too; anything else waits for the next round
            progress = dict(message.payload.get(PROGRESS_KEY) or {})
            progress.pop("sending_since", None)
            telegram_message = result if isinstance(result, TelegramMessage) else None
            if telegram_message is not None and message.purpose and not planned.is_edit:
                session.add(
                    PostedMessage(
                        chat_id=message.chat_id,
                        message_id=telegram_message.message_id,
                        item_id=message.item_id,
                        purpose=message.purpose,
                        purpose_data=message.purpose_data,
                        posted_at=now,
                    )
                )
            progress["parts_sent"] = planned.part + 1
            progress.pop("failures", None)
            progress.pop("lost_answers", None)
            message.claimed_by = None
            message.last_error = None
            if telegram_message is not None:
                message.sent_message_id = telegram_message.message_id
            if planned.part + 1 >= planned.parts:
                message.status = OutboxStatus.SENT
                message.sent_at = now
            else:
                message.available_at = now
            set_progress(message, progress)
            await note_reachable(session, message.chat_id, now)
            report.sent += 1
            return True


@functools.cache
def _chats_with_due_messages() -> Any:
    """Build once (it runs on every wakeup): chats whose oldest pending message is due and not paused.

    The oldest pending message of each chat comes from one pass over the pending index (GROUP BY), so
    a chat with thousands of queued messages costs one index entry each, not a search per message.
    """
    now = bindparam("now", type_=UtcDateTime())
    oldest = (
        select(OutboxMessage.chat_id, func.min(OutboxMessage.id).label("first_id"))
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .group_by(col(OutboxMessage.chat_id))
        .subquery("oldest")
    )
    paused = select(ChatDelivery.chat_id).where(col(ChatDelivery.paused_until) > now)
    return (
        select(OutboxMessage.chat_id)
        .join(oldest, col(OutboxMessage.id) == oldest.c.first_id)
        .where(col(OutboxMessage.available_at) <= now)
        .where(col(OutboxMessage.chat_id).not_in(paused))
        .order_by(col(OutboxMessage.id))
        .limit(500)
    )
