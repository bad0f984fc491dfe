"""One dispatcher for replies in group chats: a reply to the bot's message goes where its purpose says.

Each audience module exports `REPLIES: dict[Purpose, ReplyHandler]`; the application factory merges them
and registers this dispatcher once (bot/application.py). The dispatcher finds the message replied to
(or, for an unregistered copy of one, the message it stands for) and calls the one handler of its purpose.
A reply to a bot message nobody knows is answered with a pointer to the item's live card.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Message as TelegramMessage
from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import PaknContext
from bot.texts import text
from handlers.common import reply
from models.items import find_item_by_code, find_posted_message, normalise_code
from models.outbox import Message, ReplyTarget, find_sent_copy
from models.purposes import Purpose
from models.tables import PostedMessage

logger = logging.getLogger(__name__)

ReplyHandler = Callable[[Update, PaknContext, PostedMessage], Awaitable[None]]

CODE_IN_TEXT = re.compile(r"\b(?:PA|KN)-[2-9A-HJKMNP-Z]{6}\b")  # a tracking code inside a message
# Replies are read in their own handler group, so that no command or private-chat handler in the default
# group hides them.
GROUP_REPLIES_HANDLER_GROUP = 1


class GroupReplies:
    """The reply handlers of every audience, keyed by the purpose of the message replied to."""

    def __init__(self, handlers: Mapping[Purpose, ReplyHandler]) -> None:
        self.handlers: dict[str, ReplyHandler] = {
            purpose.value: handler for purpose, handler in handlers.items()
        }

    async def __call__(self, update: Update, context: PaknContext) -> None:
        """Route a reply to one of the bot's messages by what that message was posted for."""
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or message.reply_to_message is None:
            return
        replied = message.reply_to_message
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return
        posted = await find_posted_message(context.session, chat.id, replied.message_id)
        if posted is None:
            posted = await posted_of_copy(context, chat.id, replied)
        if posted is None:
            await point_to_live_card(update, context, replied)
            return
        handler = self.handlers.get(posted.purpose)
        if handler is not None:
            await handler(update, context, posted)


async def posted_of_copy(
    context: PaknContext, chat_id: int, replied: TelegramMessage
) -> PostedMessage | None:
    """Return what an unknown bot message was posted for when it is a copy (a resend after a lost answer)."""
    copied = replied.text or replied.caption
    if not copied:
        return None
    session = context.session
    row = await find_sent_copy(session, chat_id=chat_id, text=copied, posted_at=replied.date)
    if row is None or row.purpose is None:
        return None
    if row.sent_message_id is not None:
        original = await find_posted_message(session, chat_id, row.sent_message_id)
        if original is not None:
            return original  # the copy stands for the registered message: one prompt, used once
    # No attempt was ever confirmed, so this copy is the message: register it as such.
    posted = PostedMessage(
        chat_id=chat_id,
        message_id=replied.message_id,
        item_id=row.item_id,
        purpose=row.purpose,
        purpose_data=row.purpose_data,
        posted_at=context.now,
    )
    session.add(posted)
    await session.flush()
    return posted


async def point_to_live_card(update: Update, context: PaknContext, replied: TelegramMessage) -> None:
    """Answer a reply to a bot message the product does not know by pointing to the item's live card."""
    found = CODE_IN_TEXT.search(replied.text or replied.caption or "")
    code = normalise_code(found.group(0)) if found else None
    item = await find_item_by_code(context.session, code) if code else None
    if item is None:
        return  # nothing says which item it was about: a reply to an old notice, left alone
    logger.info(
        "A reply in chat %s went to an unknown copy of a message about %s", replied.chat_id, item.code
    )
    reply(
        context,
        update,
        Message(
            text(context.services.settings.default_language, "reply.unknown_copy", code=item.code),
            reply_to=ReplyTarget(Purpose.CARD, item.id),
        ),
    )


def register(
    application: Application[Any, Any, Any, Any, Any, Any], handlers: Mapping[Purpose, ReplyHandler]
) -> None:
    """Add the one group-reply handler, with every audience's reply handlers."""
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND, GroupReplies(handlers)),
        group=GROUP_REPLIES_HANDLER_GROUP,
    )
