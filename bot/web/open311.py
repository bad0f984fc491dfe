"""Open311 GeoReport v2 under /open311/v2/, so other channels (portal, hotline desk) create and track items.

    GET  discovery.{json,xml}             where the API is and what it speaks
    GET  services.{json,xml}              each directory category is a service (type realtime)
    GET  services/{code}.{json,xml}       attributes: kind, locality, consent, publication (singlevaluelist)
    POST requests.{json,xml}              api_key required; the item takes the same path as a Telegram one
    GET  requests.{json,xml}              service_request_id, service_code, start_date, end_date (≤ 90 days),
                                          status, page, page_size (≤ 500)
    GET  requests/{id}.{json,xml}         one item, anonymised
    GET  tokens/{token}.{json,xml}        items are created synchronously: the token is the id

Errors are a list of {code, description} (400, 403, 404, 413, 429). A missing, forged or revoked key
writes nothing. Output is anonymised like the public pages: no contact, no coordinates, no officer;
the description and the answer only when the sender agreed to publication.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlmodel import col, select

from bot.services import Services
from bot.texts import text
from bot.views.cards import post_card
from bot.views.dates import format_deadline
from bot.views.render import agency_name, category_name
from bot.web.open311_input import date_range, parse_submission, read_form, whole_number
from bot.web.open311_output import CONTENT_TYPES, ApiError, guarded, iso, respond
from models.api_keys import channel_of_key
from models.db import transaction
from models.directory import Directory
from models.items import normalise_code
from models.outbox import Outbox
from models.public_view import PublicItem, public_items
from models.routing import RouteReason
from models.submission import Accepted, DuplicateOf, RateLimited, SubmissionLimits, submit_item
from models.tables import Item, ItemKind, ItemState

logger = logging.getLogger(__name__)

BASE = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_IDS = 100
CLOSED_STATES = {ItemState.ANSWERED, ItemState.CLOSED, ItemState.REJECTED, ItemState.WITHDRAWN}
DETAILED_STATUS = {
    ItemState.RECEIVED: "RECEIVED",
    ItemState.IN_PROGRESS: "IN_PROCESS",
    ItemState.AWAITING_CITIZEN: "IN_PROCESS",
    ItemState.DISPUTED: "IN_PROCESS",
    ItemState.REOPENED: "IN_PROCESS",
    ItemState.ANSWERED: "PROCESSED",
    ItemState.CLOSED: "PROCESSED",
    ItemState.REJECTED: "REJECTED",
    ItemState.WITHDRAWN: "REJECTED",  # no longer handled: the nearest of the four CitySDK statuses
}


@dataclass
class KeyRateLimiter:
    """A token bucket per API key: `per_minute` requests, refilled evenly, on the injected clock."""

    per_minute: int
    buckets: dict[str, tuple[float, datetime]] = field(default_factory=dict)

    def allow(self, key: str, now: datetime) -> bool:
        """Take one token for a key; False when its bucket is empty."""
        tokens, at = self.buckets.get(key, (float(self.per_minute), now))
        elapsed = max(0.0, (now - at).total_seconds())
        tokens = min(float(self.per_minute), tokens + elapsed * self.per_minute / 60.0)
        if tokens < 1.0:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1.0, now)
        return True


@dataclass
class Open311:
    """The API's state: shared services, the per-key limiter and the changeset instant."""

    services: Services
    limiter: KeyRateLimiter
    changeset: datetime


OPEN311_KEY = web.AppKey("pakn_open311", Open311)


def _language(request: web.Request) -> str:
    return "en" if request.query.get("lang") == "en" else "vi"


# --- services ------------------------------------------------------------------------------------


def _check_jurisdiction(request: web.Request, values: dict[str, str] | None = None) -> None:
    directory = request.app[OPEN311_KEY].services.directory
    given = (values or {}).get("jurisdiction_id") or request.query.get("jurisdiction_id")
    if given and given != directory.province.code:
        raise ApiError(404, f"jurisdiction_id {given[:40]!r} is not served here")


