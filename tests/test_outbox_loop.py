"""The runner's outbox loop waits for Telegram's limits on the injected clock, never on the machine's."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest

from bot.delivery_limits import DeliveryLimiter, RateLimits
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


class SteppedPause:
    """A runner pause that waits until woken or released by the test; a released wait moves the clock."""

    def __init__(self, harness: Harness) -> None:
        self.clock = harness.clock
        self.waits: list[float] = []
        self.is_waiting = False
        self._changed = asyncio.Condition()
        self._released = asyncio.Event()

    async def __call__(self, wakeup: asyncio.Event, seconds: float) -> None:
        async with self._changed:
            self.waits.append(seconds)
            self.is_waiting = True
            self._changed.notify_all()
        woken = asyncio.ensure_future(wakeup.wait())
        released = asyncio.ensure_future(self._released.wait())
        await asyncio.wait({woken, released}, return_when=asyncio.FIRST_COMPLETED)
        woken.cancel()
        released.cancel()
        self.is_waiting = False
        if not wakeup.is_set():
            self._released.clear()
            self.clock.advance(timedelta(seconds=seconds))

    async def wait_after(self, seen: int) -> float:
        """Return the loop's first wait after the `seen` first ones, once it has begun."""
        async with asyncio.timeout(10), self._changed:
            await self._changed.wait_for(lambda: len(self.waits) > seen and self.is_waiting)
        return self.waits[-1]

    def release(self) -> None:
        self._released.set()


async def test_a_wakeup_for_a_chat_the_limits_hold_back_keeps_waiting_without_a_pass(
    harness: Harness,
) -> None:
    """A citizen who types fast makes a message per update; a pass for each would find none sendable."""
    limits = RateLimits()  # one message a second to a private chat
    pause = SteppedPause(harness)
    runtime = BotRuntime(harness.services, harness.application, limiter=DeliveryLimiter(limits), pause=pause)
    passes = 0
    deliver = runtime.delivery.deliver_as_sender

    async def counted(**arguments: Any) -> Any:
        nonlocal passes
        passes += 1
        return await deliver(**arguments)

    runtime.delivery.deliver_as_sender = counted  # type: ignore[method-assign]
    wakeup = harness.services.outbox_wakeup

    async def queue(text: str) -> None:
        async with harness.session() as session:
            Outbox(session, harness.clock.now()).send(CITIZEN.id, Message(text))

    await queue("Tin 1")
    loop = asyncio.create_task(runtime.run_outbox_loop())
    try:
        await pause.wait_after(0)
        assert harness.fake.texts(CITIZEN.id) == ["Tin 1"]
        passes_so_far = passes

        await queue("Tin 2")
        seen = len(pause.waits)
        wakeup.set([CITIZEN.id])  # as the inbox does after the update's commit
        wait = await pause.wait_after(seen)
        assert passes == passes_so_far, "no pass: the chat is held back for about a second"
        interval = limits.private_chat_interval_seconds + limits.safety_margin_seconds
        assert 0 < wait <= interval  # until the chat is free, not the whole poll
        assert harness.fake.texts(CITIZEN.id) == ["Tin 1"]

        seen = len(pause.waits)
        wakeup.set([])  # an update that queued nothing changes nothing either
        assert await pause.wait_after(seen) == pytest.approx(wait, abs=0.01)
        assert passes == passes_so_far

        passes_so_far = passes
        seen = len(pause.waits)
        async with asyncio.timeout(10):  # the second passes on the clock: the chat is free, a pass sends
            while len(harness.fake.texts(CITIZEN.id)) < 2:
                pause.release()  # (float instants may leave a last wait of a microsecond to release)
                await asyncio.sleep(0.001)
        assert passes <= passes_so_far + 2
        assert harness.fake.texts(CITIZEN.id) == ["Tin 1", "Tin 2"]
        await pause.wait_after(seen)  # the loop waits again once it has sent
        passes_so_far = passes

        seen = len(pause.waits)
        wakeup.set()  # a waker that names no chats always gets a pass
        await pause.wait_after(seen)
        assert passes == passes_so_far + 1
    finally:
        runtime.stop()
        pause.release()
        await loop
