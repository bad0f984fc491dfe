"""A sweep that would flood one chat sends one digest for that chat instead (Telegram: ~20/min a group)."""

from __future__ import annotations

from datetime import timedelta

from tests.escalation_world import CITIZEN_IDS, SUPERVISORS_GROUP, XD_GROUP, local, make_item, sweep
from tests.harness import Harness
from tests.updates import TgUser

SUPERVISOR = TgUser(id=8901, first_name="Bình", last_name="Hoàng")
OUTSIDER = TgUser(id=8999, first_name="Khách")


async def make_road_items(harness: Harness, count: int) -> list[str]:
    """Create `count` road items at the clock's instant and return their codes."""
    return [
        (await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])).code
        for _ in range(count)
    ]


async def test_up_to_the_threshold_each_reminder_is_its_own_message(harness: Harness) -> None:
    """Three claim reminders to one group in one sweep stay three messages."""
    codes = await make_road_items(harness, 3)
    before = len(harness.fake.texts(XD_GROUP))
    harness.clock.set(local(2026, 12, 8, 9, 5))
    report = await sweep(harness)
    new = harness.fake.texts(XD_GROUP)[before:]
    assert report.digests == 0 and len(new) == 3
    assert [code for code in codes if any(code in message for message in new)] == codes
    assert all("NHẮC NHẬN XỬ LÝ" in message for message in new)


async def test_over_the_threshold_one_chat_gets_one_digest(harness: Harness) -> None:
    """Five claim reminders to one group in one sweep become one digest naming all five items."""
    codes = await make_road_items(harness, 5)
    before = len(harness.fake.texts(XD_GROUP))
    harness.clock.set(local(2026, 12, 8, 9, 5))
    report = await sweep(harness)
    new = harness.fake.texts(XD_GROUP)[before:]
    assert report.digests == 1 and len(new) == 1
    assert "TỔNG HỢP NHẮC VIỆC" in new[0] and "5 nội dung" in new[0]
    assert all(code in new[0] for code in codes)
    # The digest stands for the five steps: they fired, and do not fire again.
    assert len(report.fired) == 5
    harness.clock.advance(timedelta(minutes=1))
    assert not (await sweep(harness)).fired


async def test_a_digest_of_escalation_cards_opens_each_card_for_a_supervisor(harness: Harness) -> None:
    """Four items overdue by two working days: one digest in the supervisors' group, a button per card."""
    codes = await make_road_items(harness, 4)
    harness.fake.set_member(SUPERVISORS_GROUP, SUPERVISOR.id)
    harness.clock.set(local(2026, 12, 21, 17, 5))
    await sweep(harness)  # overdue
    before = len(harness.fake.texts(SUPERVISORS_GROUP))
    harness.clock.set(local(2026, 12, 23, 17, 5))
    report = await sweep(harness)
    new = harness.fake.texts(SUPERVISORS_GROUP)[before:]
    assert report.digests >= 1 and len(new) == 1 and all(code in new[0] for code in codes)
    await harness.press(OUTSIDER, SUPERVISORS_GROUP, f"Mở thẻ {codes[2]}")
    assert len(harness.fake.texts(SUPERVISORS_GROUP)) == before + 1  # refused: not a member
    await harness.press(SUPERVISOR, SUPERVISORS_GROUP, f"Mở thẻ {codes[2]}")
    card = harness.last_message(SUPERVISORS_GROUP)
    assert codes[2] in card["text"] and codes[0] not in card["text"]
    labels = [button["text"] for row in card["reply_markup"]["inline_keyboard"] for button in row]
    assert len(labels) == 4  # urge, reassign, extend, flag
