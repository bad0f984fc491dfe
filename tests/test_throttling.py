"""A flood in a private chat: beyond the per-person budget the bot answers once and ignores the rest for a while."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlmodel import select

from models.clock import ManualClock
from models.tables import InboxUpdate, Throttle
from tests.fake_telegram import FakeTelegram
from tests.flows import CITIZEN, OTHER_CITIZEN
from tests.harness import Harness, build_harness, make_settings

BUDGET = 30  # the production default


@pytest_asyncio.fixture(params=["through the loop", "on arrival"])
async def harness(
    request: pytest.FixtureRequest, database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real application with the production budget of private messages.

    Each test runs twice: with updates stored and handled by the inbox loop, and handled on arrival as
    the webhook does (on PostgreSQL the arrival's statement counts the update, `private_arrival`).
    """
    settings = make_settings(database_url, fake_telegram, private_messages_per_minute=BUDGET)
    h = await build_harness(settings, fake_telegram, clock)
    h.on_arrival = request.param == "on arrival"
    try:
        yield h
    finally:
        await h.close()


async def test_a_flood_is_answered_once_then_ignored_until_the_pause_ends(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    budget = harness.services.settings.private_messages_per_minute
    for number in range(budget):
        await harness.say(CITIZEN, "/help" if number % 2 else "/start")
    answered = len(harness.fake.texts(CITIZEN.id))
    assert answered == budget  # everything within the budget is handled

    for _ in range(40):
        await harness.say(CITIZEN, "/start")
    texts = harness.fake.texts(CITIZEN.id)
    assert len(texts) == answered + 1  # one notice, then silence
    assert "quá nhiều tin nhắn" in texts[-1] and "đến" in texts[-1]
    assert sum("Private chat flood" in record.getMessage() for record in caplog.records) == 1  # logged once
    async with harness.session() as session:
        unhandled = (await session.exec(select(InboxUpdate).where(InboxUpdate.processed_at.is_(None)))).all()  # type: ignore[union-attr]
        assert unhandled == []  # ignored updates are settled, not retried

    await harness.say(OTHER_CITIZEN, "/start")  # someone else is not affected
    assert harness.fake.texts(OTHER_CITIZEN.id)

    harness.clock.advance(timedelta(minutes=harness.services.settings.private_flood_pause_minutes, seconds=1))
    await harness.say(CITIZEN, "/start")
    assert len(harness.fake.texts(CITIZEN.id)) == answered + 2  # heard again


async def test_the_budget_is_kept_in_the_database(harness: Harness) -> None:
    """The counter lives in the database, so a second instance (or a restart) sees the same pause."""
    await harness.say(CITIZEN, "/start")
    async with harness.session() as session:
        row = (await session.exec(select(Throttle).where(Throttle.subject_id == CITIZEN.id))).one()
        row.count = harness.services.settings.private_messages_per_minute
        session.add(row)
    await harness.say(CITIZEN, "/start")
    assert "quá nhiều tin nhắn" in harness.last_text(CITIZEN.id)


async def test_messages_spread_over_time_are_never_throttled(harness: Harness) -> None:
    budget = harness.services.settings.private_messages_per_minute
    for _ in range(2 * budget):
        await harness.say(CITIZEN, "/help")
        harness.clock.advance(timedelta(seconds=3))  # 20 a minute, under the budget of 30
    texts = harness.fake.texts(CITIZEN.id)
    assert len(texts) == 2 * budget and not any("quá nhiều tin nhắn" in text for text in texts)
