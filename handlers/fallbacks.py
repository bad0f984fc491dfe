"""What the bot does with everything no other handler took: polite answers, never errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import PaknContext
from bot.texts import text
from bot.views.cards import refresh_card
from bot.views.menu import main_menu
from handlers.common import (
    answer_callback,
    bot_link,
    citizen_for,
    language_for,
    reply,
    reply_text,
    sending_citizen,
)
from models.items import find_posted_message
from models.outbox import Message
from models.purposes import Purpose
from models.tables import Item

PrivateMessageConsumer = Callable[[Update, PaknContext], Awaitable[bool]]
CITIZEN_COMMANDS = {
    "start",
    "new",
    "submit",
    "status",
    "my",
    "add",
    "withdraw",
    "mydata",
    "language",
    "cancel",
}


class PrivateMessageRouter:
    """Offer a private message to each consumer in turn (draft, follow-up, …); the first to take it wins."""

    def __init__(self, consumers: Sequence[PrivateMessageConsumer]) -> None:
        self._consumers = list(consumers)

    async def __call__(self, update: Update, context: PaknContext) -> None:
        """Route one private message."""
        for consumer in self._consumers:
            if await consumer(update, context):
                return
        user = update.effective_user
        message = update.effective_message
        if user is None or message is None:
            return
        citizen = await citizen_for(context, user)
        if message.sticker is not None:
            reply_text(context, update, citizen.language, "sticker.ignored")
            return
        reply(
            context, update, main_menu(context.services.signer, context.services.directory, citizen.language)
        )


async def unknown_private_command(update: Update, context: PaknContext) -> None:
    """Answer a command the bot does not know."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    reply_text(context, update, citizen.language, "error.unknown_command")


async def citizen_command_in_group(update: Update, context: PaknContext) -> None:
    """Point a citizen command sent in a group to the private chat; ignore other unknown commands."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    if command in CITIZEN_COMMANDS:
        language = context.services.settings.default_language
        reply(
            context,
            update,
            Message(
                text(language, "group.citizen_command", link=bot_link(context)),
                reply_to_message_id=message.message_id,
            ),
        )


async def edited_private_message(update: Update, context: PaknContext) -> None:
    """Explain that edits of sent messages are not taken."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    reply_text(context, update, citizen.language, "edit.ignored")


async def unknown_button(update: Update, context: PaknContext) -> None:
    """Answer a press whose data no handler recognises: forged, or made by an older version of the bot.

    A button we signed in an older layout is ours, not a forgery. On an item card it is renewed: the
    card is edited with today's buttons and the officer is asked to press again. Any other old button
    is said to be outdated; unsigned data is invalid.
    """
    query = update.callback_query
    language = await language_for(context, update)
    if query is None or not context.services.signer.is_signed(query.data):
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    message = query.message
    posted = (
        await find_posted_message(context.session, message.chat.id, message.message_id)
        if message is not None
        else None
    )
    item = (
        await context.session.get(Item, posted.item_id)
        if posted is not None and posted.purpose == Purpose.CARD and posted.item_id is not None
        else None
    )
    if item is None:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        return
    services = context.services
    await refresh_card(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        item=item,
        language=services.settings.default_language,
    )
    await answer_callback(update, language, "error.button_renewed", alert=True)


def register(application: Application[Any, Any, Any, Any, Any, Any], router: PrivateMessageRouter) -> None:
    """Add the catch-all handlers; call this last."""
    private = filters.ChatType.PRIVATE
    application.add_handler(
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, edited_private_message)
    )
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_private_command))
    application.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE, router))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, citizen_command_in_group)
    )
    application.add_handler(CallbackQueryHandler(unknown_button))
