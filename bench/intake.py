"""Intake benchmark: complete citizen submissions through the real webhook, against a bare PTB bot.

Each simulated citizen walks the whole submit conversation (/new, kind, sender, category, locality,
description, no attachments, no contact, "Gửi": 9 updates), waiting for each update to be handled
before sending the next, as a person waits for the bot's answer. Our bot runs as in production: the
aiohttp webhook app commits each update to the inbox, the inbox loop handles it, the outbox loop
delivers. The baseline is a bare python-telegram-bot Application (concurrent updates, one Bot API
call per update) fed by an equally small aiohttp webhook, in the same run, against the same local
fake Bot API (aiohttp on 127.0.0.1) that answers after a simulated latency.

Printed per run: updates/s, the ratio to bare PTB at the same latency and concurrency, p50/p95/max of
the webhook's answer time and of the time from arrival to handled, 503 answers and "database is
locked" errors. The last line is a summary against the goal of issue 9 (PostgreSQL, 50 ms, 50 citizens:
at least 0.3x bare PTB with p95 arrival-to-handled under 1 s).

    python bench/intake.py                       # default matrix, about a minute
    python bench/intake.py --updates 2000        # longer runs
    python bench/intake.py --databases sqlite --latencies 50 --citizens 50
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import itertools
import logging
import math
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web
from pydantic import SecretStr
from sqlmodel import SQLModel
from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(
    os.environ.get("PAKN_BENCH_CODE", ROOT)
)  # another checkout to measure, e.g. the one before a change
sys.path.insert(0, str(CODE))

import models.tables  # noqa: E402, F401  (registers the tables)
from bot.application import build_application, build_services  # noqa: E402
from bot.runner import BotRuntime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.webhook import SECRET_HEADER, init_web_app  # noqa: E402
from models.db import make_engine  # noqa: E402


def submission_press_signer(services: Any) -> Any:
    """Return how the code under test signs a submission button ("s.kind", "feedback"), old or typed."""
    try:
        from bot.views.buttons import SubmitAction, SubmitPress  # the typed buttons (issue 10)
    except ImportError:  # a checkout from before typed buttons
        return lambda action, argument: services.signer.sign(action, argument=argument)
    return lambda action, argument: services.signer.pack(SubmitPress(SubmitAction(action[2:]), argument))


TOKEN = "123456:BENCH"
SECRET = "bench-secret-0123456789abcdef"
BOT_ID = 123456
POSTGRES_ADMIN_DSN = os.environ.get(
    "PAKN_BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
UPDATES_PER_SUBMISSION = 9


# --- the fake Bot API ----------------------------------------------------------------------------


class FakeBotApi:
    """A minimal Bot API on 127.0.0.1 that answers every call after `latency` seconds."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.calls = 0
        self._message_ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        self.calls += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        user = {"id": BOT_ID, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
        result: Any = True
        if method == "getme":
            result = {**user, "can_join_groups": True, "can_read_all_group_messages": False}
        elif method == "getchatmember":
            result = {"user": {"id": int(params.get("user_id", 1)), "is_bot": False, "first_name": "X"}}
            result["status"] = "member"
        elif method.startswith(("send", "copy", "forward", "edit")):
            chat_id = int(params.get("chat_id", 1))
            kind = "private" if chat_id > 0 else "supergroup"
            chat = (
                {"id": chat_id, "type": kind, "first_name": "C"}
                if chat_id > 0
                else {"id": chat_id, "type": kind}
            )
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "text": str(params.get("text", "")),
            }
            if method.startswith("copy"):
                result = {"message_id": result["message_id"]}
        return web.json_response({"ok": True, "result": result})


# --- citizens ----------------------------------------------------------------------------------------


