"""Run the bot: take updates (polling or webhook) into the inbox, handle them, deliver the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import InvalidToken, TelegramError

from bot.application import PaknApplication
from bot.delivery import OutboxDelivery
from bot.delivery_limits import DeliveryLimiter
from bot.inbox import ALLOWED_UPDATES, InboxProcessor, store_in_inbox
from bot.services import Services
from bot.webhook import start_webhook_server
from models.outbox import GENERATED_FILE_RETENTION, purge_generated_files
from scheduler.jobs import build_scheduler

logger = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(hours=1)
MINIMUM_WAIT_SECONDS = 0.001  # float instants: a wait may come out as 1e-8 s

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
# How the loops wait between passes: until the event is set or `seconds` have passed. The runner
# waits on the machine's clock; tests inject one that moves their clock instead of sleeping.
Pause = Callable[[asyncio.Event, float], Awaitable[None]]


async def wait_for_wakeup(wakeup: asyncio.Event, seconds: float) -> None:
    """Return once the event is set or `seconds` have passed on the machine's clock."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wakeup.wait(), timeout=seconds)


GROUP_COMMANDS = [
    ("agency", "Nhóm này phục vụ cơ quan nào"),
    ("history", "Lịch sử hồ sơ: /history MÃ"),
    ("overdue", "Hồ sơ quá hạn (nhóm giám sát)"),
    ("bind", "Gắn nhóm với cơ quan: /bind MÃ"),
]


class BotRuntime:
    """The long-running loops of one bot instance, stopped gracefully by `stop()`."""

    def __init__(
        self,
        services: Services,
        application: PaknApplication,
        *,
        limiter: DeliveryLimiter | None = None,
        pause: Pause = wait_for_wakeup,
    ) -> None:
        self.services = services
        self.application = application
        self.pause = pause
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

    def is_stopping(self) -> bool:
        """Tell whether a stop was asked for (the loops check it between units of work)."""
        return self.stopping.is_set()

    async def run_inbox_loop(self) -> None:
        """Handle stored updates as they arrive, until asked to stop (the update in hand is finished)."""
        wakeup = self.services.inbox_wakeup
        retention = timedelta(hours=self.services.settings.inbox_retention_hours)
        purged_at: datetime | None = None
        while not self.stopping.is_set():
            wakeup.clear()
            try:
                await self.inbox.process_pending(should_stop=self.is_stopping)
                now = self.services.clock.now()
                if purged_at is None or now - purged_at >= PURGE_INTERVAL:
                    await self.inbox.purge_processed(older_than=now - retention)
                    await self.purge_generated_files(now)
                    purged_at = now
            except Exception:
                logger.exception("The inbox pass failed; retrying shortly")
            await self.pause(wakeup, 1.0)

    async def purge_generated_files(self, now: datetime) -> None:
        """Delete report files that were sent (or given up on) and are older than their retention."""
        services = self.services
        gate = services.sqlite_writes.ordinary() if services.settings.is_sqlite else contextlib.nullcontext()
        async with gate, services.session_factory() as session, session.begin():
            purged = await purge_generated_files(session, older_than=now - GENERATED_FILE_RETENTION)
        if purged:
            logger.info("Deleted %d generated files that were delivered", purged)

    async def run_outbox_loop(self) -> None:
        """Deliver the outbox while this instance holds the sender lease, until asked to stop.

        Every instance runs this loop; the one holding the lease sends, the others check the lease
        every third of its period and take over once it lapses. The call in flight is settled first.
        """
        wakeup = self.services.outbox_wakeup
        settings = self.services.settings
        idle_wait = settings.outbox_poll_seconds
        standby_wait = settings.outbox_sender_lease_seconds / 3
        delivery = self.delivery
        pass_due_at: float | None = None  # on the limiter's clock: when the wait after the last pass ends
        while not self.stopping.is_set():
            woken_for = wakeup.take()
            held_back = self._outbox_wait_still_holds(woken_for, pass_due_at)
            if held_back is not None:  # every chat woken for is held back by the limits: no pass yet
                pass_due_at = delivery.limiter.now() + held_back
                await self.pause(wakeup, held_back)
                continue
            pass_due_at = None
            try:
                report = await delivery.deliver_as_sender(should_stop=self.is_stopping)
            except Exception:
                logger.exception("The outbox pass failed; retrying shortly")
                report = None
            if report is None:
                wait = min(idle_wait, standby_wait) if delivery.holds_lease() else standby_wait
            elif report.did_anything:
                continue
            elif report.next_ready_seconds is not None:
                wait = min(report.next_ready_seconds, idle_wait)  # exactly when the limits free a chat
            else:
                wait = min(idle_wait, standby_wait)
            wait = max(wait, MINIMUM_WAIT_SECONDS)
            if report is not None:
                pass_due_at = delivery.limiter.now() + wait
            await self.pause(wakeup, wait)
        with contextlib.suppress(Exception):
            await self.delivery.release_lease()

    def _outbox_wait_still_holds(self, woken_for: set[int] | None, pass_due_at: float | None) -> float | None:
        """Return how much longer to wait when a wakeup changes nothing the last pass knew, else None.

        The last pass left every chat it saw either emptied or held back, and set its wait by them. If
        the wakeup names its chats and each is held back too, a pass now would send nothing: the wait
        goes on, up to when the first of those chats is free. (One pass per committed update costs
        as much as handling the update, and a citizen who types fast makes a message each time.)
        """
        if woken_for is None or pass_due_at is None or not self.delivery.holds_lease():
            return None
        remaining = pass_due_at - self.delivery.limiter.now()
        if remaining < MINIMUM_WAIT_SECONDS:
            return None
        free_in = self.delivery.seconds_until_sendable(woken_for)
        return min(remaining, free_in) if free_in > 0 else None

    async def run_polling(self) -> None:
        """Long-poll getUpdates, storing each batch before the next call acknowledges it."""
        bot = self.application.bot
        try:
            await bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as error:
            logger.warning("deleteWebhook failed (%s); polling may conflict with a webhook", error)
        # No offset at first: Telegram hands back every update not yet acknowledged, including any
        # stored before a crash; the inbox's unique update_id drops those it already has.
        offset: int | None = None
        while not self.stopping.is_set():
            fetch = asyncio.ensure_future(
                bot.get_raw_updates(offset=offset, long_poll_seconds=25, allowed_updates=ALLOWED_UPDATES)
            )
            stop = asyncio.ensure_future(self.stopping.wait())
            await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if not fetch.done():
                fetch.cancel()  # an unfinished getUpdates acknowledges nothing, so dropping it loses nothing
                with contextlib.suppress(asyncio.CancelledError, TelegramError):
                    await fetch
                return
            try:
                updates = fetch.result()
            except InvalidToken:
                raise
            except TelegramError as error:
                logger.warning("getUpdates failed (%s); retrying in 3s", error)
                await self.pause(self.stopping, 3.0)
                continue
            if not updates:
                continue
            # Raw JSON, not parsed: an update python-telegram-bot rejects is stored (and parked by the
            # inbox) like any other, instead of stopping the poll on the same update forever.
            await store_in_inbox(self.services, updates)
            offset = (
                updates[-1]["update_id"] + 1
            )  # acknowledged by the next call, now that they are committed

    def stop(self) -> None:
        """Ask every loop to finish what it is doing and return."""
        self.stopping.set()
        self.services.inbox_wakeup.set()
        self.services.outbox_wakeup.set()


