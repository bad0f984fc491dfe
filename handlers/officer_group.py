"""Officers handling items in their agency's group chat, on the item card (DESIGN §3, §6, §9).

Every press and every reply is authorised by the user who made it, in the chat it came from
(handlers.authorization); a refusal is polite, recorded as an audit event, and changes nothing.
Multi-step actions post a prompt that the officer answers by replying (ForceReply, selective: in
privacy mode Telegram still delivers replies to the bot's own messages); only the officer who
started a step may finish it.

A card the triage group shows for an agency that has no group of its own may only be routed by
hand ("Không thuộc thẩm quyền"); everything else needs the responsible agency's own group. A first
move out of the triage agency of an item that never left it is routing, not the item's one transfer.

Flow::

    card ─ ✋ Nhận xử lý ───────────────────────────────► claimed (card shows the officer; claim clock stops)
    card ─ ❓ Hỏi thêm ─► ASK ─ reply ──────────────────► question to the citizen; answer clock pauses
    card ─ 🤝 Phối hợp ─► CHOOSE_AGENCY ─► CONSULT ─ reply ─► consultation card in that agency's group
    consultation card ─ reply ──────────────────────────► position (substance check) under the lead card
    card ─ ↪️ Không thuộc thẩm quyền ─► CHOOSE_AGENCY ─► TRANSFER ─ reply ─► transferred │ disputed
    card ─ 🕑 Tiến độ ─► PROGRESS ─ reply ──────────────► update to the citizen (clock keeps running)
    card ─ ✅ Trả lời ─► ANSWER ─ reply ─┐
    a reply to the card ─────────────────┴► PREVIEW ─ 📨 Gửi trả lời ─► substance check ─► answer to the citizen
                                                  ├ 🕑 Gửi như cập nhật tiến độ
                                                  └ ✖️ Huỷ
    card ─ 🚫 Từ chối ─► REJECT ─ reply ────────────────► rejected; citizen told; supervisors review
    /history CODE ──────────────────────────────────────► the item's trail (its agency's group, supervisors)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import CallbackPress, Data
from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import ChooserMove, OfficerAgencyChoice
from bot.views.cards import close_moved_card, destination_for, post_card
from bot.views.control_slip import history_lines
from bot.views.dates import format_datetime, format_deadline
from bot.views.render import (
    agency_by_key,
    agency_name,
    card_target,
    category_name,
    excerpt,
    find_agencies,
    locality_name,
    province_words,
)
from handlers import citizen_notices, supervisor_disputes
from handlers.authorization import (
    Allowed,
    Authorisation,
    Denial,
    Denied,
    authorise_officer,
    authorise_supervisor,
)
from handlers.citizen_submit import attachment_of
from handlers.common import (
    answer_callback,
    button,
    command_argument,
    reply,
    verified_press_and_item,
)
from handlers.group_chat import (
    agency_chooser,
    answer_callback_text,
    confirm,
    group_language,
    mark_used,
    mention,
    offer_agency_matches,
    refresh,
    refuse,
    refuse_rule,
    save,
)
from handlers.group_replies import ReplyHandler
from handlers.presses import GuardedPress, PressRefused, guarded_press, press_handler
from models.consultations import answer_consultation, request_consultation
from models.items import (
    SUPERVISORS_KEY,
    agency_of_chat,
    chat_of_agency,
    claim_item,
    find_item_by_code,
    find_posted_message,
    get_item_for_update,
    history_of,
)
from models.lifecycle import (
    ANSWER_STATES,
    ASK_STATES,
    CONSULT_STATES,
    PROGRESS_STATES,
    REJECT_STATES,
    TRANSFER_STATES,
    Actor,
    Change,
    RefusalReason,
    Refused,
    answer,
    ask_citizen,
    progress_update,
    reject,
    transfer,
)
from models.outbox import Message, ReplyTarget
from models.purposes import Purpose
from models.tables import ActorRole, Attachment, Consultation, Item, ItemState, PostedMessage

logger = logging.getLogger(__name__)

PROMPT = "officer_prompt"  # a question the bot asks an officer; the reply carries the answer
ANSWER_PREVIEW = "answer_preview"  # a draft answer waiting for confirmation; purpose_data holds it
CONSULTATION_CARD = "consultation_card"  # the card in a consulted agency's group; key = consultation id
CODE_IN_TEXT = re.compile(r"\b(?:PA|KN)-[2-9A-HJKMNP-Z]{6}\b")  # a tracking code inside a message
MAX_ATTACHMENTS = 10
MOVED_CARD_REASON_CHARS = 500  # of a transfer reason shown on the card left behind (the history has it all)


class Step(StrEnum):
    """The prompts an officer meets, in order; each is recorded on the prompt message."""

    CHOOSE_AGENCY = "choose_agency"
    ASK = "ask"
    CONSULT = "consult"
    TRANSFER = "transfer"
    PROGRESS = "progress"
    ANSWER = "answer"
    REJECT = "reject"
    PREVIEW = "preview"


ACTION_STATES: dict[str, tuple[ItemState, ...]] = {
    "ask": ASK_STATES,
    "consult": CONSULT_STATES,
    "transfer": TRANSFER_STATES,
    "progress": PROGRESS_STATES,
    "answer": ANSWER_STATES,
    "reject": REJECT_STATES,
}


@dataclass(frozen=True)
class Permit:
    """An officer allowed to act on an item, and whether they act as the triage group standing in."""

    authorisation: Authorisation
    is_stand_in: bool = False

    @property
    def actor(self) -> Actor | None:
        """Return the authorised officer, or None."""
        return self.authorisation.actor if isinstance(self.authorisation, Allowed) else None

    @property
    def denial(self) -> Denial | None:
        """Return why the officer may not act, or None."""
        return self.authorisation.reason if isinstance(self.authorisation, Denied) else None


# --- shared helpers -------------------------------------------------------------------------------


async def authorise_for_item(context: PaknContext, update: Update, item: Item, action: str) -> Permit:
    """Authorise an officer for an item: its agency's group, or the triage group routing it by hand."""
    chat = update.effective_chat
    services = context.services
    triage = services.directory.triage_agency
    if chat is not None and item.agency_code != triage:
        chat_agency = await agency_of_chat(context.session, services.directory, chat.id)
        if chat_agency == triage:
            destination = await destination_for(
                context.session, services.directory, item, language=group_language(context)
            )
            if destination.is_stand_in and destination.chat_id == chat.id:
                if action != "transfer":
                    return Permit(Denied(Denial.TRIAGE_ROUTES_ONLY))
                permit = await authorise_officer(context, update, agency_code=triage)
                return Permit(permit, is_stand_in=isinstance(permit, Allowed))
    return Permit(await authorise_officer(context, update, agency_code=item.agency_code))


