#!/usr/bin/env python3
"""Benchmark the escalation sweep (issue 9): its cost must follow what is due, not what is open.

For each size and database it fills a fresh database with items (by default 10% open and 1% with
steps due; --fixed-open keeps the number of open items fixed instead), then times:

- the baseline: a full scan of the open items with the ladder rules run on each, which is what the
  sweep did every minute before issue 9 (its per-item parameter queries, which fail past 32,767 open
  items on PostgreSQL, are left out, so the baseline flatters the old sweep);
- a firing sweep (claim reminders, leaders, "due soon": about 1.5 steps per due item), while a
  concurrent task inserts inbox rows as the webhook does and records its longest wait;
- the idle sweep right after (nothing due), as the median of several runs;
- a second firing sweep ("overdue") and an idle sweep under tracemalloc, for their peak memory;
- EXPLAIN of the sweep's queries.

Run from the repository root:

    .venv/bin/python bench/sweep.py                        # 10k items on SQLite and PostgreSQL
    .venv/bin/python bench/sweep.py --sizes 100000,1000000  # the issue's sizes
    .venv/bin/python bench/sweep.py --sizes 1000000 --fixed-open 100000 --backends postgresql

Figures depend on the machine's load: the script prints the load average before each run.

The last line is a summary: the worst idle sweep, the worst 15k-step catch-up rate and the worst
insert wait over every run, with their ratios to the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from pydantic import SecretStr
from sqlalchemy import event
from sqlmodel import SQLModel, col, select

import models.tables  # noqa: F401  (registers the tables)
from bot.application import build_services
from bot.services import Services
from bot.settings import Settings
from models.clock import ManualClock
from models.escalation import EscalationRules, due_steps, item_next_escalation_at
from models.lifecycle import OPEN_STATES
from models.sweep import BATCH_SIZE, due_items
from models.tables import Consultation, InboxUpdate, Item, ItemKind, ItemState
from scheduler.escalation import run_escalation_sweep

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / "tests" / "data" / "test-province.yaml"  # agencies with groups and a leader
ROUTES = (("giao-thong", "SO-XD"), ("dat-dai", "SO-NNMT"), ("giao-duc", "VP"))
RECEIVED_AT = datetime(2026, 12, 7, 9, 0, tzinfo=HANOI)  # Monday
FIRST_FIRING = datetime(2026, 12, 8, 14, 35, tzinfo=HANOI)  # claim, leaders and due soon have come
SECOND_FIRING = datetime(2026, 12, 8, 17, 5, tzinfo=HANOI)  # the due-soon items are now overdue
IDLE_RUNS = 5
COLUMNS = (
    "code",
    "kind",
    "sender_type",
    "category_code",
    "text",
    "text_fingerprint",
    "language",
    "agency_code",
    "state",
    "state_version",
    "is_urgent",
    "received_at",
    "claim_due_at",
    "transfer_window_ends_at",
    "answer_due_at",
    "next_escalation_at",
    "claimed_by_telegram_user_id",
    "claimed_by_name",
    "claimed_at",
    "transfer_count",
    "previous_agency_codes",
    "extension_count",
    "is_flagged_for_review",
    "is_citizen_unreachable",
    "answered_at",
    "closed_at",
    "channel",
    "is_publication_allowed",
    "is_never_public",
    "paused_working_seconds",
    "citizen_telegram_user_id",
)


@dataclass
class Result:
    """The figures of one run: one database, one size."""

    backend: str
    items: int
    open_items: int
    due_items: int
    populate_seconds: float = 0.0
    baseline_seconds: float = 0.0
    baseline_peak_mib: float = 0.0
    fired: int = 0
    batches: int = 0
    firing_seconds: float = 0.0
    firing_insert_wait_ms: float = 0.0
    inserts_during_firing: int = 0
    idle_median_ms: float = 0.0
    idle_max_ms: float = 0.0
    second_fired: int = 0
    firing_peak_mib: float = 0.0
    idle_peak_mib: float = 0.0
    plans: dict[str, list[str]] = field(default_factory=dict)


def utc(instant: datetime | None) -> datetime | None:
    """Return the instant in UTC."""
    return instant.astimezone(UTC) if instant is not None else None


def prototypes(rules: EscalationRules) -> dict[str, dict[str, Any]]:
    """Return the four kinds of item rows, each with the instant the domain would store."""
    common: dict[str, Any] = {
        "kind": ItemKind.FEEDBACK.name,
        "sender_type": "INDIVIDUAL",
        "text": "Đoạn đường trước số nhà 12 bị sụt lún, xe máy đi qua rất nguy hiểm.",
        "text_fingerprint": "",
        "language": "vi",
        "state_version": 1,
        "is_urgent": False,
        "received_at": RECEIVED_AT,
        "claim_due_at": datetime(2026, 12, 8, 9, 0, tzinfo=HANOI),
        "transfer_window_ends_at": datetime(2026, 12, 9, 17, 0, tzinfo=HANOI),
        "answer_due_at": datetime(2026, 12, 21, 17, 0, tzinfo=HANOI),
        "claimed_by_telegram_user_id": None,
        "claimed_by_name": None,
        "claimed_at": None,
        "transfer_count": 0,
        "previous_agency_codes": "[]",
        "extension_count": 0,
        "is_flagged_for_review": False,
        "is_citizen_unreachable": False,
        "answered_at": None,
        "closed_at": None,
        "citizen_telegram_user_id": None,
        "channel": "telegram",
        "is_publication_allowed": False,
        "is_never_public": False,
        "paused_working_seconds": 0,
    }
    claimed = {"claimed_by_telegram_user_id": 8101, "claimed_by_name": "Trần Hùng", "claimed_at": RECEIVED_AT}
    kinds = {
        "closed": common
        | claimed
        | {
            "state": ItemState.CLOSED,
            "received_at": datetime(2026, 6, 1, 9, 0, tzinfo=HANOI),
            "answered_at": datetime(2026, 6, 10, 9, 0, tzinfo=HANOI),
            "closed_at": datetime(2026, 6, 11, 9, 0, tzinfo=HANOI),
        },
        "quiet": common
        | claimed
        | {"state": ItemState.IN_PROGRESS, "answer_due_at": datetime(2027, 1, 20, 17, 0, tzinfo=HANOI)},
        "unclaimed": common | {"state": ItemState.RECEIVED},
        "due_soon": common
        | claimed
        | {"state": ItemState.IN_PROGRESS, "answer_due_at": datetime(2026, 12, 8, 17, 0, tzinfo=HANOI)},
    }
    for values in kinds.values():
        prototype = Item(
            code="X",
            category_code="giao-thong",
            agency_code="SO-XD",
            **{k: v for k, v in values.items() if k not in {"previous_agency_codes", "kind", "sender_type"}},
        )
        values["next_escalation_at"] = item_next_escalation_at(prototype, rules=rules)
        values["state"] = values["state"].name
    return kinds


def rows(total: int, open_items: int, rules: EscalationRules) -> Iterator[dict[str, Any]]:
    """Yield the item rows: open items spread evenly, one open item in ten with steps due."""
    kinds = prototypes(rules)
    open_every = max(1, total // max(1, open_items))
    for n in range(total):
        if n % open_every == 0 and n // open_every < open_items:
            position = n // open_every
            is_due = position % 10 == 0
            kind = ("unclaimed" if (position // 10) % 2 == 0 else "due_soon") if is_due else "quiet"
        else:
            kind = "closed"
        category, agency = ROUTES[n % len(ROUTES)]
        row = kinds[kind] | {"code": f"PA-{n:09d}", "category_code": category, "agency_code": agency}
        if kind in {"unclaimed", "due_soon"}:
            row["citizen_telegram_user_id"] = 10_000_000 + n
        yield row


def count_kinds(total: int, open_items: int) -> tuple[int, int]:
    """Return how many items are open and how many have steps due."""
    open_every = max(1, total // max(1, open_items))
    opened = min(open_items, (total + open_every - 1) // open_every)
    return opened, (opened + 9) // 10


def sqlite_value(value: Any) -> Any:
    """Format a value as SQLAlchemy stores it in SQLite (naive UTC datetimes as text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def populate_sqlite(path: Path, total: int, open_items: int, rules: EscalationRules) -> None:
    """Insert the items with the standard library driver, 50,000 rows a statement batch."""
    connection = sqlite3.connect(path)
    placeholders = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO item ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    batch: list[tuple[Any, ...]] = []
    for row in rows(total, open_items, rules):
        batch.append(tuple(sqlite_value(row[column]) for column in COLUMNS))
        if len(batch) >= 50_000:
            connection.executemany(statement, batch)
            batch.clear()
    if batch:
        connection.executemany(statement, batch)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


async def populate_postgresql(dsn: str, total: int, open_items: int, rules: EscalationRules) -> None:
    """Insert the items with COPY, 50,000 rows at a time."""
    connection = await asyncpg.connect(dsn)
    try:
        batch: list[tuple[Any, ...]] = []
        for row in rows(total, open_items, rules):
            batch.append(tuple(utc(row[c]) if isinstance(row[c], datetime) else row[c] for c in COLUMNS))
            if len(batch) >= 50_000:
                await connection.copy_records_to_table("item", records=batch, columns=list(COLUMNS))
                batch.clear()
        if batch:
            await connection.copy_records_to_table("item", records=batch, columns=list(COLUMNS))
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


@asynccontextmanager
async def database(backend: str, admin_dsn: str) -> AsyncIterator[tuple[str, str]]:
    """Create an empty database; yield its SQLAlchemy URL and its driver address (path or DSN)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.sqlite3"
            yield f"sqlite+aiosqlite:///{path}", str(path)
        return
    name = f"pakn_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield dsn.replace("postgresql://", "postgresql+asyncpg://"), dsn
    finally:
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


class Inserter:
    """Insert an inbox row every 10 ms, each in its own transaction, as the webhook intake does."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.waits: list[float] = []
        self._stop = asyncio.Event()
        self._next_id = 1

    async def run(self) -> None:
        """Insert until stopped, recording how long each insert took."""
        while not self._stop.is_set():
            started = time.perf_counter()
            async with self.services.session_factory() as session, session.begin():
                session.add(
                    InboxUpdate(
                        update_id=self._next_id,
                        payload={"update_id": self._next_id},
                        received_at=datetime.now(UTC),
                    )
                )
            self._next_id += 1
            self.waits.append(time.perf_counter() - started)
            await asyncio.sleep(0.01)

    def stop(self) -> None:
        """Ask the loop to end after its current insert."""
        self._stop.set()


async def timed_with_inserts(services: Services, run: Callable[[], Any]) -> tuple[Any, float, Inserter]:
    """Run a coroutine factory while the inserter runs; return its result, seconds and the inserter."""
    inserter = Inserter(services)
    task = asyncio.create_task(inserter.run())
    await asyncio.sleep(0.05)  # the inserter is warm before the sweep starts
    inserter.waits.clear()
    started = time.perf_counter()
    result = await run()
    seconds = time.perf_counter() - started
    inserter.stop()
    await task
    return result, seconds, inserter


async def warm_up(services: Services) -> None:
    """Load the calendar's holidays, the text catalogues and the connection pool, as a running bot has."""
    await run_escalation_sweep(services, now=RECEIVED_AT)
    prototype = Item(
        id=1,
        code="PA-WARMUP",
        kind=ItemKind.FEEDBACK,
        category_code="giao-thong",
        text="x",
        agency_code="SO-XD",
        received_at=RECEIVED_AT,
        claim_due_at=RECEIVED_AT,
        answer_due_at=SECOND_FIRING,
    )
    due_steps(
        prototype, now=SECOND_FIRING, calendar=services.calendar, deadlines=services.directory.deadlines
    )


async def baseline(services: Services, now: datetime) -> tuple[float, float]:
    """Time the old sweep's work (load every open item, run the ladder rules), then trace its memory."""

    async def full_scan() -> None:
        async with services.session_factory() as session, session.begin():
            items = (await session.exec(select(Item).where(col(Item.state).in_(list(OPEN_STATES))))).all()
            for item in items:
                due_steps(item, now=now, calendar=services.calendar, deadlines=services.directory.deadlines)

    started = time.perf_counter()
    await full_scan()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    await full_scan()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


async def explain(services: Services, backend: str, now: datetime) -> dict[str, list[str]]:
    """Return the plans of the sweep's selection and of its batch's consultation lookup."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    engine = services.engine.sync_engine
    plans: dict[str, list[str]] = {}
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    consultations = select(Consultation).where(col(Consultation.item_id).in_(list(range(1, BATCH_SIZE + 1))))
    for name, statement in (
        ("due items (batch selection)", due_items(now)),
        ("consultations of a batch", consultations),
    ):
        captured.clear()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            async with services.engine.connect() as connection:
                await connection.execute(statement)  # as the sweep runs it, to capture the driver's SQL
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        sql, parameters = captured[-1]
        async with services.engine.connect() as connection:
            result = await connection.exec_driver_sql(prefix + sql, parameters)
            plans[name] = [" | ".join(str(part) for part in row)[:150] for row in result.all()]
            await connection.rollback()
    return plans


async def run_one(backend: str, total: int, open_items: int, admin_dsn: str) -> Result:
    """Fill one database and measure the sweeps on it."""
    opened, due = count_kinds(total, open_items)
    result = Result(backend, total, opened, due)
    print(f"-- {backend}, {total:,} items: load average {os.getloadavg()[0]:.1f}", flush=True)
    async with database(backend, admin_dsn) as (url, address):
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            bot_token=SecretStr("123456:BENCH"),
            database_url=url,
            directory_file=DIRECTORY,
        )
        clock = ManualClock(FIRST_FIRING)
        services = build_services(settings, clock=clock)
        try:
            async with services.engine.begin() as connection:
                await connection.run_sync(SQLModel.metadata.create_all)
            rules = EscalationRules(calendar=services.calendar, deadlines=services.directory.deadlines)
            started = time.perf_counter()
            if backend == "sqlite":
                await asyncio.to_thread(populate_sqlite, Path(address), total, open_items, rules)
            else:
                await populate_postgresql(address, total, open_items, rules)
            result.populate_seconds = time.perf_counter() - started
            await warm_up(services)
            idle_at = FIRST_FIRING + timedelta(minutes=1)
            result.baseline_seconds, result.baseline_peak_mib = await baseline(services, idle_at)

            report, seconds, inserter = await timed_with_inserts(
                services, lambda: run_escalation_sweep(services, now=FIRST_FIRING)
            )
            result.fired, result.batches, result.firing_seconds = len(report.fired), report.batches, seconds
            result.firing_insert_wait_ms = max(inserter.waits, default=0.0) * 1000
            result.inserts_during_firing = len(inserter.waits)

            idle: list[float] = []
            for run in range(IDLE_RUNS):
                started = time.perf_counter()
                idle_report = await run_escalation_sweep(services, now=idle_at + timedelta(seconds=run))
                idle.append(time.perf_counter() - started)
                if idle_report.fired:
                    raise AssertionError(f"an idle sweep fired {len(idle_report.fired)} steps")
            result.idle_median_ms = statistics.median(idle) * 1000
            result.idle_max_ms = max(idle) * 1000

            tracemalloc.start()
            second = await run_escalation_sweep(services, now=SECOND_FIRING)
            result.firing_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.reset_peak()
            await run_escalation_sweep(services, now=SECOND_FIRING + timedelta(minutes=1))
            result.idle_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            result.second_fired = len(second.fired)
            result.plans = await explain(services, backend, SECOND_FIRING + timedelta(minutes=2))
        finally:
            await services.engine.dispose()
    return result


def report_lines(result: Result) -> list[str]:
    """Return the printed figures of one run."""
    per_second = result.fired / result.firing_seconds if result.firing_seconds else 0.0
    idle_ratio = result.idle_median_ms / 1000 / result.baseline_seconds if result.baseline_seconds else 0.0
    lines = [
        f"== {result.backend}: {result.items:,} items, {result.open_items:,} open, {result.due_items:,} with steps due",
        f"  populate                      {result.populate_seconds:8.1f} s",
        f"  baseline (full scan, old)     {result.baseline_seconds * 1000:8.1f} ms, peak {result.baseline_peak_mib:7.1f} MiB",
        f"  firing sweep                  {result.firing_seconds * 1000:8.1f} ms: {result.fired:,} steps in "
        f"{result.batches} batches, {per_second:,.0f} steps/s",
        f"  concurrent insert, max wait   {result.firing_insert_wait_ms:8.1f} ms ({result.inserts_during_firing} inserts)",
        f"  idle sweep                    {result.idle_median_ms:8.2f} ms median, {result.idle_max_ms:.2f} ms max; "
        f"{idle_ratio:.5f}× the baseline",
        f"  peak memory, firing sweep     {result.firing_peak_mib:8.1f} MiB ({result.second_fired:,} overdue steps)",
        f"  peak memory, idle sweep       {result.idle_peak_mib:8.2f} MiB (baseline: {result.baseline_peak_mib:.1f} MiB)",
    ]
    for name, plan in result.plans.items():
        lines.append(f"  EXPLAIN {name}:")
        lines += [f"    {line}" for line in plan]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run every combination, print the figures and a summary line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000", help="comma-separated item counts (default 10000)")
    parser.add_argument(
        "--fixed-open",
        type=int,
        default=None,
        help="keep this many items open whatever the size (default: 10%% of the items are open)",
    )
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument(
        "--postgres-dsn",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="an administrative DSN; each run creates and drops its own database",
    )
    parser.add_argument("--no-plans", action="store_true", help="do not print the EXPLAIN output")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sizes = [int(size.replace("_", "")) for size in options.sizes.split(",") if size]
    backends = [backend.strip() for backend in options.backends.split(",") if backend.strip()]
    results: list[Result] = []
    for backend in backends:
        for size in sizes:
            open_items = options.fixed_open if options.fixed_open is not None else size // 10
            result = asyncio.run(run_one(backend, size, open_items, options.postgres_dsn))
            if options.no_plans:
                result.plans = {}
            print("\n".join(report_lines(result)), flush=True)
            results.append(result)
    worst_idle = max(results, key=lambda r: r.idle_median_ms)
    slowest = min(results, key=lambda r: r.fired / r.firing_seconds if r.firing_seconds else float("inf"))
    worst_wait = max(results, key=lambda r: r.firing_insert_wait_ms)
    print(
        f"summary: worst idle sweep {worst_idle.idle_median_ms:.2f} ms "
        f"({worst_idle.backend}, {worst_idle.items:,} items, {worst_idle.open_items:,} open; "
        f"{worst_idle.idle_median_ms / 1000 / worst_idle.baseline_seconds:.5f}× its full-scan baseline); "
        f"slowest firing {slowest.fired / slowest.firing_seconds:,.0f} steps/s "
        f"({slowest.backend}, {slowest.items:,}; 15,000 steps in {15_000 / (slowest.fired / slowest.firing_seconds):.1f} s); "
        f"longest insert wait {worst_wait.firing_insert_wait_ms:.0f} ms ({worst_wait.backend}, {worst_wait.items:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
