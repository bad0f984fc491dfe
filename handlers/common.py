"""Small helpers every handler module shares: who is talking, in which language, and polite replies."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram import Update
from telegram import User as TelegramUser

from bot.callbacks import CallbackPress
from bot.context import PaknContext, current_unit_of_work
from bot.texts import language_of, text
from models.items import get_item_for_update
from models.outbox import Button, Message
from models.tables import Citizen, Item

PRIVATE = "private"
logger = logging.getLogger(__name__)


def full_name(user: TelegramUser | None) -> str:
    """Return a Telegram user's display name for officer audit trails."""
    if user is None:
        return "?"
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return f"{name} (@{user.username})" if user.username else name


async def citizen_for(context: PaknContext, user: TelegramUser) -> Citizen:
    """Return the citizen record of a private-chat user, creating it on first contact."""
    citizen = await context.session.get(Citizen, user.id)
    if citizen is None:
        citizen = Citizen(
            telegram_user_id=user.id,
            language=language_of(user.language_code),
            display_name=None,
            first_seen_at=context.now,
        )
        context.session.add(citizen)
        await context.session.flush()
    return citizen


async def sending_citizen(context: PaknContext, update: Update) -> Citizen | None:
    """Return the citizen who sent this update (created on first contact), or None if there is no sender."""
    user = update.effective_user
    return None if user is None else await citizen_for(context, user)


async def verified_press_and_item(
    update: Update, context: PaknContext, language: str, *, who: str
) -> tuple[CallbackPress, Item] | None:
    """Verify a signed button press and lock its item; answer "invalid" (and log forgeries) otherwise."""
    query = update.callback_query
    press = context.services.signer.verify(query.data if query else None)
    if press is None:
        logger.warning("Refused a forged %s button press: %r", who, query.data if query else None)
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return None
    item = await get_item_for_update(context.session, press.item_id)
    if item is None:
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return None
    return press, item


async def language_for(context: PaknContext, update: Update) -> str:
    """Return the reader's language: a citizen's choice in private chats, the default in groups."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is not None and chat.type == PRIVATE and user is not None:
        return (await citizen_for(context, user)).language
    return context.services.settings.default_language


def reply(context: PaknContext, update: Update, message: Message, **outbox_options: Any) -> None:
    """Queue a message to the chat the update came from."""
    chat = update.effective_chat
    if chat is not None:
        context.outbox.send(chat.id, message, **outbox_options)


def reply_text(context: PaknContext, update: Update, language: str, key: str, /, **values: Any) -> None:
    """Queue a catalogue text to the chat the update came from."""
    reply(context, update, Message(text(language, key, **values)))


async def answer_callback(
    update: Update, language: str, key: str | None = None, *, alert: bool = False
) -> None:
    """Acknowledge a button press, optionally with a short notice (best effort: it expires quickly)."""
    await answer_press(update, text(language, key) if key else None, alert=alert)


async def answer_press(update: Update, notice: str | None, *, alert: bool = False) -> None:
    """Answer a button press once the update's transaction has committed (never inside it).

    The answer is not durable (Telegram forgets it after a few seconds), so it is not an outbox
    message; if the update's work is rolled back, the answer is dropped with it.
    """
    query = update.callback_query
    if query is None:
        return
    notice = notice[:200] if notice else None  # Telegram's limit for callback answers

    async def send() -> None:
        try:
            await query.answer(notice, show_alert=alert)
        except Exception as error:  # an expired or duplicate callback answer is not worth a retry
            logger.info("answerCallbackQuery failed: %s", error)

    unit = current_unit_of_work.get()
    if unit is None:
        await send()
    else:
        unit.after_commit.append(send)


def bot_link(context: PaknContext) -> str:
    """Return a t.me link to the bot's private chat."""
    username = context.bot.username if context.bot else None
    return f"https://t.me/{username}" if username else "@bot"


def button(
    context: PaknContext, label: str, action: str, item_id: int = 0, version: int = 0, argument: str = ""
) -> Button:
    """Make an inline button whose callback data is signed."""
    return Button(label=label, callback_data=context.services.signer.sign(action, item_id, version, argument))


def quote(value: str) -> str:
    """Escape user text for Telegram HTML."""
    return escape(value)


def command_argument(update: Update) -> str:
    """Return the text after a command ("/status PA-XXXX" → "PA-XXXX")."""
    message = update.effective_message
    if message is None or not message.text:
        return ""
    parts = message.text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
