"""Outbox delivery against a Bot API that misbehaves on purpose: nothing lost, nothing twice, order kept."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.delivery import OutboxDelivery
from bot.delivery_failures import unreachable_chats
from bot.delivery_limits import DeliveryLimiter, RateLimits
from bot.views.text_fitting import split_text, utf16_length
from models.clock import ManualClock
from models.inbox_queue import store_update
from models.outbox import Message, Outbox
from models.tables import AgencyChat, ChatDelivery, Item, ItemEvent, OutboxMessage, OutboxStatus
from tests.constants import XD_GROUP
from tests.fake_telegram import parse_html
from tests.flows import CITIZEN, submit_item
from tests.harness import BURST_CATEGORIES, Harness, ready_draft, send_press
from tests.updates import TgUser

XD_SUPERGROUP = -1003999
TEST_LIMITS = RateLimits(
    private_chat_interval_seconds=0.2,
    group_messages_per_minute=3,
    group_window_seconds=0.5,
    overall_per_second=30,
)


# --- pure parts ----------------------------------------------------------------------------------


def test_short_text_is_one_part() -> None:
    assert split_text("Xin chào <b>bạn</b>") == ["Xin chào <b>bạn</b>"]


def test_long_html_is_split_into_valid_parts_at_boundaries() -> None:
    paragraph = "<b>Đoạn {n}</b>: nội dung có dấu &amp; ký tự đặc biệt " + "chữ " * 60
    text = "\n\n".join(paragraph.format(n=n) for n in range(40)) + "\n<i>" + "kết thúc " * 700 + "</i>"
    parts = split_text(text)
    assert len(parts) > 2
    visible = ""
    for part in parts:
        assert utf16_length(part) <= 4096
        plain, _ = parse_html(part)  # raises on unbalanced or broken tags and entities
        visible += plain
    whole, _ = parse_html(text)
    assert re.sub(r"\s+", "", visible) == re.sub(r"\s+", "", whole)
    assert parts[0].endswith("</b>") or parts[0].rstrip().endswith("chữ")  # cut at a boundary, not mid-word


def test_an_open_tag_is_closed_and_reopened_across_parts() -> None:
    text = '<a href="https://example.gov.vn">' + "từ " * 3000 + "</a>"
    parts = split_text(text)
    assert len(parts) >= 2
    for part in parts:
        assert part.startswith('<a href="https://example.gov.vn">') and part.endswith("</a>")
        parse_html(part)


def test_emoji_count_as_two_units() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    parts = split_text(text)
    assert len(parts) == 2 and all(utf16_length(part) <= 4096 for part in parts)
    assert "".join(parts) == text


def manual_limiter(limits: RateLimits) -> tuple[DeliveryLimiter, ManualClock]:
    clock = ManualClock(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    return DeliveryLimiter(limits, clock=clock), clock


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def test_limiter_holds_one_message_a_second_to_a_private_chat() -> None:
    limiter, clock = manual_limiter(RateLimits())
    assert limiter.wait_seconds(5001) == 0
    limiter.note_sent(5001)
    assert limiter.wait_seconds(5001) > 0.99
    assert limiter.wait_seconds(5002) == 0  # another chat is not held back
    clock.advance(seconds(1.06))
    assert limiter.wait_seconds(5001) == 0


def test_limiter_holds_twenty_a_minute_to_a_group() -> None:
    limiter, clock = manual_limiter(RateLimits())
    for _ in range(20):
        assert limiter.wait_seconds(-100) == 0
        limiter.note_sent(-100)
        clock.advance(seconds(0.5))
    assert limiter.wait_seconds(-100) > 49  # the 21st waits until the first leaves the minute
    clock.advance(seconds(limiter.wait_seconds(-100) + 1e-3))
    assert limiter.wait_seconds(-100) == 0


def test_limiter_holds_thirty_a_second_overall() -> None:
    limiter, clock = manual_limiter(RateLimits())
    for chat_id in range(1, 31):
        assert limiter.wait_seconds(chat_id) == 0
        limiter.note_sent(chat_id)
    assert limiter.wait_seconds(31) > 0.9
    clock.advance(seconds(1.06))
    assert limiter.wait_seconds(31) == 0


def test_limiter_honours_retry_after_for_that_chat_only() -> None:
    limiter, clock = manual_limiter(RateLimits())
    limiter.pause(-100, 7)
    assert limiter.wait_seconds(-100) >= 7
    assert limiter.wait_seconds(-200) == 0
    clock.advance(seconds(7.1))
    assert limiter.wait_seconds(-100) == 0


# --- helpers -------------------------------------------------------------------------------------


async def queue(harness: Harness, chat_id: int, texts: list[str]) -> None:
    """Queue messages in one committed transaction, as a handler would."""
    async with harness.session() as session:
        outbox = Outbox(session, harness.clock.now())
        for text in texts:
            outbox.send(chat_id, Message(text))


def limited_delivery(harness: Harness, **options: Any) -> OutboxDelivery:
    """A delivery held to TEST_LIMITS on the test's clock, which the fake Bot API stamps calls with too."""
    return OutboxDelivery(harness.application.bot, harness.services, DeliveryLimiter(TEST_LIMITS), **options)


