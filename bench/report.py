"""Benchmark: one month's report statistics over many items, on SQLite and PostgreSQL.

Fills a fresh database with synthetic items (with their report events and consultations) spread over
--months months, then times models.statistics.build_report for the last month and compares it with a
bare `SELECT count(*)` over that month's items (the baseline, measured in the same run). The peak
Python memory of building the report is measured with tracemalloc: it must not grow with the items.

    .venv/bin/python bench/report.py                      # 100k items, SQLite and PostgreSQL (short)
    .venv/bin/python bench/report.py --sizes 100000 1000000
    .venv/bin/python bench/report.py --backends postgresql --sizes 1000000 --months 12

The last line is a summary: the 1M PostgreSQL time against the 5 s goal when it was measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from sqlalchemy import func, insert
from sqlmodel import SQLModel, col, select

import models.tables  # noqa: F401  (registers the tables)
from bot.settings import BUNDLED_SAMPLE_DIRECTORY
from models.db import make_engine, make_session_factory
from models.directory import load_directory
from models.report_periods import month_period
from models.statistics import build_report
from models.tables import Consultation, Item, ItemEvent, ItemState

POSTGRES_ADMIN_DSN = os.environ.get("PAKN_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
CHUNK = 20_000
GOAL_SECONDS = 5.0


def synthetic_rows(
    count: int, *, months: int, report_month: date, agencies: list[str], categories: list[str], seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Return items, events and consultations for `count` items over the `months` ending with the report month."""
    rng = random.Random(seed)
    first = date(report_month.year, report_month.month, 1)
    for _ in range(months - 1):
        first = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    end_month = report_month.month % 12 + 1
    end = datetime(report_month.year + (report_month.month == 12), end_month, 1, tzinfo=UTC)
    span = (end - start).total_seconds()
    items: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    consultations: list[dict[str, Any]] = []
    states = [
        (ItemState.CLOSED, 0.50),
        (ItemState.ANSWERED, 0.12),
        (ItemState.IN_PROGRESS, 0.18),
        (ItemState.RECEIVED, 0.08),
        (ItemState.AWAITING_CITIZEN, 0.04),
        (ItemState.REOPENED, 0.03),
        (ItemState.DISPUTED, 0.01),
        (ItemState.REJECTED, 0.03),
        (ItemState.WITHDRAWN, 0.01),
    ]
    state_choices, weights = zip(*states, strict=True)
    for number in range(1, count + 1):
        received = start + timedelta(seconds=rng.uniform(0, span))
        agency = rng.choice(agencies)
        state = rng.choices(state_choices, weights)[0]
        due = received + timedelta(days=14)
        is_answered = state in (ItemState.CLOSED, ItemState.ANSWERED, ItemState.REOPENED)
        answered = received + timedelta(days=rng.lognormvariate(2.0, 0.5)) if is_answered else None
        officer = rng.randrange(5) if state is not ItemState.RECEIVED else None
        items.append(
            {
                "id": number,
                "code": f"PA-{number:08d}",
                "kind": "feedback",
                "sender_type": "individual",
                "category_code": rng.choice(categories),
                "text": "Phản ánh thử nghiệm hiệu năng.",
                "text_fingerprint": "",
                "language": "vi",
                "citizen_telegram_user_id": 10_000 + number % 50_000,
                "agency_code": agency,
                "state": state,
                "state_version": 1,
                "is_urgent": False,
                "received_at": received,
                "answer_due_at": due,
                "awaiting_citizen_since": received + timedelta(days=2)
                if state is ItemState.AWAITING_CITIZEN
                else None,
                "claimed_by_telegram_user_id": 70_000 + agencies.index(agency) * 10 + officer
                if officer is not None
                else None,
                "claimed_by_name": f"Cán bộ {officer}" if officer is not None else None,
                "transfer_count": 0,
                "previous_agency_codes": [],
                "extension_count": 0,
                "is_flagged_for_review": False,
                "is_citizen_unreachable": rng.random() < 0.02,
                "paused_working_seconds": 0,
                "answer_working_seconds": int(rng.lognormvariate(10.5, 0.6)) if answered else None,
                "answered_at": answered,
            }
        )

        def event(
            action: str, at: datetime, agency_code: str = agency, item_id: int = number, **detail: Any
        ) -> None:
            events.append(
                {
                    "item_id": item_id,
                    "at": at,
                    "action": action,
                    "actor_role": "officer",
                    "agency_code": agency_code,
                    "detail": detail,
                }
            )

        event("submitted", received)
        draw = rng.random()
        if draw < 0.08:
            event("transferred", received + timedelta(hours=5), rng.choice(agencies), from_agency=agency)
        elif draw < 0.09:
            event("transfer_disputed", received + timedelta(hours=6), from_agency=agency)
            event("dispute_decided", received + timedelta(days=1), decided_agency=agency, from_agency=agency)
        if state is ItemState.REJECTED:
            event("rejected", received + timedelta(hours=2))
        if answered is not None and rng.random() < 0.6:
            event(
                "rated_satisfied" if rng.random() < 0.85 else "reopened_not_satisfied",
                answered + timedelta(days=1),
            )
        if rng.random() < 0.03:
            event("extended", received + timedelta(days=9))
        if rng.random() < 0.10:
            asked = received + timedelta(days=1)
            consultations.append(
                {
                    "item_id": number,
                    "from_agency_code": agency,
                    "to_agency_code": rng.choice(agencies),
                    "question": "Xin ý kiến phối hợp.",
                    "asked_at": asked,
                    "due_at": asked + timedelta(days=7),
                    "answered_at": asked + timedelta(days=rng.uniform(1, 10))
                    if rng.random() < 0.85
                    else None,
                }
            )
    return items, events, consultations


