"""Officers keep an item off the public web pages: /notpublic CODE (alias /khongcongkhai) in their group.

The citizen's agreement to publication is recorded at submission; an officer of the responsible
agency (or a supervisor) can still rule an item out, for example when the text identifies someone.
The ruling is final and recorded in the item's history.
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import PaknContext
from bot.texts import text
from handlers.authorization import Denied, authorise_officer, authorise_supervisor
from handlers.common import command_argument, reply
from models.actions import Action
from models.items import SUPERVISORS_KEY, agency_of_chat, find_item_by_code, get_item_for_update
from models.lifecycle import record
from models.outbox import Message

COMMANDS = ("notpublic", "khongcongkhai")


async def mark_never_public(update: Update, context: PaknContext) -> None:
    """Mark an item as never shown on the public pages, if the officer's agency holds it."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    language = context.services.settings.default_language

    def answer(key: str, **values: Any) -> None:
        reply(context, update, Message(text(language, key, **values), reply_to_message_id=message.message_id))

    code = command_argument(update)
    if not code:
        answer("publication.ask_code")
        return
    found = await find_item_by_code(context.session, code)
    if found is None or found.id is None:
        answer("error.unknown_code", code=escape(code[:32]))
        return
    services = context.services
    if await agency_of_chat(context.session, services.directory, chat.id) == SUPERVISORS_KEY:
        permit = await authorise_supervisor(context, update)
    else:
        permit = await authorise_officer(context, update, agency_code=found.agency_code)
    if isinstance(permit, Denied):
        answer("publication.not_here")
        return
    item = await get_item_for_update(context.session, found.id)
    if item is None:
        return
    if item.is_never_public:
        answer("publication.already", code=item.code)
        return
    item.is_never_public = True
    change = record(item, action=Action.MARKED_NEVER_PUBLIC, actor=permit.actor, now=context.now)
    context.session.add(item)
    context.session.add(change.event)
    answer("publication.done", code=item.code)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the never-public command (groups only)."""
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler(list(COMMANDS), mark_never_public, filters=groups))
