"""The public web site: figures, lookup by tracking code and answered items, anonymised (DESIGN §10, §15).

Pages (Vietnamese; English under /en/ or with ?lang=en):
    /            the last 30 and 90 days: received, answered, on-time rate, overdue now, agencies, chart
    /bieu-do.svg ?days=30|90: the supervisors' report chart of that period (SVG, cached with the figures)
    /tra-cuu     ?ma=PA-XXXXXX: state, agency, deadline and steps of one item
    /da-tra-loi  ?trang=N: answered items whose senders agreed to publication
    /static/…    the style sheet
    /open311/v2/ the GeoReport v2 API (bot/web/open311.py)

`add_public_site` adds all of it to an aiohttp app (the webhook app in `pakn run`); `init_public_app`
builds a stand-alone app for `pakn web`, which needs no bot token.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web
from markupsafe import Markup

from bot.services import Services
from bot.texts import text
from bot.views.dates import format_date, format_datetime, format_deadline
from bot.views.render import agency_name, category_name, kind_label
from bot.views.reports import format_rate, working_days
from bot.web import open311
from bot.web.figures import PERIODS_DAYS, FiguresCache, Period
from models.db import transaction
from models.items import normalise_code
from models.public_view import answered_page, excerpt, public_item_by_code

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIRECTORY = HERE / "static"
TEMPLATE_DIRECTORY = HERE / "templates"
LANGUAGES = ("vi", "en")
PAGES = {"home": "/", "lookup": "/tra-cuu", "answered": "/da-tra-loi", "chart": "/bieu-do.svg"}
MAX_CODE_CHARS = 32
MAX_PAGE = 100_000
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The chart is an image: no script can run in it, and its own <style> element is matplotlib's.
CHART_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # lookup addresses carry tracking codes
    "X-Frame-Options": "DENY",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class PublicSite:
    """What the pages need: the shared services, the templates and the figures cache."""

    services: Services
    templates: jinja2.Environment
    figures: FiguresCache


SITE_KEY = web.AppKey("pakn_public_site", PublicSite)


class BadParameter(Exception):
    """A query parameter is not valid; the page says so politely (400)."""


def make_templates() -> jinja2.Environment:
    """Create the Jinja2 environment; every value is HTML-escaped unless marked safe."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIRECTORY),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language_of(request: web.Request) -> str:
    """Read the page language from the /en/ prefix or ?lang=en; Vietnamese otherwise."""
    if request.path == "/en" or request.path.startswith("/en/"):
        return "en"
    return "en" if request.query.get("lang") == "en" else "vi"


