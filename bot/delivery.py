"""Deliver the outbox to Telegram: in order per chat, inside Telegram's limits, every outcome recorded."""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram import Message as TelegramMessage
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.services import Services
from models.db import dialect_name
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

MAX_BACKOFF_SECONDS = 600.0
MEDIA_SENDERS = {
    media_type: f"send_{media_type}"
    for media_type in ("photo", "document", "voice", "video", "audio", "animation", "video_note")
}


@dataclass
class RateLimits:
    """Telegram's published limits (DESIGN §11); tests may loosen them."""

    private_chat_interval_seconds: float = 1.0
    group_messages_per_minute: int = 20
    overall_per_second: int = 30


@dataclass
class DeliveryLimiter:
    """Keep each instance inside Telegram's limits by design, on the monotonic clock."""

    limits: RateLimits = field(default_factory=RateLimits)
    monotonic: Any = time.monotonic
    _sent_by_chat: dict[int, deque[float]] = field(default_factory=dict)
    _sent_overall: deque[float] = field(default_factory=deque)

    def wait_seconds(self, chat_id: int) -> float:
        """Return how long to wait before this chat may get another message."""
        now = self.monotonic()
        waits = [0.0]
        overall = self._sent_overall
        while overall and now - overall[0] >= 1.0:
            overall.popleft()
        if len(overall) >= self.limits.overall_per_second:
            waits.append(1.0 - (now - overall[0]))
        history = self._sent_by_chat.get(chat_id)
        if history:
            if chat_id > 0:
                waits.append(self.limits.private_chat_interval_seconds - (now - history[-1]))
            else:
                while history and now - history[0] >= 60.0:
                    history.popleft()
                if len(history) >= self.limits.group_messages_per_minute:
                    waits.append(60.0 - (now - history[0]))
        return max(waits)

    def note_sent(self, chat_id: int) -> None:
        """Remember a message went to a chat."""
        now = self.monotonic()
        self._sent_overall.append(now)
        history = self._sent_by_chat.setdefault(chat_id, deque(maxlen=64))
        history.append(now)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    waiting_for_limits: int = 0

    @property
    def did_anything(self) -> bool:
        """Tell whether the pass sent or settled at least one message."""
        return bool(self.sent or self.undeliverable or self.retried)


