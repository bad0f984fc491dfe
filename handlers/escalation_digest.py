"""The supervisors' escalation digest: a button per folded escalation card opens that card.

Flow::

    the sweep folds many escalation cards into one digest ─► 🚨 Mở thẻ CODE ─► the item's escalation
    card is posted in the supervisors' group, with its actions (handlers/supervisor_escalations.py)
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.views.buttons import OpenEscalationCard
from bot.views.escalation_cards import escalation_card
from handlers.common import answer_callback, reply
from handlers.group_chat import group_language
from handlers.presses import guarded_press, press_handler
from handlers.supervisor_prompts import authorise_supervisor_for
from models.purposes import Purpose


@press_handler
async def pressed_open_card(update: Update, context: PaknContext) -> None:
    """Post the escalation card of one item from a digest, for a member of the supervisors' group."""
    press = await guarded_press(
        update,
        context,
        OpenEscalationCard,
        attempted="open_escalation_card",
        authorise=authorise_supervisor_for(context, update),
        check_version=False,  # the digest's buttons stay valid, like the cards they open
        lock=False,  # it only shows the item; each action on the card it posts takes the lock itself
    )
    services = context.services
    language = group_language(context)
    await answer_callback(update, language)
    card = escalation_card(
        press.item,
        directory=services.directory,
        signer=services.signer,
        calendar=services.calendar,
        now=context.now,
        language=language,
    )
    reply(context, update, card, item_id=press.item.id, purpose=Purpose.ESCALATION_CARD)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the digest's "open card" buttons."""
    application.add_handler(CallbackQueryHandler(pressed_open_card, pattern=OpenEscalationCard.pattern()))
