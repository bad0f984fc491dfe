"""The real `pakn run`, killed with SIGKILL mid-burst or stopped with SIGTERM: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, select

from bot.callbacks import CallbackSigner
from bot.delivery import PROGRESS_KEY
from models.db import make_engine, make_session_factory
from models.migrations import alembic_config
from models.tables import InboxUpdate, Item, ItemEvent, OutboxMessage, OutboxStatus
from tests.constants import POSTGRES_ADMIN_DSN, TEST_DIRECTORY, TOKEN
from tests.fake_telegram import FakeTelegram
from tests.harness import BURST_CATEGORIES, ready_draft, send_press
from tests.updates import TgUser, UpdateFactory

pytestmark = pytest.mark.slow  # real `pakn run` processes on the machine's clock

CITIZENS = [TgUser(id=8100 + n, first_name=f"Người {n}") for n in range(20)]
VISITORS = [TgUser(id=8300 + n, first_name=f"Khách {n}") for n in range(5)]
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest_asyncio.fixture
async def durable_database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database that `pakn db upgrade` migrates, as an administrator would."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'pakn.sqlite3'}"
        return
    name = f"pakn_durable_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield (
            POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0]
            + f"/{name}"
        )
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@dataclass
class BotProcess:
    """`pakn run` as a child process, its log in a file."""

    environment: dict[str, str]
    log_path: Path
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the bot (a fresh process each time, as after a crash or a deployment)."""
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env=self.environment,
            cwd=self.log_path.parent,
            stdout=log,
            stderr=log,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM: the graceful stop."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    async def exit_code(self, within: float = 30) -> int:
        """Wait for the process to exit and return its exit code."""
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout=within)

    @property
    def log(self) -> str:
        """Return everything the bot logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


async def create_schema_at_head(engine: AsyncEngine, database_url: str) -> None:
    """Create the current schema and mark it migrated, so `pakn run` starts on it as on an upgraded one.

    The models are the source of truth here; the migrations themselves are checked by their own tests.
    """
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await asyncio.to_thread(command.stamp, alembic_config(database_url), "head")


def bot_environment(database_url: str, fake: FakeTelegram) -> dict[str, str]:
    """The environment of the bot process; nothing comes from a .env file."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("WEBHOOK_", "BOT_"))
    }
    environment.update(
        {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "DIRECTORY_FILE": str(TEST_DIRECTORY),
            "OUTBOX_SEND_LEASE_SECONDS": "2",
            "OUTBOX_POLL_SECONDS": "0.5",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
    )
    return environment


async def wait_for(predicate: Any, *, within: float, what: str) -> None:
    """Poll an async or plain predicate until it holds."""
    deadline = time.monotonic() + within
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class Burst:
    """Twenty submissions (and a few /start) pushed into the fake Bot API, some of them twice."""

    def __init__(self, fake: FakeTelegram, engine: AsyncEngine) -> None:
        self.fake = fake
        self.engine = engine
        self.session_factory = make_session_factory(engine)
        self.updates = UpdateFactory()
        self.signer = CallbackSigner(hashlib.sha256(TOKEN.encode()).digest())

    async def prepare_drafts(self) -> None:
        """Bring every citizen to the summary step (the conversation itself is tested elsewhere)."""
        from datetime import UTC, datetime

        async with self.session_factory() as session, session.begin():
            for n, citizen in enumerate(CITIZENS):
                text = f"Phản ánh {n}: cống thoát nước ở tổ {n} bị tắc, nước tràn lên đường khi mưa."
                category = BURST_CATEGORIES[n % len(BURST_CATEGORIES)]
                session.add(ready_draft(citizen.id, category_code=category, text=text, now=datetime.now(UTC)))

    async def push(self, rng: random.Random) -> None:
        """Push every press (a third of them twice, as a redelivery) with small random gaps."""
        pushed: list[dict[str, Any]] = []
        for citizen in CITIZENS:
            update = send_press(self.updates, self.signer, citizen)
            self.fake.push_update(update)
            pushed.append(update)
            if rng.random() < 0.33:
                self.fake.push_update(update)  # the same update_id again
            await asyncio.sleep(rng.uniform(0, 0.03))
        for visitor in VISITORS:
            self.fake.push_update(self.updates.private_command(visitor, "start"))
            await asyncio.sleep(rng.uniform(0, 0.03))

    async def is_settled(self) -> bool:
        """Tell whether every update was confirmed and handled and every message settled."""
        if self.fake.pending_updates:
            return False
        async with self.session_factory() as session:
            waiting = (
                await session.exec(
                    select(func.count()).select_from(InboxUpdate).where(InboxUpdate.processed_at == None)  # noqa: E711
                )
            ).one()
            pending = (
                await session.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status == OutboxStatus.PENDING)
                )
            ).one()
        return waiting == 0 and pending == 0

    async def measure(self) -> dict[str, int]:
        """Count items lost and duplicated, updates handled more than once, messages lost and sent twice."""
        async with self.session_factory() as session:
            items = (await session.exec(select(Item))).all()
            events = (await session.exec(select(ItemEvent).where(ItemEvent.action == "submitted"))).all()
            inbox = (await session.exec(select(InboxUpdate))).all()
            outbox = (await session.exec(select(OutboxMessage))).all()
        owners = [item.citizen_telegram_user_id for item in items]
        sent_parts = sum(int((row.payload.get(PROGRESS_KEY) or {}).get("parts_sent", 0)) for row in outbox)
        accepted_sends = sum(len(call.messages) for call in self.fake.sent() if call.method == "sendMessage")
        receipts = {
            citizen.id: sum(1 for text in self.fake.texts(citizen.id) if "Mã hồ sơ" in text)
            for citizen in CITIZENS
        }
        return {
            "items_lost": len({c.id for c in CITIZENS} - set(owners)),
            "items_duplicated": len(owners) - len(set(owners)),
            "updates_handled_twice": sum(1 for row in inbox if row.attempts != 1),
            "updates_confirmed_not_stored": len(
                self.fake.confirmed_update_ids - {row.update_id for row in inbox}
            ),
            "submitted_events": len(events),
            "messages_lost": sum(1 for row in outbox if row.status is not OutboxStatus.SENT),
            "messages_sent_twice": accepted_sends - sent_parts,
            "receipts_missing": sum(1 for count in receipts.values() if count == 0),
            "receipts_twice": sum(count - 1 for count in receipts.values() if count > 1),
            "private_limit_violations": sum(
                1 for citizen in CITIZENS + VISITORS if self.fake.max_messages_in_window(citizen.id, 1.0) > 1
            ),
            "group_limit_violations": sum(
                1
                for chat in (-1001000, -1002000, -1003000)
                if self.fake.max_messages_in_window(chat, 60.0) > 20
            ),
            "overall_limit_violations": int(self.fake.max_messages_in_window(None, 1.0) > 30),
        }


