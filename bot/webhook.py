"""Webhook intake (aiohttp): an update is committed to the inbox before Telegram gets its 200.

POST WEBHOOK_PATH ─► secret header? ─no─► 403, nothing read or written
                        │ yes
                        ▼
                body within WEBHOOK_MAX_BODY_BYTES? ─no─► 413
                        ▼
                JSON object with an update_id? ─no─► 400
                        ▼
                its chat idle? ─yes─► stored as handled with the handler's work, COMMIT ─► 200
                        │ no (or the handler failed)
                        ▼
                INSERT … ON CONFLICT DO NOTHING, COMMIT ─► 200, inbox woken
                (database down ─► 503: Telegram keeps the update and retries)

GET /healthz  the process answers (liveness)
GET /readyz   the database answers and the bot is initialised (readiness), else 503
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from bot.application import PaknApplication
from bot.inbox import ALLOWED_UPDATES, InboxProcessor, store_in_inbox
from bot.services import Services
from bot.web.app import add_public_site
from models.db import READ_ONLY

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
READINESS_TIMEOUT_SECONDS = 3.0
SERVICES_KEY = web.AppKey("services", Services)
APPLICATION_KEY = web.AppKey("application", PaknApplication)
INBOX_KEY = web.AppKey("inbox", InboxProcessor)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ForgedRequest(Exception):
    """The request does not carry our secret token."""


class BodyTooLarge(Exception):
    """The request body is larger than WEBHOOK_MAX_BODY_BYTES."""


class MalformedUpdate(Exception):
    """The body is not a Telegram update."""


class NotReady(Exception):
    """The database or the bot is not available yet."""


DOMAIN_ERRORS: dict[type[Exception], tuple[int, str]] = {
    ForgedRequest: (403, "forbidden"),
    BodyTooLarge: (413, "request body too large"),
    MalformedUpdate: (400, "not a Telegram update"),
    NotReady: (503, "not ready"),
    SQLAlchemyError: (503, "database unavailable"),  # Telegram retries a non-2xx answer later
    OSError: (503, "database unavailable"),
}


@web.middleware
async def domain_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map domain errors to HTTP answers in one place; never let a request crash the server."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status == 413:
            return web.json_response({"ok": False, "error": "request body too large"}, status=413)
        raise
    except Exception as error:
        for error_type, (status, reason) in DOMAIN_ERRORS.items():
            if isinstance(error, error_type):
                if status >= 500:
                    logger.error("Webhook %s %s: %s", request.method, request.path, error)
                else:
                    logger.info("Webhook refused %s %s: %s", request.method, request.path, reason)
                return web.json_response({"ok": False, "error": reason}, status=status)
        logger.exception("Webhook %s %s failed", request.method, request.path)
        return web.json_response({"ok": False, "error": "internal error"}, status=500)


async def receive_update(request: web.Request) -> web.Response:
    """Check the secret, read the update, commit it to the inbox, then answer 200."""
    services = request.app[SERVICES_KEY]
    settings = services.settings
    expected = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not expected or not secrets.compare_digest(_secret_header(request), expected.encode()):
        raise ForgedRequest(request.remote or "unknown peer")
    limit = settings.webhook_max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(request.content_length)
    body = await request.read()  # client_max_size enforces the limit on chunked bodies too
    if len(body) > limit:
        raise BodyTooLarge(len(body))
    payload = parse_update(body)
    inbox = request.app.get(INBOX_KEY)
    if inbox is not None:
        await inbox.handle_arrival(payload)  # handled now when its chat is idle, else stored as pending
    else:
        await store_in_inbox(services, [payload])  # also when PTB cannot parse it: the inbox parks it
    return web.json_response({"ok": True})


def _secret_header(request: web.Request) -> bytes:
    """Return the secret header's bytes as sent (a header that is not UTF-8 is simply a wrong secret)."""
    for name, value in request.raw_headers:
        if name.lower() == SECRET_HEADER.lower().encode():
            return value
    return b""


def parse_update(body: bytes) -> dict[str, Any]:
    """Return the update as a dict, or raise MalformedUpdate for anything Telegram would not send."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        json.dumps(payload, ensure_ascii=False).encode("utf-8")  # lone surrogates cannot be stored
    except (UnicodeError, ValueError, RecursionError) as error:
        raise MalformedUpdate(f"invalid JSON: {type(error).__name__}") from None
    if not isinstance(payload, dict):
        raise MalformedUpdate("the body is not a JSON object")
    update_id = payload.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int) or not 0 <= update_id < 2**63:
        raise MalformedUpdate("no valid update_id")
    return payload


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def liveness(_: web.Request) -> web.Response:
    """Answer that the process is alive."""
    return web.json_response({"ok": True})


async def readiness(request: web.Request) -> web.Response:
    """Answer 200 only when the database answers and the bot is initialised."""
    services = request.app[SERVICES_KEY]
    application = request.app[APPLICATION_KEY]
    try:
        application.bot.bot  # raises until getMe has been called by initialize()  # noqa: B018
    except RuntimeError:
        raise NotReady("the bot is not initialised") from None
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS), services.session_factory() as session:
            # Read-only: on SQLite it never queues for the write lock another process may hold.
            await session.connection(execution_options={READ_ONLY: True})
            await session.exec(sql_text("SELECT 1"))  # type: ignore[call-overload]
    except (TimeoutError, SQLAlchemyError, OSError) as error:
        raise NotReady(f"the database does not answer: {type(error).__name__}") from None
    counters = services.delivery_counters
    delivery = {
        "is_sender": counters.is_sender,
        "takeovers": counters.takeovers,
        "resends": counters.resends,
        "unconfirmed": counters.unconfirmed,
    }
    return web.json_response({"ok": True, "bot": application.bot.username, "delivery": delivery})


def init_web_app(
    services: Services, application: PaknApplication, inbox: InboxProcessor | None = None
) -> web.Application:
    """Build the aiohttp application: the webhook path, /healthz and /readyz.

    With the instance's inbox, an update whose chat is idle is handled as it arrives; without it,
    every update is only stored, for an inbox loop to handle.
    """
    settings = services.settings
    app = web.Application(
        middlewares=[domain_errors],
        client_max_size=settings.webhook_max_body_bytes,
    )
    app[SERVICES_KEY] = services
    app[APPLICATION_KEY] = application
    if inbox is not None:
        app[INBOX_KEY] = inbox
    app.router.add_post(settings.webhook_path, receive_update)
    app.router.add_get("/healthz", liveness)
    app.router.add_get("/readyz", readiness)
    add_public_site(app, services)  # the public pages and Open311 share the webhook's server
    return app


async def start_webhook_server(
    services: Services, application: PaknApplication, inbox: InboxProcessor | None = None
) -> web.AppRunner:
    """Serve the web app on WEBHOOK_LISTEN:WEBHOOK_PORT and point Telegram at WEBHOOK_URL with the secret."""
    settings = services.settings
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    runner = web.AppRunner(init_web_app(services, application, inbox), access_log=None, shutdown_timeout=10.0)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_listen, settings.webhook_port)
    await site.start()
    try:
        await application.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
    except BaseException:
        await runner.cleanup()
        raise
    logger.info(
        "Webhook server on %s:%s%s; Telegram posts to %s",
        settings.webhook_listen,
        settings.webhook_port,
        settings.webhook_path,
        settings.webhook_url,
    )
    return runner