def ask_officer(
    context: PaknContext,
    update: Update,
    item: Item,
    step: Step,
    actor: Actor,
    *,
    target_agency: str | None = None,
) -> None:
    """Post a prompt the officer answers by replying; it remembers who asked and for what."""
    language = group_language(context)
    directory = context.services.directory
    assert actor.telegram_user_id is not None
    reply(
        context,
        update,
        Message(
            text(
                language,
                f"prompt.{step.value}",
                officer=mention(actor.telegram_user_id, (actor.name or "").split(" (@")[0]),
                code=item.code,
                agency=escape(agency_name(directory, target_agency, language)) if target_agency else "",
                **province_words(directory, language),
            ),
            force_reply=True,
        ),
        item_id=item.id,
        purpose=PROMPT,
        purpose_data={
            "step": step.value,
            "officer": actor.telegram_user_id,
            "agency": actor.agency_code,
            "target_agency": target_agency,
        },
    )


# --- card buttons -----------------------------------------------------------------------------------


async def load_pressed_item(
    update: Update, context: PaknContext, attempted: str
) -> tuple[Item, CallbackPress, Permit] | None:
    """Verify a press, lock its item and authorise the presser; refuse politely otherwise."""
    language = group_language(context)
    verified = await verified_press_and_item(update, context, language, who="officer")
    if verified is None:
        return None
    press, item = verified
    permit = await authorise_for_item(context, update, item, attempted)
    if permit.denial is not None:
        await refuse(
            update,
            context,
            item,
            attempted,
            f"auth.{permit.denial.value}",
            f"not_authorised:{permit.denial.value}",
        )
        return None
    if press.version != item.state_version:
        await refuse(update, context, item, attempted, "error.button_outdated", "stale_button")
        return None
    return item, press, permit