async def prepared(durable_database_url: str, fake: FakeTelegram, tmp_path: Path) -> tuple[BotProcess, Burst]:
    environment = bot_environment(durable_database_url, fake)
    engine = make_engine(durable_database_url)
    await create_schema_at_head(engine, durable_database_url)
    burst = Burst(fake, engine)
    await burst.prepare_drafts()
    return BotProcess(environment, tmp_path / "bot.log"), burst


def is_running(bot: BotProcess) -> bool:
    """Tell whether the bot has started its loops (updates pushed from now on are taken)."""
    return "pakn-bot is running" in bot.log


@pytest.mark.parametrize("seed", [1, 2])
async def test_kill_9_in_the_middle_of_a_burst_loses_nothing_and_does_nothing_twice(
    durable_database_url: str, fake_telegram: FakeTelegram, tmp_path: Path, seed: int
) -> None:
    bot, burst = await prepared(durable_database_url, fake_telegram, tmp_path)
    rng = random.Random(seed)
    try:
        await bot.start()
        await wait_for(lambda: is_running(bot), within=30, what="the bot to start")
        pusher = asyncio.create_task(burst.push(rng))
        await asyncio.sleep(rng.uniform(0.1, 0.9))
        bot.kill()
        assert await bot.exit_code() == -signal.SIGKILL
        await pusher
        confirmed_at_kill = set(fake_telegram.confirmed_update_ids)
        await bot.start()
        await wait_for(burst.is_settled, within=60, what="the restarted bot to catch up")
        bot.terminate()
        assert await bot.exit_code() == 0, bot.log
        figures = await burst.measure()
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.kill()
        await burst.engine.dispose()
    print(f"\nkill -9 (seed {seed}, {len(confirmed_at_kill)} updates confirmed before the kill): {figures}")
    assert figures["items_lost"] == 0
    assert figures["items_duplicated"] == 0
    assert figures["updates_handled_twice"] == 0
    assert figures["updates_confirmed_not_stored"] == 0
    assert figures["submitted_events"] == len(CITIZENS)
    assert figures["messages_lost"] == 0
    assert figures["receipts_missing"] == 0
    # Only a call in flight at the kill can repeat (Telegram has no idempotency key), and it is logged.
    assert figures["messages_sent_twice"] <= 1
    if figures["messages_sent_twice"]:
        assert "at-least-once" in bot.log
    assert figures["private_limit_violations"] == 0
    assert figures["group_limit_violations"] == 0
    assert figures["overall_limit_violations"] == 0


