"""What the escalation sweep reads and writes (scheduler/escalation.py runs it; DESIGN §8, issue 9).

Every statement of the sweep is here, each built for a batch of items rather than for one:

- `due_items` selects, and on PostgreSQL locks with `FOR UPDATE SKIP LOCKED`, the next items whose
  next escalation instant, or one of whose consultations' instant, has come;
- `load_batch` reads their consultations, the group bindings and the citizens, one statement each;
- `claim_due` finds the steps that fell due and claims them all in one statement (models/claims.py):
  a step whose EscalationStep row could not be inserted had fired before, for that deadline;
- `insert_events` writes the fired steps' events in one multi-row insert, and
  `store_next_instants` stores when each item and consultation must next be looked at.

The rules themselves (which step falls due when) are in models/escalation.py.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from models.actions import Action
from models.claims import claim_steps, step_key
from models.directory import Deadlines, Directory
from models.escalation import (
    DueStep,
    EscalationRules,
    consultation_next_escalation_at,
    due_steps,
    item_next_escalation_at,
)
from models.items import SUPERVISORS_KEY
from models.lifecycle import OPEN_STATES, Actor
from models.tables import AgencyChat, Citizen, Consultation, Item, ItemEvent
from models.working_time import WorkingCalendar

BATCH_SIZE = 500  # items per transaction: a bounded lock hold, a bounded statement, bounded memory
YIELD_EVERY = 100  # items worked on between two turns given to the event loop inside a batch


@dataclass(frozen=True)
class Chats:
    """The group chats messages go to, read once per batch: a binding wins over the directory file."""

    directory: Directory
    bindings: dict[str, int]

    @classmethod
    async def load(cls, session: AsyncSession, directory: Directory) -> Chats:
        """Read every group binding (one row per agency at most)."""
        rows = (await session.exec(select(AgencyChat))).all()
        return cls(directory, {row.agency_code: row.chat_id for row in rows})

    def of_agency(self, agency_code: str) -> int | None:
        """Return the agency's group chat, or None when it has none."""
        if agency_code in self.bindings:
            return self.bindings[agency_code]
        agency = self.directory.agencies_by_code.get(agency_code)
        return agency.chat_id if agency else None

    def of_item(self, item: Item) -> int | None:
        """Return the group the item's card is in: its agency's, else the triage agency's."""
        chat_id = self.of_agency(item.agency_code)
        return chat_id if chat_id is not None else self.of_agency(self.directory.triage_agency)

    def of_supervisors(self) -> int | None:
        """Return the supervisors' group chat."""
        return self.bindings.get(SUPERVISORS_KEY, self.directory.supervisors.chat_id)


@dataclass
class Batch:
    """The items one transaction looks at, with what firing their steps needs."""

    items: list[Item]
    consultations: dict[int, list[Consultation]]
    chats: Chats
    citizens: dict[int, Citizen]
    fired_item_ids: set[int] = field(default_factory=set)  # items with an event in this batch

    def consultation(self, item: Item, consultation_id: int) -> Consultation | None:
        """Return the item's consultation with this id, if the batch read it."""
        return next((c for c in self.consultations.get(item.id or 0, []) if c.id == consultation_id), None)


@dataclass(frozen=True)
class FiredStep:
    """A step that fell due and was claimed here: it has not fired before, for its deadline."""

    item: Item
    due: DueStep
    consultation: Consultation | None


