"""A membership check that cannot be made is not a refusal: the officer is asked to try again, nothing is held
against them, and a recent positive answer stands in when Telegram is slow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest_asyncio

from models.clock import ManualClock
from models.tables import ItemState
from tests.fake_telegram import FakeTelegram
from tests.harness import Harness, build_harness, make_settings
from tests.officer_world import (
    OFFICER_XD,
    OTHER_OFFICER_XD,
    XD_GROUP,
    alerts,
    card_of,
    claim,
    press_on,
    seat_everyone,
    submit_road_item,
)

SLOW_TELEGRAM_SECONDS = 30  # far beyond the bot's own timeout: only that timeout ends the wait


@pytest_asyncio.fixture
async def slow_harness(
    database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real application with a short membership-check timeout."""
    settings = make_settings(
        database_url, fake_telegram, member_check_timeout_seconds=0.2, member_cache_seconds=60
    )
    h = await build_harness(settings, fake_telegram, clock)
    try:
        yield h
    finally:
        await h.close()


def delay_membership_checks(harness: Harness) -> None:
    """Make every getChatMember hang (the fake Bot API's delay injection)."""
    harness.fake.inject_faults(
        rate_timeout=1.0, methods={"getChatMember"}, timeout_delay=SLOW_TELEGRAM_SECONDS
    )


async def test_a_slow_membership_check_asks_to_try_again_and_records_nothing(slow_harness: Harness) -> None:
    harness = slow_harness
    seat_everyone(harness)
    code = await submit_road_item(harness)
    item = await harness.item(code)
    events_before = await harness.events(item.id)  # type: ignore[arg-type]
    delay_membership_checks(harness)

    await press_on(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), "Nhận xử lý")

    assert "chưa kiểm tra được" in alerts(harness)[-1] and "thử lại" in alerts(harness)[-1]
    assert "Chỉ thành viên" not in " ".join(alerts(harness))
    assert await harness.events(item.id) == events_before  # type: ignore[arg-type]
    assert (await harness.item(code)).state is ItemState.RECEIVED
    asked = [call for call in harness.fake.calls if call.method == "getChatMember"]
    assert asked and asked[-1].outcome == "timeout"  # the check was attempted, and never answered

    harness.fake.clear_faults()
    harness.fake.inject_faults()  # no faults
    await claim(harness, code)
    assert (await harness.item(code)).claimed_by_telegram_user_id == OFFICER_XD.id


async def test_a_recent_positive_answer_stands_in_while_telegram_is_slow(slow_harness: Harness) -> None:
    harness = slow_harness
    seat_everyone(harness)
    first = await submit_road_item(harness)
    await claim(harness, first)  # Telegram confirmed the officer's membership just now
    harness.clock.advance(timedelta(minutes=5))  # past the cache, within the fallback
    delay_membership_checks(harness)
    await press_on(harness, OFFICER_XD, card_of(harness, XD_GROUP, first), "Cập nhật tiến độ")
    assert "chưa kiểm tra được" not in " ".join(alerts(harness))
    # someone Telegram never confirmed gets "try again", not "not a member"
    await press_on(harness, OTHER_OFFICER_XD, card_of(harness, XD_GROUP, first), "Cập nhật tiến độ")
    assert "chưa kiểm tra được" in alerts(harness)[-1]
    events = await harness.events((await harness.item(first)).id)  # type: ignore[arg-type]
    assert not [event for event in events if event.actor_telegram_user_id == OTHER_OFFICER_XD.id]


async def test_a_definite_no_is_still_recorded(slow_harness: Harness) -> None:
    harness = slow_harness
    seat_everyone(harness)
    code = await submit_road_item(harness)
    harness.fake.set_member(XD_GROUP, OTHER_OFFICER_XD.id, "left")
    await press_on(harness, OTHER_OFFICER_XD, card_of(harness, XD_GROUP, code), "Nhận xử lý")
    assert "Chỉ thành viên" in alerts(harness)[-1]
    events = await harness.events((await harness.item(code)).id)  # type: ignore[arg-type]
    assert events[-1].reason == "not_authorised:not_member"
