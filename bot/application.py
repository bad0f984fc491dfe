"""The composition root: build services and the python-telegram-bot application from settings."""

from __future__ import annotations

import functools
import hashlib
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.callbacks import CallbackSigner
from bot.context import SERVICES_KEY, MembershipNeeded, PaknContext, current_unit_of_work
from bot.services import Services
from bot.settings import Settings
from bot.telegram_http import AiohttpRequest
from bot.update_order import ChatOrderedUpdateProcessor
from handlers import (
    authorization,
    citizen_followup,
    citizen_items,
    citizen_privacy,
    citizen_start,
    citizen_submit,
    escalation_digest,
    fallbacks,
    group_binding,
    group_replies,
    officer_answer,
    officer_beyond_authority,
    officer_card,
    officer_common,
    officer_consultation,
    officer_history,
    officer_publication,
    officer_transfer,
    supervisor_disputes,
    supervisor_escalations,
    supervisor_referrals,
    supervisor_reports,
    throttling,
)
from handlers.fallbacks import PrivateMessageRouter
from models.clock import Clock, SystemClock
from models.db import make_engine, make_session_factory
from models.directory import Directory, load_directory
from models.escalation import EscalationRules, track_escalations
from models.purposes import Purpose

logger = logging.getLogger(__name__)

PaknApplication = Application[Any, PaknContext, Any, Any, Any, Any]


def build_services(
    settings: Settings, *, clock: Clock | None = None, directory: Directory | None = None
) -> Services:
    """Create the engine, load the directory and bundle everything handlers and jobs share."""
    directory = directory or load_directory(settings.directory_file)
    if settings.is_sqlite:
        engine = make_engine(
            settings.database_url, sqlite_busy_timeout_seconds=settings.sqlite_busy_timeout_seconds
        )
    else:  # every concurrent update holds a connection for its transaction; leave room for the rest
        engine = make_engine(
            settings.database_url, pool_size=settings.update_concurrency + 4, max_overflow=10
        )
    token = settings.bot_token.get_secret_value() if settings.bot_token else "no-token"
    calendar = directory.calendar()
    session_factory = make_session_factory(engine)
    track_escalations(session_factory, EscalationRules(calendar=calendar, deadlines=directory.deadlines))
    return Services(
        settings=settings,
        directory=directory,
        calendar=calendar,
        clock=clock or SystemClock(),
        engine=engine,
        session_factory=session_factory,
        signer=CallbackSigner(hashlib.sha256(token.encode()).digest()),
    )


def build_application(services: Services, *, request: BaseRequest | None = None) -> PaknApplication:
    """Build the bot application with every handler registered in one place."""
    settings = services.settings
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    bot = PaknBot(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.file_base_url,
        request=request
        or AiohttpRequest(
            connection_pool_size=max(16, settings.update_concurrency + 4), read_timeout=15, connect_timeout=10
        ),
        get_updates_request=HTTPXRequest(read_timeout=60, connect_timeout=10),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=PaknContext))
        .updater(None)  # updates come from our own inbox (polling or webhook), not PTB's updater
        # Different chats at once, one chat at a time: the inbox hands each update to this processor.
        .concurrent_updates(ChatOrderedUpdateProcessor(settings.update_concurrency))
    )
    application: PaknApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    services.fetch_membership = functools.partial(authorization.fetch_membership, application.bot, services)

    throttling.register(application)  # group -1: a private flood stops here, before any audience
    # Audiences, composed explicitly. Order matters inside the default group: first match wins.
    citizen_start.register(application)
    citizen_submit.register(application)
    citizen_items.register(application)
    citizen_privacy.register(application)
    group_binding.register(application)
    citizen_followup.register(application)
    officer_history.register(application)
    officer_transfer.register(application)
    officer_answer.register(application)
    officer_card.register(application)
    officer_beyond_authority.register(application)
    officer_prompts = officer_common.prompt_replies(
        {
            **officer_card.PROMPT_STEPS,
            **officer_answer.PROMPT_STEPS,
            **officer_transfer.PROMPT_STEPS,
            **officer_beyond_authority.PROMPT_STEPS,
        }
    )
    officer_replies = {
        **officer_answer.REPLIES,
        **officer_consultation.REPLIES,
        Purpose.OFFICER_PROMPT: officer_prompts,
    }
    group_replies.register(
        application,
        {
            **officer_replies,
            **supervisor_disputes.REPLIES,
            **supervisor_escalations.REPLIES,
            **supervisor_referrals.REPLIES,
        },
    )
    officer_publication.register(application)
    supervisor_disputes.register(application)
    supervisor_escalations.register(application)
    supervisor_referrals.register(application)
    supervisor_reports.register(application)
    escalation_digest.register(application)
    private_router = PrivateMessageRouter([citizen_submit.on_message, citizen_followup.on_message])
    fallbacks.register(application, private_router)
    application.add_error_handler(on_error)
    return application


class PaknBot(ExtBot[None]):
    """The bot, plus a getUpdates that hands back raw JSON (parsing is the inbox's job)."""

    async def get_raw_updates(
        self, *, offset: int | None, long_poll_seconds: int, allowed_updates: list[str]
    ) -> list[dict[str, Any]]:
        """Long-poll getUpdates and return the updates as Telegram sent them, unparsed."""
        data: dict[str, Any] = {
            "offset": offset,
            "timeout": long_poll_seconds,
            "allowed_updates": allowed_updates,
        }
        result = await self._post("getUpdates", data, read_timeout=long_poll_seconds + 15)
        return [update for update in result if isinstance(update, dict)] if isinstance(result, list) else []


async def on_error(update: object, context: PaknContext) -> None:
    """Log a handler failure with its traceback and mark the update's unit of work as failed."""
    unit = current_unit_of_work.get()
    if isinstance(context.error, MembershipNeeded) and unit is not None:
        unit.error = context.error  # not a failure: the inbox asks Telegram and runs the update again
        return
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Handling update %s failed", update_id, exc_info=context.error)
    if unit is not None and context.error is not None:
        unit.error = context.error