@dataclass
class Updates:
    """Builds the submit conversation of one citizen as Telegram would send it."""

    sign: Callable[[str, str], str]
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _base(self, citizen: int) -> tuple[dict[str, Any], dict[str, Any]]:
        user = {"id": citizen, "is_bot": False, "first_name": "Dân", "language_code": "vi"}
        chat = {"id": citizen, "type": "private", "first_name": "Dân"}
        return user, chat

    def text(self, citizen: int, body: str) -> dict[str, Any]:
        user, chat = self._base(citizen)
        update_id = next(self.ids)
        message: dict[str, Any] = {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": body,
        }
        if body.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(body.split()[0])}]
        return {"update_id": update_id, "message": message}

    def press(self, citizen: int, action: str, argument: str = "") -> dict[str, Any]:
        user, chat = self._base(citizen)
        update_id = next(self.ids)
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Bench"}
        message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": bot, "text": "…"}
        query = {
            "id": f"{citizen}-{update_id}",
            "from": user,
            "message": message,
            "chat_instance": str(citizen),
            "data": self.sign(action, argument),
        }
        return {"update_id": update_id, "callback_query": query}

    def submission(self, citizen: int, number: int) -> list[dict[str, Any]]:
        description = f"Đoạn đường trước số nhà {number} của công dân {citizen} bị sụt lún, xe máy đi qua rất nguy hiểm."
        return [
            self.text(citizen, "/new"),
            self.press(citizen, "s.kind", "feedback"),
            self.press(citizen, "s.sender", "individual"),
            self.press(citizen, "s.cat", "dat-dai"),
            self.text(citizen, "Không rõ địa bàn"),
            self.text(citizen, description),
            self.press(citizen, "s.done"),
            self.text(citizen, "Bỏ qua"),
            self.press(citizen, "s.send"),
        ]


@dataclass
class Figures:
    """What one run measured."""

    updates: int = 0
    seconds: float = 0.0
    answer_ms: list[float] = field(default_factory=list)
    handled_ms: list[float] = field(default_factory=list)
    status_503: int = 0
    other_errors: int = 0

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def percentiles(values: list[float]) -> str:
    """Return "p50/p95/max" of values, in milliseconds."""
    if not values:
        return "-/-/-"
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]

    return f"{at(0.5):.0f}/{at(0.95):.0f}/{ordered[-1]:.0f}"


async def drive(
    url: str,
    conversations: list[list[dict[str, Any]]],
    handled: dict[int, asyncio.Event],
    handled_at: dict[int, float],
    figures: Figures,
) -> None:
    """Let every citizen walk their updates, each waiting for the previous one to be handled."""
    connector = aiohttp.TCPConnector(limit=0)
    update_ids = itertools.count(1)  # as Telegram numbers them: in the order they happen
    async with aiohttp.ClientSession(connector=connector) as client:

        async def citizen(updates: list[dict[str, Any]]) -> None:
            for update in updates:
                update_id = update["update_id"] = next(update_ids)
                handled[update_id] = asyncio.Event()
                arrived = time.perf_counter()
                async with client.post(url, json=update, headers={SECRET_HEADER: SECRET}) as answer:
                    await answer.read()
                    status = answer.status
                figures.answer_ms.append((time.perf_counter() - arrived) * 1000)
                if status == 503:
                    figures.status_503 += 1
                    continue
                if status != 200:
                    figures.other_errors += 1
                    continue
                await handled[update_id].wait()
                figures.handled_ms.append((handled_at[update_id] - arrived) * 1000)
                figures.updates += 1

        started = time.perf_counter()
        await asyncio.gather(*(citizen(updates) for updates in conversations))
        figures.seconds = time.perf_counter() - started


# --- our bot -----------------------------------------------------------------------------------------


