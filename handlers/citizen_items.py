"""A citizen following their items: /status CODE and /my (private chats)."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import MenuChoice, MenuPress
from bot.views.render import category_name, deadline_text, state_label, status_text
from handlers.common import answer_callback, command_argument, reply, reply_text, sending_citizen
from models.items import find_item_by_code, items_of_citizen
from models.lifecycle import is_overdue
from models.outbox import Message


async def show_status(update: Update, context: PaknContext) -> None:
    """Show an item's state; its owner also sees the agency and the deadline."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    language = citizen.language
    code = command_argument(update)
    if not code:
        reply_text(context, update, language, "status.ask_code")
        return
    item = await find_item_by_code(context.session, code)
    if item is None:
        reply_text(context, update, language, "error.unknown_code", code=escape(code[:32]))
        return
    is_owner = item.citizen_telegram_user_id == citizen.telegram_user_id
    reply(
        context,
        update,
        Message(
            status_text(
                item,
                context.services.directory,
                language=language,
                is_owner=is_owner,
                now_overdue=is_overdue(item, context.now),
            )
        ),
    )


async def list_my_items(update: Update, context: PaknContext) -> None:
    """List the citizen's own items, newest first."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    language = citizen.language
    await answer_callback(update, language)
    items = await items_of_citizen(context.session, citizen.telegram_user_id)
    if not items:
        reply_text(context, update, language, "my.empty")
        return
    directory = context.services.directory
    lines = [text(language, "my.header")]
    lines += [
        text(
            language,
            "my.line",
            code=item.code,
            category=escape(category_name(directory, item.category_code, language)),
            state=state_label(item.state, language),
            deadline=deadline_text(item, language),
        )
        for item in items
    ]
    reply(context, update, Message("\n".join(lines)))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the item-following handlers."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("status", show_status, filters=private))
    application.add_handler(CommandHandler(["my", "mine"], list_my_items, filters=private))
    application.add_handler(
        CallbackQueryHandler(list_my_items, pattern=MenuPress.pattern(MenuChoice.MY_ITEMS))
    )
