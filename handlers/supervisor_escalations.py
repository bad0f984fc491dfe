"""The supervisors' actions on an escalation card, and /overdue (DESIGN §7, §8 step 4).

Only members of the supervisors' group, acting in that group, may act (handlers.authorization). The
card's buttons stay valid (version 0), so every press checks the item's current state instead; a
refusal is polite (alert or reply), recorded as an audit event, and changes nothing. Multi-step
actions post a prompt (ForceReply, selective) that only the supervisor who started it may answer.

Flow::

    escalation card ─ 📣 Đôn đốc ───────────────► urging under the item card in the agency's group
    escalation card ─ 🔀 Giao cơ quan khác ─► CHOOSE_AGENCY (pages, or reply with part of a name)
        └─► REASSIGN ─ reply with the reason ─► the new agency gets the card, the old card is closed,
                                                 the citizen is told; the deadlines do not change
    escalation card ─ 📅 Gia hạn ─► EXTEND ─ reply "21/12/2026 - lý do" ─► new deadline (once only);
                                                 the citizen gets an apology and the new date, the agency is told
    escalation card ─ 🚩 Xem xét trách nhiệm ─► FLAG ─ reply with the reason ─► flagged, listed in reports
    /overdue ───────────────────────────────────► overdue items by agency, then the flagged items
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from html import escape
from typing import Any

from telegram import Message as TelegramMessage
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import ChooserMove, SupervisorAgencyChoice
from bot.views.cards import close_moved_card, destination_for, post_card
from bot.views.dates import format_datetime, format_deadline
from bot.views.escalation_cards import overdue_listing
from bot.views.render import (
    agency_by_key,
    agency_name,
    card_target,
    deadline_text,
    find_agencies,
    province_words,
    state_label,
)
from handlers import citizen_notices
from handlers.authorization import Authorisation, Denied, authorise_supervisor
from handlers.common import answer_callback, language_for, reply, verified_press_and_item
from handlers.group_chat import (
    agency_chooser,
    answer_callback_text,
    confirm,
    group_language,
    mark_used,
    mention,
    offer_agency_matches,
    refresh,
    refusal_values,
    refuse,
    save,
)
from handlers.presses import Authorise, PressRefused, guarded_press, press_handler
from handlers.supervisor_disputes import last_event
from models.actions import Action
from models.items import find_posted_message, get_item_for_update
from models.lifecycle import Actor, RefusalReason, Refused
from models.outbox import Message
from models.purposes import Purpose
from models.supervision import (
    check_extend,
    check_flag,
    check_reassign,
    extend,
    flag_for_review,
    flagged_items,
    latest_extension,
    overdue_items,
    reassign,
    urge,
)
from models.tables import Item, ItemState, PostedMessage

logger = logging.getLogger(__name__)

SUPERVISOR_PROMPT = "supervisor_prompt"  # a question the bot asks a supervisor; the reply carries the answer
FLAGGED_LIMIT = 3800  # characters of the flagged list, under Telegram's 4096
# Replies are read in their own handler group, beside the officer module's (group 1), so that neither
# hides the other; this one ignores replies to messages it did not post.
SUPERVISOR_REPLIES_HANDLER_GROUP = 2
NEW_DATE = re.compile(
    r"^\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2})[:hg](?P<minute>\d{2}))?"
    r"\s*(?:[-–—:,.]\s*)?(?P<reason>.*)$",
    re.DOTALL,
)


class Step(StrEnum):
    """The prompts a supervisor meets, in order; each is recorded on the prompt message."""

    CHOOSE_AGENCY = "choose_agency"
    REASSIGN = "reassign"
    EXTEND = "extend"
    FLAG = "flag"


@dataclass(frozen=True)
class NewDate:
    """What a supervisor typed for an extension: the new deadline and the reason."""

    due_at: datetime
    reason: str


def parse_new_date(body: str, *, timezone: Any, day_ends_at: time) -> NewDate | None:
    """Read "dd/mm/yyyy [HH:MM] - reason" in local time; a bare date means the end of that working day."""
    match = NEW_DATE.match(body)
    if match is None:
        return None
    hour, minute = match.group("hour"), match.group("minute")
    at = time(int(hour), int(minute)) if hour is not None and minute is not None else day_ends_at
    try:
        due_at = datetime(
            int(match.group("year")),
            int(match.group("month")),
            int(match.group("day")),
            at.hour,
            at.minute,
            tzinfo=timezone,
        )
    except ValueError:
        return None
    return NewDate(due_at=due_at, reason=match.group("reason").strip())


def supervisor_mention(actor: Actor) -> str:
    """Mention the supervisor so that a selective ForceReply opens their reply box only."""
    assert actor.telegram_user_id is not None
    return mention(actor.telegram_user_id, (actor.name or "").split(" (@")[0])


async def refuse_rule(
    update: Update, context: PaknContext, item: Item, attempted: str, refusal: Refused
) -> None:
    """Refuse an action the item's current state or history does not allow."""
    language = group_language(context)
    if refusal.reason is RefusalReason.WRONG_STATE:
        await refuse(
            update,
            context,
            item,
            attempted,
            "escalation.not_open",
            refusal.reason.value,
            code=item.code,
            state=state_label(item.state, language),
        )
        return
    await refuse(
        update,
        context,
        item,
        attempted,
        f"refused.{refusal.reason.value}",
        refusal.reason.value,
        **refusal_values(refusal, language),
    )


