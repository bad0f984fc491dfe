"""What the other audiences put before the supervisors: disputes, rejections and "not satisfied" alerts.

Officers (a disputed transfer, a rejection) and citizens (a "not satisfied" rating and its comment) call
these; the supervisors' own conversations (handlers/supervisor_*.py) read the same cards back. This
module posts; the cards themselves are rendered in bot/views/supervision_cards.py.
"""

from __future__ import annotations

import logging
from html import escape

from bot.context import PaknContext
from bot.texts import text
from bot.views.render import agency_name, deadline_text
from bot.views.supervision_cards import (
    agency_page_buttons,
    candidate_agencies,
    dispute_buttons,
    dispute_text,
    review_buttons,
    review_text,
)
from handlers.group_chat import group_language
from models.actions import Action
from models.items import chat_of_supervisors, last_event_of
from models.outbox import Message, ReplyTarget
from models.purposes import Purpose
from models.tables import Item

logger = logging.getLogger(__name__)


# --- disputed transfers --------------------------------------------------------------------------------


async def dispute_card_text(context: PaknContext, item: Item) -> str:
    """Return the text of an item's dispute card, from its newest dispute event."""
    disputed = await last_event_of(context.session, item.id, Action.TRANSFER_DISPUTED)
    return dispute_text(
        item, disputed, directory=context.services.directory, language=group_language(context)
    )


async def involved_agencies(context: PaknContext, item: Item) -> list[str]:
    """Return the agencies involved in an item's dispute: the holder, the one asked for, earlier holders."""
    disputed = await last_event_of(context.session, item.id, Action.TRANSFER_DISPUTED)
    return candidate_agencies(item, disputed, directory=context.services.directory)


async def dispute_card(
    context: PaknContext, item: Item, *, save_rule: bool, page: int | None = None
) -> Message:
    """Return the dispute card: the agencies involved, or (with `page`) one page of every agency."""
    services = context.services
    language = group_language(context)
    body = await dispute_card_text(context, item)
    if page is not None:
        buttons = agency_page_buttons(
            item,
            directory=services.directory,
            signer=services.signer,
            language=language,
            save_rule=save_rule,
            page=page,
        )
        return Message(body + text(language, "dispute.choose_any"), buttons=buttons)
    buttons = dispute_buttons(
        item,
        await involved_agencies(context, item),
        directory=services.directory,
        signer=services.signer,
        language=language,
        save_rule=save_rule,
    )
    return Message(body, buttons=buttons)


async def post_dispute_card(context: PaknContext, item: Item) -> None:
    """Put a disputed item before the supervisors at once (DESIGN §8 step 5)."""
    chat_id = await chat_of_supervisors(context.session, context.services.directory)
    if chat_id is None:
        logger.error("Item %s is disputed but the supervisors have no group to decide it in", item.code)
        return
    context.outbox.send(
        chat_id,
        await dispute_card(context, item, save_rule=False),
        item_id=item.id,
        purpose=Purpose.DISPUTE_CARD,
    )


# --- rejections ------------------------------------------------------------------------------------------


async def review_card_text(context: PaknContext, item: Item) -> str:
    """Return the text of an item's rejection review card, from its newest rejection event."""
    rejected = await last_event_of(context.session, item.id, Action.REJECTED)
    return review_text(item, rejected, directory=context.services.directory, language=group_language(context))


async def post_rejection_review(context: PaknContext, item: Item) -> None:
    """Put a rejection before the supervisors, who may reverse it."""
    services = context.services
    chat_id = await chat_of_supervisors(context.session, services.directory)
    if chat_id is None:
        logger.error("Item %s was rejected but the supervisors have no group to review it", item.code)
        return
    buttons = review_buttons(item, signer=services.signer, language=group_language(context))
    context.outbox.send(
        chat_id,
        Message(await review_card_text(context, item), buttons=buttons),
        item_id=item.id,
        purpose=Purpose.REJECTION_REVIEW,
    )


# --- "not satisfied" -----------------------------------------------------------------------------------


async def alert_not_satisfied(context: PaknContext, item: Item) -> None:
    """Tell the supervisors at once that a citizen was not satisfied and the item is reopened."""
    directory = context.services.directory
    language = group_language(context)
    chat_id = await chat_of_supervisors(context.session, directory)
    if chat_id is None:
        logger.error("Item %s was rated not satisfied but the supervisors have no group", item.code)
        return
    answered = await last_event_of(context.session, item.id, Action.ANSWERED)
    previous_answer = str(answered.detail.get("text", "")) if answered else ""
    context.outbox.send(
        chat_id,
        Message(
            text(
                language,
                "alert.not_satisfied",
                code=item.code,
                agency=escape(agency_name(directory, item.agency_code, language)),
                deadline=deadline_text(item, language),
                answer=escape(previous_answer[:1000]) or "—",
            )
        ),
        item_id=item.id,
        purpose=Purpose.NOT_SATISFIED_ALERT,
    )


async def relay_rating_comment(context: PaknContext, item: Item, comment: str) -> None:
    """Pass the citizen's reason for not being satisfied to the supervisors, under the alert."""
    chat_id = await chat_of_supervisors(context.session, context.services.directory)
    if chat_id is None:
        return
    language = group_language(context)
    context.outbox.send(
        chat_id,
        Message(
            text(language, "relay.rating_comment", code=item.code, text=escape(comment)),
            reply_to=ReplyTarget(purpose=Purpose.NOT_SATISFIED_ALERT, item_id=item.id),
        ),
        item_id=item.id,
    )
