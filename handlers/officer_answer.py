"""Officers answering an item, updating the citizen on progress, or rejecting it (DESIGN §4, §9).

Flow::

    card ─ ✅ Trả lời ─► prompt ─ reply ─┐
    a reply to the card ─────────────────┴► PREVIEW ─ 📨 Gửi trả lời ─► substance check ─► answer to the citizen
                                                  ├ 🕑 Gửi như cập nhật tiến độ
                                                  └ ✖️ Huỷ
    card ─ 🕑 Tiến độ ─► prompt ─ reply ─────────► update to the citizen (clock keeps running)
    card ─ 🚫 Từ chối ─► prompt ─ reply ─────────► rejected; citizen told; supervisors review
"""

from __future__ import annotations

from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm.attributes import flag_modified
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import CardAction, PreviewChoice, PreviewPress
from bot.views.dates import format_datetime
from handlers import citizen_notices, supervisor_notices
from handlers.common import answer_callback, attachment_of, reply
from handlers.group_chat import confirm, group_language, mark_used, refresh, refuse, refuse_rule, save
from handlers.group_replies import ReplyHandler
from handlers.officer_common import (
    Permit,
    PromptReply,
    StepHandler,
    authorise_for_item,
    guarded_officer_press,
    refuse_denied,
    save_officer_attachments,
)
from handlers.presses import PressRefused, press_handler
from models.actions import RefusalNote
from models.items import find_posted_message, get_item_for_update
from models.lifecycle import RefusalReason, Refused, answer, check_action, progress_update, reject
from models.outbox import Button, Message
from models.purposes import Purpose
from models.tables import Item, PostedMessage


class AnswerDraft(BaseModel):
    """An answer waiting for the officer's confirmation (PostedMessage.purpose_data of an ANSWER_PREVIEW)."""

    model_config = ConfigDict(extra="ignore")

    officer: int | None = None
    officer_name: str | None = None
    text: str = ""
    attachments: list[dict[str, Any]] = []
    used: bool = False


async def replied_to_card(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Treat a reply to the card as an answer draft and show a preview."""
    if posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    permit = await authorise_for_item(context, update, item, CardAction.ANSWER)
    if not isinstance(permit, Permit):
        await refuse_denied(update, context, item, CardAction.ANSWER, permit)
        return
    await show_preview(update, context, item, permit)


async def answer_prompted(replied: PromptReply) -> bool:
    """Take the reply to the answer prompt as a draft: the prompt is used, the preview shown."""
    update, context, item, permit, _posted, _prompt, _body = replied.parts()
    await show_preview(update, context, item, permit)
    return True


async def show_preview(update: Update, context: PaknContext, item: Item, permit: Permit) -> None:
    """Show the officer's answer as the citizen would get it, with send, send-as-update and cancel."""
    message = update.effective_message
    if message is None:
        return
    try:
        check_action(item, CardAction.ANSWER)
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.ANSWER, refusal)
        return
    body = (message.text or message.caption or "").strip()
    attachment = attachment_of(message)
    if not body and attachment is None:
        return
    attachments = [attachment] if attachment else []
    draft = AnswerDraft(
        officer=permit.actor.telegram_user_id,
        officer_name=permit.actor.name,
        text=body,
        attachments=attachments,
    )
    reply(
        context,
        update,
        preview_message(context, item, draft),
        item_id=item.id,
        purpose=Purpose.ANSWER_PREVIEW,
        purpose_data=draft.model_dump(exclude={"used"}),
    )


def preview_message(context: PaknContext, item: Item, draft: AnswerDraft) -> Message:
    """Return the preview of an answer draft with its three buttons."""
    language = group_language(context)
    signer = context.services.signer

    def choice(key: str, picked: PreviewChoice) -> list[Button]:
        data = PreviewPress(picked, item.id or 0, item.state_version)
        return [Button(label=text(language, key), callback_data=signer.pack(data))]

    return Message(
        text(
            language,
            "preview.text",
            code=item.code,
            text=escape(draft.text) or "—",
            count=len(draft.attachments),
        ),
        buttons=[
            choice("preview.send_answer", PreviewChoice.ANSWER),
            choice("preview.send_progress", PreviewChoice.PROGRESS),
            choice("preview.cancel", PreviewChoice.CANCEL),
        ],
    )