async def serve(services: Services, application: PaknApplication) -> None:
    """Run polling or webhook intake, the inbox, the outbox and the scheduler until SIGTERM/SIGINT."""
    runtime = BotRuntime(services, application)
    await runtime.start_bot()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal_number, runtime.stop)
    scheduler = build_scheduler(services, application.bot)
    scheduler.start()
    tasks: list[asyncio.Task[Any]] = [asyncio.create_task(runtime.run_inbox_loop(), name="inbox")]
    if services.settings.outbox_delivery_enabled:
        tasks.append(asyncio.create_task(runtime.run_outbox_loop(), name="outbox"))
    else:
        logger.info("Outbox delivery is off on this instance (OUTBOX_DELIVERY_ENABLED=false)")
    web_runner = None
    stopped = asyncio.create_task(runtime.stopping.wait(), name="stop")
    failure: BaseException | None = None
    try:
        if services.settings.webhook_url:
            web_runner = await start_webhook_server(services, application, runtime.inbox)
        else:
            tasks.append(asyncio.create_task(runtime.run_polling(), name="polling"))
        logger.info(
            "pakn-bot is running as @%s (%s mode); press Ctrl+C to stop",
            application.bot.username,
            "webhook" if web_runner else "polling",
        )
        await asyncio.wait([stopped, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                failure = task.exception()  # a loop died (e.g. the token was revoked): stop everything
    finally:
        runtime.stop()
        logger.info("Stopping: no new updates; finishing the update and the message in flight")
        if web_runner is not None:
            await web_runner.cleanup()  # stops listening and lets requests in progress commit
        await runtime.inbox.finish_handled_on_arrival()  # answers to presses handled on arrival
        await asyncio.gather(*tasks, return_exceptions=True)
        stopped.cancel()
        scheduler.shutdown(wait=False)
        await application.shutdown()
        await services.engine.dispose()
        logger.info("Stopped cleanly")
    if failure is not None:
        raise failure
