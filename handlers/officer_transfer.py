"""Officers moving an item to the competent agency, or consulting another agency (DESIGN §6).

A first move out of the triage agency of an item that never left it is routing, not the item's one
transfer; the triage group standing in for an agency without a group may also keep the item with it.

Flow::

    card ─ ↪️ Không thuộc thẩm quyền ─► agency chooser ─► prompt ─ reply ─► transferred │ disputed
    card ─ 🤝 Phối hợp ─► agency chooser ─► prompt ─ reply ─► consultation card in that agency's group
    agency chooser: pages of agencies, or a reply with part of a name
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import CardAction, OfficerAgencyChoice
from bot.views.cards import destination_for
from bot.views.dates import format_datetime, format_deadline
from bot.views.render import agency_name, excerpt, find_agencies
from handlers import citizen_notices, supervisor_notices
from handlers.common import answer_callback, reply
from handlers.group_chat import (
    agency_chooser,
    close_old_card,
    confirm,
    follow_chooser,
    group_language,
    mark_used,
    offer_agency_matches,
    post_new_card,
    refresh,
    refuse,
    refuse_rule,
    save,
)
from handlers.officer_common import (
    CHOOSE_AGENCY,
    OfficerPrompt,
    Permit,
    PromptReply,
    StepHandler,
    ask_officer,
    card_pattern,
    consultation_text,
    guarded_card_press,
    guarded_officer_press,
)
from handlers.presses import PressRefused, press_handler
from models.actions import RefusalNote
from models.consultations import request_consultation
from models.handover import check_transfer, is_triage_routing, transfer
from models.items import chat_of_agency, find_posted_message
from models.lifecycle import RefusalReason, Refused, check_action
from models.outbox import Message
from models.purposes import Purpose
from models.tables import Item, PostedMessage

MOVED_CARD_REASON_CHARS = 500  # of a transfer reason shown on the card left behind (the history has it all)
AGENCY_ACTIONS = (CardAction.TRANSFER, CardAction.CONSULT)


def offers_own_agency(permit: Permit, purpose_for: str | None) -> bool:
    """Tell whether the chooser offers the item's own agency: the triage group standing in may confirm it."""
    return permit.is_stand_in and purpose_for == CardAction.TRANSFER


def routes_as_triage(context: PaknContext, item: Item, permit: Permit) -> bool:
    """Tell whether a move is the triage agency routing an item that never reached a competent agency."""
    return is_triage_routing(
        item, actor_agency=permit.actor.agency_code, triage_agency=context.services.directory.triage_agency
    )


@press_handler
async def on_agency_button(update: Update, context: PaknContext) -> None:
    """Check a transfer or consultation may start, then show the agency chooser."""
    press, permit = await guarded_card_press(update, context)
    item, action = press.item, press.data.action
    try:
        check_action(item, action, is_stand_in=permit.is_stand_in)
        if action is CardAction.TRANSFER:
            check_transfer(
                item,
                actor_agency=permit.actor.agency_code,
                now=context.now,
                triage_agency=context.services.directory.triage_agency,
            )
    except Refused as refusal:
        await refuse_rule(update, context, item, action, refusal)
        return
    await answer_callback(update, group_language(context))
    prompt = OfficerPrompt.model_validate(
        {
            "step": CHOOSE_AGENCY,
            "for": action.value,
            "officer": permit.actor.telegram_user_id,
            "agency": permit.actor.agency_code,
        }
    )
    reply(
        context,
        update,
        agency_chooser(
            context,
            item,
            permit.actor,
            family=OfficerAgencyChoice,
            title_key=f"choose.{action.value}",
            page=0,
            include_own_agency=offers_own_agency(permit, action),
        ),
        item_id=item.id,
        purpose=Purpose.OFFICER_PROMPT,
        purpose_data=prompt.stored(),
    )


