"""Run the bot: take updates (polling or webhook) into the inbox, handle them, deliver the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import InvalidToken, TelegramError

from bot.application import PaknApplication
from bot.delivery import DeliveryLimiter, OutboxDelivery
from bot.inbox import InboxProcessor, store_update
from bot.services import Services
from models.tables import InboxUpdate

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
PRIVATE_COMMANDS = [
    ("start", "Bắt đầu / Start"),
    ("new", "Gửi phản ánh, kiến nghị / New item"),
    ("status", "Tra cứu hồ sơ / Item status"),
    ("my", "Hồ sơ của tôi / My items"),
    ("add", "Bổ sung thông tin / Add information"),
    ("mydata", "Dữ liệu cá nhân / My data"),
    ("cancel", "Huỷ / Cancel"),
    ("language", "Tiếng Việt / English"),
    ("help", "Hướng dẫn / Help"),
]
GROUP_COMMANDS = [
    ("agency", "Nhóm này phục vụ cơ quan nào"),
    ("history", "Lịch sử hồ sơ: /history MÃ"),
    ("overdue", "Hồ sơ quá hạn (nhóm giám sát)"),
    ("bind", "Gắn nhóm với cơ quan: /bind MÃ"),
]


class BotRuntime:
    """The long-running loops of one bot instance, stopped gracefully by `stop()`."""

    def __init__(
        self, services: Services, application: PaknApplication, *, limiter: DeliveryLimiter | None = None
    ) -> None:
        self.services = services
        self.application = application
        self.inbox = InboxProcessor(application)
        self.delivery = OutboxDelivery(application.bot, services, limiter)
        self.stopping = asyncio.Event()

    async def start_bot(self) -> None:
        """Initialise the bot (getMe is essential) and set its command menus (not essential)."""
        await self.application.initialize()
        bot = self.application.bot
        for commands, scope in (
            (PRIVATE_COMMANDS, BotCommandScopeAllPrivateChats()),
            (GROUP_COMMANDS, BotCommandScopeAllGroupChats()),
        ):
            try:
                await bot.set_my_commands([BotCommand(name, about) for name, about in commands], scope=scope)
            except TelegramError as error:
                logger.warning("setMyCommands failed (%s); the bot works without the command menu", error)

    async def run_inbox_loop(self) -> None:
        """Handle stored updates as they arrive, until asked to stop."""
        wakeup = self.services.inbox_wakeup
        while not self.stopping.is_set():
            wakeup.clear()
            try:
                await self.inbox.process_pending()
            except Exception:
                logger.exception("The inbox pass failed; retrying shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), timeout=1.0)

    async def run_outbox_loop(self) -> None:
        """Deliver the outbox continuously, until asked to stop (the message in flight is finished)."""
        wakeup = self.services.outbox_wakeup
        idle_wait = self.services.settings.outbox_poll_seconds
        while not self.stopping.is_set():
            wakeup.clear()
            try:
                report = await self.delivery.deliver_due()
            except Exception:
                logger.exception("The outbox pass failed; retrying shortly")
                report = None
            if report is not None and report.did_anything:
                continue
            wait = 0.2 if report is not None and report.waiting_for_limits else idle_wait
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), timeout=wait)

    async def run_polling(self) -> None:
        """Long-poll getUpdates, storing each update before the next call acknowledges it."""
        bot = self.application.bot
        try:
            await bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as error:
            logger.warning("deleteWebhook failed (%s); polling may conflict with a webhook", error)
        offset = await self._next_offset()
        while not self.stopping.is_set():
            try:
                updates = await bot.get_updates(offset=offset, timeout=25, allowed_updates=ALLOWED_UPDATES)
            except InvalidToken:
                raise
            except TelegramError as error:
                logger.warning("getUpdates failed (%s); retrying in 3s", error)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=3)
                continue
            if not updates:
                continue
            now = self.services.clock.now()
            async with self.services.session_factory() as session, session.begin():
                for update in updates:
                    await store_update(session, update.to_dict(), now)
            offset = updates[-1].update_id + 1  # acknowledged only now that they are committed
            self.services.inbox_wakeup.set()

    async def _next_offset(self) -> int | None:
        async with self.services.session_factory() as session:
            latest = (await session.exec(select(func.max(InboxUpdate.update_id)))).one()
        return int(latest) + 1 if latest is not None else None

    def stop(self) -> None:
        """Ask every loop to finish what it is doing and return."""
        self.stopping.set()
        self.services.inbox_wakeup.set()
        self.services.outbox_wakeup.set()


async def serve(services: Services, application: PaknApplication) -> None:
    """Run polling or webhook intake, the inbox, the outbox and the scheduler until SIGTERM/SIGINT."""
    from scheduler.jobs import build_scheduler

    runtime = BotRuntime(services, application)
    await runtime.start_bot()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal_number, runtime.stop)
    scheduler = build_scheduler(services, application.bot)
    scheduler.start()
    tasks: list[asyncio.Task[Any]] = [
        asyncio.create_task(runtime.run_inbox_loop(), name="inbox"),
        asyncio.create_task(runtime.run_outbox_loop(), name="outbox"),
    ]
    web_runner = None
    if services.settings.webhook_url:
        from bot.webhook import start_webhook_server

        web_runner = await start_webhook_server(services, application)
    else:
        tasks.append(asyncio.create_task(runtime.run_polling(), name="polling"))
    logger.info(
        "pakn-bot is running as @%s (%s mode); press Ctrl+C to stop",
        application.bot.username,
        "webhook" if web_runner else "polling",
    )
    try:
        await runtime.stopping.wait()
    finally:
        logger.info("Stopping: no new updates; finishing the update and the message in flight")
        if web_runner is not None:
            await web_runner.cleanup()
        polling = [task for task in tasks if task.get_name() == "polling"]
        for task in polling:
            task.cancel()  # an unfinished getUpdates acknowledges nothing, so cancelling it loses nothing
        await asyncio.gather(*tasks, return_exceptions=True)
        scheduler.shutdown(wait=False)
        await application.shutdown()
        await services.engine.dispose()
        logger.info("Stopped cleanly")
