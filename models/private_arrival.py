"""A private update's arrival on PostgreSQL in one statement: stored, counted and its sender loaded.

Nearly every update comes from a citizen's private chat, and its first three statements were always the
same, each a round trip of its own: store it as handled, count it against the sender's flood budget,
load the sender's citizen record with their draft. On PostgreSQL they are one statement: the first two
are data-modifying CTEs of the third. The rules stay those of their modules (`inbox_queue`,
`throttling`, `conversations`); this module only puts their statements together.

- The update is stored only if its chat has nothing pending (else the caller stores it as pending).
- It is counted only if it was stored, and only on the quick path (window open, budget left, no
  pause). Otherwise `is_counted` is False and the flood control counts it in full, as before.
- The citizen and the draft are loaded into the session as the usual query would load them.

SQLite has no data-modifying CTEs, and its statements cost no round trip, so it keeps the three.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, literal
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.inbox_queue import handled_payload, store_handled_insert
from models.tables import Citizen, ConversationDraft, InboxUpdate
from models.throttling import Budget, Scope, count_within_budget_statement


@dataclass(frozen=True)
class PrivateArrival:
    """What the arrival statement did and found for one private update."""

    sender_id: int
    is_stored: bool  # stored as handled; False: known already, or its chat has an update pending
    is_counted: bool  # counted within the sender's flood budget; False: the flood control counts it
    citizen: Citizen | None
    draft: ConversationDraft | None


async def arrive_from_private_chat(
    session: AsyncSession,
    *,
    update_id: int,
    sender_id: int,
    budget: Budget,
    now: datetime,
) -> PrivateArrival:
    """Store a private update as handled, count it and load its sender, in one PostgreSQL statement."""
    params = {
        "arrived_update_id": update_id,
        "arrived_chat_id": sender_id,  # a private chat's id is its user's id
        "now": now,
        "handled": handled_payload(update_id),
        "counter_scope": Scope.PRIVATE_MESSAGES.value,
        "counter_subject_id": sender_id,
        "window_opened_after": now - budget.window,
        "counter_limit": budget.limit,
        "person": sender_id,
    }
    citizen, draft, stored, counted = (await session.exec(_arrival_statement(), params=params)).one()
    return PrivateArrival(
        sender_id=sender_id,
        is_stored=bool(stored),
        is_counted=bool(counted),
        citizen=citizen,
        draft=draft,
    )


@functools.cache
def _arrival_statement() -> Any:
    """Build (once) the SELECT of the sender's records, with the store and the count as its CTEs.

    All three see the snapshot from before the statement, and the CTEs run exactly once whatever the
    SELECT reads of them. The SELECT starts from one constant row, so it returns one row even for a
    first contact (no citizen yet), with the same outer join as `conversations.load_citizen_and_draft`.
    """
    inbox = InboxUpdate.__table__  # type: ignore[attr-defined]
    arrived = store_handled_insert("postgresql").returning(inbox.c.update_id).cte("arrived")
    counted = (
        count_within_budget_statement()
        .where(exists(select_columns(literal(1)).select_from(arrived)))
        .cte("counted")
    )
    one_row = select_columns(literal(1).label("one")).subquery("one_row")
    was_stored = select_columns(func.count()).select_from(arrived).scalar_subquery()
    was_counted = select_columns(func.count()).select_from(counted).scalar_subquery()
    return (
        select(Citizen, ConversationDraft, was_stored, was_counted)
        .select_from(one_row)
        .outerjoin(Citizen, col(Citizen.telegram_user_id) == bindparam("person"))
        .outerjoin(
            ConversationDraft,
            col(ConversationDraft.telegram_user_id) == col(Citizen.telegram_user_id),
        )
    )
