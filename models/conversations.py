"""Loading the rows a private conversation needs: the citizen and their draft in progress."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import Citizen, ConversationDraft


async def load_citizen_and_draft(
    session: AsyncSession, telegram_user_id: int
) -> tuple[Citizen | None, ConversationDraft | None]:
    """Load a person's citizen record and their draft in progress in one query."""
    statement = (
        select(Citizen, ConversationDraft)
        .outerjoin(
            ConversationDraft,
            col(ConversationDraft.telegram_user_id) == col(Citizen.telegram_user_id),
        )
        .where(col(Citizen.telegram_user_id) == telegram_user_id)
    )
    found = (await session.exec(statement)).first()
    if found is None:
        return None, None
    return found[0], found[1]
