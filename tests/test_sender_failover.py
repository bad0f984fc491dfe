"""One sender at a time, handed over by lease: limits hold across restarts and handovers, resends are bounded."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlmodel import col, select

from bot.application import build_services
from bot.delivery import DeliveryReport, OutboxDelivery
from bot.delivery_limits import DeliveryLimiter
from bot.services import Services
from models.outbox import Message, Outbox
from models.tables import ChatDelivery, DeliveryLease, OutboxMessage, OutboxStatus
from tests.harness import Harness
from tests.test_delivery import TEST_LIMITS, drain, limited_delivery, queue

GROUP = -1002000
CITIZEN_CHAT = 7501
LEASE_SECONDS = 10.0


@pytest_asyncio.fixture
async def other_services(harness: Harness) -> AsyncIterator[Services]:
    """A second instance's services: its own engine on the same database, the same clock."""
    services = build_services(harness.services.settings, clock=harness.clock)
    try:
        yield services
    finally:
        await services.engine.dispose()


def group_peak(harness: Harness) -> int:
    return harness.fake.max_messages_in_window(GROUP, TEST_LIMITS.group_window_seconds)


async def test_the_group_limit_holds_across_a_restart(harness: Harness) -> None:
    before = limited_delivery(harness)
    await queue(harness, GROUP, [f"trước {n}" for n in range(3)])
    await before.deliver_due()
    assert harness.fake.texts(GROUP) == ["trước 0", "trước 1", "trước 2"]  # the whole window's worth
    await queue(harness, GROUP, [f"sau {n}" for n in range(3)])
    # kill -9 and start again: a fresh process with an empty limiter, same database, same instant
    after = OutboxDelivery(harness.application.bot, harness.services, DeliveryLimiter(TEST_LIMITS))
    assert await after.hold_lease()
    report = await after.deliver_due()
    assert report.sent == 0 and report.next_ready_seconds is not None
    assert 0.4 < report.next_ready_seconds <= TEST_LIMITS.group_window_seconds + 0.1
    await drain(harness, after)
    assert harness.fake.texts(GROUP)[3:] == ["sau 0", "sau 1", "sau 2"]
    assert group_peak(harness) <= TEST_LIMITS.group_messages_per_minute


async def test_a_retry_after_survives_a_restart(harness: Harness) -> None:
    before = limited_delivery(harness)
    await queue(harness, GROUP, ["một", "hai"])
    harness.fake.enforce_retry_after()
    harness.fake.inject_faults(rate_429=1.0, retry_after=5)
    await before.deliver_due()
    harness.fake.inject_faults()
    after = OutboxDelivery(harness.application.bot, harness.services, DeliveryLimiter(TEST_LIMITS))
    assert await after.hold_lease()
    assert after.limiter.wait_seconds(GROUP) > 4.9
    harness.clock.advance(timedelta(seconds=3))
    assert not (await after.deliver_due()).did_anything
    harness.clock.advance(timedelta(seconds=2.1))
    await drain(harness, after)
    assert harness.fake.texts(GROUP) == ["một", "hai"]
    assert "429_violation" not in [call.outcome for call in harness.fake.calls]


