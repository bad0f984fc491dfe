"""Answered items left unrated close by themselves after `auto_close_days`, once, with a word to the citizen."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.application import build_services
from models.tables import ItemState, Rating
from scheduler.auto_close import run_auto_close
from tests.escalation_world import CITIZEN_IDS, answer_directly, claim_directly, local, make_item
from tests.harness import Harness


async def test_an_unrated_answer_closes_after_seven_days_and_the_citizen_is_told(harness: Harness) -> None:
    """Seven days after the answer, not before; a rated item is left alone; two instances close it once."""
    unrated = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    rated = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[1])
    for item in (unrated, rated):
        await claim_directly(harness, item.id or 0)
    harness.clock.set(local(2026, 12, 8, 10, 0))
    for item in (unrated, rated):
        await answer_directly(harness, item.id or 0)
    async with harness.session() as session:
        from models.tables import Item

        loaded = await session.get(Item, rated.id)
        assert loaded is not None
        loaded.rating = Rating.SATISFIED
        session.add(loaded)
    harness.clock.set(local(2026, 12, 15, 9, 59))
    assert await run_auto_close(harness.services) == []
    harness.clock.set(local(2026, 12, 15, 10, 0))
    other = build_services(harness.services.settings, clock=harness.clock)
    try:
        results = await asyncio.gather(run_auto_close(harness.services), run_auto_close(other))
    finally:
        await other.engine.dispose()
    assert sorted(code for result in results for code in result) == [unrated.code]
    await harness.deliver()
    assert (await harness.item(unrated.code)).state is ItemState.CLOSED
    assert (await harness.item(rated.code)).state is ItemState.ANSWERED
    notices = [text for text in harness.fake.texts(CITIZEN_IDS[0]) if "tự động kết thúc" in text]
    assert len(notices) == 1 and unrated.code in notices[0] and "7 ngày" in notices[0]
    events = await harness.events(unrated.id or 0)
    assert [event.action for event in events].count("auto_closed") == 1
    harness.clock.advance(timedelta(days=1))
    assert await run_auto_close(harness.services) == []