def ask_supervisor(
    context: PaknContext, update: Update, item: Item, step: Step, actor: Actor, **values: Any
) -> None:
    """Post a prompt the supervisor answers by replying; it remembers who asked and for what."""
    target_agency = values.pop("target_agency", None)
    reply(
        context,
        update,
        Message(
            text(
                group_language(context),
                f"supervision.prompt.{step.value}",
                supervisor=supervisor_mention(actor),
                code=item.code,
                **values,
            ),
            force_reply=True,
        ),
        item_id=item.id,
        purpose=SUPERVISOR_PROMPT,
        purpose_data={
            "step": step.value,
            "supervisor": actor.telegram_user_id,
            "target_agency": target_agency,
        },
    )


# --- escalation card buttons -------------------------------------------------------------------------


async def on_escalation_button(update: Update, context: PaknContext) -> None:
    """Verify and authorise a press on an escalation card, then carry out or start the action."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    language = group_language(context)
    verified = await verified_press_and_item(update, context, language, who="escalation")
    if verified is None:
        return
    press, item = verified
    action = press.action.removeprefix("sv.")
    if action not in ESCALATION_BUTTONS:
        logger.warning("Refused an unknown escalation button press: %r", query.data)
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        denial = permit.reason.value
        attempted = "flag_for_review" if action == "flag" else action
        await refuse(update, context, item, attempted, f"auth.{denial}", f"not_authorised:{denial}")
        return
    await ESCALATION_BUTTONS[action](update, context, item, permit.actor, query.message)


async def pressed_urge(
    update: Update, context: PaknContext, item: Item, actor: Actor, card: TelegramMessage
) -> None:
    """Urge the responsible agency under its item card, naming the supervisors' office."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    last_urged = await last_event(context, item, Action.URGED)
    try:
        change = urge(item, actor=actor, now=context.now, last_urged_at=last_urged.at if last_urged else None)
    except Refused as refusal:
        if refusal.reason is RefusalReason.WRONG_STATE and item.state is ItemState.AWAITING_CITIZEN:
            await refuse(update, context, item, "urge", "urge.awaiting_citizen", refusal.reason.value)
        else:
            await refuse_rule(update, context, item, "urge", refusal)
        return
    save(context, item, change)
    destination = await destination_for(context.session, directory, item, language=language)
    if destination.chat_id is None:
        logger.error("Item %s was urged but neither its agency nor the triage agency has a group", item.code)
    else:
        context.outbox.send(
            destination.chat_id,
            Message(
                text(
                    language,
                    "urge.agency",
                    office=escape(directory.supervisors.display_name(language)),
                    code=item.code,
                    deadline=deadline_text(item, language),
                ),
                reply_to=card_target(item),
            ),
            item_id=item.id,
        )
    notice = text(
        language,
        "urge.done",
        agency=escape(agency_name(directory, item.agency_code, language)),
        code=item.code,
        supervisor=escape(actor.name or "—"),
        at=format_datetime(context.now, language),
    )
    await answer_callback_text(update, notice)
    reply(context, update, Message(notice, reply_to_message_id=card.message_id), item_id=item.id)


async def pressed_reassign(
    update: Update, context: PaknContext, item: Item, actor: Actor, card: TelegramMessage
) -> None:
    """Check the item can still be reassigned, then show the agency chooser."""
    try:
        check_reassign(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, "reassign", refusal)
        return
    await answer_callback(update, group_language(context))
    reply(
        context,
        update,
        agency_chooser(
            context, item, actor, family=SupervisorAgencyChoice, title_key="choose.reassign", page=0
        ),
        item_id=item.id,
        purpose=SUPERVISOR_PROMPT,
        purpose_data={"step": Step.CHOOSE_AGENCY.value, "supervisor": actor.telegram_user_id},
    )


