"""The next escalation instant is right after every change that moves a deadline or a state (issue 9).

Each change goes through the domain rule, in a session of the bot's own factory, as a handler does;
the instant is read back from the database afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import col, select

from models.consultations import answer_consultation, request_consultation
from models.handover import transfer
from models.items import get_item_for_update
from models.lifecycle import Actor, Change, answer, ask_citizen, citizen_replied, claim, rate, withdraw
from models.supervision import extend
from models.tables import ActorRole, Consultation, Item, Rating
from tests.escalation_world import CITIZEN_IDS, local, make_item, sweep
from tests.harness import Harness

OFFICER = Actor(role=ActorRole.OFFICER, telegram_user_id=8101, name="Trần Hùng", agency_code="SO-XD")
SUPERVISOR = Actor(role=ActorRole.SUPERVISOR, telegram_user_id=8901, name="Hoàng Bình")
CITIZEN = Actor(role=ActorRole.CITIZEN, telegram_user_id=CITIZEN_IDS[0])
AGENCIES = frozenset({"VP", "SO-NNMT", "SO-XD", "SO-YT", "UBND-PDP", "UBND-TC"})

# A road item received Monday 07/12/2026 09:00 (tests/constants.py): claim due Tuesday 09:00, answer
# due Monday 21/12 17:00 (10 working days), so "due soon" (8 working hours: one day) from 07:30 that day.
CLAIM_DUE = local(2026, 12, 8, 9, 0)
CLAIM_LEADERS = local(2026, 12, 8, 14, 30)  # 4 working hours later: 2.5 h before lunch, 1.5 h after
DUE_SOON = local(2026, 12, 21, 7, 30)


async def change(harness: Harness, item_id: int, rule: Callable[[Item], Change], at: datetime) -> None:
    """Apply a domain rule to the item at an instant and save it, as a handler does."""
    harness.clock.set(at)
    async with harness.session() as session:
        item = await get_item_for_update(session, item_id)
        assert item is not None
        made = rule(item)
        session.add(item)
        session.add(made.event)


async def next_of(harness: Harness, item_id: int) -> datetime | None:
    """Return the stored next escalation instant of an item."""
    async with harness.session() as session:
        item = await session.get(Item, item_id)
        assert item is not None
        return item.next_escalation_at


async def consultation_next_of(harness: Harness, item_id: int) -> list[datetime | None]:
    """Return the stored instants of an item's consultations, oldest first."""
    async with harness.session() as session:
        statement = select(Consultation).where(Consultation.item_id == item_id).order_by(col(Consultation.id))
        return [consultation.next_escalation_at for consultation in (await session.exec(statement)).all()]


async def ask_for_consultation(harness: Harness, item_id: int) -> None:
    """Ask UBND-PDP for a position on the item, with 5 working days to give it, at the clock's time."""
    async with harness.session() as session:
        locked = await get_item_for_update(session, item_id)
        assert locked is not None
        consultation, made = request_consultation(
            locked,
            actor=OFFICER,
            now=harness.clock.now(),
            calendar=harness.services.calendar,
            consultation_days=5,
            to_agency_code="UBND-PDP",
            question="Đề nghị cho ý kiến về hiện trạng vỉa hè.",
            known_agency_codes=AGENCIES,
        )
        session.add(consultation)
        session.add(made.event)


