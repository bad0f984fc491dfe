"""Closing answered items the citizen left unrated for `auto_close_days` calendar days (DESIGN §9).

scheduler/auto_close.py runs this in one transaction: the row locks make a second instance skip
the items being closed, and the state check inside the same transaction makes closing idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import Actor, Change, record
from models.tables import Citizen, Item, ItemState


async def items_to_auto_close(session: AsyncSession, *, now: datetime, days: int, limit: int) -> list[Item]:
    """Return (and lock, skipping locked rows) the answered, unrated items answered `days` ago or more."""
    statement = (
        select(Item)
        .where(
            Item.state == ItemState.ANSWERED,
            col(Item.rating).is_(None),
            col(Item.answered_at) <= now - timedelta(days=days),
        )
        .order_by(col(Item.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.exec(statement)).all())


def auto_close(item: Item, *, now: datetime, days: int) -> Change:
    """Close an answered, unrated item on the citizen's behalf; return the change to save."""
    item.closed_at = now
    return record(
        item,
        action=Action.AUTO_CLOSED,
        actor=Actor.system(),
        now=now,
        new_state=ItemState.CLOSED,
        detail={"auto_close_days": days},
    )


async def citizen_language(session: AsyncSession, telegram_user_id: int, *, default: str) -> str:
    """Return the language the citizen chose, or `default` when they have no row."""
    citizen = await session.get(Citizen, telegram_user_id)
    return citizen.language if citizen else default