async def replied_to_preview(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Attach another file to an answer draft (the officer replies to the preview with it)."""
    message = update.effective_message
    draft = AnswerDraft.model_validate(posted.purpose_data)
    if message is None or posted.item_id is None or draft.used:
        return
    user = update.effective_user
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None or user is None:
        return
    if draft.officer != user.id:
        await refuse(
            update, context, item, CardAction.ANSWER, "auth.not_your_prompt", RefusalNote.NOT_YOUR_PROMPT
        )
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
    limit = context.services.settings.max_attachments
    draft.attachments = [*draft.attachments, attachment][:limit]
    posted.purpose_data = {**posted.purpose_data, "attachments": draft.attachments}
    flag_modified(posted, "purpose_data")
    reply(
        context,
        update,
        Message(
            text(language, "preview.file_added", count=len(draft.attachments)),
            reply_to_message_id=message.message_id,
        ),
    )
    context.outbox.edit(posted.chat_id, posted.message_id, preview_message(context, item, draft))


@press_handler
async def on_preview_button(update: Update, context: PaknContext) -> None:
    """Send the draft as the answer (after the substance check) or as a progress update, or drop it."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    language = group_language(context)
    posted = await find_posted_message(context.session, query.message.chat.id, query.message.message_id)
    if posted is None or posted.purpose != Purpose.ANSWER_PREVIEW:
        raise PressRefused("error.button_outdated")
    press, permit = await guarded_officer_press(update, context, PreviewPress, CardAction.ANSWER)
    item = press.item
    draft = AnswerDraft.model_validate(posted.purpose_data)
    if draft.officer != permit.actor.telegram_user_id:
        raise PressRefused(
            "auth.not_your_prompt", reason=RefusalNote.NOT_YOUR_PROMPT, item=item, attempted=CardAction.ANSWER
        )
    if draft.used:
        raise PressRefused("prompt.used")
    if press.data.choice is PreviewChoice.CANCEL:
        await answer_callback(update, language)
        mark_used(posted)
        context.outbox.edit(posted.chat_id, posted.message_id, Message(text(language, "preview.cancelled")))
        return
    if press.data.choice is PreviewChoice.PROGRESS:
        if await send_progress(update, context, item, permit, draft.text, draft.attachments):
            mark_used(posted)
            context.outbox.edit(
                posted.chat_id,
                posted.message_id,
                Message(text(language, "preview.sent_progress", code=item.code, text=escape(draft.text))),
            )
        return
    await send_answer(update, context, item, permit, posted, draft)


async def send_answer(
    update: Update,
    context: PaknContext,
    item: Item,
    permit: Permit,
    posted: PostedMessage,
    draft: AnswerDraft,
) -> None:
    """Send the draft as the agency's answer, after the substance check; the citizen is asked to rate it."""
    language = group_language(context)
    try:
        change = answer(
            item,
            actor=permit.actor,
            now=context.now,
            calendar=context.services.calendar,
            text=draft.text,
            attachment_count=len(draft.attachments),
            proper_names=context.services.directory.proper_names,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.ANSWER, refusal)
        if refusal.reason is RefusalReason.NO_SUBSTANCE:
            key = f"answer.no_substance_explained.{refusal.details.get('problem', 'too_short')}"
            reply(context, update, Message(text(language, key), reply_to_message_id=posted.message_id))
        return
    save(context, item, change)
    await context.session.flush()
    save_officer_attachments(context, item, change, draft.attachments)
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
                text=escape(draft.text),
                officer=escape(permit.actor.name or ""),
                at=format_datetime(context.now, language),
            )
        ),
    )
    await refresh(context, item)
    await tell_citizen_the_answer(context, item, draft.text, draft.attachments)


async def tell_citizen_the_answer(
    context: PaknContext, item: Item, body: str, attachments: list[dict[str, Any]]
) -> None:
    """Send the answer and its files to the citizen, then ask them to rate it."""
    citizen_language = await citizen_notices.citizen_language(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.answer", text=escape(body))
    citizen_notices.send_citizen_files(context, item, attachments)
    await citizen_notices.tell_citizen(
        context,
        item,
        "rate.ask",
        buttons=citizen_notices.rating_buttons(context, item, citizen_language),
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
    try:
        change = progress_update(item, actor=permit.actor, now=context.now, text=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.PROGRESS, refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    save_officer_attachments(context, item, change, attachments)
    if update.callback_query is not None:
        await answer_callback(update, group_language(context))
    await citizen_notices.tell_citizen(context, item, "followup.progress", text=escape(body))
    citizen_notices.send_citizen_files(context, item, attachments)
    return True


async def sent_progress(replied: PromptReply) -> bool:
    """Send the officer's progress update to the citizen."""
    update, context, item, permit, _posted, _prompt, body = replied.parts()
    if not await send_progress(update, context, item, permit, body, []):
        return False
    confirm(update, context, "progress.sent", code=item.code)
    return True


async def rejected(replied: PromptReply) -> bool:
    """Reject the item with the officer's reason; the citizen is told and the supervisors review it."""
    update, context, item, permit, _posted, _prompt, body = replied.parts()
    try:
        change = reject(item, actor=permit.actor, now=context.now, reason=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.REJECT, refusal)
        return False
    save(context, item, change)
    await context.session.flush()
    await refresh(context, item)
    await citizen_notices.tell_citizen(context, item, "followup.rejected", reason=escape(body))
    await supervisor_notices.post_rejection_review(context, item)
    confirm(update, context, "reject.done", code=item.code)
    return True


PROMPT_STEPS: dict[str, StepHandler] = {
    CardAction.ANSWER.value: answer_prompted,
    CardAction.PROGRESS.value: sent_progress,
    CardAction.REJECT.value: rejected,
}
REPLIES: dict[Purpose, ReplyHandler] = {
    Purpose.CARD: replied_to_card,
    Purpose.CARD_ATTACHMENT: replied_to_card,
    Purpose.CARD_TEXT: replied_to_card,
    Purpose.ANSWER_PREVIEW: replied_to_preview,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the buttons of an answer's preview."""
    application.add_handler(CallbackQueryHandler(on_preview_button, pattern=PreviewPress.pattern()))
