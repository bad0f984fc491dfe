"""Officers reporting a matter beyond their agency's authority up to the supervisors (Dispatch 968 §1(h)).

A matter beyond an agency's authority is reported up to the competent level, never passed around: the
item stays with the agency (its clock runs on) and the supervisors get a card to decide on it
(handlers/supervisor_referrals.py).

Flow::

    card ─ ⬆️ Vượt thẩm quyền ─► prompt ─ reply (what is needed and why; substance check)
        └─► recorded (REFERRED_UP); a referral card in the supervisors' group
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.views.buttons import CardAction
from bot.views.referral_cards import ReferralCard, referral_card
from bot.views.render import deadline_text, province_words
from handlers.common import answer_callback
from handlers.group_chat import confirm, group_language, refuse, refuse_rule, save
from handlers.officer_common import (
    PromptReply,
    StepHandler,
    ask_officer,
    card_pattern,
    guarded_card_press,
)
from handlers.presses import press_handler
from models.actions import RefusalNote
from models.handover import refer_up
from models.items import chat_of_supervisors
from models.lifecycle import Refused, check_action
from models.purposes import Purpose

ACTION = CardAction.BEYOND_AUTHORITY


@press_handler
async def on_beyond_authority_button(update: Update, context: PaknContext) -> None:
    """Check the item may be referred up now, then ask the officer what is needed and why."""
    press, permit = await guarded_card_press(update, context)
    item = press.item
    try:
        check_action(item, ACTION, is_stand_in=permit.is_stand_in)
    except Refused as refusal:
        await refuse_rule(update, context, item, ACTION, refusal)
        return
    await answer_callback(update, group_language(context))
    ask_officer(context, update, item, ACTION.value, permit.actor)


async def referred_up(replied: PromptReply) -> bool:
    """Record the referral (substance check) and put it before the supervisors; the item stays here."""
    update, context, item, permit, _posted, _prompt, body = replied.parts()
    directory = context.services.directory
    language = group_language(context)
    chat_id = await chat_of_supervisors(context.session, directory)
    if chat_id is None:
        await refuse(
            update,
            context,
            item,
            ACTION,
            "beyond_authority.no_supervisors",
            RefusalNote.SUPERVISORS_HAVE_NO_GROUP,
            **province_words(directory, language),
        )
        return False
    try:
        change = refer_up(
            item, actor=permit.actor, now=context.now, text=body, proper_names=directory.proper_names
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ACTION, refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    context.outbox.send(
        chat_id,
        referral_card(item, change.event, directory, context.services.signer, language),
        item_id=item.id,
        purpose=Purpose.REFERRAL_CARD,
        purpose_data=ReferralCard(key=str(change.event.id), agency=item.agency_code).model_dump(),
    )
    confirm(update, context, "beyond_authority.sent", code=item.code, deadline=deadline_text(item, language))
    return True


PROMPT_STEPS: dict[str, StepHandler] = {ACTION.value: referred_up}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the card's "beyond our authority" button."""
    application.add_handler(CallbackQueryHandler(on_beyond_authority_button, pattern=card_pattern(ACTION)))
