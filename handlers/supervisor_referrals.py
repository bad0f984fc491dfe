"""The supervisors deciding on an item an agency referred up as beyond its authority (Dispatch 968 §1(h)).

The referral card (handlers/officer_beyond_authority.py) offers three outcomes; members of the supervisors'
group, acting in it, choose one, once, while the item is still with that agency (`handover.check_referral`).

Flow::

    referral card ─ 🔀 Giao cơ quan khác ─► agency chooser (pages, or a reply with part of a name)
        └─► reassigned (models.supervision.reassign): old card closed, new card posted, citizen told
    referral card ─ ✍️ Trả lời thay mặt tỉnh ─► prompt ─ reply ─► answer (substance check) to the citizen
    referral card ─ ↩️ Trả lại kèm chỉ đạo ─► prompt ─ reply ─► directive under the agency's card
"""

from __future__ import annotations

from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import ReferralAgencyChoice, ReferralOutcome, ReferralPress
from bot.views.cards import destination_for
from bot.views.dates import format_datetime
from bot.views.referral_cards import ReferralCard, decided_text
from bot.views.render import (
    agency_name,
    card_target,
    deadline_text,
    find_agencies,
    province_words,
)
from handlers import citizen_notices
from handlers.authorization import Authorisation, Denied, authorise_supervisor
from handlers.common import answer_callback, reply
from handlers.group_chat import (
    agency_chooser,
    close_old_card,
    confirm,
    follow_chooser,
    group_language,
    mark_used,
    mention_actor,
    offer_agency_matches,
    post_new_card,
    refresh,
    refuse,
    refuse_rule,
    save,
)
from handlers.group_replies import ReplyHandler
from handlers.presses import Authorise, PressRefused, guarded_press, press_handler
from models.actions import Action, RefusalNote
from models.handover import check_referral, send_back
from models.items import find_posted_message, get_item_for_update
from models.lifecycle import Actor, RefusalReason, Refused, answer
from models.outbox import Message
from models.purposes import Purpose
from models.supervision import reassign
from models.tables import Item, ItemEvent, PostedMessage

ATTEMPTED = {outcome: f"referral_{outcome.name.lower()}" for outcome in ReferralOutcome}


class ReferralPrompt(BaseModel):
    """What a prompt to a supervisor about a referral remembers (a REFERRAL_PROMPT's purpose_data)."""

    model_config = ConfigDict(extra="ignore")

    step: ReferralOutcome  # ASSIGN: the prompt is the agency chooser
    supervisor: int | None = None
    referral: int = 0  # the referral's event id
    card_message_id: int = 0  # the referral card, in the same chat
    used: bool = False


def supervisors_only(context: PaknContext, update: Update) -> Authorise:
    """Return the check of a press: a member of the supervisors' group, acting in it."""

    async def authorise(_item: Item, _data: Any) -> Authorisation:
        return await authorise_supervisor(context, update)

    return authorise


async def referral_of(context: PaknContext, item: Item, event_id: int) -> ItemEvent | None:
    """Return the referral event of an item, or None if the id does not name one."""
    event = await context.session.get(ItemEvent, event_id)
    if event is None or event.item_id != item.id or event.action != Action.REFERRED_UP:
        return None
    return event


@press_handler
async def on_referral_button(update: Update, context: PaknContext) -> None:
    """Start one of the three outcomes of a referral card."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    if posted is None or posted.purpose != Purpose.REFERRAL_CARD:
        raise PressRefused("error.button_outdated")
    card = ReferralCard.model_validate(posted.purpose_data)
    press = await guarded_press(
        update,
        context,
        ReferralPress,
        attempted=lambda data: ATTEMPTED[data.outcome],
        authorise=supervisors_only(context, update),
        check_version=False,
    )
    item, outcome, actor = press.item, press.data.outcome, press.actor
    referral = await referral_of(context, item, press.data.event_id)
    if referral is None or str(referral.id) != card.key:
        raise PressRefused("error.button_invalid")
    if card.decided:
        raise PressRefused(
            "referral.already_decided",
            reason=RefusalNote.REFERRAL_DECIDED,
            item=item,
            attempted=ATTEMPTED[outcome],
        )
    try:
        check_referral(item, referred_by_agency=referral.agency_code or "")
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED[outcome], refusal)
        return
    await answer_callback(update, group_language(context))
    prompt = ReferralPrompt(
        step=outcome,
        supervisor=actor.telegram_user_id,
        referral=referral.id or 0,
        card_message_id=posted.message_id,
    )
    if outcome is ReferralOutcome.ASSIGN:
        message = agency_chooser(
            context, item, actor, family=ReferralAgencyChoice, title_key="choose.referral", page=0
        )
    else:
        language = group_language(context)
        directory = context.services.directory
        message = Message(
            text(
                language,
                f"referral.prompt.{outcome.name.lower()}",
                supervisor=mention_actor(actor),
                code=item.code,
                agency=escape(agency_name(directory, item.agency_code, language)),
                **province_words(directory, language),
            ),
            force_reply=True,
        )
    reply(
        context,
        update,
        message,
        item_id=item.id,
        purpose=Purpose.REFERRAL_PROMPT,
        purpose_data=prompt.model_dump(mode="json"),
    )


@press_handler
async def on_chooser_button(update: Update, context: PaknContext) -> None:
    """Handle a page turn, a choice or the cancel button on the chooser of the agency to assign."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    if posted is None or posted.purpose != Purpose.REFERRAL_PROMPT:
        raise PressRefused("error.button_outdated")
    prompt = ReferralPrompt.model_validate(posted.purpose_data)
    attempted = ATTEMPTED[ReferralOutcome.ASSIGN]
    press = await guarded_press(
        update,
        context,
        ReferralAgencyChoice,
        attempted=attempted,
        authorise=supervisors_only(context, update),
        check_version=False,
    )
    item, choice, actor = press.item, press.data, press.actor
    if prompt.supervisor != actor.telegram_user_id:
        raise PressRefused(
            "auth.not_your_prompt", reason=RefusalNote.NOT_YOUR_PROMPT, item=item, attempted=attempted
        )
    if prompt.used:
        raise PressRefused("prompt.used")
    language = group_language(context)
    agency = await follow_chooser(
        update, context, posted, item, actor, choice, family=ReferralAgencyChoice, title_key="choose.referral"
    )
    if agency is None:
        return
    await answer_callback(update, language)
    await assign(update, context, item, actor, posted, prompt, agency.code)