async def drain(harness: Harness, delivery: OutboxDelivery, *, within: float = 90.0) -> None:
    """Deliver until the outbox is settled, moving the clock to when the limits or a back-off free a chat."""
    deadline = time.monotonic() + within
    while await harness.pending_outbox():
        assert time.monotonic() < deadline, "the outbox did not drain"
        report = await delivery.deliver_due()
        if not report.did_anything:
            step = report.next_ready_seconds if report.next_ready_seconds is not None else 1.0
            harness.clock.advance(timedelta(seconds=max(step, 0.001)))


def delivered_texts(harness: Harness, chat_id: int) -> list[str]:
    """Return the texts Telegram accepted for a chat, parts of split messages joined again."""
    return harness.fake.texts(chat_id)


def citizen(number: int) -> TgUser:
    return TgUser(id=7100 + number, first_name=f"Dân {number}", language_code="vi")


# --- behaviour against the fake Bot API ----------------------------------------------------------


async def test_a_burst_under_faults_is_delivered_exactly_once_in_order_within_limits(
    harness: Harness,
) -> None:
    fake = harness.fake
    delivery = limited_delivery(harness)
    # Submissions: real updates through the inbox, each creating an item, a card and a receipt.
    submitters = [citizen(n) for n in range(6)]
    async with harness.session() as session:
        for n, user in enumerate(submitters):
            text = f"Phản ánh số {n}: đèn đường ở ngõ {n} bị hỏng đã hai tuần, buổi tối rất tối."
            session.add(
                ready_draft(
                    user.id,
                    category_code=BURST_CATEGORIES[n % len(BURST_CATEGORIES)],
                    text=text,
                    now=harness.clock.now(),
                )
            )
    async with harness.session() as session:
        for user in submitters:
            await store_update(
                session, send_press(harness.updates, harness.services.signer, user), harness.clock.now()
            )
    await harness.runtime.inbox.process_pending()
    # Plenty more traffic: numbered messages, some longer than one Telegram message.
    expected: dict[int, list[str]] = {}
    long_text = "<b>Trả lời chi tiết</b>\n\n" + "\n\n".join(
        f"Đoạn {n}: " + "nội dung " * 80 for n in range(12)
    )
    private_chats = [7200 + n for n in range(12)]
    group_chats = [-1001000, -1002000, -1004000, -1005000]
    for chat_id in private_chats + group_chats:
        expected[chat_id] = [f"Tin số {n} gửi {chat_id}" for n in range(5)]
        if chat_id % 3 == 0:
            expected[chat_id].insert(2, long_text)
        await queue(harness, chat_id, expected[chat_id])
    blocked = 7300
    await queue(harness, blocked, ["một", "hai", "ba"])
    await queue(harness, XD_GROUP, [f"Nhóm cũ {n}" for n in range(4)])
    fake.block_user(blocked)
    fake.migrate_chat(XD_GROUP, XD_SUPERGROUP)
    fake.enforce_retry_after()
    fake.inject_faults(rate_429=0.08, retry_after=1, rate_500=0.08, rate_timeout=0.04, seed=7)
    # This fake's timeouts never reach Telegram, while a real lost answer usually follows a message
    # Telegram took; so allow more resends here than the one of the default (tested on its own in
    # test_sender_failover), or a message timed out twice would be taken as delivered and be missing.
    harness.services.settings = harness.services.settings.model_copy(
        update={"outbox_resends_after_lost_answer": 3}
    )

    started = time.monotonic()
    await drain(harness, delivery)
    seconds = time.monotonic() - started

    outcomes = [call.outcome for call in fake.calls]
    lost = duplicates = 0
    for chat_id, texts in expected.items():
        got = delivered_texts(harness, chat_id)
        joined = [text for text in got if text.startswith("Tin số")]
        numbered = [text for text in texts if text.startswith("Tin số")]
        lost += len(set(numbered) - set(joined))
        duplicates += len(joined) - len(set(joined))
        assert joined == numbered, f"chat {chat_id}: {joined}"
        if long_text in texts:
            whole, _ = parse_html(long_text)
            parts = [text for text in got if text.startswith(("Trả lời", "Đoạn"))]
            assert re.sub(r"\s+", "", "".join(parts)) == re.sub(r"\s+", "", whole)
            first_part = got.index(parts[0])
            assert got[first_part - 1] == numbered[1] and got[first_part + len(parts)] == numbered[2]
    items = await harness.items()
    assert len(items) == len(submitters)
    for item in items:
        owner = next(user for user in submitters if user.id == item.citizen_telegram_user_id)
        receipts = [text for text in fake.texts(owner.id) if item.code in text]
        assert len(receipts) == 1
    cards = [text for call in fake.sent() for text in [call.params.get("text") or ""] if "PA-" in text]
    assert len(cards) == len(set(cards))
    # The migrated group got its messages exactly once, in the supergroup, in order.
    assert fake.texts(XD_GROUP) == []
    moved = [text for text in fake.texts(XD_SUPERGROUP) if text.startswith("Nhóm cũ")]
    assert moved == [f"Nhóm cũ {n}" for n in range(4)]
    # The blocked citizen was tried once and never again.
    assert [call.outcome for call in fake.calls if call.params.get("chat_id") == blocked] == ["403"]
    violations = outcomes.count("429_violation")
    private_peak = max(
        fake.max_messages_in_window(chat_id, TEST_LIMITS.private_chat_interval_seconds)
        for chat_id in private_chats
    )
    group_peak = max(
        fake.max_messages_in_window(chat_id, TEST_LIMITS.group_window_seconds) for chat_id in group_chats
    )
    overall_peak = fake.max_messages_in_window(None, 1.0)
    print(
        f"\nfault burst: {len(fake.sent())} calls accepted, faults 429={outcomes.count('429')} "
        f"500={outcomes.count('500')} timeout={outcomes.count('timeout')} 403={outcomes.count('403')} "
        f"migrate={outcomes.count('migrate')}; lost={lost} duplicates={duplicates} violations={violations} "
        f"peaks private={private_peak}/0.2s group={group_peak}/0.5s overall={overall_peak}/s; {seconds:.1f}s"
    )
    assert lost == 0 and duplicates == 0 and violations == 0
    assert outcomes.count("429") and outcomes.count("500") and outcomes.count("timeout")
    assert private_peak <= 1
    assert group_peak <= TEST_LIMITS.group_messages_per_minute
    assert overall_peak <= TEST_LIMITS.overall_per_second
    async with harness.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
        assert {row.status for row in rows if row.chat_id != blocked} == {OutboxStatus.SENT}
        assert {row.status for row in rows if row.chat_id == blocked} == {OutboxStatus.UNDELIVERABLE}