async def on_card_button(update: Update, context: PaknContext) -> None:
    """Handle a press on an item card's officer buttons."""
    query = update.callback_query
    if query is None:
        return
    action = (query.data or "").split("|", 1)[0].removeprefix("o.")
    if action not in CARD_BUTTONS:
        await answer_callback(update, group_language(context), "error.button_invalid", alert=True)
        return
    found = await load_pressed_item(update, context, action)
    if found is None:
        return
    item, press, permit = found
    await CARD_BUTTONS[action](update, context, item, press, permit)


async def pressed_claim(
    update: Update, context: PaknContext, item: Item, press: CallbackPress, permit: Permit
) -> None:
    """Claim the item for the officer who pressed; of two simultaneous presses one wins."""
    assert permit.actor is not None and item.id is not None
    try:
        await claim_item(context.session, item_id=item.id, actor=permit.actor, now=context.now)
    except Refused as refusal:
        await refuse_rule(update, context, item, "claim", refusal)
        return
    await answer_callback_text(update, text(group_language(context), "claim.done", code=item.code))
    await refresh(context, item)


async def pressed_prompting_action(
    update: Update, context: PaknContext, item: Item, press: CallbackPress, permit: Permit
) -> None:
    """Check the state allows the action, then ask the officer for the question, update, answer or reason."""
    action = press.action.removeprefix("o.")
    assert permit.actor is not None
    if item.state not in ACTION_STATES[action]:
        await refuse_rule(update, context, item, action, Refused(RefusalReason.WRONG_STATE))
        return
    if action == "ask" and item.citizen_telegram_user_id is None:
        await refuse(update, context, item, action, "ask.unreachable", "citizen_unreachable")
        return
    await answer_callback(update, group_language(context))
    ask_officer(context, update, item, Step(action), permit.actor)


async def pressed_agency_action(
    update: Update, context: PaknContext, item: Item, press: CallbackPress, permit: Permit
) -> None:
    """Check a transfer or consultation may start, then show the agency chooser."""
    action = press.action.removeprefix("o.")
    assert permit.actor is not None
    if item.state not in ACTION_STATES[action]:
        await refuse_rule(update, context, item, action, Refused(RefusalReason.WRONG_STATE))
        return
    if action == "transfer":
        refusal = transfer_refusal(context, item, permit)
        if refusal is not None:
            await refuse_rule(update, context, item, action, refusal)
            return
    await answer_callback(update, group_language(context))
    reply(
        context,
        update,
        agency_chooser(
            context,
            item,
            permit.actor,
            family=OfficerAgencyChoice,
            title_key=f"choose.{action}",
            page=0,
            include_own_agency=offers_own_agency(permit, action),
        ),
        item_id=item.id,
        purpose=PROMPT,
        purpose_data={
            "step": Step.CHOOSE_AGENCY.value,
            "for": action,
            "officer": permit.actor.telegram_user_id,
            "agency": permit.actor.agency_code,
        },
    )


def offers_own_agency(permit: Permit, purpose_for: str) -> bool:
    """Tell whether the chooser offers the item's own agency: the triage group standing in may confirm it."""
    return permit.is_stand_in and purpose_for == "transfer"


def is_triage_routing(context: PaknContext, item: Item, permit: Permit) -> bool:
    """Tell whether a move is the triage agency routing an item that never reached a competent agency."""
    triage = context.services.directory.triage_agency
    actor_agency = permit.actor.agency_code if permit.actor else None
    return actor_agency == triage and not item.previous_agency_codes and item.transfer_count == 0


def transfer_refusal(context: PaknContext, item: Item, permit: Permit) -> Refused | None:
    """Return why a transfer cannot start now (closed window, final decision), or None."""
    if item.responsibility_decided_at is not None:
        return Refused(RefusalReason.RESPONSIBILITY_DECIDED)
    window_ends_at = item.transfer_window_ends_at
    if (
        not is_triage_routing(context, item, permit)
        and window_ends_at is not None
        and context.now > window_ends_at
    ):
        return Refused(RefusalReason.TRANSFER_WINDOW_CLOSED, ended_at=window_ends_at)
    return None


