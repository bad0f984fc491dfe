"""Binding an agency's group chat (/bind CODE) and asking a group what it serves (/agency)."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.cards import take_over_orphaned_cards
from bot.context import PaknContext
from bot.render import agency_name
from handlers.common import command_argument, full_name, reply_text
from models.agencies import use_bind_code
from models.items import SUPERVISORS_KEY, agency_of_chat


async def bind_group(update: Update, context: PaknContext) -> None:
    """Bind this group to the agency named by a one-time code from the administrator."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    services = context.services
    language = services.settings.default_language
    code = command_argument(update)
    if not code:
        reply_text(context, update, language, "bind.ask_code")
        return
    binding = await use_bind_code(
        session=context.session,
        code=code,
        chat_id=chat.id,
        telegram_user_id=user.id,
        name=full_name(user),
        now=context.now,
    )
    if binding is None:
        reply_text(context, update, language, "bind.bad_code")
        return
    if binding.agency_code == SUPERVISORS_KEY:
        reply_text(
            context, update, language, "agency.supervisors", name=escape(services.directory.supervisors.name)
        )
        return
    reply_text(
        context,
        update,
        language,
        "bind.done",
        agency=escape(agency_name(services.directory, binding.agency_code, language)),
    )
    moved = await take_over_orphaned_cards(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        agency_code=binding.agency_code,
        chat_id=chat.id,
        language=language,
        now=context.now,
    )
    if moved:
        reply_text(context, update, language, "bind.cards_moved", count=moved)


async def describe_group(update: Update, context: PaknContext) -> None:
    """Say which agency (or the supervisors) this group serves."""
    chat = update.effective_chat
    if chat is None:
        return
    services = context.services
    language = services.settings.default_language
    agency_code = await agency_of_chat(context.session, services.directory, chat.id)
    if agency_code is None:
        reply_text(context, update, language, "agency.unbound")
    elif agency_code == SUPERVISORS_KEY:
        reply_text(
            context, update, language, "agency.supervisors", name=escape(services.directory.supervisors.name)
        )
    else:
        reply_text(
            context,
            update,
            language,
            "agency.this_group",
            agency=escape(agency_name(services.directory, agency_code, language)),
        )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the binding handlers (groups only)."""
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("bind", bind_group, filters=groups))
    application.add_handler(CommandHandler("agency", describe_group, filters=groups))
