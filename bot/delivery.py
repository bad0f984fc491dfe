"""Deliver the outbox to Telegram: in order per chat, inside Telegram's limits, every outcome recorded.

One outbox row becomes one or more Bot API calls ("parts": a text over 4096 characters is split).
Each call goes through three short steps, so no database lock is held while Telegram is asked::

    claim   (transaction) lock the chat's ChatDelivery row (SKIP LOCKED on PostgreSQL), take its oldest
            pending row, plan the call, mark the row "being sent" with a lease, commit
    call    the Bot API, outside any transaction
    settle  (transaction) record the outcome: part sent (and the message registered for replies),
            flood-control pause, back-off, unreachable, migrated or refused

A row still marked "being sent" once its lease has passed was interrupted between Telegram accepting
the call and the outcome being committed (a crash or kill -9). Telegram has no idempotency key, so it
is sent again and the resend is logged: delivery is at least once, and only that one call can repeat.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import random
import socket
import uuid
import warnings
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import (
    Bot,
)
from telegram import Message as TelegramMessage
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery_calls import PlannedCall, Undeliverable, plan_call
from bot.delivery_limits import DeliveryLimiter
from bot.services import Services
from bot.telegram_http import may_have_reached_telegram
from models.actions import Action
from models.db import READ_ONLY, UtcDateTime, dialect_name
from models.items import SUPERVISORS_KEY
from models.privacy import FORGET_AFTER_DELIVERY, forget_delivered_message
from models.sender_lease import is_lease_holder, release_lease, take_or_renew_lease
from models.tables import (
    ActorRole,
    AgencyChat,
    ChatDelivery,
    Citizen,
    Item,
    ItemEvent,
    OutboxMessage,
    OutboxStatus,
    PostedMessage,
)

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 600.0
PROGRESS_KEY = "delivery"  # delivery progress kept beside the message in the row's JSON payload
EDIT_TARGET_GONE = ("not found", "can't be edited", "message to edit not found")
EDIT_RESENDS = 3  # an edit is idempotent: repeating it after a lost answer cannot duplicate anything
LOST_ANSWER_RESEND_SECONDS = 1.0


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    waiting_for_limits: int = 0
    next_ready_seconds: float | None = None  # the shortest wait of a chat held back by the limits

    @property
    def did_anything(self) -> bool:
        """Tell whether the pass sent or settled at least one message."""
        return bool(self.sent or self.undeliverable or self.retried)

    def note_wait(self, seconds: float) -> None:
        """Remember that a chat with messages due must wait this long for the limits."""
        self.waiting_for_limits += 1
        if self.next_ready_seconds is None or seconds < self.next_ready_seconds:
            self.next_ready_seconds = seconds


class OutboxDelivery:
    """Send pending outbox messages with the bot, one chat at a time, claiming each chat in the database.

    With `deliver_as_sender` (the runner's loop) only the instance holding the sender lease sends; it
    renews the lease between calls, and an instance that takes the lease over first takes over the
    limits' state and the calls the previous holder left in flight.
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
        self._backoff_base_seconds = backoff_base_seconds
        self._random = random.Random()
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._lease_until: datetime | None = None  # set while this instance holds the sender lease
        self._lease_renewed_at: datetime | None = None
        self._is_fenced = False  # claims check the lease in the database once it is used

    @property
    def _lease(self) -> timedelta:
        return timedelta(seconds=self._services.settings.outbox_send_lease_seconds)

    @property
    def _sender_lease_seconds(self) -> float:
        return self._services.settings.outbox_sender_lease_seconds

    # --- the sender lease -------------------------------------------------------------------------

    def holds_lease(self) -> bool:
        """Tell whether this instance holds the sender lease with a safe margin left."""
        if self._lease_until is None:
            return False
        margin = timedelta(seconds=self._sender_lease_seconds / 3)
        return self._services.clock.now() < self._lease_until - margin

    def _lease_renewal_due(self) -> bool:
        if self._lease_renewed_at is None:
            return True
        every = timedelta(seconds=self._sender_lease_seconds / 3)
        return self._services.clock.now() >= self._lease_renewed_at + every

    async def hold_lease(self) -> bool:
        """Take or renew the sender lease when due; on taking it over, take over the sending state too."""
        if not self._lease_renewal_due():
            return self.holds_lease()  # a standby asks the database once a third of the lease period
        now = self._services.clock.now()
        seconds = self._sender_lease_seconds
        was_holder = self._lease_until is not None and now < self._lease_until
        async with self._transaction() as session:
            held = await take_or_renew_lease(session, holder=self.holder, now=now, seconds=seconds)
        counters = self._services.delivery_counters
        self._lease_renewed_at = now
        if not held:
            if self._lease_until is not None:
                logger.warning("This instance lost the outbox sender lease to another instance")
            self._lease_until = None
            counters.is_sender = False
            return False
        self._is_fenced = True
        self._lease_until = now + timedelta(seconds=seconds)
        if not was_holder:
            await self.take_over()
            counters.takeovers += 1
            logger.info("This instance (%s) is now the outbox sender", self.holder)
        counters.is_sender = True
        return True

    async def release_lease(self) -> None:
        """Give the sender lease up (a graceful stop), so that another instance sends at once."""
        if self._lease_until is None:
            return
        async with self._transaction() as session:
            await release_lease(session, holder=self.holder, now=self._services.clock.now())
        self._lease_until = self._lease_renewed_at = None
        self._services.delivery_counters.is_sender = False

    async def take_over(self) -> None:
        """Rebuild the limits from the recorded calls, and resend at once what another sender left in flight."""
        now = self._services.clock.now()
        horizon = now - timedelta(seconds=self.limiter.limits.longest_window_seconds)
        async with self._transaction() as session:
            chats = (
                await session.exec(
                    select(ChatDelivery).where(
                        or_(
                            col(ChatDelivery.last_attempt_at) > horizon,
                            col(ChatDelivery.paused_until) > now,
                        )
                    )
                )
            ).all()
            self.limiter.restore(
                (chat.chat_id, list(chat.recent_attempts or []), chat.paused_until) for chat in chats
            )
            # Only one sender holds the lease, so a call another holder left "being sent" can be
            # settled now instead of after its per-message lease: the resend window is the handover.
            abandoned = await session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.claimed_by).is_not(None),
                    col(OutboxMessage.claimed_by) != self.holder,
                )
                .values(available_at=now, claimed_by=None)
            )
        if abandoned.rowcount:
            logger.warning(
                "Took over %s outbox message(s) that the previous sender had in flight", abandoned.rowcount
            )

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
            return (should_stop is not None and should_stop()) or self._lease_renewal_due()

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
            return await self._settle_failure(planned, error, report)
        return await self._settle_success(planned, result, report)

    # --- claim ----------------------------------------------------------------------------------

    async def _claim(self, chat_id: int, report: DeliveryReport) -> PlannedCall | None:
        now = self._services.clock.now()
        async with self._transaction() as session:
            # While the lease has a third of its period left nobody else can hold it; past that (a stall),
            # the database decides, so that a sender that lost the lease sends nothing more.
            if (
                self._is_fenced
                and not self.holds_lease()
                and not await is_lease_holder(session, holder=self.holder, now=now)
            ):
                self._lease_until = None
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
            _set_progress(message, progress)
            message.attempts += 1
            message.available_at = now + self._lease  # the lease: nobody else sends this row meanwhile
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
        _set_progress(message, progress)
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
            _set_progress(message, progress)
            await self._note_reachable(session, message.chat_id, now)
            report.sent += 1
            return True

    async def _settle_failure(self, planned: PlannedCall, error: Exception, report: DeliveryReport) -> bool:
        now = self._services.clock.now()
        chat_id = planned.chat_id
        async with self._transaction() as session:
            message = await session.get(OutboxMessage, planned.outbox_id)
            if message is None or message.status != OutboxStatus.PENDING:
                return False
            progress = dict(message.payload.get(PROGRESS_KEY) or {})
            progress.pop("sending_since", None)
            _set_progress(message, progress)
            message.available_at = now
            message.claimed_by = None
            if isinstance(error, RetryAfter):
                pause = _retry_after_seconds(error)
                chat = await session.get(ChatDelivery, chat_id)
                if chat is not None:
                    chat.paused_until = now + timedelta(seconds=pause)
                message.available_at = now + timedelta(seconds=pause)
                message.last_error = f"RetryAfter {pause:g}s"
                self.limiter.pause(chat_id, pause)
                report.retried += 1
                logger.warning(
                    "Telegram flood control for chat %s: nothing is sent to it for %gs", chat_id, pause
                )
                return False
            if isinstance(error, Forbidden):
                await self._mark_unreachable(session, chat_id, message, error.message, now)
                report.undeliverable += 1
                return False
            if isinstance(error, ChatMigrated):
                await self._follow_migration(session, chat_id, error.new_chat_id, message, now)
                report.retried += 1
                return False
            if isinstance(error, BadRequest):
                lowered = error.message.lower()
                if planned.is_edit and "not modified" in lowered:
                    message.status = OutboxStatus.SENT  # the card already shows exactly this
                    message.sent_at = now
                    message.last_error = "not modified"
                    report.sent += 1
                    return True
                if planned.is_edit and any(phrase in lowered for phrase in EDIT_TARGET_GONE):
                    progress["send_instead_of_edit"] = True  # the card is gone: post it afresh
                    _set_progress(message, progress)
                    message.last_error = f"edit target gone: {error.message}"
                    report.retried += 1
                    return True
                message.status = OutboxStatus.UNDELIVERABLE
                message.last_error = f"BadRequest: {error.message}"[:2000]
                report.undeliverable += 1
                logger.error("Telegram refused outbox message %s for chat %s: %s", message.id, chat_id, error)
                return True
            if answer_may_be_lost(error):  # Telegram may have it: resend soon, a bounded number of times
                progress["lost_answers"] = int(progress.get("lost_answers", 0)) + 1
                _set_progress(message, progress)
                message.available_at = now + timedelta(seconds=LOST_ANSWER_RESEND_SECONDS)
                message.last_error = f"answer lost: {type(error).__name__}: {error}"[:2000]
                report.retried += 1
                logger.warning(
                    "The answer to outbox message %s for chat %s was lost (%s); Telegram may have it",
                    message.id,
                    chat_id,
                    error,
                )
                return False
            if isinstance(error, TelegramError):  # 5xx, no connection: nothing sent; back off with jitter
                failures = int(progress.get("failures", 0)) + 1  # in a row: a success starts again
                progress["failures"] = failures
                _set_progress(message, progress)
                delay = min(MAX_BACKOFF_SECONDS, self._backoff_base_seconds * 2.0 ** min(failures - 1, 12))
                delay *= self._random.uniform(0.5, 1.5)
                message.available_at = now + timedelta(seconds=delay)
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                report.retried += 1
                logger.warning("Delivery to chat %s failed (%s); retrying in %.1fs", chat_id, error, delay)
                return False
            message.status = OutboxStatus.UNDELIVERABLE  # a programming error: retrying cannot help
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            report.undeliverable += 1
            logger.error("Outbox message %s failed unexpectedly", message.id, exc_info=error)
            return True

    async def _note_reachable(self, session: AsyncSession, chat_id: int, now: datetime) -> None:
        """Clear an earlier "cannot be reached" once a message gets through again (unblocked, re-added)."""
        chat = await session.get(ChatDelivery, chat_id)
        if chat is None:
            return
        chat.last_sent_at = now
        if not chat.is_unreachable:
            return
        chat.is_unreachable = False
        chat.unreachable_reason = None
        await _set_citizen_reachable(session, chat_id, reachable=True, now=now, reason=None)

    async def _mark_unreachable(
        self, session: AsyncSession, chat_id: int, message: OutboxMessage, reason: str, now: datetime
    ) -> None:
        chat = await session.get(ChatDelivery, chat_id)
        if chat is not None:
            chat.is_unreachable = True
            chat.unreachable_reason = reason
        await session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.chat_id) == chat_id,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.UNDELIVERABLE, last_error=f"Forbidden: {reason}")
        )
        message.status = OutboxStatus.UNDELIVERABLE
        message.last_error = f"Forbidden: {reason}"
        logger.warning(
            "Chat %s cannot be reached (%s); its pending messages are not retried", chat_id, reason
        )
        await _set_citizen_reachable(session, chat_id, reachable=False, now=now, reason=reason)

    async def _follow_migration(
        self, session: AsyncSession, old_chat_id: int, new_chat_id: int, message: OutboxMessage, now: datetime
    ) -> None:
        """Move the agency binding and every pending message of a group to its new supergroup."""
        directory = self._services.directory
        bindings = (await session.exec(select(AgencyChat).where(AgencyChat.chat_id == old_chat_id))).all()
        bound_codes = {binding.agency_code for binding in bindings}
        for binding in bindings:
            binding.chat_id = new_chat_id
            binding.how = "migration"
            binding.bound_at = now
        directory_owners = [agency.code for agency in directory.agencies if agency.chat_id == old_chat_id]
        if directory.supervisors.chat_id == old_chat_id:
            directory_owners.append(SUPERVISORS_KEY)
        for code in directory_owners:
            if code in bound_codes or await session.get(AgencyChat, code) is not None:
                continue  # a binding to another chat already overrides the directory file
            session.add(AgencyChat(agency_code=code, chat_id=new_chat_id, bound_at=now, how="migration"))
        moved = (
            await session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == old_chat_id, OutboxMessage.status == OutboxStatus.PENDING
                )
            )
        ).all()
        for row in moved:
            row.chat_id = new_chat_id
            row.available_at = now
            if row.payload.get("reply_to_message_id") is not None:
                # message ids of the old group mean nothing in the supergroup
                row.payload = {**row.payload, "reply_to_message_id": None}
                flag_modified(row, "payload")
        message.last_error = f"ChatMigrated to {new_chat_id}"
        logger.warning(
            "Group %s became supergroup %s: %s binding(s) and %s pending message(s) follow it",
            old_chat_id,
            new_chat_id,
            len(bindings) + len(directory_owners),
            len(moved),
        )


