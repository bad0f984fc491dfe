"""Flood control for private chats: beyond a per-person budget the bot answers once, then ignores the rest.

It runs before every other handler (group -100). The counter lives in the database, so it holds across
restarts and across instances that share one PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import PaknContext
from bot.texts import language_of, text
from bot.views.dates import format_datetime
from handlers.common import PRIVATE, answer_callback, reply
from models.outbox import Message
from models.tables import Citizen
from models.throttling import Budget, Scope, per_minute_budget, spend

logger = logging.getLogger(__name__)
THROTTLE_HANDLER_GROUP = -100  # before every other group, including tests' own


def private_budget(context: PaknContext) -> Budget:
    """Return the per-person budget of private updates from the settings."""
    settings = context.services.settings
    return per_minute_budget(settings.private_messages_per_minute, settings.private_flood_pause_minutes)


async def counted_private_update(update: Update, context: PaknContext) -> None:
    """Count a private update against its sender's budget; stop handling it when the budget is spent."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type != PRIVATE:
        return
    arrival = context.unit.private_arrival
    if arrival is not None and arrival.sender_id != user.id:
        arrival = None  # another sender's count (a private chat's id is its user's, so never seen)
    if arrival is not None and arrival.is_counted:
        return  # counted within budget by the statement that stored the update
    verdict = await spend(
        context.session,
        scope=Scope.PRIVATE_MESSAGES,
        subject_id=user.id,
        budget=private_budget(context),
        now=context.now,
        quick_count_failed=arrival is not None,  # the arrival tried the quick count
    )
    if verdict.is_allowed:
        return
    if verdict.has_just_paused:
        logger.warning("Private chat flood: paused a sender until %s", verdict.blocked_until)
    if verdict.should_tell and verdict.blocked_until is not None:
        citizen = await context.session.get(Citizen, user.id)
        language = citizen.language if citizen else language_of(user.language_code)
        await answer_callback(update, language)
        until = format_datetime(verdict.blocked_until, language)
        reply(context, update, Message(text(language, "flood.paused", until=until)))
    raise ApplicationHandlerStop


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the flood control ahead of every other handler."""
    application.add_handler(TypeHandler(Update, counted_private_update), group=THROTTLE_HANDLER_GROUP)
