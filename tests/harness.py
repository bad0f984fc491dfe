"""Drive the real bot offline: feed update JSON through the inbox, deliver the outbox to the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.application import PaknApplication, build_application, build_services
from bot.callbacks import CallbackSigner
from bot.delivery_limits import DeliveryLimiter, RateLimits
from bot.runner import BotRuntime, Pause
from bot.services import Services
from bot.settings import Settings
from bot.views.buttons import SubmitAction, SubmitPress
from models.clock import ManualClock
from models.inbox_queue import store_update
from models.tables import ConversationDraft, Item, ItemEvent, OutboxMessage, OutboxStatus
from tests.constants import TEST_DIRECTORY, TOKEN
from tests.fake_telegram import FakeTelegram
from tests.updates import TgUser, UpdateFactory

NO_LIMITS = RateLimits(
    private_chat_interval_seconds=0, group_messages_per_minute=10**6, overall_per_second=10**6
)


@dataclass
class Harness:
    """One bot instance under test, with its fake Telegram, its clock and an update factory."""

    services: Services
    application: PaknApplication
    runtime: BotRuntime
    fake: FakeTelegram
    clock: ManualClock
    updates: UpdateFactory = field(default_factory=UpdateFactory)
    # Feed updates as the webhook does (handled on arrival when the chat is idle), not through the loop.
    on_arrival: bool = False

    async def feed(self, update: dict[str, Any]) -> None:
        """Store an update as the intake would, handle it, and deliver what it queued."""
        self.fake.observe_update(update)
        if self.on_arrival:
            await self.runtime.inbox.handle_arrival(update)
        else:
            async with self.session() as session:
                await store_update(session, update, self.clock.now())
        await self.runtime.inbox.process_pending()
        await self.deliver()

    async def deliver(self, *, rounds: int = 50) -> None:
        """Deliver the outbox until nothing more is due now."""
        for _ in range(rounds):
            report = await self.runtime.delivery.deliver_due()
            if not report.did_anything:
                return

    async def deliver_everything(self, *, max_wait: timedelta = timedelta(hours=1)) -> None:
        """Deliver, moving the clock past retry pauses and back-offs, until the outbox is empty."""
        waited = timedelta(0)
        while waited <= max_wait:
            await self.deliver()
            if not await self.pending_outbox():
                return
            self.clock.advance(timedelta(seconds=5))
            waited += timedelta(seconds=5)
        raise AssertionError("the outbox did not drain")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Open a committed transaction on the bot's database."""
        async with self.services.session_factory() as session, session.begin():
            yield session

    async def pending_outbox(self) -> list[OutboxMessage]:
        """Return outbox messages not yet settled."""
        async with self.session() as session:
            statement = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            return list((await session.exec(statement)).all())

    async def items(self) -> list[Item]:
        """Return every item, oldest first."""
        async with self.session() as session:
            return list((await session.exec(select(Item).order_by(col(Item.id)))).all())

    async def item(self, code: str) -> Item:
        """Return the item with a code."""
        async with self.session() as session:
            return (await session.exec(select(Item).where(Item.code == code))).one()

    async def events(self, item_id: int) -> list[ItemEvent]:
        """Return an item's events in order."""
        async with self.session() as session:
            statement = select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(col(ItemEvent.id))
            return list((await session.exec(statement)).all())

    # --- acting as a person ----------------------------------------------------------------------

    async def say(self, user: TgUser, text: str, *, reply_to: dict[str, Any] | None = None) -> None:
        """Send a private text (or command) as a user."""
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            await self.feed(self.updates.private_command(user, command, args))
        else:
            await self.feed(self.updates.private_text(user, text, reply_to=reply_to))

    async def say_in_group(
        self, chat_id: int, user: TgUser, text: str, *, reply_to: dict[str, Any] | None = None
    ) -> None:
        """Send a text (or command) in a group as a user."""
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            await self.feed(self.updates.group_command(chat_id, user, command, args))
        else:
            await self.feed(self.updates.group_text(chat_id, user, text, reply_to=reply_to))

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Return the bot's messages in a chat as they are now (edits applied), oldest first."""
        seen: dict[int, dict[str, Any]] = {}
        for call in self.fake.sent(chat_id):
            for message in getattr(call, "messages", []) or []:
                if message["chat"]["id"] == chat_id:
                    seen[message["message_id"]] = self.fake.message_dict(chat_id, message["message_id"])
        return [seen[key] for key in sorted(seen)]

    def find_button(self, chat_id: int, label: str) -> tuple[dict[str, Any], str]:
        """Return (message, callback_data) of the newest button in a chat whose label contains `label`."""
        for message in reversed(self.bot_messages(chat_id)):
            keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
            for row in keyboard:
                for button in row:
                    if label.lower() in button["text"].lower() and "callback_data" in button:
                        return message, button["callback_data"]
        raise AssertionError(f"no button labelled {label!r} in chat {chat_id}")

    async def press(self, user: TgUser, chat_id: int, label: str) -> None:
        """Press the newest button with that label in a chat, as a user."""
        message, data = self.find_button(chat_id, label)
        await self.feed(self.updates.callback(user, chat_id=chat_id, message=message, data=data))

    def last_text(self, chat_id: int) -> str:
        """Return the newest text the bot sent to a chat."""
        texts = self.fake.texts(chat_id)
        assert texts, f"the bot sent nothing to chat {chat_id}"
        return texts[-1]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """Return the bot's newest message in a chat."""
        return self.bot_messages(chat_id)[-1]

    async def close(self) -> None:
        """Shut the application down and dispose of the engine."""
        await self.application.shutdown()
        await self.services.engine.dispose()