async def test_a_retry_after_pauses_the_chat_and_keeps_its_order(harness: Harness) -> None:
    fake = harness.fake
    delivery = limited_delivery(harness)
    await queue(harness, -1002000, ["một", "hai", "ba"])
    fake.enforce_retry_after()
    fake.inject_faults(rate_429=1.0, retry_after=1)
    report = await delivery.deliver_due()
    assert report.retried == 1 and report.sent == 0
    async with harness.session() as session:
        chat = await session.get(ChatDelivery, -1002000)
        assert chat is not None and chat.paused_until == harness.clock.now() + timedelta(seconds=1)
    fake.inject_faults()  # no more random faults; Telegram still holds the chat until retry_after
    assert not (await delivery.deliver_due()).did_anything  # still inside retry_after: nothing is tried
    harness.clock.advance(timedelta(seconds=0.9))
    assert not (await delivery.deliver_due()).did_anything
    harness.clock.advance(timedelta(seconds=0.2))
    await drain(harness, delivery)
    assert fake.texts(-1002000) == ["một", "hai", "ba"]
    assert "429_violation" not in [call.outcome for call in fake.calls]


async def test_server_errors_back_off_with_jitter_and_later_messages_wait(harness: Harness) -> None:
    delivery = limited_delivery(harness)
    await queue(harness, CITIZEN.id, ["trước", "sau"])
    harness.fake.inject_faults(rate_500=1.0)
    report = await delivery.deliver_due()
    assert report.retried == 1
    async with harness.session() as session:
        first, second = (await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
    assert second.status is OutboxStatus.PENDING and second.attempts == 0
    assert (
        first.status is OutboxStatus.PENDING
        and first.attempts == 1
        and "Internal Server Error" in (first.last_error or "")
    )
    delay = (first.available_at - harness.clock.now()).total_seconds()
    assert 1.0 <= delay <= 3.0  # 2 s, with jitter of ±50 %
    harness.fake.clear_faults()
    assert not (await delivery.deliver_due()).did_anything  # "sau" never overtakes "trước"
    harness.clock.advance(timedelta(seconds=4))
    await drain(harness, delivery)
    assert harness.fake.texts(CITIZEN.id) == ["trước", "sau"]


async def test_a_blocked_citizen_is_marked_unreachable_and_never_retried(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    harness.fake.block_user(CITIZEN.id)
    item = await harness.item(code)
    async with harness.session() as session:
        outbox = Outbox(session, harness.clock.now())
        outbox.send(CITIZEN.id, Message("Cơ quan đã trả lời"), item_id=item.id)
        outbox.send(CITIZEN.id, Message("Mời đánh giá"), item_id=item.id)
    await harness.deliver_everything()
    refused = [
        call
        for call in harness.fake.calls
        if call.params.get("chat_id") == CITIZEN.id and call.outcome == "403"
    ]
    assert len(refused) == 1
    item = await harness.item(code)
    assert item.is_citizen_unreachable
    events = await harness.events(item.id)  # type: ignore[arg-type]
    assert events[-1].action == "citizen_unreachable" and "blocked" in (events[-1].reason or "")
    async with harness.session() as session:
        assert [chat.chat_id for chat in await unreachable_chats(session)] == [CITIZEN.id]
        statuses = (
            await session.exec(select(OutboxMessage.status).where(OutboxMessage.chat_id == CITIZEN.id))
        ).all()
        assert statuses.count(OutboxStatus.UNDELIVERABLE) == 2
    # Unblocking (the citizen writes again) makes the chat reachable, and says so in the history.
    harness.fake.unblock_user(CITIZEN.id)
    await harness.say(CITIZEN, "/start")
    item = await harness.item(code)
    assert not item.is_citizen_unreachable
    assert (await harness.events(item.id))[-1].action == "citizen_reachable"  # type: ignore[arg-type]


async def test_a_migrated_group_gets_the_card_once_and_keeps_the_new_chat_id(harness: Harness) -> None:
    harness.fake.migrate_chat(XD_GROUP, XD_SUPERGROUP)
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    cards = [text for text in harness.fake.texts(XD_SUPERGROUP) if code in text]
    assert len(cards) == 1
    assert [call.outcome for call in harness.fake.calls if call.params.get("chat_id") == XD_GROUP] == [
        "migrate"
    ]
    async with harness.session() as session:
        binding = await session.get(AgencyChat, "SO-XD")
        assert binding is not None and binding.chat_id == XD_SUPERGROUP and binding.how == "migration"
    other = TgUser(id=5077, first_name="Hoa")
    second = await submit_item(
        harness,
        other,
        category="Giao thông",
        text="Ổ gà lớn trên đường Hoàng Văn Thụ gây nguy hiểm cho người đi xe máy.",
    )
    assert len([text for text in harness.fake.texts(XD_SUPERGROUP) if second in text]) == 1
    assert [call.outcome for call in harness.fake.calls if call.params.get("chat_id") == XD_GROUP] == [
        "migrate"
    ]


async def test_an_interrupted_send_is_resent_after_its_lease_and_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = limited_delivery(harness)
    await queue(harness, CITIZEN.id, ["đầu", "cuối"])
    from bot.delivery import DeliveryReport

    planned = await delivery._claim(CITIZEN.id, DeliveryReport())  # the process dies right after this
    assert planned is not None and not planned.is_resend
    assert not (await delivery.deliver_due()).did_anything  # leased: not sent twice meanwhile
    harness.clock.advance(timedelta(seconds=harness.services.settings.outbox_send_lease_seconds + 1))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await drain(harness, delivery)
    assert harness.fake.texts(CITIZEN.id) == ["đầu", "cuối"]
    assert "at-least-once" in caplog.text


async def test_two_instances_deliver_each_message_once_in_order(harness: Harness) -> None:
    first = limited_delivery(harness)
    second = limited_delivery(harness)
    chats = [-1001000, -1002000, 7401, 7402, 7403]
    for chat_id in chats:
        await queue(harness, chat_id, [f"{chat_id} số {n}" for n in range(4)])
    harness.fake.inject_faults(rate_500=0.1, seed=3)
    for _ in range(1000):
        if not await harness.pending_outbox():
            break
        reports = await asyncio.gather(first.deliver_due(), second.deliver_due())
        if not any(report.did_anything for report in reports):
            harness.clock.advance(timedelta(seconds=1))
    assert not await harness.pending_outbox(), "the outbox did not drain"
    for chat_id in chats:
        assert harness.fake.texts(chat_id) == [f"{chat_id} số {n}" for n in range(4)]


async def test_an_edit_of_a_card_that_is_gone_posts_it_again(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    item = await harness.item(code)
    from bot.views.cards import refresh_card

    card = next(m for m in harness.bot_messages(XD_GROUP) if code in (m.get("text") or ""))
    harness.fake._messages.pop((XD_GROUP, card["message_id"]))  # an admin deleted the card
    async with harness.session() as session:
        stored = await session.get(Item, item.id)
        assert stored is not None
        await refresh_card(
            session=session,
            outbox=Outbox(session, harness.clock.now()),
            directory=harness.services.directory,
            signer=harness.services.signer,
            item=stored,
            language="vi",
        )
    await harness.deliver_everything()
    assert len([text for text in harness.fake.texts(XD_GROUP) if code in text]) == 2
    async with harness.session() as session:
        assert (await session.exec(select(ItemEvent))).first() is not None