def page_url(language: str, page: str, **query: Any) -> str:
    """Return the address of a page in a language, with a query string."""
    path = PAGES[page]
    if language == "en":
        path = "/en" + path if path != "/" else "/en/"
    kept = {key: value for key, value in query.items() if value not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def render(
    request: web.Request,
    template: str,
    *,
    page: str,
    status: int = 200,
    query: dict[str, Any] | None = None,
    cache_seconds: int = 0,
    **values: Any,
) -> web.Response:
    """Render a page with the helpers every template uses."""
    site = request.app[SITE_KEY]
    directory = site.services.directory
    language = language_of(request)
    other = "en" if language == "vi" else "vi"

    def t(key: str, /, **fill: Any) -> str:
        return text(language, key, **fill)

    def safe_t(key: str, /) -> Markup:
        return Markup(text(language, key))  # the catalogue is ours: its markup is trusted

    def locality(code: str | None) -> str:
        found = directory.localities_by_code.get(code or "")
        return found.full_name if found else text(language, "submit.locality_unknown")

    body = site.templates.get_template(template).render(
        lang=language,
        other_lang=other,
        page=page,
        t=t,
        safe_t=safe_t,
        url=partial(page_url, language),
        other_language_url=page_url(other, page, **(query or {})),
        province=directory.province.name,
        agency=lambda code: agency_name(directory, code, language),
        category=lambda code: category_name(directory, code, language),
        locality=locality,
        kind=lambda value: kind_label(value, language),
        state=lambda value: text(language, f"web.state.{value}"),
        date=lambda at: format_date(at, language),
        datetime=lambda at: format_datetime(at, language),
        deadline=lambda at: format_deadline(at, language),
        **values,
    )
    response = web.Response(text=body, content_type="text/html", charset="utf-8", status=status)
    response.headers["Cache-Control"] = f"public, max-age={cache_seconds}" if cache_seconds else "no-store"
    return response


def friendly(page: str) -> Callable[[Handler], Handler]:
    """Turn bad parameters into a polite 400 page and failures into a polite 503 page, never a 500."""

    def decorate(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except BadParameter:
                return render(
                    request,
                    "message.html",
                    page=page,
                    status=400,
                    title_key="web.bad_request_title",
                    body_key="web.bad_request_body",
                )
            except web.HTTPException:
                raise
            except Exception:
                logger.exception("Public page %s failed", request.path)
                return render(
                    request,
                    "message.html",
                    page=page,
                    status=503,
                    title_key="web.error_title",
                    body_key="web.error_body",
                )

        guarded.__doc__ = handler.__doc__
        return guarded

    return decorate


@friendly("home")
async def home(request: web.Request) -> web.StreamResponse:
    """Show the province's figures for the last 30 and 90 days (the supervisors' report of each period)."""
    site = request.app[SITE_KEY]
    figures = await site.figures.get()
    language = language_of(request)

    def days(seconds: float | None, period: Period) -> str:
        value = working_days(seconds, period.report)
        if value is None:
            return text(language, "report.not_available")
        shown = f"{value:.1f}"
        return shown.replace(".", ",") if language == "vi" else shown

    return render(
        request,
        "home.html",
        page="home",
        figures=figures,
        minimum=figures.periods[0].report.min_items,
        percent=lambda rate: format_rate(rate, language),
        days=days,
        cache_seconds=site.services.settings.web_stats_cache_seconds,
    )


@friendly("home")
async def chart(request: web.Request) -> web.StreamResponse:
    """Send the supervisors' report chart of a period of the home page (?days=30|90) as SVG."""
    site = request.app[SITE_KEY]
    raw = request.query.get("days", str(PERIODS_DAYS[0])).strip()
    if not raw.isdigit() or int(raw) not in PERIODS_DAYS:
        raise BadParameter(raw[:20])
    drawn = await site.figures.chart(int(raw), language_of(request))
    if drawn is None:
        raise web.HTTPNotFound()
    response = web.Response(body=drawn, content_type="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={site.services.settings.web_stats_cache_seconds}"
    response.headers["Content-Security-Policy"] = CHART_SECURITY_POLICY
    return response


@friendly("lookup")
async def lookup(request: web.Request) -> web.StreamResponse:
    """Show one item's public view by its tracking code (?ma=PA-XXXXXX)."""
    site = request.app[SITE_KEY]
    raw = request.query.get("ma", "").strip()
    language = language_of(request)
    if not raw:
        return render(request, "lookup.html", page="lookup", code="", problem=None, item=None)
    shown = raw[:MAX_CODE_CHARS]
    code = normalise_code(raw) if len(raw) <= MAX_CODE_CHARS else None
    if code is None:
        problem = text(language, "web.lookup_bad_code", code=shown)
        return render(
            request,
            "lookup.html",
            page="lookup",
            status=400,
            code=shown,
            problem=problem,
            item=None,
            query={"ma": shown},
        )
    async with transaction(site.services.session_factory) as session:
        item = await public_item_by_code(
            session=session, code=code, now=site.services.clock.now(), mask=text(language, "web.masked")
        )
    if item is None:
        problem = text(language, "web.lookup_not_found", code=code)
        return render(
            request,
            "lookup.html",
            page="lookup",
            status=404,
            code=code,
            problem=problem,
            item=None,
            query={"ma": code},
        )
    return render(
        request, "lookup.html", page="lookup", code=code, problem=None, item=item, query={"ma": code}
    )


def _page_number(request: web.Request) -> int:
    raw = request.query.get("trang", request.query.get("page", "1")).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadParameter(raw[:20])
    return int(raw)


@friendly("answered")
async def answered(request: web.Request) -> web.StreamResponse:
    """List answered items whose senders agreed to publication, newest first, paged (?trang=N)."""
    site = request.app[SITE_KEY]
    page = _page_number(request)
    language = language_of(request)
    async with transaction(site.services.session_factory) as session:
        result = await answered_page(
            session=session,
            page=page,
            page_size=site.services.settings.web_page_size,
            now=site.services.clock.now(),
            mask=text(language, "web.masked"),
        )
    return render(
        request,
        "answered.html",
        page="answered",
        result=result,
        excerpt=excerpt,
        query={"trang": result.page if result.page > 1 else None},
    )


async def english_root(_: web.Request) -> web.StreamResponse:
    """Send /en to /en/."""
    raise web.HTTPPermanentRedirect("/en/")


@web.middleware
async def friendly_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer an unknown address read by a browser with a friendly page instead of a bare 404."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        if request.method not in {"GET", "HEAD"} or request.path.startswith(open311.BASE):
            raise
        return render(
            request,
            "message.html",
            page="home",
            status=404,
            title_key="web.not_found_title",
            body_key="web.not_found_body",
        )


async def add_security_headers(_: web.Request, response: web.StreamResponse) -> None:
    """Add the security headers to every answer (pages, static files, API)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def add_public_site(app: web.Application, services: Services) -> None:
    """Add the public pages, the static files and the Open311 API to an aiohttp app."""
    app[SITE_KEY] = PublicSite(services=services, templates=make_templates(), figures=FiguresCache(services))
    app.on_response_prepare.append(add_security_headers)
    open311.add_routes(app, services)
    for prefix in ("", "/en"):
        app.router.add_get(prefix + "/", home)
        app.router.add_get(prefix + PAGES["lookup"], lookup)
        app.router.add_get(prefix + PAGES["answered"], answered)
        app.router.add_get(prefix + PAGES["chart"], chart)
    app.router.add_get("/en", english_root)
    app.router.add_static("/static/", STATIC_DIRECTORY, append_version=False)
    app.middlewares.append(friendly_not_found)


async def liveness(_: web.Request) -> web.Response:
    """Answer that the process is alive."""
    return web.json_response({"ok": True})


def init_public_app(services: Services) -> web.Application:
    """Build the stand-alone app `pakn web` serves: the public site, the API and /healthz."""
    app = web.Application(client_max_size=services.settings.open311_max_body_bytes)
    app.router.add_get("/healthz", liveness)
    add_public_site(app, services)
    return app


async def run_public_site(services: Services) -> None:
    """Serve the public site and the API on WEB_LISTEN:WEB_PORT until SIGINT or SIGTERM."""
    settings = services.settings
    runner = web.AppRunner(init_public_app(services), access_log=None, shutdown_timeout=10.0)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await web.TCPSite(runner, settings.web_listen, settings.web_port).start()
        logger.info("Public site and Open311 API on http://%s:%s/", settings.web_listen, settings.web_port)
        if settings.bot_token is None:
            logger.warning("BOT_TOKEN is not set: Open311 POST requests are refused on this instance")
        await stop.wait()
    finally:
        await runner.cleanup()
        await services.engine.dispose()
