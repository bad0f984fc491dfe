"""The sweep over more than 40,000 open items: it works in bounded batches and binds bounded parameters.

Before issue 9 the sweep bound one parameter per open item, which PostgreSQL refuses past 32,767.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, insert
from sqlmodel import select

from models.escalation import EscalationRules, consultation_next_escalation_at
from models.tables import Consultation, EscalationStep, Item, ItemState, OutboxMessage
from tests.bulk_items import CLAIM_DUE, RECEIVED_AT, item_row, with_instant
from tests.escalation_world import PDP_GROUP, XD_GROUP, local, sweep
from tests.harness import Harness

QUIET_ITEMS = 40_000  # claimed, answer due in February: nothing to do for weeks
UNCLAIMED_ITEMS = 1_200  # claim due Tuesday 09:00: 3 batches of 500
CONSULTED_ITEMS = 300  # quiet items whose consultation is due Tuesday 17:00
FAR_ANSWER_DUE = local(2027, 2, 1, 17, 0)


async def populate(harness: Harness) -> None:
    """Insert the items and consultations with bulk core inserts."""
    services = harness.services
    rules = EscalationRules(calendar=services.calendar, deadlines=services.directory.deadlines)
    quiet = with_instant(
        item_row(
            0,
            state=ItemState.IN_PROGRESS,
            claimed_by_telegram_user_id=8101,
            claimed_by_name="Trần Hùng",
            claimed_at=RECEIVED_AT,
            answer_due_at=FAR_ANSWER_DUE,
        ),
        rules,
    )
    unclaimed = with_instant(item_row(0), rules)
    assert quiet["next_escalation_at"] > local(2027, 1, 1) and unclaimed["next_escalation_at"] == CLAIM_DUE
    rows = [quiet | {"code": f"PA-{n:07d}"} for n in range(1, QUIET_ITEMS + 1)]
    rows += [unclaimed | {"code": f"KN-{n:07d}"} for n in range(1, UNCLAIMED_ITEMS + 1)]
    due_at = local(2026, 12, 8, 17, 0)
    prototype = Consultation(item_id=0, from_agency_code="SO-XD", to_agency_code="UBND-PDP", question="?")
    prototype.asked_at, prototype.due_at = RECEIVED_AT, due_at
    consultation_instant = consultation_next_escalation_at(prototype, rules=rules)
    assert consultation_instant == local(2026, 12, 8, 7, 30)
    async with harness.session() as session:
        await session.exec(insert(Item), params=rows)  # executemany
        consultations = [
            {
                "item_id": item_id,
                "from_agency_code": "SO-XD",
                "to_agency_code": "UBND-PDP",
                "question": "Đề nghị cho ý kiến.",
                "asked_at": RECEIVED_AT,
                "due_at": due_at,
                "next_escalation_at": consultation_instant,
            }
            for item_id in range(1, CONSULTED_ITEMS + 1)
        ]
        await session.exec(insert(Consultation), params=consultations)


async def test_a_sweep_over_41_500_open_items_fires_the_due_ones_in_batches(harness: Harness) -> None:
    """1,500 items with something due among 41,200 open ones; no statement binds more than a batch."""
    await populate(harness)
    largest: list[int] = [0]

    def count_parameters(_connection: Any, _cursor: Any, _statement: str, parameters: Any, *_: Any) -> None:
        if (
            isinstance(parameters, list | tuple)
            and parameters
            and isinstance(parameters[0], list | tuple | dict)
        ):
            size = max(len(row) for row in parameters)  # executemany: each row is its own execution
        else:
            size = len(parameters or ())
        largest[0] = max(largest[0], size)

    engine = harness.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count_parameters)
    try:
        harness.clock.set(local(2026, 12, 8, 9, 5))
        report = await sweep(harness)
    finally:
        event.remove(engine, "before_cursor_execute", count_parameters)
    steps = [key for _code, key in report.fired]
    assert steps.count("claim_group@SO-XD") == UNCLAIMED_ITEMS
    assert steps.count("consultation_due_soon") == CONSULTED_ITEMS
    assert len(steps) == UNCLAIMED_ITEMS + CONSULTED_ITEMS
    assert report.looked_at == UNCLAIMED_ITEMS + CONSULTED_ITEMS  # not the 40,000 quiet ones
    assert report.batches == 3  # 500 items a transaction
    # Bounded by the batch (at most a thousand rows of a multi-row insert), never by the open items.
    assert 0 < largest[0] < 16_000
    # Each chat gets one digest per batch instead of hundreds of messages.
    async with harness.session() as session:
        per_chat = dict(
            (
                await session.exec(
                    select(OutboxMessage.chat_id, func.count()).group_by(OutboxMessage.chat_id)  # type: ignore[call-overload]
                )
            ).all()
        )
        step_rows = (await session.exec(select(func.count()).select_from(EscalationStep))).one()
    assert per_chat == {XD_GROUP: 3, PDP_GROUP: 1} and report.digests == 4
    assert step_rows == UNCLAIMED_ITEMS + CONSULTED_ITEMS

    harness.clock.advance(timedelta(minutes=1))
    idle = await sweep(harness)
    assert not idle.fired and idle.looked_at == 0  # every instant moved on

    harness.clock.set(local(2026, 12, 8, 14, 31))
    leaders = await sweep(harness)
    assert [key for _code, key in leaders.fired] == ["claim_leaders@SO-XD"] * UNCLAIMED_ITEMS