async def test_claim_pause_resume_consultation_extension_answer_reopen_and_close(harness: Harness) -> None:
    """Follow one item through every kind of change; the instant is the next rung each time."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    assert item.id is not None
    item_id = item.id
    calendar = harness.services.calendar
    assert await next_of(harness, item_id) == CLAIM_DUE  # a new item: its claim deadline

    harness.clock.set(local(2026, 12, 8, 9, 5))
    assert [step for _code, step in (await sweep(harness)).fired] == ["claim_group@SO-XD"]
    assert await next_of(harness, item_id) == CLAIM_LEADERS  # after a step fires: the next rung

    await change(
        harness, item_id, lambda i: claim(i, actor=OFFICER, now=harness.clock.now()), local(2026, 12, 8, 10)
    )
    assert await next_of(harness, item_id) == DUE_SOON  # claimed: the claim rungs are gone

    def pause(i: Item) -> Change:
        return ask_citizen(i, actor=OFFICER, now=harness.clock.now(), question="Xin cho biết số nhà cụ thể?")

    await change(harness, item_id, pause, local(2026, 12, 9, 9))
    assert await next_of(harness, item_id) is None  # the answer clock is paused: nothing can fire

    def resume(i: Item) -> Change:
        return citizen_replied(i, actor=CITIZEN, now=harness.clock.now(), calendar=calendar, text="Số 12.")

    await change(harness, item_id, resume, local(2026, 12, 10, 9))
    # One working day waited moves the answer deadline to Tuesday 22/12 17:00: due soon from 07:30.
    assert await next_of(harness, item_id) == local(2026, 12, 22, 7, 30)

    harness.clock.set(local(2026, 12, 10, 10))
    await ask_for_consultation(harness, item_id)
    # Due Thursday 17/12 17:00 (5 working days): its due-soon rung from 07:30 that day.
    assert await consultation_next_of(harness, item_id) == [local(2026, 12, 17, 7, 30)]
    assert await next_of(harness, item_id) == local(2026, 12, 22, 7, 30)  # the item's own clock is unmoved

    harness.clock.set(local(2026, 12, 11, 10))
    async with harness.session() as session:
        locked = await get_item_for_update(session, item_id)
        stored = (await session.exec(select(Consultation).where(Consultation.item_id == item_id))).one()
        assert locked is not None
        made = answer_consultation(
            stored,
            locked,
            actor=OFFICER,
            now=harness.clock.now(),
            text="Vỉa hè đoạn này do phường quản lý theo Quyết định 15/2024/QĐ-UBND; đề nghị phường sửa trước 20/12/2026.",
        )
        session.add(stored)
        session.add(made.event)
    assert await consultation_next_of(harness, item_id) == [None]  # answered: its clock stops

    def extension(i: Item) -> Change:
        return extend(
            i,
            actor=SUPERVISOR,
            now=harness.clock.now(),
            new_due_at=local(2026, 12, 31, 17, 0),
            reason="Cần khảo sát hiện trường.",
            directory=harness.services.directory,
            calendar=calendar,
        )

    await change(harness, item_id, extension, local(2026, 12, 14, 9))
    assert await next_of(harness, item_id) == local(2026, 12, 31, 7, 30)  # due soon of the new deadline

    def answered(i: Item) -> Change:
        body = (
            "Đơn vị đã cho sửa lại mặt đường trước số nhà 12 trong ngày 15/12, xin cảm ơn ông bà đã phản ánh."
        )
        return answer(i, actor=OFFICER, now=harness.clock.now(), calendar=calendar, text=body)

    await change(harness, item_id, answered, local(2026, 12, 15, 9))
    assert await next_of(harness, item_id) is None  # answered: nothing more can fire

    def not_satisfied(i: Item) -> Change:
        return rate(
            i,
            actor=CITIZEN,
            now=harness.clock.now(),
            rating=Rating.NOT_SATISFIED,
            calendar=calendar,
            answer_days=10,
            claim_hours=8,
        )

    reopened_at = local(2026, 12, 16, 9)
    await change(harness, item_id, not_satisfied, reopened_at)
    # Reopened: the next sweep looks at it at once (its consultations may have been put to rest), and
    # then stores the new claim deadline, 8 working hours after the reopening.
    assert await next_of(harness, item_id) == reopened_at
    harness.clock.set(local(2026, 12, 16, 9, 1))
    assert not (await sweep(harness)).fired
    assert await next_of(harness, item_id) == local(2026, 12, 17, 9, 0)

    await change(
        harness,
        item_id,
        lambda i: withdraw(i, actor=CITIZEN, now=harness.clock.now()),
        local(2026, 12, 16, 10),
    )
    assert await next_of(harness, item_id) is None  # finished


async def test_a_transfer_rearms_the_claim_reminder_for_the_new_agency(harness: Harness) -> None:
    """The claim deadline never restarts, so the new agency's reminder is due at once."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    assert item.id is not None
    harness.clock.set(local(2026, 12, 8, 9, 5))
    await sweep(harness)
    assert await next_of(harness, item.id) == CLAIM_LEADERS

    def passed_on(i: Item) -> Change:
        return transfer(
            i,
            actor=OFFICER,
            now=harness.clock.now(),
            target_agency_code="SO-NNMT",
            reason="Nội dung về đất đai, thuộc Sở Nông nghiệp và Môi trường.",
            known_agency_codes=AGENCIES,
        )

    await change(harness, item.id, passed_on, local(2026, 12, 8, 10))
    assert await next_of(harness, item.id) == CLAIM_DUE  # passed already: the sweep looks at once
    harness.clock.set(local(2026, 12, 8, 10, 1))
    assert [step for _code, step in (await sweep(harness)).fired] == ["claim_group@SO-NNMT"]
    assert await next_of(harness, item.id) == CLAIM_LEADERS