async def guarded_officer_press(
    update: Update, context: PaknContext, family: type[Data], attempted: str
) -> tuple[GuardedPress[Data], Permit]:
    """Guard an officer's press on an item, keeping whether they act as the triage group standing in."""
    permits: list[Permit] = []

    async def authorise(item: Item, _data: Data) -> Authorisation:
        permit = await authorise_for_item(context, update, item, attempted)
        permits.append(permit)
        return permit.authorisation

    press = await guarded_press(update, context, family, attempted=attempted, authorise=authorise)
    return press, permits[0]


@press_handler
async def on_chooser_button(update: Update, context: PaknContext) -> None:
    """Handle a page turn, a choice or the cancel button on an agency chooser."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    purpose_for = str(posted.purpose_data.get("for")) if posted is not None else ""
    if (
        posted is None
        or posted.purpose != Purpose.OFFICER_PROMPT
        or purpose_for not in ("transfer", "consult")
    ):
        raise PressRefused("error.button_outdated")
    press, permit = await guarded_officer_press(update, context, OfficerAgencyChoice, purpose_for)
    item, choice, actor = press.item, press.data, press.actor
    if posted.purpose_data.get("officer") != actor.telegram_user_id:
        raise PressRefused("auth.not_your_prompt", reason="not_your_prompt", item=item, attempted=purpose_for)
    if posted.purpose_data.get("used"):
        raise PressRefused("prompt.used")
    language = group_language(context)
    if choice.move is ChooserMove.PAGE:
        await answer_callback(update, language)
        context.outbox.edit(
            query.message.chat.id,
            query.message.message_id,
            agency_chooser(
                context,
                item,
                actor,
                family=OfficerAgencyChoice,
                title_key=f"choose.{purpose_for}",
                page=choice.page,
                include_own_agency=offers_own_agency(permit, purpose_for),
            ),
        )
        return
    if choice.move is ChooserMove.CANCEL:
        await answer_callback(update, language)
        mark_used(posted)
        context.outbox.edit(
            query.message.chat.id, query.message.message_id, Message(text(language, "choose.cancelled"))
        )
        return
    agency = agency_by_key(context.services.directory, choice.agency)
    if agency is None:
        raise PressRefused("error.button_outdated")
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
    assert permit.actor is not None
    if agency_code == item.agency_code and offers_own_agency(permit, purpose_for):
        await kept_with_own_agency(update, context, item, posted)
        return
    if agency_code == item.agency_code:
        await refuse(
            update, context, item, purpose_for, "refused.same_agency", RefusalReason.SAME_AGENCY.value
        )
        return
    if purpose_for == "consult" and await chat_of_agency(context.session, directory, agency_code) is None:
        await refuse(
            update,
            context,
            item,
            purpose_for,
            "consult.no_group",
            "consulted_agency_has_no_group",
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
    ask_officer(context, update, item, Step(purpose_for), permit.actor, target_agency=agency_code)


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


# --- replies in groups -------------------------------------------------------------------------------


async def replied_to_card(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Treat a reply to the card as an answer draft and show a preview."""
    if posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    permit = await authorise_for_item(context, update, item, "answer")
    if permit.denial is not None:
        await refuse(
            update,
            context,
            item,
            "answer",
            f"auth.{permit.denial.value}",
            f"not_authorised:{permit.denial.value}",
        )
        return
    await show_preview(update, context, item, permit)


async def show_preview(update: Update, context: PaknContext, item: Item, permit: Permit) -> None:
    """Show the officer's answer as the citizen would get it, with send, send-as-update and cancel."""
    message = update.effective_message
    assert message is not None and permit.actor is not None and item.id is not None
    if item.state not in ANSWER_STATES:
        await refuse_rule(update, context, item, "answer", Refused(RefusalReason.WRONG_STATE))
        return
    body = (message.text or message.caption or "").strip()
    attachment = attachment_of(message)
    if not body and attachment is None:
        return
    language = group_language(context)
    attachments = [attachment] if attachment else []
    reply(
        context,
        update,
        preview_message(context, item, body, attachments, language),
        item_id=item.id,
        purpose=ANSWER_PREVIEW,
        purpose_data={
            "officer": permit.actor.telegram_user_id,
            "officer_name": permit.actor.name,
            "text": body,
            "attachments": attachments,
        },
    )


