"""What a failed Bot API call leads to: a pause, a back-off, an unreachable chat, a migrated group, a refusal.

The sender (bot/delivery.py) hands every call that raised to `FailedCalls.settle`, which records in
one transaction what the error means for the row and its chat::

    RetryAfter       flood control: nothing is sent to the chat for as long as Telegram asks
    Forbidden        blocked or removed: the chat is unreachable, its pending rows undeliverable
    ChatMigrated     the group became a supergroup: its bindings and pending rows follow it
    BadRequest       the row is refused, unless an edit changed nothing or its message is gone
    a lost answer    Telegram may have the call: resent soon (how often: the claim, bot/delivery.py)
    TelegramError    5xx, no connection: nothing was sent; retried with exponential back-off and jitter
    anything else    a programming error: the row is undeliverable, retrying cannot help

A message that gets through again clears an earlier "cannot be reached" (`note_reachable`).
"""

from __future__ import annotations

import logging
import random
import warnings
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery_calls import PlannedCall
from bot.delivery_limits import DeliveryLimiter
from bot.delivery_progress import PROGRESS_KEY, DeliveryReport, set_progress
from bot.services import Services
from bot.telegram_http import may_have_reached_telegram
from models.actions import Action
from models.items import SUPERVISORS_KEY
from models.tables import (
    ActorRole,
    AgencyChat,
    ChatDelivery,
    Citizen,
    Item,
    ItemEvent,
    OutboxMessage,
    OutboxStatus,
)

logger = logging.getLogger("bot.delivery")  # the sender's log keeps the one name it always had

BACKOFF_BASE_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 600.0
EDIT_TARGET_GONE = ("not found", "can't be edited", "message to edit not found")
LOST_ANSWER_RESEND_SECONDS = 1.0


class FailedCalls:
    """Settle the calls that raised, each in a transaction of its own, with the sender's back-off."""

    def __init__(
        self,
        services: Services,
        limiter: DeliveryLimiter,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        *,
        backoff_base_seconds: float,
    ) -> None:
        self._services = services
        self._limiter = limiter
        self._transaction = transaction
        self._backoff_base_seconds = backoff_base_seconds
        self._random = random.Random()

    async def settle(self, planned: PlannedCall, error: Exception, report: DeliveryReport) -> bool:
        """Record what the error of a call means for its row and chat; return True if the chat may take more."""
        now = self._services.clock.now()
        chat_id = planned.chat_id
        async with self._transaction() as session:
            message = await session.get(OutboxMessage, planned.outbox_id)
            if message is None or message.status != OutboxStatus.PENDING:
                return False
            progress = dict(message.payload.get(PROGRESS_KEY) or {})
            progress.pop("sending_since", None)
            set_progress(message, progress)
            message.available_at = now
            message.claimed_by = None
            if isinstance(error, RetryAfter):
                pause = _retry_after_seconds(error)
                chat = await session.get(ChatDelivery, chat_id)
                if chat is not None:
                    chat.paused_until = now + timedelta(seconds=pause)
                message.available_at = now + timedelta(seconds=pause)
                message.last_error = f"RetryAfter {pause:g}s"
                self._limiter.pause(chat_id, pause)
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
                    set_progress(message, progress)
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
                set_progress(message, progress)
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
                set_progress(message, progress)
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


async def note_reachable(session: AsyncSession, chat_id: int, now: datetime) -> None:
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


def answer_may_be_lost(error: Exception) -> bool:
    """Tell whether the call may have reached Telegram although no answer came (a timeout, a cut)."""
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    return may_have_reached_telegram(error.__cause__)


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


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta; both are read
        warnings.simplefilter("ignore")
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
