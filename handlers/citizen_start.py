"""The citizen's front door: /start, the main menu, /help and /language (private chats only)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import PaknContext
from bot.views import menu
from bot.views.buttons import MenuChoice, MenuPress
from handlers.common import answer_callback, reply, reply_text, sending_citizen
from models.outbox import Message


def main_menu(context: PaknContext, language: str) -> Message:
    """Return the welcome text with the main menu buttons."""
    return menu.main_menu(context.services.signer, context.services.directory, language)


async def show_welcome(update: Update, context: PaknContext) -> None:
    """Explain what the bot is (and is not) for, and show the main menu."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    reply(context, update, main_menu(context, citizen.language))


async def show_help(update: Update, context: PaknContext) -> None:
    """List the citizen's commands."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    await answer_callback(update, citizen.language)
    reply_text(context, update, citizen.language, "help.citizen")


async def switch_language(update: Update, context: PaknContext) -> None:
    """Switch between Vietnamese and English (/language or the menu button)."""
    citizen = await sending_citizen(context, update)
    if citizen is None:
        return
    citizen.language = "en" if citizen.language == "vi" else "vi"
    context.session.add(citizen)
    await answer_callback(update, citizen.language)
    reply_text(context, update, citizen.language, "language.changed")
    reply(context, update, main_menu(context, citizen.language))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the front-door handlers."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(["start", "menu"], show_welcome, filters=private))
    application.add_handler(CommandHandler("help", show_help, filters=private))
    application.add_handler(CommandHandler(["language", "lang"], switch_language, filters=private))
    application.add_handler(CallbackQueryHandler(show_help, pattern=MenuPress.pattern(MenuChoice.HELP)))
    application.add_handler(
        CallbackQueryHandler(switch_language, pattern=MenuPress.pattern(MenuChoice.LANGUAGE))
    )