@guarded
async def discovery(request: web.Request) -> web.StreamResponse:
    """Describe the endpoint: specification, address, formats."""
    api = request.app[OPEN311_KEY]
    services = api.services
    base = services.settings.web_public_url or str(request.url.origin())
    changeset = iso(api.changeset, services.directory)
    payload = {
        "changeset": changeset,
        "contact": services.directory.supervisors.name,
        "key_service": text(_language(request), "open311.key_service"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/") + BASE,
                "changeset": changeset,
                "type": "production",
                "formats": list(CONTENT_TYPES.values()),
            }
        ],
    }
    return respond(request.match_info["fmt"], payload, root="discovery", element=None)


def _service(directory: Directory, category_code: str, language: str) -> dict[str, Any]:
    category = directory.categories_by_code[category_code]
    if category.route == "locality":
        group = text(language, "open311.group_by_locality")
    else:
        group = agency_name(directory, category.route, language)
    name = category.display_name(language)
    keywords = [
        name,
        category.name,
        category.code,
        text(language, "kind.feedback"),
        text(language, "kind.petition"),
    ]
    return {
        "service_code": category.code,
        "service_name": name,
        "description": text(language, "open311.service_description", name=name, agency=group),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(keywords)),
        "group": group,
    }


@guarded
async def list_services(request: web.Request) -> web.StreamResponse:
    """List every directory category as a service."""
    _check_jurisdiction(request)
    directory = request.app[OPEN311_KEY].services.directory
    language = _language(request)
    payload = [_service(directory, category.code, language) for category in directory.categories]
    return respond(request.match_info["fmt"], payload, root="services", element="service")


def _yes_no(language: str) -> list[dict[str, str]]:
    return [
        {"key": "true", "name": text(language, "open311.yes")},
        {"key": "false", "name": text(language, "open311.no")},
    ]


@guarded
async def service_definition(request: web.Request) -> web.StreamResponse:
    """Describe a service's attributes: kind, locality, consent and publication, each a single-value list."""
    _check_jurisdiction(request)
    directory = request.app[OPEN311_KEY].services.directory
    code = request.match_info["code"]
    if code not in directory.categories_by_code:
        raise ApiError(404, f"service_code {code[:40]!r} not found")
    language = _language(request)
    attributes = [
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "feedback | petition (default feedback)",
            "order": 1,
            "description": text(language, "open311.kind_attribute"),
            "values": [
                {"key": kind.value, "name": text(language, f"kind.{kind.value}")} for kind in ItemKind
            ],
        },
        {
            "variable": True,
            "code": "locality",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "a locality code from this list",
            "order": 2,
            "description": text(language, "open311.locality_attribute"),
            "values": [
                {"key": locality.code, "name": locality.full_name} for locality in directory.localities
            ],
        },
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "true | false (default false: first_name, last_name, phone and email are dropped)",
            "order": 3,
            "description": text(language, "open311.consent_attribute"),
            "values": _yes_no(language),
        },
        {
            "variable": True,
            "code": "publication",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "true | false (default false)",
            "order": 4,
            "description": text(language, "open311.publication_attribute"),
            "values": _yes_no(language),
        },
    ]
    payload = {"service_code": code, "attributes": attributes}
    return respond(request.match_info["fmt"], payload, root="service_definition", element=None)


# --- creating a request ----------------------------------------------------------------------------


