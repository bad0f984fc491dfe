"""/history CODE: an item's whole trail, in its agency's group or the supervisors' group."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import PaknContext
from bot.texts import text
from bot.views.control_slip import history_lines
from handlers.authorization import Denied, authorise_officer, authorise_supervisor
from handlers.common import command_argument, reply
from handlers.group_chat import group_language, refuse
from models.items import SUPERVISORS_KEY, agency_of_chat, find_item_by_code, history_of
from models.outbox import Message


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
    if item is None or item.id is None:
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
        await refuse(update, context, item, "history", "history.not_here", permit.refusal_reason)
        return
    events = await history_of(context.session, item.id)
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


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add /history in groups."""
    application.add_handler(CommandHandler("history", show_history, filters=filters.ChatType.GROUPS))
