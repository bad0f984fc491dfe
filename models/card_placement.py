"""Which item cards a newly bound group must take over, and which groups show them now (issue 8.1).

An item whose agency had no group is shown in the triage group (a stand-in card that can only be
routed), or nowhere at all when triage had no group either. Once the agency binds a group, every
open item of the agency without a live card in that group is orphaned: its card must be posted
there, and the cards other groups still show for the agency must be closed.

A card is live in a group when the bot posted it there (or is about to: a pending outbox row) for
the item's current agency; cards posted for an earlier agency were closed when the item moved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.directory import Directory
from models.lifecycle import OPEN_STATES
from models.tables import AgencyChat, Item, OutboxMessage, OutboxStatus, PostedMessage, saved_id

ORPHAN_BATCH_SIZE = 100


@dataclass(frozen=True)
class OrphanedCard:
    """An open item whose card the new group must show, and the groups whose card must be closed."""

    item: Item
    stale_chat_ids: tuple[int, ...]


async def agencies_shown_in_group_of(
    session: AsyncSession, directory: Directory, agency_code: str
) -> list[str]:
    """Return the agencies whose cards the agency's group shows: its own, and for triage the group-less."""
    if agency_code != directory.triage_agency:
        return [agency_code]
    bound = set((await session.exec(select(AgencyChat.agency_code))).all())
    groupless = [
        agency.code
        for agency in directory.agencies
        if agency.code != agency_code and agency.code not in bound and agency.chat_id is None
    ]
    return [agency_code, *groupless]


async def orphaned_cards(
    session: AsyncSession,
    *,
    agency_codes: Sequence[str],
    chat_id: int,
    card_purpose: str,
    batch_size: int | None = None,
) -> AsyncIterator[list[OrphanedCard]]:
    """Yield, batch by batch in item order, the open items of these agencies with no live card in the chat."""
    batch_size = batch_size or ORPHAN_BATCH_SIZE
    after_id = 0
    while True:
        statement = (
            select(Item)
            .where(
                col(Item.agency_code).in_(list(agency_codes)),
                col(Item.state).in_(list(OPEN_STATES)),
                col(Item.id) > after_id,
            )
            .order_by(col(Item.id))
            .limit(batch_size)
        )
        batch = list((await session.exec(statement)).all())
        if not batch:
            return
        first_id, last_id = saved_id(batch[0]), saved_id(batch[-1])
        live = await _live_card_chats(
            session,
            agency_codes=agency_codes,
            first_id=first_id,
            last_id=last_id,
            card_purpose=card_purpose,
            agency_of={item.id: item.agency_code for item in batch},
        )
        orphans = [
            OrphanedCard(item, tuple(sorted(live[item.id] - {chat_id})))
            for item in batch
            if chat_id not in live[item.id]
        ]
        if orphans:
            yield orphans
        after_id = last_id


async def _live_card_chats(
    session: AsyncSession,
    *,
    agency_codes: Sequence[str],
    first_id: int,
    last_id: int,
    card_purpose: str,
    agency_of: dict[int | None, str],
) -> defaultdict[int | None, set[int]]:
    """Return, per item of one batch, the chats where its card for its current agency is shown or queued."""
    in_batch = (
        col(Item.agency_code).in_(list(agency_codes)),
        col(Item.state).in_(list(OPEN_STATES)),
        col(Item.id) >= first_id,
        col(Item.id) <= last_id,
    )
    posted = select(PostedMessage.item_id, PostedMessage.chat_id, PostedMessage.purpose_data).join(
        Item, col(Item.id) == col(PostedMessage.item_id)
    )
    posted = posted.where(PostedMessage.purpose == card_purpose, *in_batch)
    queued = select(OutboxMessage.item_id, OutboxMessage.chat_id, OutboxMessage.purpose_data).join(
        Item, col(Item.id) == col(OutboxMessage.item_id)
    )
    queued = queued.where(
        OutboxMessage.purpose == card_purpose,
        OutboxMessage.method == "send_message",
        OutboxMessage.status == OutboxStatus.PENDING,
        *in_batch,
    )
    live: defaultdict[int | None, set[int]] = defaultdict(set)
    rows: list[tuple[int | None, int, dict[str, Any]]] = [
        *(await session.exec(posted)).all(),
        *(await session.exec(queued)).all(),
    ]
    for item_id, chat_id, purpose_data in rows:
        if item_id in agency_of and (purpose_data or {}).get("agency") == agency_of[item_id]:
            live[item_id].add(chat_id)
    return live