def make_settings(database_url: str, fake: FakeTelegram, **overrides: object) -> Settings:
    """Settings for a test bot pointed at the fake Bot API."""
    values: dict[str, object] = {
        "bot_token": SecretStr(TOKEN),
        "database_url": database_url,
        "directory_file": TEST_DIRECTORY,
        "telegram_api_base_url": fake.base_url,
        "telegram_file_base_url": fake.base_file_url,
        "description_min_chars": 20,
        # tests walk many flows within one frozen minute; tests/test_throttling.py sets the real budget
        "private_messages_per_minute": 10_000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def clock_pause(clock: ManualClock, waits: list[float] | None = None) -> Pause:
    """A runner pause that moves the test's clock by the wait instead of sleeping (none when woken).

    With it the runner's loops run as fast as the machine allows while the clock shows the waits
    they would have made; `waits` collects them.
    """

    async def pause(wakeup: asyncio.Event, seconds: float) -> None:
        if not wakeup.is_set():
            if waits is not None:
                waits.append(seconds)
            clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)  # the other tasks run, as they would during a real wait

    return pause


async def build_harness(
    settings: Settings, fake: FakeTelegram, clock: ManualClock, *, limits: RateLimits = NO_LIMITS
) -> Harness:
    """Build and initialise the real application against the fake Bot API, both on the test's clock."""
    fake.use_clock(clock)  # call stamps, message dates and retry_after follow the bot's clock
    services = build_services(settings, clock=clock)
    application = build_application(services)
    runtime = BotRuntime(services, application, limiter=DeliveryLimiter(limits))
    await application.initialize()
    return Harness(services=services, application=application, runtime=runtime, fake=fake, clock=clock)


# --- prepared submissions (for bursts: many items without walking every step) -----------------------

BURST_CATEGORIES = ("dat-dai", "giao-thong", "giao-duc", "moi-truong", "khac")


def ready_draft(telegram_user_id: int, *, category_code: str, text: str, now: datetime) -> ConversationDraft:
    """Return a submit draft that has reached the summary, as if the citizen had walked every step."""
    return ConversationDraft(
        telegram_user_id=telegram_user_id,
        flow="submit",
        step="confirm",
        data={"kind": "feedback", "sender_type": "individual", "category_code": category_code, "text": text},
        updated_at=now,
    )


def send_press(updates: UpdateFactory, signer: CallbackSigner, user: TgUser) -> dict[str, Any]:
    """Return the callback update of a citizen pressing "Gửi" under their summary."""
    summary = {
        "message_id": 1,
        "date": 0,
        "chat": user.private_chat(),
        "from": updates.bot_user(),
        "text": "Tóm tắt",
    }
    return updates.callback(
        user, chat_id=user.id, message=summary, data=signer.pack(SubmitPress(SubmitAction.SEND))
    )


async def ready_to_send(harness: Harness, user: TgUser) -> dict[str, Any]:
    """Give a citizen a draft at its summary and return their press of "Gửi" (not fed yet)."""
    async with harness.session() as session:
        session.add(
            ready_draft(
                user.id,
                category_code="giao-thong",
                text="Đèn tín hiệu ở ngã tư Nguyễn Trãi hỏng cả tuần nay, rất nguy hiểm.",
                now=harness.clock.now(),
            )
        )
    return send_press(harness.updates, harness.services.signer, user)
