"""The supervisors' actions on an escalation card, their prompts' replies, and /overdue (DESIGN §7, §8 step 4).

Only members of the supervisors' group, acting in that group, may act (handlers.authorization). The
card's buttons stay valid (version 0), so every press checks the item's current state instead; a
refusal is polite (alert or reply), recorded as an audit event, and changes nothing. Multi-step
actions post a prompt (ForceReply, selective) that only the supervisor who started it may answer
(handlers/supervisor_prompts.py).

Flow::

    escalation card ─ 📣 Đôn đốc ───────────────► urging under the item card in the agency's group
    escalation card ─ 🔀 Giao cơ quan khác ─► handlers/supervisor_reassignment.py
    escalation card ─ 📅 Gia hạn ─► handlers/supervisor_extensions.py
    escalation card ─ 🚩 Xem xét trách nhiệm ─► FLAG ─ reply with the reason ─► flagged, listed in reports
    /overdue ───────────────────────────────────► overdue items by agency, then the flagged items
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import EscalationAction, EscalationPress, SupervisorAgencyChoice
from bot.views.dates import format_datetime
from bot.views.escalation_cards import overdue_listing
from bot.views.render import agency_name, deadline_text, state_label
from handlers.authorization import Denied, authorise_supervisor
from handlers.common import answer_callback, language_for, reply
from handlers.group_chat import (
    answer_callback_text,
    confirm,
    group_language,
    mark_used,
    refuse,
    save,
    tell_agency,
)
from handlers.group_replies import ReplyHandler
from handlers.presses import guarded_press, press_handler
from handlers.supervisor_extensions import extended, pressed_extend
from handlers.supervisor_prompts import (
    ATTEMPTED,
    Step,
    SupervisorPrompt,
    ask_supervisor,
    authorise_supervisor_for,
    refuse_rule,
)
from handlers.supervisor_reassignment import on_chooser_button, pressed_reassign, reassigned, typed_agency
from models.actions import Action
from models.items import get_item_for_update, last_event_of
from models.lifecycle import Actor, RefusalReason, Refused
from models.outbox import Message
from models.purposes import Purpose
from models.supervision import check_flag, flag_for_review, flagged_items, overdue_counts, overdue_items, urge
from models.tables import Item, ItemState, PostedMessage

logger = logging.getLogger(__name__)

FLAGGED_LIMIT = 3800  # characters of the flagged list, under Telegram's 4096

ButtonAction = Callable[[Update, PaknContext, Item, Actor], Awaitable[None]]
PromptAction = Callable[[Update, PaknContext, Item, Actor, SupervisorPrompt, str], Awaitable[bool]]

# --- escalation card buttons -------------------------------------------------------------------------


@press_handler
async def on_escalation_button(update: Update, context: PaknContext) -> None:
    """Verify and authorise a press on an escalation card, then carry out or start the action."""
    press = await guarded_press(
        update,
        context,
        EscalationPress,
        attempted=lambda data: BUTTON_ATTEMPTED[data.action],
        authorise=authorise_supervisor_for(context, update),
        check_version=False,  # the card's buttons stay valid: each action checks the item's state
    )
    await ESCALATION_BUTTONS[press.data.action](update, context, press.item, press.actor)


async def pressed_urge(update: Update, context: PaknContext, item: Item, actor: Actor) -> None:
    """Urge the responsible agency under its item card, naming the supervisors' office."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    last_urged = await last_event_of(context.session, item.id, Action.URGED)
    try:
        change = urge(item, actor=actor, now=context.now, last_urged_at=last_urged.at if last_urged else None)
    except Refused as refusal:
        if refusal.reason is RefusalReason.WRONG_STATE and item.state is ItemState.AWAITING_CITIZEN:
            await refuse(update, context, item, "urge", "urge.awaiting_citizen", refusal.reason.value)
        else:
            await refuse_rule(update, context, item, "urge", refusal)
        return
    save(context, item, change)
    office = escape(directory.supervisors.display_name(language))
    deadline = deadline_text(item, language)
    if not await tell_agency(context, item, "urge.agency", office=office, code=item.code, deadline=deadline):
        logger.error("Item %s was urged but neither its agency nor the triage agency has a group", item.code)
    notice = text(
        language,
        "urge.done",
        agency=escape(agency_name(directory, item.agency_code, language)),
        code=item.code,
        supervisor=escape(actor.name or "—"),
        at=format_datetime(context.now, language),
    )
    await answer_callback_text(update, notice)
    card = update.callback_query.message if update.callback_query else None
    reply(
        context,
        update,
        Message(notice, reply_to_message_id=card.message_id if card else None),
        item_id=item.id,
    )


async def pressed_flag(update: Update, context: PaknContext, item: Item, actor: Actor) -> None:
    """Check the item is not flagged yet, then ask for the reason."""
    language = group_language(context)
    try:
        check_flag(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED[Step.FLAG], refusal)
        return
    await answer_callback(update, language)
    ask_supervisor(
        context,
        update,
        item,
        Step.FLAG,
        actor,
        agency=escape(agency_name(context.services.directory, item.agency_code, language)),
    )


