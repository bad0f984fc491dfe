"""Loading the rows a private conversation needs: the citizen and their draft in progress."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import Citizen, ConversationDraft


async def load_citizen_and_draft(
    session: AsyncSession, telegram_user_id: int
) -> tuple[Citizen | None, ConversationDraft | None]:
    """Load a person's citizen record and their draft in progress in one query."""
    found = (await session.exec(_citizen_and_draft(), params={"person": telegram_user_id})).first()
    if found is None:
        return None, None
    return found[0], found[1]


@functools.cache
def _citizen_and_draft() -> Any:
    """Build the query once: it runs for nearly every private update."""
    return (
        select(Citizen, ConversationDraft)
        .outerjoin(
            ConversationDraft,
            col(ConversationDraft.telegram_user_id) == col(Citizen.telegram_user_id),
        )
        .where(col(Citizen.telegram_user_id) == bindparam("person"))
    )
