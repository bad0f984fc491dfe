"""Claim scheduled work in the database, so that it is done once whichever instance gets there first.

The scheduler's jobs (scheduler/) call these; they hold no SQL of their own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from models.db import dialect_name
from models.escalation import DueStep
from models.tables import EscalationStep, ScheduledReport


async def take_job_lock(session: AsyncSession, job_id: str) -> bool:
    """Take a transaction-scoped lock for one job; False when another instance holds it now.

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback (also when the
    instance dies). SQLite: every transaction already holds the database's write lock from BEGIN
    IMMEDIATE (models.db), so two sweeps never overlap.
    """
    if dialect_name(session) != "postgresql":
        return True
    key = int.from_bytes(hashlib.sha256(f"pakn-job:{job_id}".encode()).digest()[:8], "big", signed=True)
    result = await session.exec(sql("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=key))  # type: ignore[call-overload]
    return bool(result.scalar())


async def _insert_once(session: AsyncSession, table: Any, values: dict[str, Any], keys: list[str]) -> bool:
    insert = postgresql_insert if dialect_name(session) == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    result = await session.exec(statement.returning(*[getattr(table, key) for key in keys]))
    return result.first() is not None


async def claim_step(session: AsyncSession, *, due: DueStep, now: datetime) -> bool:
    """Record that a ladder step fired for its deadline; False when it had fired already (anywhere)."""
    values = {
        "item_id": due.item_id,
        "consultation_id": due.consultation_id,
        "step": due.key,
        "due_at": due.deadline_at,
        "fired_at": now,
    }
    return await _insert_once(
        session, EscalationStep, values, ["item_id", "consultation_id", "step", "due_at"]
    )


StepKey = tuple[int, int, str, datetime]  # (item, consultation, step, deadline): EscalationStep's unique key


def step_key(due: DueStep) -> StepKey:
    """Return the once-only key a step is recorded under."""
    return (due.item_id, due.consultation_id, due.key, due.deadline_at)


async def claim_steps(session: AsyncSession, *, dues: Sequence[DueStep], now: datetime) -> set[StepKey]:
    """Record many steps in one round trip per thousand; return the keys of those that had not fired."""
    insert = postgresql_insert if dialect_name(session) == "postgresql" else sqlite_insert
    unique = list({step_key(due): due for due in dues}.values())
    if not unique:
        return set()
    table = EscalationStep.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["item_id", "consultation_id", "step", "due_at"])
        .returning(table.c.item_id, table.c.consultation_id, table.c.step, table.c.due_at)
    )
    rows = [
        {
            "item_id": due.item_id,
            "consultation_id": due.consultation_id,
            "step": due.key,
            "due_at": due.deadline_at,
            "fired_at": now,
        }
        for due in unique
    ]
    # One compiled statement; SQLAlchemy sends the rows as multi-row INSERTs of up to a thousand rows.
    result = await session.exec(statement, params=rows)
    return {(row[0], row[1], row[2], row[3]) for row in result.all()}


async def claim_report(session: AsyncSession, *, kind: str, period: str, now: datetime) -> bool:
    """Record that a periodic report is being sent for a period; False when it already was."""
    values = {"kind": kind, "period": period, "claimed_at": now}
    return await _insert_once(session, ScheduledReport, values, ["kind", "period"])
