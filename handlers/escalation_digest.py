"""The supervisors' escalation digest: a button per folded escalation card opens that card.

Flow::

    the sweep folds many escalation cards into one digest ─► 🚨 Mở thẻ CODE ─► the item's escalation
    card is posted in the supervisors' group, with its actions (handlers/supervisor_escalations.py)
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.views.escalation_cards import ESCALATION_CARD, escalation_card
from handlers.authorization import Denied, authorise_supervisor, record_refusal
from handlers.common import answer_callback
from models.tables import Item

logger = logging.getLogger(__name__)


async def pressed_open_card(update: Update, context: PaknContext) -> None:
    """Post the escalation card of one item from a digest, for a member of the supervisors' group."""
    query = update.callback_query
    chat = update.effective_chat
    services = context.services
    language = services.settings.default_language
    press = services.signer.verify(query.data if query else None)
    item = await context.session.get(Item, press.item_id) if press is not None else None
    if press is None or item is None or chat is None:
        logger.warning("Refused a forged or unknown digest button press")
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        await answer_callback(update, language, f"auth.{permit.reason.value}", alert=True)
        record_refusal(
            context,
            update,
            item,
            attempted="open_escalation_card",
            reason=f"not_authorised:{permit.reason.value}",
        )
        return
    await answer_callback(update, language)
    card = escalation_card(
        item,
        directory=services.directory,
        signer=services.signer,
        calendar=services.calendar,
        now=context.now,
        language=language,
    )
    context.outbox.send(chat.id, card, item_id=item.id, purpose=ESCALATION_CARD)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the digest's "open card" buttons."""
    application.add_handler(CallbackQueryHandler(pressed_open_card, pattern=r"^esc\.card\|"))
