"""Measure the public home page's figures: one computation against a cached request, same run.

    .venv/bin/python bench/public_figures.py              # 5,000 items on SQLite (a few seconds)
    .venv/bin/python bench/public_figures.py --items 100000 --database-url postgresql+asyncpg://…/db

The database must be empty (a fresh SQLite file is made by default). Prints the time to compute the
figures (30 + 90 days, overdue now), the time of a request answered from the cache, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables)
from bot.application import build_services
from bot.services import Services
from bot.settings import Settings
from bot.web.figures import FiguresCache
from models.clock import ManualClock
from models.submission import text_fingerprint
from models.tables import Item, ItemKind, ItemState

DIRECTORY = Path(__file__).resolve().parent.parent / "tests" / "data" / "test-province.yaml"
MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
STATES = [ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.ANSWERED, ItemState.CLOSED, ItemState.REJECTED]


async def fill(services: Services, count: int, clock: ManualClock) -> None:
    """Insert `count` items spread over 120 days, across every agency and state."""
    async with services.engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    generator = random.Random(7)
    categories = [category.code for category in services.directory.categories]
    agencies = [agency.code for agency in services.directory.agencies]
    now = clock.now()
    batch: list[Item] = []
    for number in range(count):
        received = now - timedelta(minutes=generator.randrange(120 * 24 * 60))
        state = generator.choice(STATES)
        due = received + timedelta(days=14)
        answered = received + timedelta(days=generator.uniform(1, 20)) if state in STATES[2:4] else None
        batch.append(
            Item(
                code=f"PA-{number:06d}",
                kind=ItemKind.FEEDBACK,
                category_code=generator.choice(categories),
                text="bench",
                text_fingerprint=text_fingerprint(str(number)),
                agency_code=generator.choice(agencies),
                state=state,
                received_at=received,
                answer_due_at=due,
                answered_at=min(answered, now) if answered else None,
            )
        )
        if len(batch) == 1000:
            await _save(services, batch)
            batch = []
    if batch:
        await _save(services, batch)


async def _save(services: Services, batch: list[Item]) -> None:
    async with services.session_factory() as session, session.begin():
        session.add_all(batch)


async def measure(database_url: str, count: int, rounds: int) -> None:
    """Fill the database, then time computed and cached figures."""
    clock = ManualClock(MONDAY_MORNING)
    settings = Settings(_env_file=None, database_url=database_url, directory_file=DIRECTORY)  # type: ignore[call-arg]
    services = build_services(settings, clock=clock)
    try:
        await fill(services, count, clock)
        cache = FiguresCache(services)
        computed: list[float] = []
        cached: list[float] = []
        for _ in range(rounds):
            clock.advance(timedelta(seconds=settings.web_stats_cache_seconds + 1))
            started = time.perf_counter()
            await cache.get()
            computed.append(time.perf_counter() - started)
            started = time.perf_counter()
            await cache.get()
            cached.append(time.perf_counter() - started)
        compute_ms = statistics.median(computed) * 1000
        cached_ms = statistics.median(cached) * 1000
        print(f"items: {count}, rounds: {rounds}, backend: {database_url.split(':', 1)[0]}")
        print(f"computing the figures (30 + 90 days, overdue now): {compute_ms:.1f} ms (median)")
        print(f"a request answered from the cache (baseline):       {cached_ms:.3f} ms (median)")
        print(
            f"summary: computing is {compute_ms / max(cached_ms, 1e-6):.0f}x a cached request; "
            f"it runs at most once a minute, whatever the traffic"
        )
    finally:
        await services.engine.dispose()


def main() -> None:
    """Parse the flags and run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=5000, help="items to insert (default 5000)")
    parser.add_argument("--rounds", type=int, default=5, help="computations to time (default 5)")
    parser.add_argument("--database-url", help="an EMPTY database (default: a new SQLite file)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(measure(url, arguments.items, arguments.rounds))


if __name__ == "__main__":
    main()
