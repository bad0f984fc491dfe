"""The supervisors' group decides disputed transfers and reviews rejections.

Only members of the supervisors' group, acting in that group, may decide (handlers.authorization).
The cards are posted by handlers/supervisor_notices.py (officers and citizens call it) and rendered by
bot/views/supervision_cards.py; this module handles the presses on them and the replies to them.

Flow::

    a transfer turned into a dispute ─► DISPUTE card: one button per agency involved,
        🔎 any other agency (pages, or reply with part of a name),
        ☐/☑ save the choice as a routing rule for the category and locality
        └─ a choice ─► DECIDED: final for the item; both agencies and the citizen are told
    a rejection ─► REVIEW card: ↩️ reverse (the item goes back to its agency) │ ✔️ uphold
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import DisputeMove, DisputePress, ReviewDecision, ReviewPress
from bot.views.dates import format_datetime
from bot.views.render import (
    agency_by_key,
    agency_name,
    deadline_text,
    find_agencies,
    province_words,
)
from bot.views.supervision_cards import matching_agency_buttons
from handlers import citizen_notices
from handlers.authorization import Denied, authorise_supervisor, record_refusal
from handlers.common import answer_callback, reply
from handlers.group_chat import (
    close_old_card,
    group_language,
    holding_chat,
    post_new_card,
    refresh,
    save,
    say_no_agency_matched,
    tell_agency,
)
from handlers.group_replies import ReplyHandler
from handlers.presses import PressRefused, guarded_press, press_handler
from handlers.supervisor_notices import (
    dispute_card,
    dispute_card_text,
    involved_agencies,
    review_card_text,
)
from handlers.supervisor_prompts import authorise_supervisor_for
from models.handover import decide_dispute
from models.items import chat_of_agency, get_item_for_update, save_routing_rule
from models.lifecycle import Actor, Refused, reverse_rejection, uphold_rejection
from models.outbox import Message
from models.purposes import Purpose
from models.tables import Item, PostedMessage

logger = logging.getLogger(__name__)

DECIDE = "decide_dispute"  # what a refusal on a dispute card is recorded against
REVIEW = "review_rejection"  # likewise on a review card


def refused_press(refusal: Refused, item: Item, attempted: str) -> PressRefused:
    """Return the press refusal for a decision the item's rules do not allow now."""
    reason = refusal.reason.value
    return PressRefused(f"refused.{reason}", reason=reason, item=item, attempted=attempted)


# --- the dispute card -------------------------------------------------------------------------------


@press_handler
async def pressed_dispute_button(update: Update, context: PaknContext) -> None:
    """Handle the dispute card: flip the rule switch, page through agencies, or decide."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    press = await guarded_press(
        update, context, DisputePress, attempted=DECIDE, authorise=authorise_supervisor_for(context, update)
    )
    item, data = press.item, press.data
    language = group_language(context)
    card = query.message
    if data.move is DisputeMove.SHOW:
        await answer_callback(update, language)
        context.outbox.edit(
            card.chat.id, card.message_id, await dispute_card(context, item, save_rule=data.save_rule)
        )
        return
    if data.move is DisputeMove.PAGE:
        await answer_callback(update, language)
        message = await dispute_card(context, item, save_rule=data.save_rule, page=data.page)
        context.outbox.edit(card.chat.id, card.message_id, message)
        return
    agency = agency_by_key(context.services.directory, data.agency)
    if agency is None:
        raise PressRefused("error.button_outdated")
    await decide(
        update, context, item, agency.code, data.save_rule, press.actor, card.chat.id, card.message_id
    )


async def decide(
    update: Update,
    context: PaknContext,
    item: Item,
    agency_code: str,
    save_rule: bool,
    actor: Actor,
    chat_id: int,
    card_message_id: int,
) -> None:
    """Make the supervisors' decision final, tell everyone involved, and save the rule if asked."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    involved = set(await involved_agencies(context, item))
    old_chat_id = await holding_chat(context, item)
    try:
        change = decide_dispute(
            item,
            actor=actor,
            now=context.now,
            agency_code=agency_code,
            known_agency_codes=set(directory.agencies_by_code),
            save_as_rule=save_rule,
        )
    except Refused as refusal:
        raise refused_press(refusal, item, DECIDE) from refusal
    save(context, item, change)
    if "routing_rule" in change.notes:
        category_code, locality_code, rule_agency = change.notes["routing_rule"]
        await save_routing_rule(
            context.session,
            category_code=category_code,
            locality_code=locality_code,
            agency_code=rule_agency,
            actor=actor,
            source_item_code=item.code,
            now=context.now,
        )
    await answer_callback(update, language)
    chosen = escape(agency_name(directory, agency_code, language))
    if agency_code != change.notes["from_agency"] and old_chat_id is not None:
        note = text(language, "card.decided_away", agency=chosen, **province_words(directory, language))
        await close_old_card(context, item, old_chat_id, note)
        await post_new_card(context, item)
    else:
        await refresh(context, item)
    rule_note = text(language, "dispute.rule_saved") if save_rule else ""
    for code in sorted(involved | {agency_code}):
        agency_chat = await chat_of_agency(context.session, directory, code)
        if agency_chat is not None:
            context.outbox.send(
                agency_chat,
                Message(
                    text(
                        language,
                        "dispute.told_agency",
                        code=item.code,
                        agency=chosen,
                        deadline=deadline_text(item, language),
                        **province_words(directory, language),
                    )
                ),
                item_id=item.id,
            )
    await citizen_notices.tell_citizen(context, item, "followup.dispute_decided")
    context.outbox.edit(
        chat_id,
        card_message_id,
        Message(
            await dispute_card_text(context, item)
            + text(
                language,
                "dispute.decided",
                agency=chosen,
                supervisor=escape(actor.name or "—"),
                at=format_datetime(context.now, language),
            )
            + rule_note
        ),
    )


