"""Finding items and their chats, events and attachments: the lookups handlers and jobs share.

A new item enters through `models/submission.py`.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.directory import Directory
from models.lifecycle import Actor, Change, claim
from models.tables import (
    AgencyChat,
    Attachment,
    Item,
    ItemEvent,
    ItemState,
    PostedMessage,
    RoutingRule,
)

CODE_PATTERN = re.compile(r"^(PA|KN)-?([2-9A-HJKMNP-Z]{6})$")


def normalise_code(raw: str) -> str | None:
    """Turn what a person typed ("pa 7k3q9m", "PA7K3Q9M") into a code, or None if it cannot be one."""
    cleaned = re.sub(r"[\s_.]", "", raw.strip().upper()).replace("-", "")
    match = CODE_PATTERN.match(cleaned)
    return f"{match.group(1)}-{match.group(2)}" if match else None


async def find_item_by_code(session: AsyncSession, code: str) -> Item | None:
    """Return the item with that code, or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return (await session.exec(select(Item).where(Item.code == normalised))).first()


async def get_item_for_update(session: AsyncSession, item_id: int) -> Item | None:
    """Load an item and lock its row until the transaction ends (PostgreSQL; SQLite locks the file)."""
    statement = select(Item).where(Item.id == item_id).with_for_update()
    return (await session.exec(statement)).first()


async def items_of_citizen(session: AsyncSession, telegram_user_id: int, *, limit: int = 20) -> list[Item]:
    """List a citizen's items, newest first."""
    statement = (
        select(Item)
        .where(Item.citizen_telegram_user_id == telegram_user_id)
        .order_by(col(Item.received_at).desc(), col(Item.id).desc())
        .limit(limit)
    )
    return list((await session.exec(statement)).all())


async def history_of(session: AsyncSession, item_id: int) -> list[ItemEvent]:
    """Return an item's events in order."""
    statement = select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(col(ItemEvent.id))
    return list((await session.exec(statement)).all())


async def attachments_of(session: AsyncSession, item_id: int) -> list[Attachment]:
    """Return an item's attachments in order."""
    statement = select(Attachment).where(Attachment.item_id == item_id).order_by(col(Attachment.id))
    return list((await session.exec(statement)).all())


async def chat_of_agency(session: AsyncSession, directory: Directory, agency_code: str) -> int | None:
    """Return the agency's group chat: a binding wins over the directory file."""
    binding = await session.get(AgencyChat, agency_code)
    if binding is not None:
        return binding.chat_id
    agency = directory.agencies_by_code.get(agency_code)
    return agency.chat_id if agency else None


SUPERVISORS_KEY = "__supervisors__"


async def chat_of_supervisors(session: AsyncSession, directory: Directory) -> int | None:
    """Return the supervisors' group chat: a binding wins over the directory file."""
    binding = await session.get(AgencyChat, SUPERVISORS_KEY)
    return binding.chat_id if binding is not None else directory.supervisors.chat_id


async def agency_of_chat(session: AsyncSession, directory: Directory, chat_id: int) -> str | None:
    """Return the agency code (or SUPERVISORS_KEY) a group chat serves, or None."""
    binding = (await session.exec(select(AgencyChat).where(AgencyChat.chat_id == chat_id))).first()
    if binding is not None:
        return binding.agency_code
    if directory.supervisors.chat_id == chat_id:
        overridden = await session.get(AgencyChat, SUPERVISORS_KEY)
        return SUPERVISORS_KEY if overridden is None else None
    for agency in directory.agencies:
        if agency.chat_id == chat_id:
            overridden = await session.get(AgencyChat, agency.code)
            return agency.code if overridden is None else None
    return None


# --- officer, citizen and supervisor actions ------------------------------------------------------


async def claim_item(
    session: AsyncSession, *, item_id: int, actor: Actor, now: datetime
) -> tuple[Item, Change]:
    """Claim an item under a row lock so that of two simultaneous claims exactly one wins.

    PostgreSQL locks the row (SELECT … FOR UPDATE) until the transaction ends; SQLite transactions
    take the write lock when they begin. The loser therefore reads the winner's claim and is refused.
    """
    item = await get_item_for_update(session, item_id)
    if item is None:
        raise LookupError(f"no item {item_id}")
    change = claim(item, actor=actor, now=now)
    session.add(item)
    session.add(change.event)
    await session.flush()
    return item, change


async def find_posted_message(session: AsyncSession, chat_id: int, message_id: int) -> PostedMessage | None:
    """Return what a message the bot posted was for (a card, a prompt, a notice), if known."""
    statement = select(PostedMessage).where(
        PostedMessage.chat_id == chat_id, PostedMessage.message_id == message_id
    )
    return (await session.exec(statement)).first()


async def items_awaiting_citizen(session: AsyncSession, telegram_user_id: int) -> list[Item]:
    """Return a citizen's items that wait for information from them."""
    statement = select(Item).where(
        Item.citizen_telegram_user_id == telegram_user_id, Item.state == ItemState.AWAITING_CITIZEN
    )
    return list((await session.exec(statement)).all())


async def save_routing_rule(
    session: AsyncSession,
    *,
    category_code: str,
    locality_code: str,
    agency_code: str,
    actor: Actor,
    source_item_code: str,
    now: datetime,
) -> RoutingRule:
    """Save (or replace) the supervisors' routing decision for a category and locality."""
    statement = select(RoutingRule).where(
        RoutingRule.category_code == category_code, RoutingRule.locality_code == locality_code
    )
    rule = (await session.exec(statement)).first()
    if rule is None:
        rule = RoutingRule(
            category_code=category_code, locality_code=locality_code, agency_code="", created_at=now
        )
    rule.agency_code = agency_code
    rule.decided_by_telegram_user_id = actor.telegram_user_id
    rule.decided_by_name = actor.name
    rule.source_item_code = source_item_code
    rule.created_at = now
    session.add(rule)
    return rule


async def last_event_of(session: AsyncSession, item_id: int | None, action: Action) -> ItemEvent | None:
    """Return an item's newest event of one kind, or None if it has none."""
    statement = (
        select(ItemEvent)
        .where(ItemEvent.item_id == item_id, ItemEvent.action == action)
        .order_by(col(ItemEvent.id).desc())
    )
    return (await session.exec(statement)).first()
