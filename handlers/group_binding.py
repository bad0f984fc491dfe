"""Binding an agency's group chat (/bind CODE) and asking a group what it serves (/agency).

A group that already serves an agency refuses another binding. Wrong codes are counted per person and
per group: after a few, /bind is locked for a while (told once, logged for the administrator).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import PaknContext
from bot.views.cards import take_over_orphaned_cards
from bot.views.dates import format_datetime
from bot.views.render import agency_name
from handlers.common import command_argument, full_name, reply_text
from models.agencies import ChatAlreadyBound, use_bind_code
from models.items import SUPERVISORS_KEY, agency_of_chat
from models.throttling import Budget, Scope, Verdict, check_pause, spend

logger = logging.getLogger(__name__)


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
    if await refused_while_locked(context, update, language, chat.id, user.id):
        return
    try:
        binding = await use_bind_code(
            session=context.session,
            directory=services.directory,
            code=code,
            chat_id=chat.id,
            telegram_user_id=user.id,
            name=full_name(user),
            now=context.now,
        )
    except ChatAlreadyBound as bound:
        is_supervisors = bound.agency_code == SUPERVISORS_KEY
        name = services.directory.supervisors.name if is_supervisors else None
        reply_text(
            context,
            update,
            language,
            "bind.already_bound",
            agency=escape(name or agency_name(services.directory, bound.agency_code, language)),
            agency_code="supervisors" if is_supervisors else escape(bound.agency_code),
        )
        return
    if binding is None:
        await count_wrong_code(context, update, language, chat.id, user.id)
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


async def refused_while_locked(
    context: PaknContext, update: Update, language: str, chat_id: int, telegram_user_id: int
) -> bool:
    """Refuse /bind while the person or the group is locked out (say so once, then stay silent)."""
    for scope, subject_id in ((Scope.BIND_USER, telegram_user_id), (Scope.BIND_CHAT, chat_id)):
        verdict = await check_pause(context.session, scope=scope, subject_id=subject_id, now=context.now)
        if not verdict.is_allowed:
            tell_locked(context, update, language, verdict)
            return True
    return False


async def count_wrong_code(
    context: PaknContext, update: Update, language: str, chat_id: int, telegram_user_id: int
) -> None:
    """Count a wrong code against the person and the group; lock /bind after too many."""
    settings = context.services.settings
    budget = Budget(
        limit=settings.bind_max_failures - 1,  # the last allowed failure is answered with the lock-out
        window=timedelta(minutes=settings.bind_failure_window_minutes),
        pause=timedelta(minutes=settings.bind_lockout_minutes),
    )
    verdicts = [
        await spend(context.session, scope=scope, subject_id=subject_id, budget=budget, now=context.now)
        for scope, subject_id in ((Scope.BIND_USER, telegram_user_id), (Scope.BIND_CHAT, chat_id))
    ]
    locked = next((verdict for verdict in verdicts if not verdict.is_allowed), None)
    if locked is None:
        reply_text(context, update, language, "bind.bad_code")
        return
    if any(verdict.has_just_paused for verdict in verdicts):
        logger.warning(
            "Locked /bind until %s after %d wrong codes (user %s in chat %s): someone may be guessing codes",
            locked.blocked_until,
            settings.bind_max_failures,
            telegram_user_id,
            chat_id,
        )
    tell_locked(context, update, language, locked)


def tell_locked(context: PaknContext, update: Update, language: str, verdict: Verdict) -> None:
    """Say once that /bind is locked, and until when."""
    if verdict.should_tell and verdict.blocked_until is not None:
        until = format_datetime(verdict.blocked_until, language)
        reply_text(context, update, language, "bind.locked", until=until)


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