def due_items(now: datetime, *, after_id: int = 0, limit: int = BATCH_SIZE) -> SelectOfScalar[Item]:
    """Select, and on PostgreSQL lock, the next items whose instant or a consultation's has come."""
    due_ids = (
        select(col(Item.id))
        .where(col(Item.next_escalation_at) <= now)
        .union(select(col(Consultation.item_id)).where(col(Consultation.next_escalation_at) <= now))
    )
    return (
        select(Item)
        .where(col(Item.id).in_(due_ids), col(Item.id) > after_id)
        .order_by(col(Item.id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=Item)
    )


async def next_due_items(
    session: AsyncSession, now: datetime, *, after_id: int, limit: int = BATCH_SIZE
) -> list[Item]:
    """Return (and on PostgreSQL lock) the next batch of items with something due."""
    return list((await session.exec(due_items(now, after_id=after_id, limit=limit))).all())


async def load_batch(session: AsyncSession, directory: Directory, items: list[Item]) -> Batch:
    """Read the batch's consultations, the group bindings and the citizens, one statement each."""
    item_ids = [item.id for item in items if item.id is not None]  # at most BATCH_SIZE
    statement = (
        select(Consultation)
        .where(
            col(Consultation.item_id).in_(item_ids),
            or_(col(Consultation.answered_at).is_(None), col(Consultation.next_escalation_at).is_not(None)),
        )
        .order_by(col(Consultation.id))
    )
    consultations: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in (await session.exec(statement)).all():
        consultations[consultation.item_id].append(consultation)
    citizen_ids = sorted({item.citizen_telegram_user_id for item in items} - {None})  # type: ignore[type-var]
    citizens: dict[int, Citizen] = {}
    if citizen_ids:
        rows = await session.exec(select(Citizen).where(col(Citizen.telegram_user_id).in_(citizen_ids)))
        citizens = {citizen.telegram_user_id: citizen for citizen in rows.all()}
    return Batch(items, consultations, await Chats.load(session, directory), citizens)


async def claim_due(
    session: AsyncSession,
    batch: Batch,
    *,
    now: datetime,
    calendar: WorkingCalendar,
    deadlines: Deadlines,
) -> list[FiredStep]:
    """Claim every step due in the batch in one statement; return those that had not fired."""
    found: list[tuple[Item, DueStep]] = []
    for count, item in enumerate(batch.items, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # the rules are pure Python: let updates waiting on the loop run
        for due in due_steps(
            item,
            now=now,
            calendar=calendar,
            deadlines=deadlines,
            consultations=[c for c in batch.consultations.get(item.id or 0, []) if c.answered_at is None],
        ):
            found.append((item, due))
    if not found:
        return []
    claimed = await claim_steps(session, dues=[due for _item, due in found], now=now)
    return [
        FiredStep(item, due, batch.consultation(item, due.consultation_id))
        for item, due in found
        if step_key(due) in claimed  # the others fired before, for this deadline
    ]


def event_row(item: Item, due: DueStep, *, chat_ids: Sequence[int], now: datetime) -> dict[str, Any]:
    """Return the item's event for a fired step, naming the deadline and the chats told.

    The sweep writes its events with one multi-row insert per batch; the item's state does not
    change, so this is what `record` would add, without building an ORM object per step (the
    item's `updated_at` is written with its next instant).
    """
    system = Actor.system()
    return {
        "item_id": item.id,
        "at": now,
        "action": Action.for_ladder_step(due.step.value),
        "actor_role": system.role,
        "actor_telegram_user_id": None,
        "actor_name": system.name,
        "agency_code": due.agency_code,
        "state_before": item.state,
        "state_after": item.state,
        "reason": None,
        "detail": {
            "deadline_at": due.deadline_at.isoformat(),
            "fell_due_at": due.fell_due_at.isoformat(),
            "agency": due.agency_code,
            "consultation_id": due.consultation_id or None,
            "chat_ids": sorted(set(chat_ids)),
        },
    }


async def insert_events(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Write the fired steps' events in one multi-row insert."""
    if rows:
        await session.exec(insert(ItemEvent), params=rows)


async def store_next_instants(
    session: AsyncSession, batch: Batch, rules: EscalationRules, now: datetime
) -> None:
    """Store when each item and consultation of the batch must next be looked at, in one statement each."""
    item_rows: list[dict[str, Any]] = []
    consultation_rows: list[dict[str, Any]] = []
    for count, item in enumerate(batch.items, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        item_rows.append(
            {
                "row_id": item.id,
                "next_at": item_next_escalation_at(item, rules=rules, after=now),
                "updated_at": now if item.id in batch.fired_item_ids else item.updated_at,
            }
        )
        is_open = item.state in OPEN_STATES
        for consultation in batch.consultations.get(item.id or 0, []):
            # A consultation of a finished item rests; reopening the item wakes it (models/escalation.py).
            next_at = (
                consultation_next_escalation_at(consultation, rules=rules, after=now) if is_open else None
            )
            consultation_rows.append({"row_id": consultation.id, "next_at": next_at})
        session.expunge(item)  # written below, not by the unit of work: nothing else of it changed
    items = Item.__table__  # type: ignore[attr-defined]
    await session.exec(
        update(items)
        .where(items.c.id == bindparam("row_id"))
        .values(next_escalation_at=bindparam("next_at"), updated_at=bindparam("updated_at")),
        params=item_rows,
    )
    if consultation_rows:
        consultations = Consultation.__table__  # type: ignore[attr-defined]
        await session.exec(
            update(consultations)
            .where(consultations.c.id == bindparam("row_id"))
            .values(next_escalation_at=bindparam("next_at")),
            params=consultation_rows,
        )
