"""Shared fixtures: a fresh database per test (SQLite and PostgreSQL), the real Application, a fake Bot API."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables)
from models.clock import ManualClock
from models.db import make_engine
from tests.constants import MONDAY_MORNING, POSTGRES_ADMIN_DSN, POSTGRES_AVAILABLE, TOKEN
from tests.fake_telegram import FakeTelegram
from tests.harness import Harness, build_harness, make_settings

if not POSTGRES_AVAILABLE and os.environ.get("PAKN_REQUIRE_POSTGRES"):
    raise RuntimeError("PAKN_REQUIRE_POSTGRES is set but no PostgreSQL answers at 127.0.0.1:5432")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_AVAILABLE, reason="no PostgreSQL server at 127.0.0.1:5432"),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest_asyncio.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """Give each test its own empty database with the current schema."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'pakn-test.sqlite3'}"
        await _create_schema(url)
        yield url
        return
    name = f"pakn_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"
    await _create_schema(url)
    try:
        yield url
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def _create_schema(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    """A clock that starts on a Monday morning and moves only when a test moves it."""
    return ManualClock(MONDAY_MORNING)


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A recording fake Bot API on 127.0.0.1."""
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def harness(
    database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real bot application, offline, on a fresh database, with the clock in the test's hands."""
    h = await build_harness(make_settings(database_url, fake_telegram), fake_telegram, clock)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    """Keep any anyio-based plugin on asyncio."""
    yield "asyncio"
