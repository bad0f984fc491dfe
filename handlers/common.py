"""Small helpers every handler module shares: who is talking, in which language, and polite replies."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram import Update
from telegram import User as TelegramUser

from bot.context import PaknContext, current_unit_of_work
from bot.texts import language_of, text
from models.outbox import Message
from models.tables import Citizen

PRIVATE = "private"
MEDIA_TYPES = ("photo", "document", "voice", "video", "audio", "video_note", "animation")
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


def attachment_of(message: Any) -> dict[str, Any] | None:
    """Describe a message's attachment by file_id (or coordinates), or None if it has none."""
    if message.location is not None:
        return {
            "media_type": "location",
            "latitude": message.location.latitude,
            "longitude": message.location.longitude,
        }
    if message.photo:
        largest = message.photo[-1]
        return {"media_type": "photo", "file_id": largest.file_id, "file_size": largest.file_size}
    for media_type in MEDIA_TYPES[1:]:
        media = getattr(message, media_type, None)
        if media is not None:
            return {
                "media_type": media_type,
                "file_id": media.file_id,
                "file_size": getattr(media, "file_size", None),
                "file_name": getattr(media, "file_name", None),
            }
    return None
