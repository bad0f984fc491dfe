"""The consulted agency's reply to a consultation card: its position goes to the lead agency (DESIGN §6).

Flow::

    consultation card ─ reply ─► position (substance check) under the lead agency's item card
"""

from __future__ import annotations

from html import escape

from pydantic import BaseModel, ConfigDict
from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views.cards import destination_for
from bot.views.render import agency_name, card_target
from handlers.authorization import Denied, authorise_officer
from handlers.group_chat import confirm, group_language, refuse, refuse_rule, save
from handlers.group_replies import ReplyHandler
from handlers.officer_common import consultation_text
from models.consultations import answer_consultation
from models.items import get_item_for_update
from models.lifecycle import Refused
from models.outbox import Message, ReplyTarget
from models.purposes import Purpose
from models.tables import Consultation, PostedMessage

ATTEMPTED = "answer_consultation"


class ConsultationCard(BaseModel):
    """What a consultation card remembers (PostedMessage.purpose_data of a CONSULTATION_CARD)."""

    model_config = ConfigDict(extra="ignore")

    key: str = "0"  # the consultation's id
    agency: str | None = None


async def replied_to_consultation(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Take the consulted agency's position and relay it to the lead agency under the item card."""
    message = update.effective_message
    if message is None or posted.item_id is None:
        return
    card = ConsultationCard.model_validate(posted.purpose_data)
    consultation_id = int(card.key) if card.key.isdigit() else 0
    consultation = await context.session.get(Consultation, consultation_id)
    item = await get_item_for_update(context.session, posted.item_id)
    if consultation is None or item is None:
        return
    permit = await authorise_officer(context, update, agency_code=consultation.to_agency_code)
    if isinstance(permit, Denied):
        await refuse(update, context, item, ATTEMPTED, f"auth.{permit.reason.value}", permit.refusal_reason)
        return
    body = (message.text or message.caption or "").strip()
    try:
        change = answer_consultation(
            consultation,
            item,
            actor=permit.actor,
            now=context.now,
            text=body,
            proper_names=context.services.directory.proper_names,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED, refusal)
        return
    save(context, item, change)
    context.session.add(consultation)
    language = group_language(context)
    directory = context.services.directory
    context.outbox.edit(
        posted.chat_id,
        ReplyTarget(purpose=Purpose.CONSULTATION_CARD, item_id=item.id, key=str(consultation.id)),
        Message(consultation_text(context, item, consultation, language)),
    )
    lead = await destination_for(context.session, directory, item, language=language)
    if lead.chat_id is not None:
        context.outbox.send(
            lead.chat_id,
            Message(
                text(
                    language,
                    "consult.relayed",
                    code=item.code,
                    agency=escape(agency_name(directory, consultation.to_agency_code, language)),
                    officer=escape(permit.actor.name or "—"),
                    text=escape(body),
                ),
                reply_to=card_target(item),
            ),
            item_id=item.id,
        )
    confirm(update, context, "consult.answer_sent", code=item.code)


REPLIES: dict[Purpose, ReplyHandler] = {Purpose.CONSULTATION_CARD: replied_to_consultation}
