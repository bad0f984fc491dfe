"""Drain the outbox to a local fake Bot API and compare the drain time with the ideal under Telegram's limits.

The sender is the real one (`BotRuntime.run_outbox_loop`: the sender lease, the limiter, the database)
on SQLite or PostgreSQL. The fake Bot API on 127.0.0.1 stamps every call; from those stamps the script
prints messages per second, the achieved drain time over the ideal drain time, and every violation of
Telegram's limits (30 messages a second in all, 1 a second to one private chat, 20 a minute to one group).

The ideal is the shortest drain any sender could achieve: the largest of
  floor((N - 1) / 30) s for N messages in all,
  (n - 1) x 1 s for the busiest private chat with n messages,
  floor((n - 1) / 20) x 60 s for the busiest group with n messages.

Scenarios (each a fresh database):
  mixed   many private chats and a few groups, bound by the overall limit
  groups  groups with more than 20 messages each beside private chats, bound by the group limit

Run: .venv/bin/python bench/delivery.py [--backend postgresql] [--scenario mixed] [--scale 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import asyncpg  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlmodel import SQLModel, func, select  # noqa: E402

import models.tables  # noqa: E402, F401  (registers the tables)
from bot.application import build_application, build_services  # noqa: E402
from bot.delivery_limits import DeliveryLimiter, RateLimits  # noqa: E402
from bot.runner import BotRuntime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.outbox import Message, Outbox  # noqa: E402
from models.tables import OutboxMessage, OutboxStatus  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:BENCH"
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
LIMITS = RateLimits()


@dataclass(frozen=True)
class Scenario:
    """How many chats of each kind get how many messages."""

    name: str
    private_chats: int
    per_private: int
    groups: int
    per_group: int

    def scaled(self, scale: float) -> Scenario:
        """Return the scenario with `scale` times as many chats."""
        return Scenario(
            self.name,
            max(1, round(self.private_chats * scale)),
            self.per_private,
            max(1, round(self.groups * scale)),
            self.per_group,
        )

    @property
    def total(self) -> int:
        """Return the number of messages."""
        return self.private_chats * self.per_private + self.groups * self.per_group


SCENARIOS = {
    "mixed": Scenario("mixed", private_chats=200, per_private=3, groups=5, per_group=20),
    "groups": Scenario("groups", private_chats=30, per_private=5, groups=4, per_group=30),
}


def ideal_seconds(counts: dict[int, int]) -> float:
    """Return the shortest possible drain time of these per-chat message counts."""
    total = sum(counts.values())
    bounds = [float((total - 1) // LIMITS.overall_per_second)]
    for chat_id, count in counts.items():
        if chat_id > 0:
            bounds.append((count - 1) * LIMITS.private_chat_interval_seconds)
        else:
            bounds.append(((count - 1) // LIMITS.group_messages_per_minute) * LIMITS.group_window_seconds)
    return max(bounds)


def violations(stamps: dict[int, list[float]]) -> list[str]:
    """Return every breach of Telegram's limits in the recorded call times."""
    found: list[str] = []
    everything = sorted(stamp for chat in stamps.values() for stamp in chat)
    left = 0
    for right, stamp in enumerate(everything):
        while stamp - everything[left] >= 1.0:
            left += 1
        if right - left + 1 > LIMITS.overall_per_second:
            found.append(f"{right - left + 1} messages within 1 s at {stamp - everything[0]:.2f}s")
            break
    for chat_id, times in stamps.items():
        times = sorted(times)
        if chat_id > 0:
            for earlier, later in itertools.pairwise(times):
                if later - earlier < LIMITS.private_chat_interval_seconds:
                    found.append(f"private chat {chat_id}: two messages {later - earlier:.3f}s apart")
        else:
            left = 0
            for right, stamp in enumerate(times):
                while stamp - times[left] >= LIMITS.group_window_seconds:
                    left += 1
                if right - left + 1 > LIMITS.group_messages_per_minute:
                    found.append(f"group {chat_id}: {right - left + 1} messages within 60 s")
                    break
    return found