async def pressed_extend(
    update: Update, context: PaknContext, item: Item, actor: Actor, card: TelegramMessage
) -> None:
    """Check the item may still be extended, then ask for the new date and the reason."""
    services = context.services
    language = group_language(context)
    try:
        check_extend(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, "extend", refusal)
        return
    latest = latest_extension(item, directory=services.directory, calendar=services.calendar)
    assert latest is not None and item.answer_due_at is not None
    await answer_callback(update, language)
    ask_supervisor(
        context,
        update,
        item,
        Step.EXTEND,
        actor,
        example=f"{latest.astimezone(services.calendar.timezone):%d/%m/%Y}",
        deadline=format_deadline(item.answer_due_at, language),
        latest=format_deadline(latest, language),
    )


async def pressed_flag(
    update: Update, context: PaknContext, item: Item, actor: Actor, card: TelegramMessage
) -> None:
    """Check the item is not flagged yet, then ask for the reason."""
    language = group_language(context)
    try:
        check_flag(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, "flag_for_review", refusal)
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


# --- the agency chooser (the officers' chooser, with our own buttons) ----------------------------


def authorise_supervisor_for(context: PaknContext, update: Update) -> Authorise:
    """Return the authoriser of supervisors' presses: a member of the supervisors' group, in that group."""

    async def authorise(_item: Item, _data: object) -> Authorisation:
        return await authorise_supervisor(context, update)

    return authorise


@press_handler
async def on_chooser_button(update: Update, context: PaknContext) -> None:
    """Handle a page turn, a choice or the cancel button on the reassignment chooser."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    language = group_language(context)
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    if (
        posted is None
        or posted.purpose != Purpose.SUPERVISOR_PROMPT
        or posted.purpose_data.get("step") != Step.CHOOSE_AGENCY.value
    ):
        raise PressRefused("error.button_outdated")
    press = await guarded_press(
        update,
        context,
        SupervisorAgencyChoice,
        attempted="reassign",
        authorise=authorise_supervisor_for(context, update),
    )
    item, choice, actor = press.item, press.data, press.actor
    if posted.purpose_data.get("supervisor") != actor.telegram_user_id:
        raise PressRefused("auth.not_your_prompt", reason="not_your_prompt", item=item, attempted="reassign")
    if posted.purpose_data.get("used"):
        raise PressRefused("prompt.used")
    if choice.move is ChooserMove.PAGE:
        await answer_callback(update, language)
        context.outbox.edit(
            posted.chat_id,
            posted.message_id,
            agency_chooser(
                context,
                item,
                actor,
                family=SupervisorAgencyChoice,
                title_key="choose.reassign",
                page=choice.page,
            ),
        )
        return
    if choice.move is ChooserMove.CANCEL:
        await answer_callback(update, language)
        mark_used(posted)
        context.outbox.edit(posted.chat_id, posted.message_id, Message(text(language, "choose.cancelled")))
        return
    agency = agency_by_key(context.services.directory, choice.agency)
    if agency is None:
        raise PressRefused("error.button_outdated")
    await chose_agency(update, context, item, actor, posted, agency.code)


async def chose_agency(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, agency_code: str
) -> None:
    """Check the chosen agency, then ask for the reason of the reassignment."""
    language = group_language(context)
    directory = context.services.directory
    if agency_code == item.agency_code:
        await refuse(
            update, context, item, "reassign", "refused.same_agency", RefusalReason.SAME_AGENCY.value
        )
        return
    if update.callback_query is not None:
        await answer_callback(update, language)
    mark_used(posted)
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        Message(
            text(language, "choose.chosen", agency=escape(agency_name(directory, agency_code, language)))
        ),
    )
    ask_supervisor(
        context,
        update,
        item,
        Step.REASSIGN,
        actor,
        agency=escape(agency_name(directory, agency_code, language)),
        target_agency=agency_code,
    )


async def typed_agency(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, query: str
) -> None:
    """Find the agency a supervisor typed part of the name of; one match is taken, several are offered."""
    message = update.effective_message
    assert message is not None and item.id is not None
    matches = [
        agency
        for agency in find_agencies(context.services.directory, query)
        if agency.code != item.agency_code
    ]
    if len(matches) == 1:
        await chose_agency(update, context, item, actor, posted, matches[0].code)
        return
    offer_agency_matches(context, update, item, posted, query, matches, family=SupervisorAgencyChoice)


async def on_supervisor_reply(update: Update, context: PaknContext) -> None:
    """Finish the step a supervisor's prompt asked for, if the reply comes from who started it."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    posted = await find_posted_message(context.session, chat.id, replied.message_id)
    if posted is None or posted.purpose != SUPERVISOR_PROMPT or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    step = Step(str(posted.purpose_data.get("step")))
    attempted = {Step.CHOOSE_AGENCY: "reassign", Step.FLAG: "flag_for_review"}.get(step, step.value)
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        denial = permit.reason.value
        await refuse(update, context, item, attempted, f"auth.{denial}", f"not_authorised:{denial}")
        return
    if posted.purpose_data.get("supervisor") != user.id:
        await refuse(update, context, item, attempted, "auth.not_your_prompt", "not_your_prompt")
        return
    language = group_language(context)
    if posted.purpose_data.get("used"):
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
    if step is Step.CHOOSE_AGENCY:
        await typed_agency(update, context, item, permit.actor, posted, body)
        return
    if await PROMPT_STEPS[step](update, context, item, permit.actor, posted, body):
        mark_used(posted)