async def replied_to_dispute_card(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Offer the agencies whose names match what a supervisor typed in reply to a dispute card."""
    message = update.effective_message
    if message is None or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    language = group_language(context)
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        reply(
            context,
            update,
            Message(text(language, f"auth.{permit.reason.value}"), reply_to_message_id=message.message_id),
        )
        record_refusal(context, update, item, attempted=DECIDE, reason=permit.refusal_reason)
        return
    query = message.text or ""
    matches = find_agencies(context.services.directory, query)
    if not matches:
        say_no_agency_matched(context, update, query)
        return
    buttons = matching_agency_buttons(item, matches, signer=context.services.signer, language=language)
    reply(
        context,
        update,
        Message(
            text(language, "dispute.matches", code=item.code),
            buttons=buttons,
            reply_to_message_id=message.message_id,
        ),
        item_id=item.id,
        purpose=Purpose.DISPUTE_CARD,
    )


# --- rejection review ----------------------------------------------------------------------------------


@press_handler
async def pressed_review_button(update: Update, context: PaknContext) -> None:
    """Reverse a rejection (the item goes back to its agency) or uphold it."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    press = await guarded_press(
        update, context, ReviewPress, attempted=REVIEW, authorise=authorise_supervisor_for(context, update)
    )
    item, actor = press.item, press.actor
    services = context.services
    language = group_language(context)
    is_reversed = press.data.decision is ReviewDecision.REVERSE
    decision = reverse_rejection if is_reversed else uphold_rejection
    try:
        change = decision(item, actor=actor, now=context.now)
    except Refused as refusal:
        raise refused_press(refusal, item, REVIEW) from refusal
    save(context, item, change)
    await answer_callback(update, language)
    outcome = text(
        language,
        "review.reversed" if is_reversed else "review.upheld",
        supervisor=escape(actor.name or "—"),
        at=format_datetime(context.now, language),
    )
    context.outbox.edit(
        query.message.chat.id,
        query.message.message_id,
        Message(await review_card_text(context, item) + outcome),
    )
    if not is_reversed:
        return
    await refresh(context, item)
    await tell_agency(
        context,
        item,
        "review.told_agency",
        code=item.code,
        deadline=deadline_text(item, language),
        **province_words(services.directory, language),
    )
    await citizen_notices.tell_citizen(context, item, "followup.reinstated")


# --- wiring -------------------------------------------------------------------------------------------

REPLIES: dict[Purpose, ReplyHandler] = {Purpose.DISPUTE_CARD: replied_to_dispute_card}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the dispute and review buttons (replies to dispute cards come through REPLIES)."""
    application.add_handler(CallbackQueryHandler(pressed_dispute_button, pattern=DisputePress.pattern()))
    application.add_handler(CallbackQueryHandler(pressed_review_button, pattern=ReviewPress.pattern()))