async def test_only_the_lease_holder_sends_and_another_takes_over_within_the_lease(
    harness: Harness, other_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    first = limited_delivery(harness)
    second = OutboxDelivery(harness.application.bot, other_services, DeliveryLimiter(TEST_LIMITS))
    await queue(harness, GROUP, [f"nhóm {n}" for n in range(7)])
    await queue(harness, CITIZEN_CHAT, [f"dân {n}" for n in range(3)])
    assert (await first.deliver_as_sender()) is not None
    assert await second.deliver_as_sender() is None  # the first holds the lease: the second stands by
    assert len(harness.fake.texts(GROUP)) == 3 and harness.fake.texts(CITIZEN_CHAT) == ["dân 0"]
    # The first claims the next private message and dies before the call: kill -9, no cleanup.
    harness.clock.advance(timedelta(seconds=0.3))
    in_flight = await first._claim(CITIZEN_CHAT, DeliveryReport())
    assert in_flight is not None
    died_at = harness.clock.now()
    harness.clock.advance(timedelta(seconds=LEASE_SECONDS / 2))
    assert await second.deliver_as_sender() is None  # the lease has not lapsed yet
    harness.clock.advance(timedelta(seconds=LEASE_SECONDS / 2))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        report = await second.deliver_as_sender()
    assert report is not None and report.sent >= 1
    first_after = min(call.at for call in harness.fake.sent() if call.at > died_at.timestamp())
    assert first_after - died_at.timestamp() <= LEASE_SECONDS  # delivery resumed within the lease
    assert "had in flight" in caplog.text
    assert f"Resending outbox message {in_flight.outbox_id}" in caplog.text
    assert other_services.delivery_counters.takeovers == 1 and other_services.delivery_counters.resends == 1
    while await harness.pending_outbox():
        report = await second.deliver_as_sender()
        assert report is not None  # the second keeps the lease by renewing it
        if not report.did_anything:
            harness.clock.advance(timedelta(seconds=max(report.next_ready_seconds or 0.25, 0.001)))
    assert harness.fake.texts(GROUP) == [f"nhóm {n}" for n in range(7)]
    assert harness.fake.texts(CITIZEN_CHAT) == ["dân 0", "dân 1", "dân 2"]  # the claim was never sent
    assert group_peak(harness) <= TEST_LIMITS.group_messages_per_minute
    assert harness.fake.max_messages_in_window(CITIZEN_CHAT, TEST_LIMITS.private_chat_interval_seconds) <= 1
    async with harness.session() as session:
        lease = await session.get(DeliveryLease, "outbox")
        assert lease is not None and lease.holder == second.holder


async def test_a_sender_that_lost_its_lease_sends_nothing_more(
    harness: Harness, other_services: Services
) -> None:
    stalled = limited_delivery(harness)
    other = OutboxDelivery(harness.application.bot, other_services, DeliveryLimiter(TEST_LIMITS))
    assert await stalled.hold_lease()
    harness.clock.advance(timedelta(seconds=LEASE_SECONDS + 1))  # a long pause: the lease lapsed
    assert await other.hold_lease()
    await queue(harness, CITIZEN_CHAT, ["chỉ một lần"])
    assert (await stalled.deliver_due()).sent == 0  # its claims check the lease in the database
    assert not stalled.holds_lease()
    assert (await other.deliver_due()).sent == 1
    assert harness.fake.texts(CITIZEN_CHAT) == ["chỉ một lần"]


async def test_a_graceful_stop_hands_the_lease_over_at_once(
    harness: Harness, other_services: Services
) -> None:
    leaving = limited_delivery(harness)
    staying = OutboxDelivery(harness.application.bot, other_services, DeliveryLimiter(TEST_LIMITS))
    assert await leaving.hold_lease()
    await leaving.release_lease()
    assert await staying.hold_lease()


async def test_the_limits_are_recorded_per_chat_and_stay_bounded(harness: Harness) -> None:
    delivery = limited_delivery(harness)
    await queue(harness, GROUP, [f"tin {n}" for n in range(10)])
    await queue(harness, CITIZEN_CHAT, [f"tin {n}" for n in range(3)])
    await drain(harness, delivery)
    async with harness.session() as session:
        group = await session.get(ChatDelivery, GROUP)
        private = await session.get(ChatDelivery, CITIZEN_CHAT)
    assert group is not None and private is not None
    assert 1 <= len(group.recent_attempts) <= TEST_LIMITS.group_messages_per_minute
    assert len(private.recent_attempts) == 1


# --- lost answers (issue 14, item 2) ------------------------------------------------------------


async def rows(harness: Harness) -> list[OutboxMessage]:
    async with harness.session() as session:
        return list((await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all())


async def test_a_send_whose_answer_is_lost_is_resent_once_and_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = limited_delivery(harness)
    await queue(harness, CITIZEN_CHAT, ["trả lời của cơ quan", "tin sau"])
    harness.fake.lose_answers("sendMessage", 1)
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await drain(harness, delivery)
    first, _ = await rows(harness)
    assert harness.fake.texts(CITIZEN_CHAT) == ["trả lời của cơ quan", "trả lời của cơ quan", "tin sau"]
    assert first.status is OutboxStatus.SENT and first.last_error is None
    assert f"Resending outbox message {first.id}" in caplog.text
    assert harness.services.delivery_counters.resends == 1
    assert harness.services.delivery_counters.unconfirmed == 0


async def test_a_send_is_never_resent_more_than_once_after_lost_answers(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = limited_delivery(harness)
    await queue(harness, CITIZEN_CHAT, ["trả lời của cơ quan", "tin sau"])
    harness.fake.lose_answers("sendMessage", 5)  # every answer is lost, again and again
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await drain(harness, delivery)
    first, second = await rows(harness)
    texts = harness.fake.texts(CITIZEN_CHAT)
    assert texts.count("trả lời của cơ quan") == 2 and texts.count("tin sau") == 2  # never 4 copies
    assert first.status is OutboxStatus.SENT and (first.last_error or "").startswith("unconfirmed")
    assert second.status is OutboxStatus.SENT
    assert harness.services.delivery_counters.resends == 2
    assert harness.services.delivery_counters.unconfirmed == 2
    assert f"Not resending outbox message {first.id}" in caplog.text


async def test_an_edit_whose_answer_is_lost_is_repeated_without_a_new_message(harness: Harness) -> None:
    delivery = limited_delivery(harness)
    async with harness.session() as session:
        Outbox(session, harness.clock.now()).send(CITIZEN_CHAT, Message("bản đầu"))
    await drain(harness, delivery)
    message_id = harness.fake.sent(CITIZEN_CHAT)[0].result["message_id"]
    async with harness.session() as session:
        Outbox(session, harness.clock.now()).edit(CITIZEN_CHAT, message_id, Message("bản sửa"))
    harness.fake.lose_answers("editMessageText", 2)
    await drain(harness, delivery)
    edits = [call for call in harness.fake.calls if call.method == "editMessageText"]
    # the edit was done the first time; repeating it is harmless, and Telegram says "not modified"
    assert [call.outcome for call in edits] == ["lost_answer", "400"]
    assert (await rows(harness))[-1].status is OutboxStatus.SENT
    assert harness.fake.texts(CITIZEN_CHAT) == ["bản đầu"]
    assert harness.fake.message_dict(CITIZEN_CHAT, message_id)["text"] == "bản sửa"


async def test_readiness_counts_resends_and_unconfirmed_messages(harness: Harness) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.webhook import init_web_app

    delivery = limited_delivery(harness)
    await queue(harness, CITIZEN_CHAT, ["một tin"])
    harness.fake.lose_answers("sendMessage", 2)
    await drain(harness, delivery)
    client = TestClient(TestServer(init_web_app(harness.services, harness.application)))
    await client.start_server()
    try:
        ready = await client.get("/readyz")
        assert ready.status == 200
        counters = (await ready.json())["delivery"]
    finally:
        await client.close()
    assert counters["resends"] == 1 and counters["unconfirmed"] == 1 and counters["is_sender"] is False
