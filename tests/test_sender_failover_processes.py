"""Two real `pakn run` processes share one database; the sender is killed with SIGKILL mid-burst."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlmodel import select

from models.db import make_engine, make_session_factory
from models.outbox import Message, Outbox
from models.tables import DeliveryLease, OutboxMessage, OutboxStatus
from tests.fake_telegram import FakeTelegram, RecordedCall
from tests.test_durability import (  # noqa: F401  (durable_database_url is a fixture)
    BotProcess,
    bot_environment,
    create_schema_at_head,
    durable_database_url,
    is_running,
    wait_for,
)

GROUP = -1006000
PRIVATE_CHATS = [7601, 7602, 7603]
LEASE_SECONDS = 3.0
GROUP_MESSAGES = 24  # more than the 20 a minute a group may get: the last 4 wait for the window


def messages(fake: FakeTelegram) -> list[RecordedCall]:
    """Return the messages Telegram took, in the order they arrived."""
    return sorted(fake.sent(method="sendMessage"), key=lambda call: call.at)


@pytest.mark.slow
async def test_kill_9_of_the_sender_hands_delivery_over_within_the_lease_and_inside_the_limits(
    durable_database_url: str,  # noqa: F811  (the fixture imported above)
    fake_telegram: FakeTelegram,
    tmp_path: Path,
) -> None:
    fake = fake_telegram
    environment = {
        **bot_environment(durable_database_url, fake),
        "OUTBOX_SENDER_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    engine = make_engine(durable_database_url)
    await create_schema_at_head(engine, durable_database_url)
    session_factory = make_session_factory(engine)
    first = BotProcess(environment, tmp_path / "first.log")
    second = BotProcess(environment, tmp_path / "second.log")
    expected = {GROUP: [f"nhóm {n}" for n in range(GROUP_MESSAGES)]}
    expected.update({chat_id: [f"{chat_id} tin {n}" for n in range(6)] for chat_id in PRIVATE_CHATS})
    total = sum(len(texts) for texts in expected.values())
    try:
        await first.start()
        await wait_for(lambda: is_running(first), within=30, what="the first instance to start")
        await second.start()
        await wait_for(lambda: is_running(second), within=30, what="the second instance to start")
        from datetime import UTC, datetime

        async with session_factory() as session, session.begin():
            outbox = Outbox(session, datetime.now(UTC))
            for n in range(6):  # as handlers queue them: interleaved
                for chat_id in PRIVATE_CHATS:
                    outbox.send(chat_id, Message(expected[chat_id][n]))
            for text in expected[GROUP]:
                outbox.send(GROUP, Message(text))
        await wait_for(lambda: len(messages(fake)) >= 8, within=30, what="the sender to start sending")
        async with session_factory() as session:
            lease = await session.get(DeliveryLease, "outbox")
        assert lease is not None
        sender, standby = (first, second) if f":{first.process.pid}:" in lease.holder else (second, first)  # type: ignore[union-attr]
        assert f":{sender.process.pid}:" in lease.holder  # type: ignore[union-attr]
        sender.kill()
        await sender.exit_code()
        killed_at = time.monotonic()
        sent_before_kill = len(messages(fake))

        async def drained() -> bool:
            async with session_factory() as session:
                pending = (
                    await session.exec(
                        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
                    )
                ).all()
            return not pending

        await wait_for(drained, within=120, what="the standby to deliver everything")
        resumed_after = min(call.at for call in messages(fake)[sent_before_kill:]) - killed_at
        duplicates = 0
        for chat_id, texts in expected.items():
            got = fake.texts(chat_id)
            duplicates += len(got) - len(set(got))
            assert list(dict.fromkeys(got)) == texts, f"chat {chat_id}: {got}"  # nothing lost, in order
        group_peak = fake.max_messages_in_window(GROUP, 60.0)
        private_peak = max(fake.max_messages_in_window(chat_id, 1.0) for chat_id in PRIVATE_CHATS)
        print(
            f"\nsender killed after {sent_before_kill}/{total} messages; the standby resumed after "
            f"{resumed_after:.2f}s (lease {LEASE_SECONDS:g}s); duplicates={duplicates} "
            f"group peak={group_peak}/60s private peak={private_peak}/s"
        )
        assert duplicates <= 1  # at most the one call in flight at the kill, and it is logged
        assert duplicates == 0 or "at-least-once" in standby.log
        assert resumed_after <= LEASE_SECONDS + 2.0
        assert group_peak <= 20 and private_peak <= 1
        assert "429_violation" not in [call.outcome for call in fake.calls]
        assert "is now the outbox sender" in standby.log
    finally:
        for bot in (first, second):
            if bot.process is not None and bot.process.returncode is None:
                bot.kill()
                await bot.exit_code()
        await engine.dispose()