class LockedCounter(logging.Handler):
    """Count log records that report SQLite's "database is locked"."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += str(record.exc_info[1])
        if "database is locked" in message:
            self.count += 1


async def run_ours(
    database_url: str, api: FakeBotApi, citizens: int, submissions: int
) -> tuple[Figures, int]:
    """Run submissions through pakn-bot's webhook; return figures and "database is locked" count."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        database_url=database_url,
        telegram_api_base_url=api.base_url,
        webhook_url="https://bench.invalid/telegram",
        webhook_path="/telegram",
        webhook_secret=SecretStr(SECRET),
        submissions_per_hour=10**6,
        duplicate_window_minutes=0,
        private_messages_per_minute=10**6,  # every update is handled, none is stopped as a flood
        directory_file=ROOT / "tests" / "data" / "test-province.yaml",  # agencies with bound groups
    )
    services = build_services(settings)
    application = build_application(services)
    runtime = BotRuntime(services, application)
    await application.initialize()
    handled: dict[int, asyncio.Event] = {}
    handled_at: dict[int, float] = {}

    def mark(update_id: int) -> None:
        handled_at[update_id] = time.perf_counter()
        if update_id in handled:
            handled[update_id].set()

    inbox: Any = runtime.inbox
    if hasattr(inbox, "on_handled"):  # the inbox tells when an update's work is done, however it ran
        inbox.on_handled = mark
    elif hasattr(inbox, "handle"):  # the concurrent inbox before handling on arrival
        original = inbox.handle

        async def timed(ticket: Any) -> bool:
            settled = bool(await original(ticket))
            mark(ticket.update_id)
            return settled

        inbox.handle = timed
    else:  # the serial inbox before issue 9, so that `--code` can measure an older checkout
        original_next = inbox._process_next

        async def timed_next(tried: set[int]) -> int | None:
            update_id: int | None = await original_next(tried)
            if update_id is not None:
                mark(update_id)
            return update_id

        inbox._process_next = timed_next
    web_app = (
        init_web_app(services, application, runtime.inbox)  # as `pakn run` serves it
        if "inbox" in inspect.signature(init_web_app).parameters
        else init_web_app(services, application)  # a checkout from before handling on arrival
    )
    web_runner = web.AppRunner(web_app, access_log=None)
    await web_runner.setup()
    site = web.TCPSite(web_runner, "127.0.0.1", 0)
    await site.start()
    port = web_runner.addresses[0][1]
    locked = LockedCounter()
    logging.getLogger().addHandler(locked)
    loops = [asyncio.create_task(runtime.run_inbox_loop())]
    if os.environ.get("BENCH_OUTBOX", "1") == "1":
        loops.append(asyncio.create_task(runtime.run_outbox_loop()))
    updates = Updates(sign=submission_press_signer(services))
    conversations = [
        [u for number in range(submissions) for u in updates.submission(10_000 + citizen, number)]
        for citizen in range(citizens)
    ]
    figures = Figures()
    try:
        await drive(f"http://127.0.0.1:{port}/telegram", conversations, handled, handled_at, figures)
    finally:
        runtime.stop()
        await asyncio.gather(*loops, return_exceptions=True)
        logging.getLogger().removeHandler(locked)
        await web_runner.cleanup()
        await application.shutdown()
        await services.engine.dispose()
    return figures, locked.count


# --- the bare python-telegram-bot baseline -----------------------------------------------------------