async def fill(url: str, rows: tuple[list[dict[str, Any]], ...]) -> float:
    """Create the schema and insert the rows in chunks; return the seconds it took."""
    started = time.perf_counter()
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    for table, batch in zip((Item, ItemEvent, Consultation), rows, strict=True):
        for offset in range(0, len(batch), CHUNK):
            async with engine.begin() as connection:
                await connection.execute(insert(table), batch[offset : offset + CHUNK])  # type: ignore[arg-type]
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")  # fresh statistics, as a live database has
    await engine.dispose()
    return time.perf_counter() - started


async def measure(url: str, *, report_month: date, repeats: int) -> dict[str, float]:
    """Time a bare count over the month's items and the whole report; measure the report's peak memory."""
    directory = load_directory(BUNDLED_SAMPLE_DIRECTORY)
    calendar = directory.calendar()
    period = month_period(report_month.year, report_month.month, calendar.timezone)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = period.ends_at + timedelta(days=3)
    count_times, report_times = [], []
    peak = 0
    received = 0
    try:
        for _ in range(repeats):
            async with sessions() as session:
                started = time.perf_counter()
                statement = select(func.count()).where(
                    col(Item.received_at) >= period.starts_at, col(Item.received_at) < period.ends_at
                )
                received = int((await session.exec(statement)).one())
                count_times.append(time.perf_counter() - started)
            async with sessions() as session:
                started = time.perf_counter()
                report = await build_report(
                    session, directory=directory, calendar=calendar, period=period, now=now
                )
                report_times.append(time.perf_counter() - started)
            assert report.province.received == received, (report.province.received, received)
        async with sessions() as session:  # memory apart: tracemalloc slows every allocation down
            tracemalloc.start()
            await build_report(session, directory=directory, calendar=calendar, period=period, now=now)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    finally:
        await engine.dispose()
    count_seconds = statistics.median(count_times)
    report_seconds = statistics.median(report_times)
    return {
        "received": received,
        "count_seconds": count_seconds,
        "report_seconds": report_seconds,
        "ratio": report_seconds / count_seconds if count_seconds else float("inf"),
        "peak_mib": peak / 2**20,
    }


async def fill_and_measure(
    url: str, *, rows: tuple[list[dict[str, Any]], ...], report_month: date, repeats: int
) -> tuple[float, dict[str, float]]:
    """Fill a fresh database and measure the report on it."""
    filled = await fill(url, rows)
    return filled, await measure(url, report_month=report_month, repeats=repeats)


async def with_database(backend: str, work: Any) -> Any:
    """Run `work(url)` on a fresh SQLite file or a fresh PostgreSQL database, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return await work(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
    name = f"pakn_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"
    try:
        return await work(url)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def main() -> None:
    """Parse the arguments, run every size on every backend and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="items in the database")
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--months", type=int, default=1, help="months the items are spread over (the report is the last)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case; the median is printed")
    arguments = parser.parse_args()
    report_month = date(2026, 11, 1)
    directory = load_directory(BUNDLED_SAMPLE_DIRECTORY)
    agencies = [agency.code for agency in directory.agencies]
    categories = [category.code for category in directory.categories]
    print(f"{len(agencies)} agencies; items spread over {arguments.months} month(s), report of 11/2026")
    print(
        f"{'backend':<11}{'items':>10}{'in month':>10}{'fill s':>9}{'count s':>10}{'report s':>10}{'ratio':>8}{'peak MiB':>10}"
    )
    results = {}
    for size in arguments.sizes:
        rows = synthetic_rows(
            size,
            months=arguments.months,
            report_month=report_month,
            agencies=agencies,
            categories=categories,
            seed=size,
        )
        for backend in arguments.backends:
            filled, figures = await with_database(
                backend,
                partial(fill_and_measure, rows=rows, report_month=report_month, repeats=arguments.repeats),
            )
            results[(backend, size)] = figures
            print(
                f"{backend:<11}{size:>10}{int(figures['received']):>10}{filled:>9.1f}{figures['count_seconds']:>10.3f}"
                f"{figures['report_seconds']:>10.3f}{figures['ratio']:>8.1f}{figures['peak_mib']:>10.2f}",
                flush=True,
            )
        del rows
    largest = max(arguments.sizes)
    key = ("postgresql", largest) if ("postgresql", largest) in results else next(iter(results))
    figures = results[key]
    verdict = "meets" if figures["report_seconds"] < GOAL_SECONDS else "misses"
    print(
        f"summary: {key[0]} {key[1]} items: report {figures['report_seconds']:.2f}s = {figures['ratio']:.1f}x a bare "
        f"count(*), peak {figures['peak_mib']:.2f} MiB; {verdict} the {GOAL_SECONDS:.0f}s goal"
    )


if __name__ == "__main__":
    asyncio.run(main())
