"""A citizen's personal data: what is stored about them, and erasing it (PDP Law 91/2025/QH15, DESIGN §10).

Erasure removes the person, not the accountability record: the items they sent stay, anonymised, with
their whole history, so supervisors can still see what each agency did with them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import Actor, record
from models.personal_text import mask_personal_json, mask_personal_text
from models.purposes import Purpose
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
    saved_id,
)
from models.throttling import forget_subject

ERASED_PAYLOAD = {"erased": True}
# An outbox purpose: once delivered, the message and the chat's delivery state are deleted, so that a
# message sent to someone after their erasure (its confirmation) leaves no trace of their Telegram id.
FORGET_AFTER_DELIVERY = Purpose.FORGET_AFTER_DELIVERY
# Keys of an outbox payload or an event's detail that hold free text a person typed or a card showed.
FREE_TEXT_KEYS = frozenset({"text", "caption", "question", "comment", "body", "file_name"})


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
    items_with_masked_text: list[int] = field(default_factory=list)

    @property
    def items_to_refresh(self) -> list[int]:
        """Return the items whose cards show something that is no longer stored."""
        return sorted({*self.items_that_showed_contact, *self.items_with_masked_text})


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


async def erase_personal_data(
    *, session: AsyncSession, telegram_user_id: int, now: datetime, known_names: Iterable[str] = ()
) -> Erasure:
    """Remove a citizen's phone, name, locations and Telegram identity; keep their items anonymised.

    Afterwards no row ties an item to the person: their messages, delivery state, raw updates, prompts,
    counters and drafts are deleted, and the phone numbers, e-mail addresses and ID numbers they typed
    (and `known_names`, such as their Telegram name) are masked in their own free text and in the
    stored copies of the messages that carried it. Messages still waiting to be sent to them arrive,
    unlinked from the items, and are forgotten once delivered.
    """
    data = await personal_data_of(session=session, telegram_user_id=telegram_user_id)
    item_ids = [item.id for item in data.items if item.id is not None]
    showed_contact: list[int] = []
    masked_text: list[int] = []
    personal_values: set[str] = {name for name in known_names if name}
    for item in data.items:
        personal_values.update(value for value in (item.contact_phone, item.contact_name) if value)
    actor = Actor(role=ActorRole.CITIZEN)
    for item in data.items:
        item_id = saved_id(item)
        if item.contact_phone or item.contact_name:
            showed_contact.append(item_id)
        item.contact_phone = None
        item.contact_name = None
        item.location_latitude = None
        item.location_longitude = None
        item.citizen_telegram_user_id = None
        masked = mask_personal_text(item.text, personal_values)
        if masked != item.text:
            item.text = masked
            masked_text.append(item_id)
        # the consent time and wording stay: they show the agency saw the contact lawfully
        session.add(record(item, action=Action.PERSONAL_DATA_ERASED, actor=actor, now=now).event)
    if item_ids:
        await _erase_from_items(session, item_ids, telegram_user_id, personal_values)
    await _erase_events_by(session, telegram_user_id, personal_values)
    await _erase_messages_and_delivery(session, telegram_user_id)
    await _erase_raw_updates(session, telegram_user_id, personal_values)
    await forget_subject(session, telegram_user_id)
    await session.exec(delete(PostedMessage).where(col(PostedMessage.chat_id) == telegram_user_id))
    await session.exec(
        delete(ConversationDraft).where(col(ConversationDraft.telegram_user_id) == telegram_user_id)
    )
    await session.exec(delete(Citizen).where(col(Citizen.telegram_user_id) == telegram_user_id))
    return Erasure(
        items_anonymised=len(item_ids),
        items_that_showed_contact=showed_contact,
        items_with_masked_text=masked_text,
    )


def _without_id(value: Any, telegram_user_id: int) -> Any:
    """Return a JSON-like value with every occurrence of the Telegram id replaced by None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value == telegram_user_id:
        return None
    if isinstance(value, dict):
        return {key: _without_id(inner, telegram_user_id) for key, inner in value.items()}
    if isinstance(value, list):
        return [_without_id(inner, telegram_user_id) for inner in value]
    return value


def _scrub_event(
    event: ItemEvent, telegram_user_id: int, personal_values: set[str], *, is_theirs: bool
) -> None:
    """Unlink an event from the person; mask their free text in it when they wrote it."""
    detail = _without_id(event.detail, telegram_user_id)
    if is_theirs:
        detail = mask_personal_json(detail, personal_values, keys=FREE_TEXT_KEYS)
        if event.reason:
            event.reason = mask_personal_text(event.reason, personal_values)
        event.actor_telegram_user_id = None
        event.actor_name = None
    if detail != event.detail:
        event.detail = detail
        flag_modified(event, "detail")