async def replied_to_prompt(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Finish the outcome a supervisor's prompt asked for, if the reply comes from who started it."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    prompt = ReferralPrompt.model_validate(posted.purpose_data)
    attempted = ATTEMPTED[prompt.step]
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        await refuse(update, context, item, attempted, f"auth.{permit.reason.value}", permit.refusal_reason)
        return
    if prompt.supervisor != user.id:
        await refuse(update, context, item, attempted, "auth.not_your_prompt", RefusalNote.NOT_YOUR_PROMPT)
        return
    language = group_language(context)
    body = (message.text or message.caption or "").strip()
    if prompt.used or not body:
        key = "prompt.used" if prompt.used else "prompt.text_needed"
        reply(context, update, Message(text(language, key), reply_to_message_id=message.message_id))
        return
    referral = await open_referral(context, item, posted.chat_id, prompt)
    if referral is None:
        reply(
            context,
            update,
            Message(text(language, "referral.already_decided"), reply_to_message_id=message.message_id),
        )
        return
    try:
        check_referral(item, referred_by_agency=referral.agency_code or "")
    except Refused as refusal:
        await refuse_rule(update, context, item, attempted, refusal)
        return
    if prompt.step is ReferralOutcome.ASSIGN:
        matches = [
            agency
            for agency in find_agencies(context.services.directory, body)
            if agency.code != item.agency_code
        ]
        if len(matches) == 1:
            await assign(update, context, item, permit.actor, posted, prompt, matches[0].code)
            return
        offer_agency_matches(context, update, item, posted, body, matches, family=ReferralAgencyChoice)
        return
    finish = answered_for_province if prompt.step is ReferralOutcome.ANSWER else sent_back
    if await finish(update, context, item, permit.actor, referral, body):
        mark_used(posted)
        await mark_decided(context, item, referral, posted.chat_id, prompt, permit.actor)


async def assign(
    update: Update,
    context: PaknContext,
    item: Item,
    actor: Actor,
    posted: PostedMessage,
    prompt: ReferralPrompt,
    agency_code: str,
) -> None:
    """Give the referred item to the chosen agency; its old card is closed, the new one posted, the citizen told."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    attempted = ATTEMPTED[ReferralOutcome.ASSIGN]
    referral = await open_referral(context, item, posted.chat_id, prompt)
    if referral is None:
        await refuse(
            update, context, item, attempted, "referral.already_decided", RefusalNote.REFERRAL_DECIDED
        )
        return
    if agency_code == item.agency_code:
        await refuse(update, context, item, attempted, "refused.same_agency", RefusalReason.SAME_AGENCY.value)
        return
    old_agency = escape(agency_name(directory, item.agency_code, language))
    reason = text(language, "referral.assigned_reason", agency=old_agency, text=referral.reason or "")
    old_destination = await destination_for(context.session, directory, item, language=language)
    try:
        check_referral(item, referred_by_agency=referral.agency_code or "")
        change = reassign(
            item, actor=actor, now=context.now, to_agency_code=agency_code, reason=reason, directory=directory
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, attempted, refusal)
        return
    save(context, item, change)
    await context.session.flush()
    mark_used(posted)
    target_name = escape(agency_name(directory, agency_code, language))
    context.outbox.edit(
        posted.chat_id, posted.message_id, Message(text(language, "choose.chosen", agency=target_name))
    )
    await close_old_card(
        context,
        item,
        old_destination.chat_id,
        text(
            language,
            "card.reassigned_away",
            agency=target_name,
            at=format_datetime(context.now, language),
            reason=escape(reason),
            **province_words(directory, language),
        ),
    )
    await post_new_card(context, item)
    await tell_agency(
        context,
        item,
        "reassign.told_new_agency",
        from_agency=old_agency,
        reason=escape(reason),
        deadline=deadline_text(item, language),
    )
    await citizen_notices.tell_citizen(context, item, "followup.reassigned")
    confirm(
        update,
        context,
        "reassign.done",
        code=item.code,
        agency=target_name,
        deadline=deadline_text(item, language),
    )
    await mark_decided(context, item, referral, posted.chat_id, prompt, actor, agency=target_name)


async def answered_for_province(
    update: Update, context: PaknContext, item: Item, actor: Actor, referral: ItemEvent, body: str
) -> bool:
    """Answer the citizen on the province's behalf, after the substance check of every answer."""
    services = context.services
    directory = services.directory
    try:
        change = answer(
            item,
            actor=actor,
            now=context.now,
            calendar=services.calendar,
            text=body,
            proper_names=directory.proper_names,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED[ReferralOutcome.ANSWER], refusal)
        return False
    change.event.detail = {**change.event.detail, "on_behalf_of_province": True}
    save(context, item, change)
    await context.session.flush()
    await refresh(context, item)
    await tell_agency(context, item, "referral.answered_told_agency", text=escape(body))
    citizen_language = await citizen_notices.citizen_language(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.answer_by_province", text=escape(body))
    await citizen_notices.tell_citizen(
        context, item, "rate.ask", buttons=citizen_notices.rating_buttons(context, item, citizen_language)
    )
    confirm(update, context, "referral.answered", code=item.code)
    return True


async def sent_back(
    update: Update, context: PaknContext, item: Item, actor: Actor, referral: ItemEvent, body: str
) -> bool:
    """Send the item back to its agency with the supervisors' directive, under its card."""
    directory = context.services.directory
    language = group_language(context)
    try:
        change = send_back(
            item, actor=actor, now=context.now, referred_by_agency=referral.agency_code or "", directive=body
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED[ReferralOutcome.SEND_BACK], refusal)
        return False
    save(context, item, change)
    await tell_agency(
        context, item, "referral.directive", text=escape(body), deadline=deadline_text(item, language)
    )
    confirm(
        update,
        context,
        "referral.sent_back",
        code=item.code,
        agency=escape(agency_name(directory, item.agency_code, language)),
    )
    return True


async def tell_agency(context: PaknContext, item: Item, key: str, **values: Any) -> None:
    """Post a note from the supervisors under the item's card in its agency's group."""
    directory = context.services.directory
    language = group_language(context)
    destination = await destination_for(context.session, directory, item, language=language)
    if destination.chat_id is None:
        return
    context.outbox.send(
        destination.chat_id,
        Message(
            text(
                language,
                key,
                office=escape(directory.supervisors.display_name(language)),
                code=item.code,
                **province_words(directory, language),
                **values,
            ),
            reply_to=card_target(item),
        ),
        item_id=item.id,
    )


async def open_referral(
    context: PaknContext, item: Item, chat_id: int, prompt: ReferralPrompt
) -> ItemEvent | None:
    """Return the referral a prompt is about, or None if it was decided meanwhile (by another supervisor)."""
    card = await find_posted_message(context.session, chat_id, prompt.card_message_id)
    if card is None or ReferralCard.model_validate(card.purpose_data).decided:
        return None
    return await referral_of(context, item, prompt.referral)


async def mark_decided(
    context: PaknContext,
    item: Item,
    referral: ItemEvent,
    chat_id: int,
    prompt: ReferralPrompt,
    actor: Actor,
    **values: Any,
) -> None:
    """Close the referral card: its text, the outcome and who chose it, and no buttons."""
    card = await find_posted_message(context.session, chat_id, prompt.card_message_id)
    if card is None:
        return
    card.purpose_data = {**card.purpose_data, "decided": True}
    context.session.add(card)
    directory = context.services.directory
    language = group_language(context)
    closed = decided_text(
        item,
        referral,
        directory,
        language,
        outcome=prompt.step,
        supervisor=escape(actor.name or "—"),
        at=format_datetime(context.now, language),
        **values,
    )
    context.outbox.edit(chat_id, card.message_id, Message(closed))


REPLIES: dict[Purpose, ReplyHandler] = {Purpose.REFERRAL_PROMPT: replied_to_prompt}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the referral card's buttons and its agency chooser."""
    application.add_handler(CallbackQueryHandler(on_chooser_button, pattern=ReferralAgencyChoice.pattern()))
    application.add_handler(CallbackQueryHandler(on_referral_button, pattern=ReferralPress.pattern()))