@guarded
async def create_request(request: web.Request) -> web.StreamResponse:
    """Create an item for a channel with a valid key, through the same domain function as Telegram."""
    api = request.app[OPEN311_KEY]
    services = api.services
    settings = services.settings
    if settings.bot_token is None:
        # Card buttons are signed with a key derived from the bot token: without it the bot could
        # not verify them, so this instance serves the read-only part of the API only.
        raise ApiError(503, "this server cannot create requests (no BOT_TOKEN); use the main instance")
    form = await read_form(request, settings.open311_max_body_bytes)
    api_key = form.get("api_key") or request.query.get("api_key", "")
    _check_jurisdiction(request, form)
    async with transaction(services.session_factory) as session:
        channel = await channel_of_key(session=session, plaintext=api_key)
    if channel is None:
        raise ApiError(403, "api_key is missing, unknown or revoked")
    now = services.clock.now()
    if not api.limiter.allow(channel, now):
        raise ApiError(429, f"too many requests for this api_key; at most {api.limiter.per_minute} a minute")
    submission = parse_submission(form, services, channel)
    language = settings.default_language
    async with transaction(services.session_factory) as session:
        outcome = await submit_item(
            session=session,
            submission=submission,
            directory=services.directory,
            calendar=services.calendar,
            limits=SubmissionLimits(
                duplicate_window=timedelta(minutes=settings.duplicate_window_minutes),
                per_hour=settings.open311_submissions_per_hour,
            ),
            now=now,
        )
        if isinstance(outcome, RateLimited):
            raise ApiError(
                429,
                f"this channel reached its hourly limit; try again after {iso(outcome.free_at, services.directory)}",
            )
        item = outcome.item
        if isinstance(outcome, Accepted):
            await post_card(
                session=session,
                outbox=Outbox(session, now),
                directory=services.directory,
                signer=services.signer,
                item=item,
                language=language,
                route_is_triage=outcome.route.reason is RouteReason.TRIAGE,
            )
    if isinstance(outcome, Accepted):
        services.outbox_wakeup.set()
        logger.info("Open311 channel %s created %s for %s", channel, item.code, item.agency_code)
    notice = _notice(item, services.directory, language)
    if isinstance(outcome, DuplicateOf):
        notice += " (duplicate of a request sent moments ago)"
    payload = [
        {"service_request_id": item.code, "token": item.code, "service_notice": notice, "account_id": None}
    ]
    return respond(request.match_info["fmt"], payload, root="service_requests", element="request")


def _notice(item: Item | PublicItem, directory: Directory, language: str) -> str:
    deadline = format_deadline(item.answer_due_at, language) if item.answer_due_at else "—"
    return text(language, "open311.service_notice", code=item.code, deadline=deadline)


# --- reading requests -----------------------------------------------------------------------------


def request_view(item: PublicItem, directory: Directory, language: str) -> dict[str, Any]:
    """Describe an item as a GeoReport service request, anonymised."""
    locality = directory.localities_by_code.get(item.locality_code or "")
    return {
        "service_request_id": item.code,
        "status": "closed" if item.state in CLOSED_STATES else "open",
        "detailed_status": DETAILED_STATUS[item.state],
        "status_notes": item.answer,
        "service_name": category_name(directory, item.category_code, language),
        "service_code": item.category_code,
        "description": item.question,
        "agency_responsible": agency_name(directory, item.agency_code, language),
        "service_notice": _notice(item, directory, language),
        "requested_datetime": iso(item.received_at, directory),
        "updated_datetime": iso(item.updated_at or item.received_at, directory),
        "expected_datetime": iso(item.answer_due_at, directory),
        "address": locality.full_name if locality else None,
        "media_url": None,
    }


