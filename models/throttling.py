"""Throttles that hold across bot instances: a counter per person or chat in the database, with a pause.

A flood of private messages, or a run of wrong /bind codes, earns a pause. The person is told once per
pause (`is_notified`), and the rest is ignored until the pause ends. The clock is the caller's `now`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.db import dialect_name
from models.tables import Throttle


class Scope(StrEnum):
    """What is counted, and for whom."""

    PRIVATE_MESSAGES = "private_messages"  # every update a person sends in their private chat
    BIND_USER = "bind_user"  # wrong /bind codes by one person, in any group
    BIND_CHAT = "bind_chat"  # wrong /bind codes in one group, by anyone


@dataclass(frozen=True)
class Budget:
    """How many attempts fit in a window, and how long the pause is once they are used up."""

    limit: int
    window: timedelta
    pause: timedelta


def per_minute_budget(limit: int, pause_minutes: int) -> Budget:
    """Return a budget of `limit` attempts a minute, paused for `pause_minutes` once spent."""
    return Budget(limit=limit, window=timedelta(minutes=1), pause=timedelta(minutes=pause_minutes))


@dataclass(frozen=True)
class Verdict:
    """What to do with an attempt."""

    is_allowed: bool
    should_tell: bool = False  # refused, and this is the first refusal of the pause: say so once
    has_just_paused: bool = False  # this attempt started the pause (log it once)
    blocked_until: datetime | None = None


async def _locked_row(session: AsyncSession, scope: Scope, subject_id: int, now: datetime) -> Throttle:
    """Return the subject's counter, locked until the transaction ends; create it on first use.

    One statement when the counter exists (every update after a person's first), three otherwise.
    """
    is_postgresql = dialect_name(session) == "postgresql"
    statement = _counter_statement(locking=is_postgresql)
    params = {"counter_scope": scope.value, "counter_subject_id": subject_id}
    row = (await session.exec(statement, params=params)).first()
    if row is not None:
        return row
    insert = postgresql_insert if is_postgresql else sqlite_insert
    await session.exec(
        insert(Throttle)
        .values(scope=scope.value, subject_id=subject_id, window_started_at=now, count=0, is_notified=False)
        .on_conflict_do_nothing(index_elements=["scope", "subject_id"])
    )
    return (await session.exec(statement, params=params)).one()


@functools.cache
def _counter_statement(*, locking: bool) -> Any:
    """Build the counter's SELECT once (it runs for every private update), FOR UPDATE on PostgreSQL."""
    statement = (
        select(Throttle)
        .where(
            col(Throttle.scope) == bindparam("counter_scope"),
            col(Throttle.subject_id) == bindparam("counter_subject_id"),
        )
        .execution_options(populate_existing=True)
    )
    return statement.with_for_update() if locking else statement


@functools.cache
def count_within_budget_statement() -> Any:
    """Count an attempt in one UPDATE when the counter exists, its window is open, and budget is left.

    It runs for every private update. It is a Core statement on the table, so no ORM object is
    loaded or flushed; the row is locked until the transaction ends, as the SELECT FOR UPDATE does.
    When it changes no row (a first attempt, a new window, a pause, the last of the budget) the
    counter is read and counted in full below.
    """
    table = Throttle.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(
            table.c.scope == bindparam("counter_scope"),
            table.c.subject_id == bindparam("counter_subject_id"),
            table.c.blocked_until.is_(None),
            table.c.window_started_at > bindparam("window_opened_after"),
            table.c.count < bindparam("counter_limit"),
        )
        .values(count=table.c.count + 1)
        .returning(table.c.count)
    )


def _pause_state(row: Throttle, now: datetime) -> Verdict | None:
    """Return the verdict while a pause lasts (telling once), or None once it is over."""
    if row.blocked_until is None:
        return None
    if row.blocked_until > now:
        should_tell = not row.is_notified
        row.is_notified = True
        return Verdict(is_allowed=False, should_tell=should_tell, blocked_until=row.blocked_until)
    row.blocked_until = None
    row.is_notified = False
    row.window_started_at, row.count = now, 0
    return None


def _count(row: Throttle, budget: Budget, now: datetime) -> Verdict:
    if now - row.window_started_at >= budget.window:
        row.window_started_at, row.count = now, 0
    row.count += 1
    if row.count <= budget.limit:
        return Verdict(is_allowed=True)
    row.blocked_until = now + budget.pause
    row.is_notified = True
    return Verdict(is_allowed=False, should_tell=True, has_just_paused=True, blocked_until=row.blocked_until)


async def spend(
    session: AsyncSession,
    *,
    scope: Scope,
    subject_id: int,
    budget: Budget,
    now: datetime,
    quick_count_failed: bool = False,
) -> Verdict:
    """Count one attempt against a budget; refuse it while a pause lasts or once the budget is spent.

    `quick_count_failed`: the quick count (`count_within_budget_statement`) already ran in this
    transaction and changed nothing, so it is not tried again.
    """
    if not quick_count_failed:
        within_budget = await session.exec(
            count_within_budget_statement(),
            params={
                "counter_scope": scope.value,
                "counter_subject_id": subject_id,
                "window_opened_after": now - budget.window,
                "counter_limit": budget.limit,
            },
        )
        if within_budget.first() is not None:
            return Verdict(is_allowed=True)  # the usual case: one statement, no ORM object
    row = await _locked_row(session, scope, subject_id, now)
    verdict = _pause_state(row, now) or _count(row, budget, now)
    session.add(row)
    return verdict


async def check_pause(session: AsyncSession, *, scope: Scope, subject_id: int, now: datetime) -> Verdict:
    """Tell whether a pause lasts for a subject, without counting an attempt."""
    row = await session.get(Throttle, (scope.value, subject_id))
    if row is None:
        return Verdict(is_allowed=True)
    verdict = _pause_state(row, now)
    session.add(row)
    return verdict or Verdict(is_allowed=True)


async def forget_subject(session: AsyncSession, subject_id: int) -> None:
    """Delete every counter kept about a person (erasure)."""
    await session.exec(delete(Throttle).where(col(Throttle.subject_id) == subject_id))