async def run_bare(api: FakeBotApi, citizens: int, submissions: int) -> Figures:
    """Run the same updates through a bare PTB Application that answers each with one Bot API call."""
    handled: dict[int, asyncio.Event] = {}
    handled_at: dict[int, float] = {}

    def done(update: Update) -> None:
        handled_at[update.update_id] = time.perf_counter()
        handled[update.update_id].set()

    async def on_message(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text("ok")
        done(update)

    async def on_press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        done(update)

    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .updater(None)
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.ALL, on_message))
    application.add_handler(CallbackQueryHandler(on_press))

    async def webhook(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != SECRET:
            return web.Response(status=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/telegram", webhook)
    web_runner = web.AppRunner(app, access_log=None)
    await web_runner.setup()
    site = web.TCPSite(web_runner, "127.0.0.1", 0)
    await site.start()
    port = web_runner.addresses[0][1]
    await application.initialize()
    await application.start()
    updates = Updates(sign=lambda action, argument: f"{action}|{argument}")
    conversations = [
        [u for number in range(submissions) for u in updates.submission(10_000 + citizen, number)]
        for citizen in range(citizens)
    ]
    figures = Figures()
    try:
        await drive(f"http://127.0.0.1:{port}/telegram", conversations, handled, handled_at, figures)
    finally:
        await application.stop()
        await application.shutdown()
        await web_runner.cleanup()
    return figures


# --- databases ---------------------------------------------------------------------------------------


async def create_schema(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()


async def with_database(backend: str, work: Callable[[str], Awaitable[Any]]) -> Any:
    """Run `work` on a fresh database of a backend, then drop it."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            await create_schema(url)
            return await work(url)
    name = f"pakn_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"
    try:
        await create_schema(url)
        return await work(url)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


# --- the matrix --------------------------------------------------------------------------------------


def numbers(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


async def main(arguments: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    databases = [name.strip() for name in arguments.databases.split(",") if name.strip()]
    goal: tuple[float, float] | None = None
    total_503 = total_locked = 0
    print(f"intake benchmark: {UPDATES_PER_SUBMISSION} updates per submission, ~{arguments.updates} per run")
    for latency_ms in numbers(arguments.latencies):
        api = FakeBotApi(latency_ms / 1000)
        await api.start()
        try:
            for citizens in numbers(arguments.citizens):
                submissions = max(1, math.ceil(arguments.updates / (UPDATES_PER_SUBMISSION * citizens)))
                bare = await run_bare(api, citizens, submissions)
                print(
                    f"bare PTB           latency {latency_ms:>3} ms  citizens {citizens:>3}: "
                    f"{bare.per_second:8.1f} updates/s  webhook ms p50/p95/max {percentiles(bare.answer_ms)}"
                    f"  arrival→handled ms {percentiles(bare.handled_ms)}"
                )
                for backend in databases:

                    async def ours(
                        url: str,
                        api: FakeBotApi = api,
                        citizens: int = citizens,
                        submissions: int = submissions,
                    ) -> Any:
                        return await run_ours(url, api, citizens, submissions)

                    figures, locked = await with_database(backend, ours)
                    ratio = figures.per_second / bare.per_second if bare.per_second else 0.0
                    total_503 += figures.status_503
                    total_locked += locked
                    handled_p95 = (
                        sorted(figures.handled_ms)[max(0, math.ceil(0.95 * len(figures.handled_ms)) - 1)]
                        if figures.handled_ms
                        else float("inf")
                    )
                    print(
                        f"pakn-bot {backend:<10} latency {latency_ms:>3} ms  citizens {citizens:>3}: "
                        f"{figures.per_second:8.1f} updates/s = {ratio:5.3f}x bare PTB"
                        f"  webhook ms p50/p95/max {percentiles(figures.answer_ms)}"
                        f"  arrival→handled ms {percentiles(figures.handled_ms)}"
                        f"  503s {figures.status_503}  locked {locked}  other errors {figures.other_errors}"
                    )
                    if backend == "postgresql" and latency_ms == 50 and citizens == 50:
                        goal = (ratio, handled_p95 / 1000)
        finally:
            await api.stop()
    if goal is None:
        summary = "goal case (PostgreSQL, 50 ms, 50 citizens) not in this run"
    else:
        ratio, p95 = goal
        verdict = "met" if ratio >= 0.3 and p95 < 1 and not total_503 and not total_locked else "NOT met"
        summary = f"PostgreSQL 50 ms 50 citizens: {ratio:.3f}x bare PTB, p95 arrival→handled {p95:.3f} s: goal {verdict}"
    print(f"SUMMARY: {summary}; 503 answers {total_503}; database is locked {total_locked}")
    return 0


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--latencies", default="0,50", help="simulated Bot API latencies in ms (default 0,50)"
    )
    parser.add_argument("--citizens", default="1,10,50", help="concurrent citizens (default 1,10,50)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite and/or postgresql (default both)"
    )
    parser.add_argument(
        "--updates", type=int, default=180, help="updates per run, rounded up to whole submissions"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_arguments())))
