"""Post and refresh item cards in agency groups through the outbox (used by handlers and jobs).

A card always fits in one message, so every edit keeps it whole: a citizen's text too long for it is
posted in its own message(s) just before the card, and the card shows an excerpt and answers them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.constants import MessageLimit

from bot.callbacks import CallbackSigner
from bot.texts import text
from bot.views.buttons import CardPress
from bot.views.dates import format_datetime
from bot.views.render import (
    CARD,
    CARD_ATTACHMENT,
    CARD_TEXT,
    agency_name,
    card_target,
    card_text,
    has_separate_text,
    kind_label,
)
from bot.views.text_fitting import split_text
from models.actions import Action
from models.card_placement import agencies_shown_in_group_of, orphaned_cards
from models.directory import Directory
from models.items import attachments_of, chat_of_agency
from models.lifecycle import Actor, CardAction, allowed_actions, record
from models.outbox import Button, Message, Outbox, ReplyTarget
from models.tables import Attachment, Item

logger = logging.getLogger(__name__)

# Officer buttons that share a row on a card; any other action gets a row of its own, in CardAction's order.
# Which of them a card shows is `lifecycle.allowed_actions`.
CARD_LAYOUT: tuple[tuple[CardAction, ...], ...] = (
    (CardAction.CLAIM,),
    (CardAction.ASK, CardAction.CONSULT),
    (CardAction.PROGRESS, CardAction.ANSWER),
    (CardAction.TRANSFER, CardAction.REJECT),
)
LAID_OUT = frozenset(action for row in CARD_LAYOUT for action in row)
FULL_TEXT_HEADER_ROOM = 200  # UTF-16 units kept free in each part of a long text for its header


@dataclass(frozen=True)
class CardDestination:
    """Where a card goes, and why it is not the responsible agency's own group if so."""

    chat_id: int | None
    triage_note: str | None
    is_stand_in: bool = False  # the triage group shows the card for an agency without a group


def card_buttons(
    item: Item, signer: CallbackSigner, language: str, *, is_stand_in: bool = False
) -> list[list[Button]]:
    """Return the officer buttons for the item's current state, signed with its state version."""
    allowed = allowed_actions(item, is_stand_in=is_stand_in)
    layout = [*CARD_LAYOUT, *((action,) for action in CardAction if action not in LAID_OUT)]
    rows = [[action for action in row if action in allowed] for row in layout]
    return [
        [
            Button(
                label=text(language, f"card.button.{action.value}"),
                callback_data=signer.pack(CardPress(action, item.id or 0, item.state_version)),
            )
            for action in row
        ]
        for row in rows
        if row
    ]


def full_text_messages(item: Item, language: str) -> list[Message]:
    """Return the citizen's long text as the message(s) posted just before its card, each one whole."""
    parts = split_text(escape(item.text), MessageLimit.MAX_TEXT_LENGTH - FULL_TEXT_HEADER_ROOM)
    kind_lower = kind_label(item.kind, language).lower()
    messages = []
    for number, part in enumerate(parts, start=1):
        if len(parts) == 1:
            header = text(language, "card.full_text", kind_lower=kind_lower, code=item.code)
        else:
            header = text(
                language,
                "card.full_text_part",
                kind_lower=kind_lower,
                code=item.code,
                part=number,
                parts=len(parts),
            )
        messages.append(Message(header + "\n\n" + part))
    return messages


def card_message(
    item: Item,
    directory: Directory,
    signer: CallbackSigner,
    language: str,
    attachment_count: int,
    triage_note: str | None,
    *,
    is_stand_in: bool = False,
) -> Message:
    """Return the card as it should read now, with the buttons of the item's state."""
    return Message(
        text=card_text(
            item, directory, language=language, attachment_count=attachment_count, triage_reason=triage_note
        ),
        buttons=card_buttons(item, signer, language, is_stand_in=is_stand_in),
        # a card whose text has its own messages answers the last of them, so one tap shows the text
        reply_to=ReplyTarget(purpose=CARD_TEXT, item_id=item.id) if has_separate_text(item) else None,
    )


async def destination_for(
    session: AsyncSession, directory: Directory, item: Item, *, language: str, route_is_triage: bool = False
) -> CardDestination:
    """Find the group for an item's card: its agency's group, else the triage agency's group."""
    chat_id = await chat_of_agency(session, directory, item.agency_code)
    if chat_id is not None:
        note = None
        if route_is_triage:
            note = text(
                language,
                "card.triage_note",
                agency=agency_name(directory, item.agency_code, language),
                why=text(language, "card.triage_why.triage"),
            )
        return CardDestination(chat_id, note)
    triage_chat = await chat_of_agency(session, directory, directory.triage_agency)
    logger.warning(
        "Agency %s has no bound group; item %s goes to the triage agency %s",
        item.agency_code,
        item.code,
        directory.triage_agency,
    )
    note = text(
        language,
        "card.triage_note",
        agency=agency_name(directory, directory.triage_agency, language),
        why=text(
            language, "card.triage_why.unbound", agency=agency_name(directory, item.agency_code, language)
        ),
    )
    if triage_chat is None:
        logger.error(
            "The triage agency %s has no bound group either; item %s waits for a binding",
            directory.triage_agency,
            item.code,
        )
    return CardDestination(triage_chat, note, is_stand_in=True)