async def test_a_satisfied_rating_closes_the_clock(harness: Harness) -> None:
    """Answered then rated satisfied: nothing can fire any more."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    assert item.id is not None
    calendar = harness.services.calendar
    await change(
        harness, item.id, lambda i: claim(i, actor=OFFICER, now=harness.clock.now()), local(2026, 12, 7, 10)
    )

    def answered(i: Item) -> Change:
        body = (
            "Đơn vị đã cho sửa lại mặt đường trước số nhà 12 trong ngày 08/12, xin cảm ơn ông bà đã phản ánh."
        )
        return answer(i, actor=OFFICER, now=harness.clock.now(), calendar=calendar, text=body)

    await change(harness, item.id, answered, local(2026, 12, 8, 10))

    def satisfied(i: Item) -> Change:
        return rate(
            i,
            actor=CITIZEN,
            now=harness.clock.now(),
            rating=Rating.SATISFIED,
            calendar=calendar,
            answer_days=10,
            claim_hours=8,
        )

    await change(harness, item.id, satisfied, local(2026, 12, 8, 11))
    assert await next_of(harness, item.id) is None


async def test_a_consultation_put_to_rest_while_answered_wakes_when_the_item_reopens(
    harness: Harness,
) -> None:
    """An unanswered consultation of an answered item rests; a reopening brings its overdue step back."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    assert item.id is not None
    item_id = item.id
    calendar = harness.services.calendar
    await change(
        harness, item_id, lambda i: claim(i, actor=OFFICER, now=harness.clock.now()), local(2026, 12, 7, 10)
    )
    harness.clock.set(local(2026, 12, 7, 10, 30))
    await ask_for_consultation(harness, item_id)

    def answered(i: Item) -> Change:
        body = (
            "Đơn vị đã cho sửa lại mặt đường trước số nhà 12 trong ngày 08/12, xin cảm ơn ông bà đã phản ánh."
        )
        return answer(i, actor=OFFICER, now=harness.clock.now(), calendar=calendar, text=body)

    await change(harness, item_id, answered, local(2026, 12, 8, 10))
    harness.clock.set(local(2026, 12, 14, 18, 0))  # the consultation's deadline (Monday 17:00) has passed
    assert not (await sweep(harness)).fired  # the item is answered: the consultation rests
    assert await consultation_next_of(harness, item_id) == [None]

    def not_satisfied(i: Item) -> Change:
        return rate(
            i,
            actor=CITIZEN,
            now=harness.clock.now(),
            rating=Rating.NOT_SATISFIED,
            calendar=calendar,
            answer_days=10,
            claim_hours=8,
        )

    await change(harness, item_id, not_satisfied, local(2026, 12, 15, 9))
    harness.clock.set(local(2026, 12, 15, 9, 1))
    assert [step for _code, step in (await sweep(harness)).fired] == ["consultation_overdue"]
    assert await consultation_next_of(harness, item_id) == [None]  # nothing more can fire for it
    assert await next_of(harness, item_id) == local(2026, 12, 16, 9, 0)  # the new claim deadline