async def test_sigterm_under_load_stops_cleanly_and_the_restart_finishes_the_work(
    durable_database_url: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    bot, burst = await prepared(durable_database_url, fake_telegram, tmp_path)
    rng = random.Random(5)
    try:
        await bot.start()
        await wait_for(lambda: is_running(bot), within=30, what="the bot to start")
        await burst.push(rng)
        await asyncio.sleep(0.3)  # in the middle of handling and delivering
        bot.terminate()
        started = time.monotonic()
        assert await bot.exit_code(within=20) == 0, bot.log
        stop_seconds = time.monotonic() - started
        assert "Stopped cleanly" in bot.log
        async with burst.session_factory() as session:
            in_flight = [
                row
                for row in (await session.exec(select(OutboxMessage))).all()
                if (row.payload.get(PROGRESS_KEY) or {}).get("sending_since")
            ]
        assert in_flight == []  # the attempt in progress was settled before exit
        await bot.start()
        await wait_for(burst.is_settled, within=60, what="the restarted bot to catch up")
        bot.terminate()
        assert await bot.exit_code() == 0, bot.log
        figures = await burst.measure()
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.kill()
        await burst.engine.dispose()
    print(f"\nSIGTERM under load (stopped in {stop_seconds:.1f}s): {figures}")
    assert figures["items_lost"] == 0 and figures["items_duplicated"] == 0
    assert figures["updates_handled_twice"] == 0 and figures["updates_confirmed_not_stored"] == 0
    assert figures["messages_lost"] == 0 and figures["messages_sent_twice"] == 0
    assert figures["receipts_missing"] == 0 and figures["receipts_twice"] == 0
    assert figures["private_limit_violations"] == 0 and figures["group_limit_violations"] == 0
    assert "at-least-once" not in bot.log


async def test_an_instance_with_delivery_off_handles_updates_but_leaves_sending_to_another(
    durable_database_url: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    environment = bot_environment(durable_database_url, fake)
    engine = make_engine(durable_database_url)
    await create_schema_at_head(engine, durable_database_url)
    session_factory = make_session_factory(engine)
    handler_only = BotProcess({**environment, "OUTBOX_DELIVERY_ENABLED": "false"}, tmp_path / "a.log")
    sender = BotProcess(environment, tmp_path / "b.log")
    citizen = TgUser(id=5101, first_name="Hoa")
    try:
        await handler_only.start()
        await wait_for(lambda: is_running(handler_only), within=30, what="the first instance to start")
        fake.push_update(UpdateFactory(start_update_id=9000).private_command(citizen, "start"))

        async def queued() -> bool:
            async with session_factory() as session:
                rows = (
                    await session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == citizen.id))
                ).all()
            return bool(rows)

        await wait_for(queued, within=30, what="the welcome to be queued")
        # A delivering instance sends within one poll (0.5 s here); give this one three polls to misbehave.
        await asyncio.sleep(1.5)
        assert fake.texts(citizen.id) == []  # handled, but this instance sends nothing
        handler_only.terminate()
        assert await handler_only.exit_code() == 0
        await sender.start()
        await wait_for(
            lambda: len(fake.texts(citizen.id)) == 1, within=30, what="the other instance to send it"
        )
    finally:
        for bot in (handler_only, sender):
            if bot.process is not None and bot.process.returncode is None:
                bot.kill()
                await bot.exit_code()
        await engine.dispose()