async def _erase_from_items(
    session: AsyncSession, item_ids: list[int], telegram_user_id: int, personal_values: set[str]
) -> None:
    """Clean the person's items: locations, their events and the stored copies of messages about them."""
    await session.exec(
        update(Attachment)
        .where(col(Attachment.item_id).in_(item_ids), col(Attachment.media_type) == "location")
        .values(latitude=None, longitude=None)
    )
    attachments = await session.exec(
        select(Attachment).where(
            col(Attachment.item_id).in_(item_ids), Attachment.added_by == ActorRole.CITIZEN
        )
    )
    for attachment in attachments.all():
        if attachment.file_name:
            attachment.file_name = mask_personal_text(attachment.file_name, personal_values)
    events = await session.exec(select(ItemEvent).where(col(ItemEvent.item_id).in_(item_ids)))
    for event in events.all():
        is_theirs = event.actor_role == ActorRole.CITIZEN or event.actor_telegram_user_id == telegram_user_id
        _scrub_event(event, telegram_user_id, personal_values, is_theirs=is_theirs)
    messages = await session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.item_id).in_(item_ids), col(OutboxMessage.chat_id) != telegram_user_id
        )
    )
    for message in messages.all():  # cards, relayed additions and comments in the agencies' groups
        payload = mask_personal_json(message.payload, personal_values, keys=FREE_TEXT_KEYS)
        if payload != message.payload:
            message.payload = payload
            flag_modified(message, "payload")
        if message.last_error:
            message.last_error = mask_personal_text(message.last_error, personal_values)


async def _erase_events_by(session: AsyncSession, telegram_user_id: int, personal_values: set[str]) -> None:
    """Unlink the person from events on other items (a refused press, a /status of someone's code)."""
    events = await session.exec(
        select(ItemEvent).where(col(ItemEvent.actor_telegram_user_id) == telegram_user_id)
    )
    for event in events.all():
        _scrub_event(event, telegram_user_id, personal_values, is_theirs=True)


async def _erase_messages_and_delivery(session: AsyncSession, telegram_user_id: int) -> None:
    """Delete what was sent to the person; unlink what still waits to be sent, and forget it once sent."""
    await session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.chat_id) == telegram_user_id, col(OutboxMessage.status) != OutboxStatus.PENDING
        )
    )
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.chat_id) == telegram_user_id, col(OutboxMessage.status) == OutboxStatus.PENDING
        )
        .values(item_id=None, purpose=FORGET_AFTER_DELIVERY, purpose_data={}, last_error=None)
    )
    await session.exec(delete(ChatDelivery).where(col(ChatDelivery.chat_id) == telegram_user_id))


async def _erase_raw_updates(session: AsyncSession, telegram_user_id: int, personal_values: set[str]) -> None:
    """Reduce the raw updates still held in full to their id: the person's own, and those mentioning them.

    Handled updates keep only their id already; updates waiting to be handled are left alone (they are
    reduced when handled). What remains is the failed ones, kept for an administrator.
    """
    held = await session.exec(
        select(InboxUpdate).where(
            col(InboxUpdate.processed_at).is_not(None),
            or_(col(InboxUpdate.last_error).is_not(None), col(InboxUpdate.chat_id) == telegram_user_id),
        )
    )
    needles = {str(telegram_user_id), *personal_values}
    for row in held.all():
        stored = json.dumps(row.payload, ensure_ascii=False) + (row.last_error or "")
        if row.chat_id == telegram_user_id or any(needle in stored for needle in needles):
            row.payload = {"update_id": row.update_id}
            row.chat_id = None
            row.last_error = mask_personal_text(row.last_error, personal_values) if row.last_error else None


async def forget_delivered_message(session: AsyncSession, message: OutboxMessage) -> None:
    """Delete a delivered message marked FORGET_AFTER_DELIVERY, and its chat's delivery state."""
    chat_id = message.chat_id
    await session.delete(message)
    await session.flush()
    others = await session.exec(select(OutboxMessage.id).where(OutboxMessage.chat_id == chat_id).limit(1))
    if others.first() is None:
        await session.exec(delete(ChatDelivery).where(col(ChatDelivery.chat_id) == chat_id))
