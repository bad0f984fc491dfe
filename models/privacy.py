"""A citizen's personal data: what is stored about them, and erasing it (PDP Law 91/2025/QH15, DESIGN §10).

Erasure removes the person, not the accountability record: the items they sent stay, anonymised, with
their whole history, so supervisors can still see what each agency did with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import Actor, record
from models.tables import (
    ActorRole,
    Attachment,
    ChatDelivery,
    Citizen,
    ConversationDraft,
    InboxUpdate,
    Item,
    ItemEvent,
    OutboxMessage,
    OutboxStatus,
    PostedMessage,
)

ERASED_PAYLOAD = {"erased": True}


@dataclass
class PersonalData:
    """Everything stored that identifies one citizen."""

    telegram_user_id: int
    citizen: Citizen | None
    has_draft: bool
    items: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing at all is stored about the citizen."""
        return self.citizen is None and not self.has_draft and not self.items


@dataclass(frozen=True)
class Erasure:
    """What an erasure did."""

    items_anonymised: int
    items_that_showed_contact: list[int]


async def personal_data_of(*, session: AsyncSession, telegram_user_id: int) -> PersonalData:
    """Collect what is stored about a citizen: their record, a draft in progress and their items."""
    items = (
        await session.exec(
            select(Item)
            .where(Item.citizen_telegram_user_id == telegram_user_id)
            .order_by(col(Item.received_at), col(Item.id))
        )
    ).all()
    return PersonalData(
        telegram_user_id=telegram_user_id,
        citizen=await session.get(Citizen, telegram_user_id),
        has_draft=await session.get(ConversationDraft, telegram_user_id) is not None,
        items=list(items),
    )


async def erase_personal_data(*, session: AsyncSession, telegram_user_id: int, now: datetime) -> Erasure:
    """Remove a citizen's phone, name, locations and Telegram identity; keep their items anonymised.

    Messages still waiting to be sent to the citizen (such as the confirmation) are kept so they arrive.
    """
    data = await personal_data_of(session=session, telegram_user_id=telegram_user_id)
    item_ids = [item.id for item in data.items if item.id is not None]
    showed_contact: list[int] = []
    personal_values: set[str] = set()
    actor = Actor(role=ActorRole.CITIZEN)
    for item in data.items:
        assert item.id is not None
        if item.contact_phone or item.contact_name:
            showed_contact.append(item.id)
        personal_values.update(value for value in (item.contact_phone, item.contact_name) if value)
        item.contact_phone = None
        item.contact_name = None
        item.location_latitude = None
        item.location_longitude = None
        item.citizen_telegram_user_id = None
        # the consent time and wording stay: they show the agency saw the contact lawfully
        session.add(record(item, action=Action.PERSONAL_DATA_ERASED, actor=actor, now=now).event)
    if item_ids:
        await session.exec(
            update(Attachment)
            .where(col(Attachment.item_id).in_(item_ids), col(Attachment.media_type) == "location")
            .values(latitude=None, longitude=None)
        )
        await session.exec(
            update(ItemEvent)
            .where(
                col(ItemEvent.item_id).in_(item_ids),
                col(ItemEvent.actor_role) == ActorRole.CITIZEN,
            )
            .values(actor_telegram_user_id=None, actor_name=None)
        )
        await _erase_sent_messages_mentioning(session, item_ids, personal_values)
    await session.exec(
        update(ItemEvent)
        .where(col(ItemEvent.actor_telegram_user_id) == telegram_user_id)
        .values(actor_telegram_user_id=None, actor_name=None)
    )
    await session.exec(
        update(InboxUpdate).where(col(InboxUpdate.chat_id) == telegram_user_id).values(payload=ERASED_PAYLOAD)
    )
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.chat_id) == telegram_user_id,
            col(OutboxMessage.status) != OutboxStatus.PENDING,
        )
        .values(payload=ERASED_PAYLOAD, purpose_data={})
    )
    await session.exec(delete(PostedMessage).where(col(PostedMessage.chat_id) == telegram_user_id))
    await session.exec(
        delete(ConversationDraft).where(col(ConversationDraft.telegram_user_id) == telegram_user_id)
    )
    await session.exec(delete(Citizen).where(col(Citizen.telegram_user_id) == telegram_user_id))
    chat = await session.get(ChatDelivery, telegram_user_id)
    if chat is not None:
        chat.unreachable_reason = None
    return Erasure(items_anonymised=len(item_ids), items_that_showed_contact=showed_contact)


async def _erase_sent_messages_mentioning(
    session: AsyncSession, item_ids: list[int], personal_values: set[str]
) -> None:
    """Blank the stored copy of sent messages (cards) that showed the citizen's phone or name."""
    if not personal_values:
        return
    rows = (
        await session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.item_id).in_(item_ids), col(OutboxMessage.status) != OutboxStatus.PENDING
            )
        )
    ).all()
    for row in rows:
        stored = json.dumps(row.payload, ensure_ascii=False)
        if any(value in stored for value in personal_values):
            row.payload = dict(ERASED_PAYLOAD)