@press_handler
async def on_chooser_button(update: Update, context: PaknContext) -> None:
    """Handle a page turn, a choice or the cancel button on an agency chooser."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    prompt = OfficerPrompt.model_validate(posted.purpose_data) if posted is not None else None
    if (
        posted is None
        or prompt is None
        or posted.purpose != Purpose.OFFICER_PROMPT
        or prompt.purpose_for not in AGENCY_ACTIONS
    ):
        raise PressRefused("error.button_outdated")
    purpose_for = prompt.attempted
    press, permit = await guarded_officer_press(update, context, OfficerAgencyChoice, purpose_for)
    item, choice, actor = press.item, press.data, press.actor
    if prompt.officer != actor.telegram_user_id:
        raise PressRefused(
            "auth.not_your_prompt", reason=RefusalNote.NOT_YOUR_PROMPT, item=item, attempted=purpose_for
        )
    if prompt.used:
        raise PressRefused("prompt.used")
    agency = await follow_chooser(
        update,
        context,
        posted,
        item,
        actor,
        choice,
        family=OfficerAgencyChoice,
        title_key=f"choose.{purpose_for}",
        include_own_agency=offers_own_agency(permit, purpose_for),
    )
    if agency is None:
        return
    await chose_agency(update, context, item, permit, posted, purpose_for, agency.code)


async def chose_agency(
    update: Update,
    context: PaknContext,
    item: Item,
    permit: Permit,
    posted: PostedMessage,
    purpose_for: str,
    agency_code: str,
) -> None:
    """Check the chosen agency, then ask for the reason (transfer) or the question (consultation)."""
    language = group_language(context)
    directory = context.services.directory
    if agency_code == item.agency_code and offers_own_agency(permit, purpose_for):
        await kept_with_own_agency(update, context, item, posted)
        return
    if agency_code == item.agency_code:
        await refuse(
            update, context, item, purpose_for, "refused.same_agency", RefusalReason.SAME_AGENCY.value
        )
        return
    if (
        purpose_for == CardAction.CONSULT
        and await chat_of_agency(context.session, directory, agency_code) is None
    ):
        await refuse(
            update,
            context,
            item,
            purpose_for,
            "consult.no_group",
            RefusalNote.CONSULTED_AGENCY_HAS_NO_GROUP,
            agency=escape(agency_name(directory, agency_code, language)),
        )
        return
    await answer_callback(update, language)
    mark_used(posted)
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        Message(
            text(language, "choose.chosen", agency=escape(agency_name(directory, agency_code, language)))
        ),
    )
    ask_officer(context, update, item, purpose_for, permit.actor, target_agency=agency_code)


async def kept_with_own_agency(
    update: Update, context: PaknContext, item: Item, posted: PostedMessage
) -> None:
    """Confirm, in the triage group standing in, that the item stays with its own agency until it binds a group."""
    language = group_language(context)
    await answer_callback(update, language)
    mark_used(posted)
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        Message(
            text(
                language,
                "choose.kept_own_agency",
                code=item.code,
                agency=escape(agency_name(context.services.directory, item.agency_code, language)),
                agency_code=escape(item.agency_code),
            )
        ),
    )


async def typed_agency(replied: PromptReply) -> bool:
    """Find the agency an officer typed part of the name of; one match is taken, several are offered."""
    update, context, item, permit, posted, prompt, query = replied.parts()
    purpose_for = prompt.attempted
    matches = [
        agency
        for agency in find_agencies(context.services.directory, query)
        if agency.code != item.agency_code or offers_own_agency(permit, purpose_for)
    ]
    if len(matches) == 1:
        await chose_agency(update, context, item, permit, posted, purpose_for, matches[0].code)
        return False
    offer_agency_matches(context, update, item, posted, query, matches, family=OfficerAgencyChoice)
    return False


async def transferred(replied: PromptReply) -> bool:
    """Transfer the item within the rules, or turn it into a dispute for the supervisors."""
    update, context, item, permit, _posted, prompt, body = replied.parts()
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = prompt.target_agency or ""
    old_destination = await destination_for(context.session, directory, item, language=language)
    try:
        change = transfer(
            item,
            actor=permit.actor,
            now=context.now,
            target_agency_code=target,
            reason=body,
            known_agency_codes=set(directory.agencies_by_code),
            is_triage_routing=routes_as_triage(context, item, permit),
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.TRANSFER, refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    target_name = escape(agency_name(directory, target, language))
    if change.notes["disputed"]:
        await refresh(context, item)
        await supervisor_notices.post_dispute_card(context, item)
        await citizen_notices.tell_citizen(context, item, "followup.disputed")
        confirm(update, context, "transfer.disputed", code=item.code, agency=target_name)
        return True
    await close_old_card(
        context,
        item,
        old_destination.chat_id,
        text(
            language,
            "card.transferred_away",
            agency=target_name,
            at=format_datetime(context.now, language),
            reason=escape(excerpt(body, MOVED_CARD_REASON_CHARS)),  # the card must stay one message,
        ),
    )
    await post_new_card(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.transferred")
    confirm(update, context, "transfer.done", code=item.code, agency=target_name)
    return True


async def consulted(replied: PromptReply) -> bool:
    """Open a consultation and post its card, with its own deadline, in the consulted agency's group."""
    update, context, item, permit, _posted, prompt, body = replied.parts()
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = prompt.target_agency or ""
    chat_id = await chat_of_agency(context.session, directory, target)
    if chat_id is None:
        await refuse(
            update,
            context,
            item,
            CardAction.CONSULT,
            "consult.no_group",
            RefusalNote.CONSULTED_AGENCY_HAS_NO_GROUP,
            agency=escape(agency_name(directory, target, language)),
        )
        return False
    try:
        consultation, change = request_consultation(
            item,
            actor=permit.actor,
            now=context.now,
            calendar=services.calendar,
            consultation_days=directory.deadlines.consultation_days,
            to_agency_code=target,
            question=body,
            known_agency_codes=set(directory.agencies_by_code),
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.CONSULT, refusal)
        return False
    save(context, item, change)
    context.session.add(consultation)
    await context.session.flush()
    context.outbox.send(
        chat_id,
        Message(consultation_text(context, item, consultation, language)),
        item_id=item.id,
        purpose=Purpose.CONSULTATION_CARD,
        purpose_data={"key": str(consultation.id), "agency": target},
    )
    confirm(
        update,
        context,
        "consult.sent",
        code=item.code,
        agency=escape(agency_name(directory, target, language)),
        due=format_deadline(consultation.due_at, language),
    )
    return True


PROMPT_STEPS: dict[str, StepHandler] = {
    CHOOSE_AGENCY: typed_agency,
    CardAction.TRANSFER.value: transferred,
    CardAction.CONSULT.value: consulted,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the transfer and consultation buttons and the officers' agency chooser."""
    application.add_handler(CallbackQueryHandler(on_chooser_button, pattern=OfficerAgencyChoice.pattern()))
    application.add_handler(CallbackQueryHandler(on_agency_button, pattern=card_pattern(*AGENCY_ACTIONS)))