@guarded
async def list_requests(request: web.Request) -> web.StreamResponse:
    """List requests by id, or by service, date range and status, a page at a time."""
    _check_jurisdiction(request)
    services = request.app[OPEN311_KEY].services
    directory = services.directory
    query = request.query
    language = _language(request)
    now = services.clock.now()
    page = whole_number(query.get("page"), "page", 1, 1, 1_000_000)
    page_size = whole_number(query.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    statement = select(Item)
    if query.get("service_request_id"):
        raw_ids = [part for part in query["service_request_id"].split(",") if part.strip()]
        if len(raw_ids) > MAX_IDS:
            raise ApiError(400, f"at most {MAX_IDS} service_request_id values at once")
        codes = sorted({code for code in (normalise_code(part) for part in raw_ids) if code})
        statement = statement.where(col(Item.code).in_(codes))
    else:
        start, end = date_range(query, now)
        statement = statement.where(col(Item.received_at) >= start, col(Item.received_at) <= end)
        if query.get("service_code"):
            service_codes = [part.strip() for part in query["service_code"].split(",") if part.strip()]
            if len(service_codes) > len(directory.categories) or any(
                code not in directory.categories_by_code for code in service_codes
            ):
                raise ApiError(400, "service_code holds an unknown code")
            statement = statement.where(col(Item.category_code).in_(service_codes))
        if query.get("status"):
            statuses = {part.strip().lower() for part in query["status"].split(",") if part.strip()}
            if not statuses <= {"open", "closed"}:
                raise ApiError(400, "status must be open, closed or both")
            if statuses == {"open"}:
                statement = statement.where(col(Item.state).not_in(CLOSED_STATES))
            elif statuses == {"closed"}:
                statement = statement.where(col(Item.state).in_(CLOSED_STATES))
    statement = (
        statement.order_by(col(Item.received_at).desc(), col(Item.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    mask = text(language, "web.masked")
    async with transaction(services.session_factory) as session:
        items = list((await session.exec(statement)).all())
        views = await public_items(session=session, items=items, now=now, mask=mask)
    payload = [request_view(view, directory, language) for view in views]
    return respond(request.match_info["fmt"], payload, root="service_requests", element="request")


async def _one(request: web.Request, raw: str) -> PublicItem:
    services = request.app[OPEN311_KEY].services
    code = normalise_code(raw)
    if code is None:
        raise ApiError(404, f"service_request_id {raw[:40]!r} not found")
    async with transaction(services.session_factory) as session:
        item = (await session.exec(select(Item).where(Item.code == code))).first()
        if item is None:
            raise ApiError(404, f"service_request_id {code} not found")
        views = await public_items(
            session=session,
            items=[item],
            now=services.clock.now(),
            mask=text(_language(request), "web.masked"),
        )
    return views[0]


@guarded
async def get_request(request: web.Request) -> web.StreamResponse:
    """Show one request."""
    _check_jurisdiction(request)
    view = await _one(request, request.match_info["id"])
    directory = request.app[OPEN311_KEY].services.directory
    payload = [request_view(view, directory, _language(request))]
    return respond(request.match_info["fmt"], payload, root="service_requests", element="request")


@guarded
async def get_token(request: web.Request) -> web.StreamResponse:
    """Answer a token with its request id (requests are created synchronously: they are the same)."""
    _check_jurisdiction(request)
    view = await _one(request, request.match_info["token"])
    payload = [{"service_request_id": view.code, "token": view.code}]
    return respond(request.match_info["fmt"], payload, root="service_requests", element="request")


@guarded
async def unknown(request: web.Request) -> web.StreamResponse:
    """Answer any other address under the API with a GeoReport 404."""
    raise ApiError(404, "no such Open311 resource; see discovery.json")


def add_routes(app: web.Application, services: Services) -> None:
    """Add the GeoReport v2 routes under /open311/v2/."""
    app[OPEN311_KEY] = Open311(
        services=services,
        limiter=KeyRateLimiter(per_minute=services.settings.open311_requests_per_minute),
        changeset=services.clock.now(),
    )
    fmt = "{fmt:json|xml}"
    app.router.add_get(f"{BASE}/discovery.{fmt}", discovery)
    app.router.add_get(f"{BASE}/services.{fmt}", list_services)
    app.router.add_get(BASE + "/services/{code:[A-Za-z0-9_-]{1,64}}." + fmt, service_definition)
    app.router.add_post(f"{BASE}/requests.{fmt}", create_request)
    app.router.add_get(f"{BASE}/requests.{fmt}", list_requests)
    app.router.add_get(BASE + "/requests/{id:[A-Za-z0-9_-]{1,40}}." + fmt, get_request)
    app.router.add_get(BASE + "/tokens/{token:[A-Za-z0-9_-]{1,40}}." + fmt, get_token)
    app.router.add_route("*", BASE + "/{tail:.*}", unknown)
