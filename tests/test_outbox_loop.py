"""The runner's outbox loop waits for Telegram's limits on the injected clock, never on the machine's."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from bot.delivery import DeliveryLimiter, RateLimits
from bot.runner import BotRuntime
from models.outbox import Message, Outbox
from tests.constants import CITIZEN, XD_GROUP
from tests.harness import Harness, clock_pause


async def test_the_outbox_loop_spaces_a_chats_messages_by_the_limits_without_sleeping(
    harness: Harness,
) -> None:
    limits = RateLimits()  # Telegram's own: one message a second to a private chat
    waits: list[float] = []
    runtime = BotRuntime(
        harness.services,
        harness.application,
        limiter=DeliveryLimiter(limits),
        pause=clock_pause(harness.clock, waits),
    )
    async with harness.session() as session:
        outbox = Outbox(session, harness.clock.now())
        for n in range(4):
            outbox.send(CITIZEN.id, Message(f"Tin {n}"))
        outbox.send(XD_GROUP, Message("Nhóm"))
    started = time.monotonic()
    loop = asyncio.create_task(runtime.run_outbox_loop())
    try:
        await harness.fake.wait_until(lambda: len(harness.fake.texts(CITIZEN.id)) == 4)
    finally:
        runtime.stop()
        await loop
    assert harness.fake.texts(CITIZEN.id) == [f"Tin {n}" for n in range(4)]
    assert harness.fake.texts(XD_GROUP) == ["Nhóm"]  # another chat is not held back by this one
    stamps = [call.at for call in harness.fake.sent(CITIZEN.id)]
    gaps = [later - earlier for earlier, later in pairwise(stamps)]
    interval = limits.private_chat_interval_seconds + limits.safety_margin_seconds
    poll = harness.services.settings.outbox_poll_seconds
    assert all(interval - 1e-6 <= gap < interval + poll for gap in gaps), gaps
    assert waits and max(waits) <= poll  # the loop waited (on the clock) as long as the limits asked
    assert time.monotonic() - started < 5  # three seconds of limits, and no real waiting