async def card_with_attachments(
    session: AsyncSession,
    directory: Directory,
    signer: CallbackSigner,
    item: Item,
    language: str,
    destination: CardDestination,
) -> tuple[Message, list[Attachment]]:
    """Return the item's card as it reads in that destination, and the attachments it counts."""
    attachments = await attachments_of(session, item.id)  # type: ignore[arg-type]
    message = card_message(
        item,
        directory,
        signer,
        language,
        len(attachments),
        destination.triage_note,
        is_stand_in=destination.is_stand_in,
    )
    return message, attachments


async def post_card(
    *,
    session: AsyncSession,
    outbox: Outbox,
    directory: Directory,
    signer: CallbackSigner,
    item: Item,
    language: str,
    route_is_triage: bool = False,
) -> int | None:
    """Queue the item's card and its attachments in the right group; return the chat id used."""
    destination = await destination_for(
        session, directory, item, language=language, route_is_triage=route_is_triage
    )
    if destination.chat_id is None:
        return None
    message, attachments = await card_with_attachments(
        session, directory, signer, item, language, destination
    )
    if has_separate_text(item):
        for part in full_text_messages(item, language):
            outbox.send(
                destination.chat_id,
                part,
                item_id=item.id,
                purpose=CARD_TEXT,
                purpose_data={"agency": item.agency_code},
            )
    outbox.send(
        destination.chat_id, message, item_id=item.id, purpose=CARD, purpose_data={"agency": item.agency_code}
    )
    for attachment in attachments:
        if attachment.media_type == "location" and attachment.latitude is not None:
            outbox.send_location(
                destination.chat_id,
                latitude=attachment.latitude,
                longitude=attachment.longitude or 0.0,
                reply_to=card_target(item),
                item_id=item.id,
            )
        elif attachment.file_id:
            outbox.send_media(
                destination.chat_id,
                media_type=attachment.media_type,
                file_id=attachment.file_id,
                caption=item.code,
                reply_to=card_target(item),
                item_id=item.id,
                purpose=CARD_ATTACHMENT,
                purpose_data={"agency": item.agency_code},
            )
    if item.location_latitude is not None and item.location_longitude is not None:
        outbox.send_location(
            destination.chat_id,
            latitude=item.location_latitude,
            longitude=item.location_longitude,
            reply_to=card_target(item),
            item_id=item.id,
        )
    return destination.chat_id


async def refresh_card(
    *,
    session: AsyncSession,
    outbox: Outbox,
    directory: Directory,
    signer: CallbackSigner,
    item: Item,
    language: str,
) -> None:
    """Queue an edit of the item's card so it shows the current state and buttons."""
    destination = await destination_for(session, directory, item, language=language)
    if destination.chat_id is None:
        return
    message, _attachments = await card_with_attachments(
        session, directory, signer, item, language, destination
    )
    outbox.edit(destination.chat_id, card_target(item), message)


async def close_moved_card(
    *,
    session: AsyncSession,
    outbox: Outbox,
    directory: Directory,
    item: Item,
    chat_id: int,
    language: str,
    note: str,
) -> None:
    """Edit the card in the group that no longer holds the item: current text plus a note, no buttons."""
    attachments = await attachments_of(session, item.id)  # type: ignore[arg-type]
    body = card_text(item, directory, language=language, attachment_count=len(attachments))
    outbox.edit(chat_id, card_target(item), Message(body + note))


async def take_over_orphaned_cards(
    *,
    session: AsyncSession,
    outbox: Outbox,
    directory: Directory,
    signer: CallbackSigner,
    agency_code: str,
    chat_id: int,
    language: str,
    now: datetime,
) -> int:
    """Post in a newly bound group the cards it should show, close them where they were; return how many."""
    moved = 0
    note = text(
        language,
        "card.moved_to_new_group",
        agency=escape(agency_name(directory, agency_code, language)),
        at=format_datetime(now, language),
    )
    agency_codes = await agencies_shown_in_group_of(session, directory, agency_code)
    async for batch in orphaned_cards(session, agency_codes=agency_codes, chat_id=chat_id, card_purpose=CARD):
        for orphan in batch:
            for stale_chat_id in orphan.stale_chat_ids:
                await close_moved_card(
                    session=session,
                    outbox=outbox,
                    directory=directory,
                    item=orphan.item,
                    chat_id=stale_chat_id,
                    language=language,
                    note=note,
                )
            posted_in = await post_card(
                session=session,
                outbox=outbox,
                directory=directory,
                signer=signer,
                item=orphan.item,
                language=language,
            )
            if posted_in is not None:
                moved += 1
                change = record(
                    orphan.item,
                    action=Action.CARD_MOVED_TO_NEW_GROUP,
                    actor=Actor.system(),
                    now=now,
                    detail={"chat_id": chat_id, "from_chat_ids": list(orphan.stale_chat_ids)},
                )
                session.add(change.event)
    return moved