async def fresh_database(backend: str, folder: Path) -> tuple[str, str | None]:
    """Create an empty database with the schema; return its URL and the PostgreSQL name to drop."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = None
    else:
        name = f"pakn_bench_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        url = (
            POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0]
            + f"/{name}"
        )
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()
    return url, name


async def drop_database(name: str | None) -> None:
    """Drop a benchmark's PostgreSQL database."""
    if name is None:
        return
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def run_scenario(scenario: Scenario, backend: str, folder: Path, seed: int) -> dict[str, object]:
    """Queue the scenario's messages, drain them with the real sender, and measure the drain."""
    url, name = await fresh_database(backend, folder)
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        database_url=url,
        telegram_api_base_url=fake.base_url,
        telegram_file_base_url=fake.base_file_url,
        outbox_poll_seconds=0.5,
    )
    services = build_services(settings)
    application = build_application(services)
    await application.initialize()
    runtime = BotRuntime(services, application, limiter=DeliveryLimiter(LIMITS))
    try:
        plan = [(7_000_000 + n, scenario.per_private) for n in range(scenario.private_chats)]
        plan += [(-100_000_000 - n, scenario.per_group) for n in range(scenario.groups)]
        queue = [chat_id for chat_id, count in plan for _ in range(count)]
        random.Random(seed).shuffle(queue)  # messages arrive mixed, as handlers queue them
        sequence: dict[int, int] = defaultdict(int)
        async with services.session_factory() as session, session.begin():
            outbox = Outbox(session, services.clock.now())
            for chat_id in queue:
                outbox.send(chat_id, Message(f"Tin {sequence[chat_id]} cho {chat_id}"))
                sequence[chat_id] += 1
        started = time.monotonic()
        sender = asyncio.create_task(runtime.run_outbox_loop())
        while True:
            async with services.session_factory() as session:
                pending = (
                    await session.exec(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.status == OutboxStatus.PENDING)
                    )
                ).one()
            if not pending:
                break
            await asyncio.sleep(0.25)
        runtime.stop()
        await sender
        wall = time.monotonic() - started
    finally:
        await application.shutdown()
        await services.engine.dispose()
        await fake.stop()
        await drop_database(name)
    stamps: dict[int, list[float]] = defaultdict(list)
    order_broken = duplicates = 0
    seen: dict[int, list[str]] = defaultdict(list)
    for call in fake.sent(method="sendMessage"):
        chat_id = int(call.params["chat_id"])
        stamps[chat_id].append(call.at)
        seen[chat_id].append(str(call.params["text"]))
    for chat_id, texts in seen.items():
        expected = [f"Tin {n} cho {chat_id}" for n in range(sequence[chat_id])]
        duplicates += len(texts) - len(set(texts))
        order_broken += texts != expected
    first = min(stamp for chat in stamps.values() for stamp in chat)
    last = max(stamp for chat in stamps.values() for stamp in chat)
    achieved = last - first
    ideal = ideal_seconds(dict(sequence))
    group_last = max(max(times) for chat_id, times in stamps.items() if chat_id < 0) - first
    private_last = max(max(times) for chat_id, times in stamps.items() if chat_id > 0) - first
    group_ideal = ideal_seconds({c: n for c, n in sequence.items() if c < 0})
    private_ideal = ideal_seconds({c: n for c, n in sequence.items() if c > 0})
    return {
        "scenario": scenario.name,
        "messages": sum(len(times) for times in stamps.values()),
        "expected": scenario.total,
        "achieved_s": achieved,
        "ideal_s": ideal,
        "ratio": achieved / ideal if ideal else float("nan"),
        "msgs_per_s": scenario.total / achieved if achieved else float("inf"),
        "wall_s": wall,
        "groups_done_s": group_last,
        "groups_alone_ideal_s": group_ideal,
        "private_done_s": private_last,
        "private_alone_ideal_s": private_ideal,
        "violations": violations(stamps),
        "rate_limited": sum(1 for call in fake.calls if call.outcome.startswith("429")),
        "duplicates": duplicates,
        "chats_out_of_order": order_broken,
    }


def main() -> None:
    """Parse the arguments, run the scenarios and print the figures and a summary line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the number of chats (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    names = list(SCENARIOS) if arguments.scenario == "all" else [arguments.scenario]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            scenario = SCENARIOS[name].scaled(arguments.scale)
            print(
                f"== {name} on {arguments.backend}: {scenario.private_chats} private chats x "
                f"{scenario.per_private}, {scenario.groups} groups x {scenario.per_group} "
                f"= {scenario.total} messages",
                flush=True,
            )
            result = asyncio.run(run_scenario(scenario, arguments.backend, Path(folder), arguments.seed))
            results.append(result)
            print(
                f"   {result['messages']}/{result['expected']} delivered in {result['achieved_s']:.2f}s "
                f"(ideal {result['ideal_s']:.2f}s): {result['ratio']:.3f}x ideal, "
                f"{result['msgs_per_s']:.1f} msgs/s"
            )
            print(
                f"   groups done at {result['groups_done_s']:.2f}s (alone: {result['groups_alone_ideal_s']:.0f}s), "
                f"private chats at {result['private_done_s']:.2f}s (alone: {result['private_alone_ideal_s']:.0f}s)"
            )
            print(
                f"   violations {len(result['violations'])}, 429 answers {result['rate_limited']}, "  # type: ignore[arg-type]
                f"duplicates {result['duplicates']}, chats out of order {result['chats_out_of_order']}"
            )
            for violation in result["violations"]:  # type: ignore[attr-defined]
                print(f"   ! {violation}")
    worst = max(float(result["ratio"]) for result in results)  # type: ignore[arg-type]
    broken = sum(len(result["violations"]) for result in results)  # type: ignore[arg-type]
    lost = sum(int(result["expected"]) - int(result["messages"]) for result in results)  # type: ignore[call-overload]
    verdict = "OK" if worst <= 1.1 and broken == 0 and lost == 0 else "GOAL MISSED"
    print(
        f"SUMMARY delivery {arguments.backend}: worst {worst:.3f}x ideal (goal <= 1.1), "
        f"{broken} violations, {lost} lost: {verdict}"
    )


if __name__ == "__main__":
    main()