def preview_message(
    context: PaknContext, item: Item, body: str, attachments: list[dict[str, Any]], language: str
) -> Message:
    """Return the preview of an answer draft with its three buttons."""
    assert item.id is not None
    return Message(
        text(language, "preview.text", code=item.code, text=escape(body) or "—", count=len(attachments)),
        buttons=[
            [
                button(
                    context, text(language, "preview.send_answer"), "o.send", item.id, item.state_version, "a"
                )
            ],
            [
                button(
                    context,
                    text(language, "preview.send_progress"),
                    "o.send",
                    item.id,
                    item.state_version,
                    "p",
                )
            ],
            [button(context, text(language, "preview.cancel"), "o.send", item.id, item.state_version, "x")],
        ],
    )


async def replied_to_preview(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Attach another file to an answer draft (the officer replies to the preview with it)."""
    message = update.effective_message
    if message is None or posted.item_id is None or posted.purpose_data.get("used"):
        return
    user = update.effective_user
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None or user is None:
        return
    if posted.purpose_data.get("officer") != user.id:
        await refuse(update, context, item, "answer", "auth.not_your_prompt", "not_your_prompt")
        return
    attachment = attachment_of(message)
    language = group_language(context)
    if attachment is None:
        reply(
            context,
            update,
            Message(text(language, "preview.only_files"), reply_to_message_id=message.message_id),
        )
        return
    attachments = [*posted.purpose_data.get("attachments", []), attachment][:MAX_ATTACHMENTS]
    posted.purpose_data = {**posted.purpose_data, "attachments": attachments}
    flag_modified(posted, "purpose_data")
    reply(
        context,
        update,
        Message(
            text(language, "preview.file_added", count=len(attachments)),
            reply_to_message_id=message.message_id,
        ),
    )
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        preview_message(context, item, str(posted.purpose_data.get("text", "")), attachments, language),
    )


async def on_preview_button(update: Update, context: PaknContext) -> None:
    """Send the draft as the answer (after the substance check) or as a progress update, or drop it."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    language = group_language(context)
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    if posted is None or posted.purpose != ANSWER_PREVIEW:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        return
    found = await load_pressed_item(update, context, "answer")
    if found is None:
        return
    item, press, permit = found
    assert permit.actor is not None
    if posted.purpose_data.get("officer") != permit.actor.telegram_user_id:
        await refuse(update, context, item, "answer", "auth.not_your_prompt", "not_your_prompt")
        return
    if posted.purpose_data.get("used"):
        await answer_callback(update, language, "prompt.used", alert=True)
        return
    body = str(posted.purpose_data.get("text", ""))
    attachments: list[dict[str, Any]] = list(posted.purpose_data.get("attachments", []))
    if press.argument == "x":
        await answer_callback(update, language)
        mark_used(posted)
        context.outbox.edit(posted.chat_id, posted.message_id, Message(text(language, "preview.cancelled")))
        return
    if press.argument == "p":
        if await send_progress(update, context, item, permit, body, attachments):
            mark_used(posted)
            context.outbox.edit(
                posted.chat_id,
                posted.message_id,
                Message(text(language, "preview.sent_progress", code=item.code, text=escape(body))),
            )
        return
    try:
        change = answer(
            item,
            actor=permit.actor,
            now=context.now,
            calendar=context.services.calendar,
            text=body,
            attachment_count=len(attachments),
            proper_names=context.services.directory.proper_names,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, "answer", refusal)
        if refusal.reason is RefusalReason.NO_SUBSTANCE:
            key = f"answer.no_substance_explained.{refusal.details.get('problem', 'too_short')}"
            reply(context, update, Message(text(language, key), reply_to_message_id=posted.message_id))
        return
    save(context, item, change)
    await context.session.flush()
    save_officer_attachments(context, item, change, attachments)
    mark_used(posted)
    await answer_callback(update, language)
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        Message(
            text(
                language,
                "preview.sent_answer",
                code=item.code,
                text=escape(body),
                officer=escape(permit.actor.name or ""),
                at=format_datetime(context.now, language),
            )
        ),
    )
    await refresh(context, item)
    citizen_language = await citizen_notices.citizen_language(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.answer", text=escape(body))
    citizen_notices.send_citizen_files(context, item, attachments)
    await citizen_notices.tell_citizen(
        context,
        item,
        "rate.ask",
        buttons=citizen_notices.rating_buttons(context, item, citizen_language),
    )


def save_officer_attachments(
    context: PaknContext, item: Item, change: Change, attachments: list[dict[str, Any]]
) -> None:
    """Keep the files an officer sent with an answer or update in the item's record."""
    for attachment in attachments:
        context.session.add(
            Attachment(
                item_id=item.id,  # type: ignore[arg-type]
                event_id=change.event.id,
                added_by=ActorRole.OFFICER,
                added_at=context.now,
                **attachment,
            )
        )


async def send_progress(
    update: Update,
    context: PaknContext,
    item: Item,
    permit: Permit,
    body: str,
    attachments: list[dict[str, Any]],
) -> bool:
    """Send a progress update to the citizen; the answer clock keeps running."""
    assert permit.actor is not None
    try:
        change = progress_update(item, actor=permit.actor, now=context.now, text=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, "progress", refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    save_officer_attachments(context, item, change, attachments)
    if update.callback_query is not None:
        await answer_callback(update, group_language(context))
    await citizen_notices.tell_citizen(context, item, "followup.progress", text=escape(body))
    citizen_notices.send_citizen_files(context, item, attachments)
    return True


async def replied_to_prompt(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Finish the step a prompt asked for, if the reply comes from the officer who started it."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    step = Step(str(posted.purpose_data.get("step")))
    attempted = str(posted.purpose_data.get("for") or step.value)
    permit = await authorise_for_item(context, update, item, attempted)
    if permit.denial is not None:
        await refuse(
            update,
            context,
            item,
            attempted,
            f"auth.{permit.denial.value}",
            f"not_authorised:{permit.denial.value}",
        )
        return
    if posted.purpose_data.get("officer") != user.id:
        await refuse(update, context, item, attempted, "auth.not_your_prompt", "not_your_prompt")
        return
    if posted.purpose_data.get("used"):
        reply(
            context,
            update,
            Message(text(group_language(context), "prompt.used"), reply_to_message_id=message.message_id),
        )
        return
    body = (message.text or message.caption or "").strip()
    if step is Step.ANSWER:
        mark_used(posted)
        await show_preview(update, context, item, permit)
        return
    if step is Step.CHOOSE_AGENCY:
        await typed_agency(update, context, item, permit, posted, attempted, body)
        return
    if not body:
        reply(
            context,
            update,
            Message(
                text(group_language(context), "prompt.text_needed"), reply_to_message_id=message.message_id
            ),
        )
        return
    if await PROMPT_STEPS[step](update, context, item, permit, posted, body):
        mark_used(posted)


async def typed_agency(
    update: Update,
    context: PaknContext,
    item: Item,
    permit: Permit,
    posted: PostedMessage,
    purpose_for: str,
    query: str,
) -> None:
    """Find the agency an officer typed part of the name of; one match is taken, several are offered."""
    message = update.effective_message
    assert message is not None and item.id is not None
    matches = [
        agency
        for agency in find_agencies(context.services.directory, query)
        if agency.code != item.agency_code or offers_own_agency(permit, purpose_for)
    ]
    if len(matches) == 1:
        await chose_agency(update, context, item, permit, posted, purpose_for, matches[0].code)
        return
    offer_agency_matches(context, update, item, posted, query, matches, family=OfficerAgencyChoice)


async def asked_citizen(
    update: Update, context: PaknContext, item: Item, permit: Permit, posted: PostedMessage, body: str
) -> bool:
    """Relay the officer's question to the citizen; the answer clock pauses."""
    assert permit.actor is not None
    if item.citizen_telegram_user_id is None:
        await refuse(update, context, item, "ask", "ask.unreachable", "citizen_unreachable")
        return False
    try:
        change = ask_citizen(item, actor=permit.actor, now=context.now, question=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, "ask", refusal)
        return False
    save(context, item, change)
    await citizen_notices.tell_citizen(context, item, "followup.question", text=escape(body))
    await refresh(context, item)
    confirm(update, context, "ask.sent", code=item.code)
    return True


async def sent_progress(
    update: Update, context: PaknContext, item: Item, permit: Permit, posted: PostedMessage, body: str
) -> bool:
    """Send the officer's progress update to the citizen."""
    if not await send_progress(update, context, item, permit, body, []):
        return False
    confirm(update, context, "progress.sent", code=item.code)
    return True


async def rejected(
    update: Update, context: PaknContext, item: Item, permit: Permit, posted: PostedMessage, body: str
) -> bool:
    """Reject the item with the officer's reason; the citizen is told and the supervisors review it."""
    assert permit.actor is not None
    try:
        change = reject(item, actor=permit.actor, now=context.now, reason=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, "reject", refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    await refresh(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.rejected", reason=escape(body))
    await supervisor_disputes.post_rejection_review(context, item)
    confirm(update, context, "reject.done", code=item.code)
    return True


async def transferred(
    update: Update, context: PaknContext, item: Item, permit: Permit, posted: PostedMessage, body: str
) -> bool:
    """Transfer the item within the rules, or turn it into a dispute for the supervisors."""
    assert permit.actor is not None
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = str(posted.purpose_data.get("target_agency") or "")
    old_destination = await destination_for(context.session, directory, item, language=language)
    try:
        change = transfer(
            item,
            actor=permit.actor,
            now=context.now,
            target_agency_code=target,
            reason=body,
            known_agency_codes=set(directory.agencies_by_code),
            is_triage_routing=is_triage_routing(context, item, permit),
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, "transfer", refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    target_name = escape(agency_name(directory, target, language))
    if change.notes["disputed"]:
        await refresh(context, item)
        await supervisor_disputes.post_dispute_card(context, item)
        await citizen_notices.tell_citizen(context, item, "followup.disputed")
        confirm(update, context, "transfer.disputed", code=item.code, agency=target_name)
        return True
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
                "card.transferred_away",
                agency=target_name,
                at=format_datetime(context.now, language),
                reason=escape(excerpt(body, MOVED_CARD_REASON_CHARS)),  # the card must stay one message
            ),
        )
    await post_card(
        session=context.session,
        outbox=context.outbox,
        directory=directory,
        signer=services.signer,
        item=item,
        language=language,
    )
    await citizen_notices.tell_citizen(context, item, "followup.transferred")
    confirm(update, context, "transfer.done", code=item.code, agency=target_name)
    return True


async def consulted(
    update: Update, context: PaknContext, item: Item, permit: Permit, posted: PostedMessage, body: str
) -> bool:
    """Open a consultation and post its card, with its own deadline, in the consulted agency's group."""
    assert permit.actor is not None
    services = context.services
    directory = services.directory
    language = group_language(context)
    target = str(posted.purpose_data.get("target_agency") or "")
    chat_id = await chat_of_agency(context.session, directory, target)
    if chat_id is None:
        await refuse(
            update,
            context,
            item,
            "consult",
            "consult.no_group",
            "consulted_agency_has_no_group",
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
        await refuse_rule(update, context, item, "consult", refusal)
        return False
    save(context, item, change)
    context.session.add(consultation)
    await context.session.flush()
    context.outbox.send(
        chat_id,
        Message(consultation_text(context, item, consultation, language)),
        item_id=item.id,
        purpose=CONSULTATION_CARD,
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


def consultation_text(context: PaknContext, item: Item, consultation: Consultation, language: str) -> str:
    """Render the consultation card: the item, the lead agency's question and the deadline."""
    directory = context.services.directory
    body = text(
        language,
        "consult.card",
        code=item.code,
        lead=escape(agency_name(directory, consultation.from_agency_code, language)),
        category=escape(category_name(directory, item.category_code, language)),
        locality=escape(locality_name(directory, item, language)),
        question=escape(consultation.question),
        due=format_deadline(consultation.due_at, language),
        text=escape(item.text[:1500]),
    )
    if consultation.answered_at is not None:
        body += text(
            language,
            "consult.card_answered",
            officer=escape(consultation.answered_by_name or "—"),
            at=format_datetime(consultation.answered_at, language),
        )
    return body


async def replied_to_consultation(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Take the consulted agency's position and relay it to the lead agency under the item card."""
    message = update.effective_message
    if message is None or posted.item_id is None:
        return
    consultation = await context.session.get(Consultation, int(posted.purpose_data.get("key") or 0))
    item = await get_item_for_update(context.session, posted.item_id)
    if consultation is None or item is None:
        return
    permit = await authorise_officer(context, update, agency_code=consultation.to_agency_code)
    if isinstance(permit, Denied):
        denial = permit.reason.value
        await refuse(
            update, context, item, "answer_consultation", f"auth.{denial}", f"not_authorised:{denial}"
        )
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
        await refuse_rule(update, context, item, "answer_consultation", refusal)
        return
    save(context, item, change)
    context.session.add(consultation)
    language = group_language(context)
    directory = context.services.directory
    context.outbox.edit(
        posted.chat_id,
        ReplyTarget(purpose=CONSULTATION_CARD, item_id=item.id, key=str(consultation.id)),
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


# --- /history --------------------------------------------------------------------------------------


async def show_history(update: Update, context: PaknContext) -> None:
    """Show an item's whole trail in its agency's group or the supervisors' group."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    language = group_language(context)
    code = command_argument(update)
    if not code:
        reply(
            context,
            update,
            Message(text(language, "history.ask_code"), reply_to_message_id=message.message_id),
        )
        return
    item = await find_item_by_code(context.session, code)
    if item is None:
        reply(
            context,
            update,
            Message(
                text(language, "error.unknown_code", code=escape(code[:32])),
                reply_to_message_id=message.message_id,
            ),
        )
        return
    services = context.services
    chat_agency = await agency_of_chat(context.session, services.directory, chat.id)
    if chat_agency == SUPERVISORS_KEY:
        permit = await authorise_supervisor(context, update)
    else:
        permit = await authorise_officer(context, update, agency_code=item.agency_code)
    if isinstance(permit, Denied):
        await refuse(
            update, context, item, "history", "history.not_here", f"not_authorised:{permit.reason.value}"
        )
        return
    events = await history_of(context.session, item.id)  # type: ignore[arg-type]
    lines = history_lines(events, services.directory, language, html=True)
    reply(
        context,
        update,
        Message(
            text(
                language, "history.header", code=item.code, state=text(language, f"state.{item.state.value}")
            )
            + "\n"
            + "\n".join(lines),
            reply_to_message_id=message.message_id,
        ),
    )


# --- wiring -------------------------------------------------------------------------------------------

CARD_BUTTONS: dict[str, Any] = {
    "claim": pressed_claim,
    "ask": pressed_prompting_action,
    "progress": pressed_prompting_action,
    "answer": pressed_prompting_action,
    "reject": pressed_prompting_action,
    "consult": pressed_agency_action,
    "transfer": pressed_agency_action,
}
PROMPT_STEPS: dict[Step, Any] = {
    Step.ASK: asked_citizen,
    Step.PROGRESS: sent_progress,
    Step.REJECT: rejected,
    Step.TRANSFER: transferred,
    Step.CONSULT: consulted,
}
REPLIES: dict[Purpose, ReplyHandler] = {
    Purpose.CARD: replied_to_card,
    Purpose.CARD_ATTACHMENT: replied_to_card,
    Purpose.CARD_TEXT: replied_to_card,
    Purpose.OFFICER_PROMPT: replied_to_prompt,
    Purpose.ANSWER_PREVIEW: replied_to_preview,
    Purpose.CONSULTATION_CARD: replied_to_consultation,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the officer handlers: card buttons, choosers, previews, replies and /history (groups only)."""
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("history", show_history, filters=groups))
    application.add_handler(CallbackQueryHandler(on_chooser_button, pattern=OfficerAgencyChoice.pattern()))
    application.add_handler(CallbackQueryHandler(on_preview_button, pattern=r"^o\.send\|"))
    application.add_handler(CallbackQueryHandler(on_card_button, pattern=r"^o\."))
