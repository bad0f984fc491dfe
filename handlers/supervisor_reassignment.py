"""The supervisors give an overdue item to another agency, from its escalation card (DESIGN §8 step 4).

Flow::

    escalation card ─ 🔀 Giao cơ quan khác ─► CHOOSE_AGENCY (pages, or reply with part of a name)
        └─► REASSIGN ─ reply with the reason ─► the new agency gets the card, the old card is closed,
                                                 the citizen is told; the deadlines do not change
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import SupervisorAgencyChoice
from bot.views.dates import format_datetime
from bot.views.render import (
    agency_name,
    card_target,
    deadline_text,
    find_agencies,
    province_words,
)
from handlers import citizen_notices
from handlers.common import answer_callback, reply
from handlers.group_chat import (
    agency_chooser,
    close_old_card,
    confirm,
    follow_chooser,
    group_language,
    holding_chat,
    mark_used,
    offer_agency_matches,
    post_new_card,
    refuse,
    save,
)
from handlers.presses import PressRefused, guarded_press, press_handler
from handlers.supervisor_prompts import (
    Step,
    SupervisorPrompt,
    ask_supervisor,
    authorise_supervisor_for,
    refuse_rule,
)
from models.items import find_posted_message
from models.lifecycle import Actor, RefusalReason, Refused
from models.outbox import Message
from models.purposes import Purpose
from models.supervision import check_reassign, reassign
from models.tables import Item, PostedMessage

ATTEMPTED = "reassign"


async def pressed_reassign(update: Update, context: PaknContext, item: Item, actor: Actor) -> None:
    """Check the item can still be reassigned, then show the agency chooser."""
    try:
        check_reassign(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED, refusal)
        return
    await answer_callback(update, group_language(context))
    reply(
        context,
        update,
        agency_chooser(
            context, item, actor, family=SupervisorAgencyChoice, title_key="choose.reassign", page=0
        ),
        item_id=item.id,
        purpose=Purpose.SUPERVISOR_PROMPT,
        purpose_data=SupervisorPrompt(step=Step.CHOOSE_AGENCY, supervisor=actor.telegram_user_id).stored(),
    )


@press_handler
async def on_chooser_button(update: Update, context: PaknContext) -> None:
    """Handle a page turn, a choice or the cancel button on the reassignment chooser."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    prompt = SupervisorPrompt.of(posted) if posted is not None else None
    if posted is None or prompt is None or prompt.step is not Step.CHOOSE_AGENCY:
        raise PressRefused("error.button_outdated")
    press = await guarded_press(
        update,
        context,
        SupervisorAgencyChoice,
        attempted=ATTEMPTED,
        authorise=authorise_supervisor_for(context, update),
    )
    item, choice, actor = press.item, press.data, press.actor
    if prompt.supervisor != actor.telegram_user_id:
        raise PressRefused("auth.not_your_prompt", reason="not_your_prompt", item=item, attempted=ATTEMPTED)
    if prompt.used:
        raise PressRefused("prompt.used")
    agency = await follow_chooser(
        update,
        context,
        posted,
        item,
        actor,
        choice,
        family=SupervisorAgencyChoice,
        title_key="choose.reassign",
    )
    if agency is None:
        return
    await chose_agency(update, context, item, actor, posted, agency.code)


async def chose_agency(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, agency_code: str
) -> None:
    """Check the chosen agency, then ask for the reason of the reassignment."""
    language = group_language(context)
    directory = context.services.directory
    if agency_code == item.agency_code:
        await refuse(update, context, item, ATTEMPTED, "refused.same_agency", RefusalReason.SAME_AGENCY.value)
        return
    if update.callback_query is not None:
        await answer_callback(update, language)
    mark_used(posted)
    agency = escape(agency_name(directory, agency_code, language))
    context.outbox.edit(
        posted.chat_id, posted.message_id, Message(text(language, "choose.chosen", agency=agency))
    )
    ask_supervisor(context, update, item, Step.REASSIGN, actor, agency=agency, target_agency=agency_code)


async def typed_agency(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, query: str
) -> None:
    """Find the agency a supervisor typed part of the name of; one match is taken, several are offered."""
    matches = [
        agency
        for agency in find_agencies(context.services.directory, query)
        if agency.code != item.agency_code
    ]
    if len(matches) == 1:
        await chose_agency(update, context, item, actor, posted, matches[0].code)
        return
    offer_agency_matches(context, update, item, posted, query, matches, family=SupervisorAgencyChoice)


async def reassigned(
    update: Update, context: PaknContext, item: Item, actor: Actor, prompt: SupervisorPrompt, body: str
) -> bool:
    """Give the item to the chosen agency; its old card is closed, the new one posted, the citizen told."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = prompt.target_agency or ""
    old_chat_id = await holding_chat(context, item)
    try:
        change = reassign(
            item, actor=actor, now=context.now, to_agency_code=target, reason=body, directory=directory
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED, refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    target_name = escape(agency_name(directory, target, language))
    note = text(
        language,
        "card.reassigned_away",
        agency=target_name,
        at=format_datetime(context.now, language),
        reason=escape(body),
        **province_words(directory, language),
    )
    await close_old_card(context, item, old_chat_id, note)
    new_chat_id = await post_new_card(context, item)
    if new_chat_id is not None:
        context.outbox.send(
            new_chat_id,
            Message(
                text(
                    language,
                    "reassign.told_new_agency",
                    office=escape(directory.supervisors.display_name(language)),
                    code=item.code,
                    from_agency=escape(agency_name(directory, change.notes["from_agency"], language)),
                    reason=escape(body),
                    deadline=deadline_text(item, language),
                ),
                reply_to=card_target(item),
            ),
            item_id=item.id,
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
    return True
