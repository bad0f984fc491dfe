"""The citizen's submit conversation, in a private chat, kept in the database so restarts lose nothing.

Flow (each step is a `SubmitStep`; /cancel works at every one; "Sửa" on the summary jumps back to a
step and returns to the summary afterwards)::

    /new ─► KIND ─► SENDER ─┬─────────────────────────► CATEGORY ─► LOCALITY ─► DESCRIPTION ◄─┐ long part:
     │                      └► BUSINESS_NAME ► TAX_CODE ┘                           │   └────────┘ join more
     └ over the hourly limit: say when, stop                                         │ whole text
            CONFIRM ◄── CONTACT ◄── ATTACHMENTS ◄───────────────────────────────────┘
               │ Gửi: rate limit and duplicate checks ─► item + event + card, all in one transaction
               ├ Sửa ─► EDIT_CHOICE ─► the chosen step ─► CONFIRM
               ├ Công khai? ─► PUBLICATION (agree / refuse; default refuse) ─► CONFIRM
               └ Huỷ

What each step asks, takes and leads to is one table, `TRANSITIONS` in handlers/citizen_submit_steps.py;
the questions are drawn by bot/views/submission.py. This module holds the entry points and the wiring.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import PaknContext
from bot.texts import text
from bot.views import submission as views
from bot.views.buttons import MenuChoice, MenuPress, SubmitAction, SubmitPress
from handlers.citizen_submit_steps import (
    TRANSITIONS,
    Turn,
    screen_for,
    submission_limits,
)
from handlers.common import answer_callback, citizen_for, reply
from models.conversations import load_citizen_and_draft
from models.drafts import SubmitDraft, SubmitStep
from models.outbox import Message
from models.submission import Refused, check_submission_allowed
from models.tables import Citizen, ConversationDraft


async def citizen_and_draft(
    context: PaknContext, user: TelegramUser
) -> tuple[Citizen, ConversationDraft | None]:
    """Return the citizen (created on first contact) and their draft in progress, in one query."""
    loaded = context.unit.take_sender_records(user.id)  # read with the update's arrival, if it was
    citizen, draft = loaded if loaded is not None else await load_citizen_and_draft(context.session, user.id)
    if citizen is None:
        citizen = await citizen_for(context, user)
        draft = await context.session.get(ConversationDraft, user.id)
    return citizen, draft


# --- entry points --------------------------------------------------------------------------------


async def start_submission(update: Update, context: PaknContext) -> None:
    """Begin a new item (/new or the menu button), or resume one in progress."""
    user = update.effective_user
    if user is None:
        return
    citizen, draft = await citizen_and_draft(context, user)
    language = citizen.language
    await answer_callback(update, language)
    try:
        await check_submission_allowed(
            context.session, telegram_user_id=user.id, limits=submission_limits(context), now=context.now
        )
    except Refused as refusal:
        if refusal.free_at is None:
            raise
        notice = views.rate_limited(
            screen_for(context, language), refusal.free_at, has_draft=draft is not None
        )
        reply(context, update, notice)
        return
    if draft is not None:
        reply(context, update, Message(text(language, "submit.resume")))
    else:
        draft = ConversationDraft(
            telegram_user_id=user.id, step=SubmitStep.KIND.value, data=SubmitDraft(), updated_at=context.now
        )
        context.session.add(draft)
    Turn(update, context, draft, language).ask()


async def cancel(update: Update, context: PaknContext) -> None:
    """Drop the draft in progress (/cancel or the Cancel button)."""
    user = update.effective_user
    if user is None:
        return
    citizen, draft = await citizen_and_draft(context, user)
    await answer_callback(update, citizen.language)
    if draft is None:
        reply(
            context, update, Message(text(citizen.language, "submit.nothing_to_cancel"), remove_keyboard=True)
        )
        return
    await context.session.delete(draft)
    reply(context, update, Message(text(citizen.language, "submit.cancelled"), remove_keyboard=True))


async def on_button(update: Update, context: PaknContext) -> None:
    """Handle a press on any submit-conversation button, checking it belongs to the current step."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    press = context.services.signer.unpack(query.data, SubmitPress)
    if press is not None and press.action is SubmitAction.CANCEL:
        await cancel(update, context)
        return
    citizen, draft = await citizen_and_draft(context, user)
    language = citizen.language
    if press is None:
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    step = TRANSITIONS.get(SubmitStep(draft.step)) if draft is not None else None
    handler = step.buttons.get(press.action) if step is not None else None
    if draft is None or handler is None:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        return
    await answer_callback(update, language)
    await handler(Turn(update, context, draft, language), press)


async def on_message(update: Update, context: PaknContext) -> bool:
    """Handle a private message while a draft is open; return False when there is no draft."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    citizen, draft = await citizen_and_draft(context, user)
    if draft is None:
        return False
    language = citizen.language
    if message.sticker is not None:  # never an answer to a step: say so and keep the step
        reply(context, update, Message(text(language, "sticker.ignored")))
        return True
    handler = TRANSITIONS[SubmitStep(draft.step)].on_message
    if handler is None:
        reply(context, update, Message(text(language, "submit.use_buttons")))
        return True
    await handler(Turn(update, context, draft, language))
    return True


# --- wiring --------------------------------------------------------------------------------------


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the submit conversation's handlers (private chats only)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(["new", "submit"], start_submission, filters=private))
    application.add_handler(CommandHandler("cancel", cancel, filters=private))
    application.add_handler(CallbackQueryHandler(start_submission, pattern=MenuPress.pattern(MenuChoice.NEW)))
    application.add_handler(CallbackQueryHandler(on_button, pattern=SubmitPress.pattern()))