class OutboxDelivery:
    """Send pending outbox messages with the bot, one chat at a time, claiming each chat in the database."""

    def __init__(self, bot: Bot, services: Services, limiter: DeliveryLimiter | None = None) -> None:
        self._bot = bot
        self._services = services
        self.limiter = limiter or DeliveryLimiter()
        self._random = random.Random()

    async def deliver_due(self, *, max_messages: int = 200) -> DeliveryReport:
        """Deliver what is due now; return what happened."""
        report = DeliveryReport()
        now = self._services.clock.now()
        for chat_id in await self._chats_with_due_messages(now):
            if report.sent >= max_messages:
                break
            while report.sent < max_messages:
                if self.limiter.wait_seconds(chat_id) > 0:
                    report.waiting_for_limits += 1
                    break
                outcome = await self._deliver_next_in_chat(chat_id, now, report)
                if not outcome:
                    break
        return report

    async def _chats_with_due_messages(self, now: datetime) -> list[int]:
        async with self._services.session_factory() as session:
            statement = (
                select(OutboxMessage.chat_id, func.min(OutboxMessage.id))
                .where(OutboxMessage.status == OutboxStatus.PENDING)
                .group_by(col(OutboxMessage.chat_id))
                .order_by(func.min(OutboxMessage.id))
                .limit(500)
            )
            rows = (await session.exec(statement)).all()
            paused = {
                row.chat_id
                for row in (
                    await session.exec(select(ChatDelivery).where(col(ChatDelivery.paused_until) > now))
                ).all()
            }
        return [chat_id for chat_id, _ in rows if chat_id not in paused]

    async def _deliver_next_in_chat(self, chat_id: int, now: datetime, report: DeliveryReport) -> bool:
        """Send the oldest pending message of a chat; return True if the chat may take another now."""
        async with self._services.session_factory() as session, session.begin():
            chat = await self._claim_chat(session, chat_id)
            if chat is None or (chat.paused_until is not None and chat.paused_until > now):
                return False
            message = (
                await session.exec(
                    select(OutboxMessage)
                    .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING)
                    .order_by(col(OutboxMessage.id))
                    .limit(1)
                )
            ).first()
            if message is None or message.available_at > now:
                return False  # a later message never overtakes an earlier one waiting to be retried
            message.attempts += 1
            try:
                sent = await self._send(session, message)
            except RetryAfter as error:
                pause = _seconds(error.retry_after)
                chat.paused_until = now + timedelta(seconds=pause)
                message.available_at = chat.paused_until
                message.last_error = f"RetryAfter {pause:g}s"
                report.retried += 1
                logger.warning("Telegram flood control for chat %s: waiting %ss", chat_id, pause)
                return False
            except Forbidden as error:
                await self._mark_unreachable(session, chat, message, str(error), now)
                report.undeliverable += 1
                return False
            except ChatMigrated as error:
                await self._follow_migration(session, chat_id, error.new_chat_id, message, now)
                report.retried += 1
                return False
            except BadRequest as error:
                message.status = OutboxStatus.UNDELIVERABLE
                message.last_error = f"BadRequest: {error.message}"
                report.undeliverable += 1
                logger.error("Telegram refused outbox message %s for chat %s: %s", message.id, chat_id, error)
                return True
            except (NetworkError, TelegramError) as error:
                delay = min(MAX_BACKOFF_SECONDS, 2.0 ** min(message.attempts, 10))
                delay *= self._random.uniform(0.5, 1.5)
                message.available_at = now + timedelta(seconds=delay)
                message.last_error = f"{type(error).__name__}: {error}"
                report.retried += 1
                logger.warning("Delivery to chat %s failed (%s); retry in %.0fs", chat_id, error, delay)
                return False
            message.status = OutboxStatus.SENT
            message.sent_at = now
            message.sent_message_id = sent[-1].message_id if sent else None
            message.last_error = None
            chat.last_sent_at = now
            if message.purpose:
                for telegram_message in sent:
                    if await self._is_posted(session, chat_id, telegram_message.message_id):
                        continue  # an edit in place: the message is registered already
                    session.add(
                        PostedMessage(
                            chat_id=chat_id,
                            message_id=telegram_message.message_id,
                            item_id=message.item_id,
                            purpose=message.purpose,
                            purpose_data=message.purpose_data,
                            posted_at=now,
                        )
                    )
            report.sent += len(sent)
            return True

    async def _is_posted(self, session: AsyncSession, chat_id: int, message_id: int) -> bool:
        statement = select(PostedMessage.id).where(
            PostedMessage.chat_id == chat_id, PostedMessage.message_id == message_id
        )
        return (await session.exec(statement)).first() is not None

    async def _claim_chat(self, session: AsyncSession, chat_id: int) -> ChatDelivery | None:
        existing = await session.get(ChatDelivery, chat_id)
        if existing is None:
            session.add(ChatDelivery(chat_id=chat_id))
            await session.flush()
        statement = select(ChatDelivery).where(ChatDelivery.chat_id == chat_id)
        if dialect_name(session) == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        return (await session.exec(statement)).first()

    async def _send(self, session: AsyncSession, message: OutboxMessage) -> list[TelegramMessage]:
        payload = message.payload
        bot = self._bot
        reply_parameters = await self._reply_parameters(session, message.chat_id, payload)
        self.limiter.note_sent(message.chat_id)
        if message.method == "send_message":
            return await self._send_text(message.chat_id, payload, reply_parameters)
        if message.method == "edit_message":
            target_id = await self._resolve_target(session, message.chat_id, payload.get("target"))
            if target_id is None:
                return await self._send_text(message.chat_id, payload, reply_parameters)
            try:
                edited = await bot.edit_message_text(
                    chat_id=message.chat_id,
                    message_id=target_id,
                    text=_fit(payload["text"]),
                    parse_mode=ParseMode.HTML,
                    reply_markup=_inline_markup(payload),
                )
            except BadRequest as error:
                if "not modified" in error.message.lower():
                    return []
                if "not found" in error.message.lower() or "can't be edited" in error.message.lower():
                    return await self._send_text(message.chat_id, payload, reply_parameters)
                raise
            return [edited] if isinstance(edited, TelegramMessage) else []
        if message.method == "send_media":
            media_type = payload["media_type"]
            if media_type not in MEDIA_SENDERS:
                raise BadRequest(f"unknown media type {media_type}")
            sender: Callable[..., Awaitable[TelegramMessage]] = getattr(bot, MEDIA_SENDERS[media_type])
            arguments: dict[str, Any] = {"chat_id": message.chat_id, "reply_parameters": reply_parameters}
            arguments[payload["media_type"]] = payload["file_id"]
            if payload.get("caption") and payload["media_type"] != "video_note":
                arguments["caption"] = payload["caption"][: MessageLimit.CAPTION_LENGTH]
                arguments["parse_mode"] = ParseMode.HTML
            return [await sender(**arguments)]
        if message.method == "send_location":
            return [
                await bot.send_location(
                    chat_id=message.chat_id,
                    latitude=payload["latitude"],
                    longitude=payload["longitude"],
                    reply_parameters=reply_parameters,
                )
            ]
        raise BadRequest(f"unknown outbox method {message.method}")

    async def _send_text(
        self, chat_id: int, payload: dict[str, Any], reply_parameters: ReplyParameters | None
    ) -> list[TelegramMessage]:
        chunks = split_text(payload["text"])
        sent: list[TelegramMessage] = []
        for index, chunk in enumerate(chunks):
            is_last = index == len(chunks) - 1
            sent.append(
                await self._bot.send_message(
                    chat_id=chat_id,
                    text=chunk,
                    parse_mode=ParseMode.HTML,
                    reply_markup=_reply_markup(payload) if is_last else None,
                    reply_parameters=reply_parameters if index == 0 else None,
                    disable_web_page_preview=True,
                )
            )
        return sent

    async def _reply_parameters(
        self, session: AsyncSession, chat_id: int, payload: dict[str, Any]
    ) -> ReplyParameters | None:
        message_id = payload.get("reply_to_message_id")
        if message_id is None and payload.get("reply_to"):
            message_id = await self._resolve_target(session, chat_id, payload["reply_to"])
        if message_id is None:
            return None
        return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)

    async def _resolve_target(self, session: AsyncSession, chat_id: int, target: Any) -> int | None:
        if target is None:
            return None
        if isinstance(target, int):
            return target
        rows = (
            await session.exec(
                select(PostedMessage)
                .where(PostedMessage.chat_id == chat_id, PostedMessage.purpose == target["purpose"])
                .where(
                    PostedMessage.item_id == target["item_id"]
                    if target.get("item_id") is not None
                    else col(PostedMessage.item_id).is_(None)
                )
                .order_by(col(PostedMessage.id).desc())
            )
        ).all()
        key = target.get("key")
        for row in rows:
            if key is None or str(row.purpose_data.get("key")) == str(key):
                return row.message_id
        return None

    async def _mark_unreachable(
        self, session: AsyncSession, chat: ChatDelivery, message: OutboxMessage, reason: str, now: datetime
    ) -> None:
        chat.is_unreachable = True
        chat.unreachable_reason = reason
        await session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.chat_id) == chat.chat_id,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.UNDELIVERABLE, last_error=f"Forbidden: {reason}")
        )
        message.status = OutboxStatus.UNDELIVERABLE
        message.last_error = f"Forbidden: {reason}"
        logger.warning(
            "Chat %s cannot be reached (%s); its pending messages are not retried", chat.chat_id, reason
        )
        if chat.chat_id <= 0:
            return
        citizen = await session.get(Citizen, chat.chat_id)
        if citizen is not None:
            citizen.is_reachable = False
        items = (
            await session.exec(
                select(Item).where(
                    Item.citizen_telegram_user_id == chat.chat_id, col(Item.is_citizen_unreachable).is_(False)
                )
            )
        ).all()
        for item in items:
            item.is_citizen_unreachable = True
            session.add(
                ItemEvent(
                    item_id=item.id,  # type: ignore[arg-type]
                    at=now,
                    action="citizen_unreachable",
                    actor_role=ActorRole.SYSTEM,
                    agency_code=item.agency_code,
                    state_before=item.state,
                    state_after=item.state,
                    reason=reason,
                )
            )

    async def _follow_migration(
        self, session: AsyncSession, old_chat_id: int, new_chat_id: int, message: OutboxMessage, now: datetime
    ) -> None:
        directory = self._services.directory
        bindings = (await session.exec(select(AgencyChat).where(AgencyChat.chat_id == old_chat_id))).all()
        codes = {binding.agency_code for binding in bindings}
        for binding in bindings:
            binding.chat_id = new_chat_id
            binding.how = "migration"
            binding.bound_at = now
        from models.items import SUPERVISORS_KEY

        directory_owners = [agency.code for agency in directory.agencies if agency.chat_id == old_chat_id]
        if directory.supervisors.chat_id == old_chat_id:
            directory_owners.append(SUPERVISORS_KEY)
        for code in directory_owners:
            if code not in codes:
                session.add(AgencyChat(agency_code=code, chat_id=new_chat_id, bound_at=now, how="migration"))
        await session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.chat_id) == old_chat_id,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
            )
            .values(chat_id=new_chat_id)
        )
        message.chat_id = new_chat_id
        message.available_at = now
        message.last_error = f"ChatMigrated to {new_chat_id}"
        logger.warning("Group %s became supergroup %s; its agency binding follows", old_chat_id, new_chat_id)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split text into Telegram-sized chunks at paragraph, line or word boundaries."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _fit(text: str) -> str:
    return (
        text if len(text) <= MessageLimit.MAX_TEXT_LENGTH else text[: MessageLimit.MAX_TEXT_LENGTH - 1] + "…"
    )


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _inline_markup(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    rows = payload.get("buttons") or []
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(button["label"], url=button["url"])
                if button.get("url")
                else InlineKeyboardButton(button["label"], callback_data=button["callback_data"])
                for button in row
            ]
            for row in rows
        ]
    )


def _reply_markup(
    payload: dict[str, Any],
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None:
    if payload.get("buttons"):
        return _inline_markup(payload)
    if payload.get("reply_keyboard"):
        return ReplyKeyboardMarkup(
            [
                [
                    KeyboardButton(
                        button["text"],
                        request_contact=button.get("request_contact") or None,
                        request_location=button.get("request_location") or None,
                    )
                    for button in row
                ]
                for row in payload["reply_keyboard"]
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if payload.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    if payload.get("force_reply"):
        return ForceReply(selective=True)
    return None