async def flagged(
    update: Update, context: PaknContext, item: Item, actor: Actor, _prompt: SupervisorPrompt, body: str
) -> bool:
    """Flag the item for a review of responsibility with the supervisor's reason."""
    try:
        change = flag_for_review(item, actor=actor, now=context.now, reason=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED[Step.FLAG], refusal)
        return False
    save(context, item, change)
    language = group_language(context)
    confirm(
        update,
        context,
        "flag.done",
        code=item.code,
        agency=escape(agency_name(context.services.directory, item.agency_code, language)),
    )
    return True


# --- replies to the supervisors' prompts ----------------------------------------------------------


async def replied_to_prompt(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Finish the step a supervisor's prompt asked for, if the reply comes from who started it."""
    message = update.effective_message
    user = update.effective_user
    prompt = SupervisorPrompt.of(posted)
    if message is None or user is None or prompt is None or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    attempted = ATTEMPTED[prompt.step]
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        await refuse(update, context, item, attempted, f"auth.{permit.reason.value}", permit.refusal_reason)
        return
    if prompt.supervisor != user.id:
        await refuse(update, context, item, attempted, "auth.not_your_prompt", "not_your_prompt")
        return
    language = group_language(context)
    if prompt.used:
        reply(context, update, Message(text(language, "prompt.used"), reply_to_message_id=message.message_id))
        return
    body = (message.text or message.caption or "").strip()
    if not body:
        reply(
            context,
            update,
            Message(text(language, "prompt.text_needed"), reply_to_message_id=message.message_id),
        )
        return
    if prompt.step is Step.CHOOSE_AGENCY:
        await typed_agency(update, context, item, permit.actor, posted, body)
        return
    if await PROMPT_STEPS[prompt.step](update, context, item, permit.actor, prompt, body):
        mark_used(posted)


# --- /overdue ----------------------------------------------------------------------------------------


async def show_overdue(update: Update, context: PaknContext) -> None:
    """List the overdue items by agency, then the items flagged for review (supervisors' group only)."""
    message = update.effective_message
    if message is None:
        return
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        language = await language_for(context, update)
        reply(
            context,
            update,
            Message(text(language, "overdue.not_here"), reply_to_message_id=message.message_id),
        )
        return
    services = context.services
    directory = services.directory
    language = group_language(context)
    items = await overdue_items(context.session, now=context.now)
    listing = overdue_listing(
        items,
        directory=directory,
        calendar=services.calendar,
        now=context.now,
        language=language,
        agency_counts=await overdue_counts(context.session, now=context.now),
    )
    reply(context, update, Message(listing, reply_to_message_id=message.message_id))
    flagged_list = await flagged_items(context.session)
    if not flagged_list:
        return
    lines = [text(language, "overdue.flagged_header", count=len(flagged_list))]
    length = len(lines[0])
    for item in flagged_list:
        line = text(
            language,
            "overdue.flagged_line",
            code=item.code,
            agency=escape(agency_name(directory, item.agency_code, language)),
            state=state_label(item.state, language),
        )
        if length + len(line) + 1 > FLAGGED_LIMIT:
            lines.append(text(language, "overdue.more", count=len(flagged_list) - (len(lines) - 1)))
            break
        lines.append(line)
        length += len(line) + 1
    reply(context, update, Message("\n".join(lines)))


# --- wiring -------------------------------------------------------------------------------------------

ESCALATION_BUTTONS: dict[EscalationAction, ButtonAction] = {
    EscalationAction.URGE: pressed_urge,
    EscalationAction.REASSIGN: pressed_reassign,
    EscalationAction.EXTEND: pressed_extend,
    EscalationAction.FLAG: pressed_flag,
}
BUTTON_ATTEMPTED = {
    EscalationAction.URGE: "urge",
    EscalationAction.REASSIGN: ATTEMPTED[Step.REASSIGN],
    EscalationAction.EXTEND: ATTEMPTED[Step.EXTEND],
    EscalationAction.FLAG: ATTEMPTED[Step.FLAG],
}
PROMPT_STEPS: dict[Step, PromptAction] = {
    Step.REASSIGN: reassigned,
    Step.EXTEND: extended,
    Step.FLAG: flagged,
}
REPLIES: dict[Purpose, ReplyHandler] = {Purpose.SUPERVISOR_PROMPT: replied_to_prompt}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the escalation card buttons, the reassignment chooser and /overdue (replies: REPLIES)."""
    application.add_handler(CommandHandler("overdue", show_overdue))
    application.add_handler(CallbackQueryHandler(on_chooser_button, pattern=SupervisorAgencyChoice.pattern()))
    application.add_handler(CallbackQueryHandler(on_escalation_button, pattern=EscalationPress.pattern()))
