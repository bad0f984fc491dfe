"""The composition root: build services and the python-telegram-bot application from settings."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from bot.callbacks import CallbackSigner
from bot.context import SERVICES_KEY, PaknContext, current_unit_of_work
from bot.services import Services
from bot.settings import Settings
from handlers import (
    citizen_followup,
    citizen_items,
    citizen_privacy,
    citizen_start,
    citizen_submit,
    escalation_digest,
    fallbacks,
    group_binding,
    officer_group,
    officer_publication,
    supervisor_disputes,
    supervisor_escalations,
)
from handlers.fallbacks import PrivateMessageRouter
from models.clock import Clock, SystemClock
from models.db import make_engine, make_session_factory
from models.directory import Directory, load_directory

logger = logging.getLogger(__name__)

PaknApplication = Application[Any, PaknContext, Any, Any, Any, Any]


def build_services(
    settings: Settings, *, clock: Clock | None = None, directory: Directory | None = None
) -> Services:
    """Create the engine, load the directory and bundle everything handlers and jobs share."""
    directory = directory or load_directory(settings.directory_file)
    engine = make_engine(settings.database_url)
    token = settings.bot_token.get_secret_value() if settings.bot_token else "no-token"
    return Services(
        settings=settings,
        directory=directory,
        calendar=directory.calendar(),
        clock=clock or SystemClock(),
        engine=engine,
        session_factory=make_session_factory(engine),
        signer=CallbackSigner(hashlib.sha256(token.encode()).digest()),
    )


def build_application(services: Services, *, request: BaseRequest | None = None) -> PaknApplication:
    """Build the bot application with every handler registered in one place."""
    settings = services.settings
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(ContextTypes(context=PaknContext))
        .updater(None)  # updates come from our own inbox (polling or webhook), not PTB's updater
    )
    builder = builder.request(
        request or HTTPXRequest(connection_pool_size=16, read_timeout=15, connect_timeout=10)
    )
    builder = builder.get_updates_request(HTTPXRequest(read_timeout=60, connect_timeout=10))
    application: PaknApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services

    # Audiences, composed explicitly. Order matters inside the default group: first match wins.
    citizen_start.register(application)
    citizen_submit.register(application)
    citizen_items.register(application)
    citizen_privacy.register(application)
    group_binding.register(application)
    citizen_followup.register(application)
    officer_group.register(application)
    officer_publication.register(application)
    supervisor_disputes.register(application)
    supervisor_escalations.register(application)
    escalation_digest.register(application)
    private_router = PrivateMessageRouter([citizen_submit.on_message, citizen_followup.on_message])
    fallbacks.register(application, private_router)
    application.add_error_handler(on_error)
    return application


async def on_error(update: object, context: PaknContext) -> None:
    """Log a handler failure with its traceback and mark the update's unit of work as failed."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Handling update %s failed", update_id, exc_info=context.error)
    unit = current_unit_of_work.get()
    if unit is not None and context.error is not None:
        unit.error = context.error
