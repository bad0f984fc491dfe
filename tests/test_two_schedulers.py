"""Two bot instances sweeping one database at the same moments: every message is queued and sent once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, insert
from sqlmodel import select

from bot.application import build_services
from models.claims import claim_step
from models.db import transaction
from models.escalation import DueStep, EscalationRules, LadderStep
from models.tables import EscalationStep, Item, OutboxMessage
from scheduler.escalation import run_escalation_sweep
from tests.bulk_items import item_row, with_instant
from tests.escalation_world import (
    CITIZEN_IDS,
    NNMT_GROUP,
    NNMT_LEADER,
    SUPERVISORS_GROUP,
    XD_GROUP,
    local,
    make_item,
)
from tests.harness import Harness


async def test_two_instances_sweeping_together_send_each_message_once(harness: Harness) -> None:
    """Both instances sweep at every instant of a fortnight; the chats get each step's messages once."""
    other = build_services(harness.services.settings, clock=harness.clock)
    try:
        road = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
        land = await make_item(harness, category="dat-dai", citizen_telegram_user_id=CITIZEN_IDS[1])
        start = len(harness.fake.calls)
        at = local(2026, 12, 7, 9, 30)
        fired = []
        while at <= local(2026, 12, 24, 9, 30):
            harness.clock.set(at)
            reports = await asyncio.gather(
                run_escalation_sweep(harness.services), run_escalation_sweep(other)
            )
            fired += [step for report in reports for step in report.fired]
            at += timedelta(minutes=30)
        await harness.deliver()
        assert Counter(fired) == Counter(set(fired))  # no step fired on both instances
        assert len(fired) == 10  # claim, leaders, due soon, overdue, supervisors — for both items
        async with harness.session() as session:
            rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.id > 0))).all()
        ladder_rows = [row for row in rows if row.purpose != "card"]
        per_chat = Counter(row.chat_id for row in ladder_rows)
        assert per_chat == {
            XD_GROUP: 4,  # claim, leaders (no leaders listed), due soon, overdue
            NNMT_GROUP: 4,
            NNMT_LEADER: 2,  # claim leaders, overdue
            SUPERVISORS_GROUP: 2,
            CITIZEN_IDS[0]: 1,
            CITIZEN_IDS[1]: 1,
        }
        texts = [
            call.params.get("text")
            for call in harness.fake.calls[start:]
            if call.outcome == "ok" and call.method == "sendMessage"
        ]
        assert len(texts) == len(ladder_rows) and all(count == 1 for count in Counter(texts).values())
        assert {road.code, land.code} <= {
            code for text in texts for code in (road.code, land.code) if code in text
        }
    finally:
        await other.engine.dispose()


async def test_the_step_row_alone_makes_a_step_fire_once_across_transactions(harness: Harness) -> None:
    """Without the job lock, a second transaction inserting the same step waits, then is refused."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    assert item.id is not None and item.claim_due_at is not None
    other = build_services(harness.services.settings, clock=harness.clock)
    due = DueStep(
        step=LadderStep.CLAIM_GROUP,
        item_id=item.id,
        deadline_at=item.claim_due_at,
        fell_due_at=item.claim_due_at,
        agency_code=item.agency_code,
    )
    now = harness.clock.now()
    try:
        async with transaction(harness.services.session_factory) as first:
            assert await claim_step(first, due=due, now=now)

            async def second_claim() -> bool:
                async with transaction(other.session_factory) as second:
                    return await claim_step(second, due=due, now=now)

            racing = asyncio.create_task(second_claim())
            await asyncio.sleep(0.3)
            assert not racing.done()  # it waits for the first transaction instead of failing
        assert await racing is False
    finally:
        await other.engine.dispose()


async def test_two_instances_share_a_large_catch_up_without_firing_anything_twice(harness: Harness) -> None:
    """1,000 claim reminders due after downtime; both instances sweep in small batches at once."""
    services = harness.services
    rules = EscalationRules(calendar=services.calendar, deadlines=services.directory.deadlines)
    unclaimed = with_instant(item_row(0), rules)
    async with harness.session() as session:
        rows = [unclaimed | {"code": f"KN-{n:07d}"} for n in range(1, 1001)]
        await session.exec(insert(Item), params=rows)
    other = build_services(services.settings, clock=harness.clock)
    try:
        now = local(2026, 12, 8, 9, 5)
        reports = await asyncio.gather(
            run_escalation_sweep(services, now=now, batch_size=50, sqlite_pause=timedelta(0)),
            run_escalation_sweep(other, now=now, batch_size=50, sqlite_pause=timedelta(0)),
        )
    finally:
        await other.engine.dispose()
    fired = [step for report in reports for step in report.fired]
    assert len(fired) == 1000 and len(set(fired)) == 1000  # each item's reminder once, across both
    async with harness.session() as session:
        assert (await session.exec(select(func.count()).select_from(EscalationStep))).one() == 1000
    if harness.services.engine.dialect.name == "postgresql":
        # SKIP LOCKED: neither waits for the other's batch, so both take part of the work.
        assert all(report.fired for report in reports)