def answer_may_be_lost(error: Exception) -> bool:
    """Tell whether the call may have reached Telegram although no answer came (a timeout, a cut)."""
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    return may_have_reached_telegram(error.__cause__)


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


async def unreachable_chats(session: AsyncSession) -> list[ChatDelivery]:
    """List the chats the bot cannot reach (blocked by the citizen, removed from the group)."""
    statement = select(ChatDelivery).where(col(ChatDelivery.is_unreachable).is_(True))
    return list((await session.exec(statement.order_by(col(ChatDelivery.chat_id)))).all())


async def _set_citizen_reachable(
    session: AsyncSession, chat_id: int, *, reachable: bool, now: datetime, reason: str | None
) -> None:
    """Record that a citizen's private chat can (again) or can no longer be reached, on each of their items.

    Group chats (negative ids) have no citizen. Each item whose flag changes gets an event in its history.
    """
    if chat_id <= 0:
        return
    citizen = await session.get(Citizen, chat_id)
    if citizen is not None:
        citizen.is_reachable = reachable
    changing = select(Item).where(
        Item.citizen_telegram_user_id == chat_id, col(Item.is_citizen_unreachable).is_(reachable)
    )
    action = Action.CITIZEN_REACHABLE if reachable else Action.CITIZEN_UNREACHABLE
    for item in (await session.exec(changing)).all():
        item.is_citizen_unreachable = not reachable
        session.add(_system_event(item, action, now, reason))


def _system_event(item: Item, action: Action, now: datetime, reason: str | None) -> ItemEvent:
    return ItemEvent(
        item_id=item.id,  # type: ignore[arg-type]
        at=now,
        action=action,
        actor_role=ActorRole.SYSTEM,
        actor_name="pakn-bot",
        agency_code=item.agency_code,
        state_before=item.state,
        state_after=item.state,
        reason=reason,
    )


def _set_progress(message: OutboxMessage, progress: dict[str, Any]) -> None:
    message.payload = {**message.payload, PROGRESS_KEY: progress}
    flag_modified(message, "payload")


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta; both are read
        warnings.simplefilter("ignore")
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