async def reassigned(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, body: str
) -> bool:
    """Give the item to the chosen agency; its old card is closed, the new one posted, the citizen told."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = str(posted.purpose_data.get("target_agency") or "")
    old_destination = await destination_for(context.session, directory, item, language=language)
    try:
        change = reassign(
            item, actor=actor, now=context.now, to_agency_code=target, reason=body, directory=directory
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, "reassign", refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    target_name = escape(agency_name(directory, target, language))
    if old_destination.chat_id is not None:
        await close_moved_card(
            session=context.session,
            outbox=context.outbox,
            directory=directory,
            item=item,
            chat_id=old_destination.chat_id,
            language=language,
            note=text(
                language,
                "card.reassigned_away",
                agency=target_name,
                at=format_datetime(context.now, language),
                reason=escape(body),
                **province_words(directory, language),
            ),
        )
    new_chat_id = await post_card(
        session=context.session,
        outbox=context.outbox,
        directory=directory,
        signer=services.signer,
        item=item,
        language=language,
    )
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


async def extended(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, body: str
) -> bool:
    """Set the new deadline once; the citizen gets an apology and the new date, the agency is told."""
    services = context.services
    directory = services.directory
    calendar = services.calendar
    language = group_language(context)
    message = update.effective_message
    new_date = parse_new_date(body, timezone=calendar.timezone, day_ends_at=calendar.periods[-1][1])
    if new_date is None:
        latest = latest_extension(item, directory=directory, calendar=calendar)
        example = f"{(latest or context.now).astimezone(calendar.timezone):%d/%m/%Y}"
        reply(
            context,
            update,
            Message(
                text(language, "extend.bad_format", example=example),
                reply_to_message_id=message.message_id if message else None,
            ),
        )
        return False
    try:
        change = extend(
            item,
            actor=actor,
            now=context.now,
            new_due_at=new_date.due_at,
            reason=new_date.reason,
            directory=directory,
            calendar=calendar,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, "extend", refusal)
        return False
    save(context, item, change)
    await refresh(context, item)
    extended_until = format_datetime(item.answer_due_at, language) if item.answer_due_at else "—"
    destination = await destination_for(context.session, directory, item, language=language)
    if destination.chat_id is not None:
        context.outbox.send(
            destination.chat_id,
            Message(
                text(
                    language,
                    "extend.told_agency",
                    office=escape(directory.supervisors.display_name(language)),
                    code=item.code,
                    until=extended_until,
                    reason=escape(new_date.reason),
                ),
                reply_to=card_target(item),
            ),
            item_id=item.id,
        )
    await citizen_notices.tell_citizen(context, item, "followup.extended", reason=escape(new_date.reason))
    confirm(update, context, "extend.done", code=item.code, until=extended_until)
    return True


async def flagged(
    update: Update, context: PaknContext, item: Item, actor: Actor, posted: PostedMessage, body: str
) -> bool:
    """Flag the item for a review of responsibility with the supervisor's reason."""
    try:
        change = flag_for_review(item, actor=actor, now=context.now, reason=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, "flag_for_review", refusal)
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
        items, directory=directory, calendar=services.calendar, now=context.now, language=language
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

ESCALATION_BUTTONS: dict[str, Any] = {
    "urge": pressed_urge,
    "reassign": pressed_reassign,
    "extend": pressed_extend,
    "flag": pressed_flag,
}
PROMPT_STEPS: dict[Step, Any] = {
    Step.REASSIGN: reassigned,
    Step.EXTEND: extended,
    Step.FLAG: flagged,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the escalation card buttons, the reassignment chooser, the prompt replies and /overdue."""
    application.add_handler(CommandHandler("overdue", show_overdue))
    application.add_handler(CallbackQueryHandler(on_chooser_button, pattern=SupervisorAgencyChoice.pattern()))
    application.add_handler(CallbackQueryHandler(on_escalation_button, pattern=r"^sv\."))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND, on_supervisor_reply),
        group=SUPERVISOR_REPLIES_HANDLER_GROUP,
    )
