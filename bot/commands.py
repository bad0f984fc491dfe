"""What each `pakn` command does; bot/cli.py describes the commands and imports this module to run one.

Every command that works in one transaction goes through `in_one_transaction`, which prepares the
configured database, runs the work and closes the engine; `with_database` does the same for work
that opens its own transactions (the demo).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import InvalidToken, NetworkError

from bot.application import build_application, build_services
from bot.logging_privacy import install_log_masking
from bot.runner import serve
from bot.services import Services
from bot.settings import Settings
from bot.views.control_slip import render_control_slip
from bot.views.dates import format_datetime
from bot.views.report_chart import render_chart
from bot.views.report_tables import render_csv, render_workbook
from bot.views.reports import plain_text
from bot.web.app import run_public_site
from models.agencies import NotBoundHere, UnknownAgency, create_bind_code, unbind_agency
from models.api_keys import ApiKeyProblem, create_api_key, revoke_api_key
from models.db import transaction
from models.demo import count_real_items, simulate_history
from models.directory import DirectoryError, load_directory
from models.inbox_queue import parked_updates, retry_parked
from models.migrations import upgrade_to_head
from models.migrations.status import is_at_head
from models.report_figures import Report
from models.report_periods import ReportPeriod
from models.statistics import build_report

T = TypeVar("T")
TOKEN_HELP = (
    "BOT_TOKEN is not set. Get a token from @BotFather in Telegram (send /newbot), then put "
    "BOT_TOKEN=<token> in a .env file in this folder (copy .env.example) or in the environment."
)


class ConfigurationProblem(Exception):
    """Something the administrator must fix; shown as one line, without a traceback."""


def load_settings() -> Settings:
    """Read settings, turning validation errors into one readable line."""
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        raise ConfigurationProblem(problems) from None
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs each request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aiosqlite logs every statement with its values at DEBUG: names, phone numbers, petitions.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    install_log_masking()
    if settings.log_level == "DEBUG":
        logging.getLogger("pakn").warning(
            "LOG_LEVEL=DEBUG is for development only: it logs every update and Bot API call "
            "(masked, but still more than a production log should hold)"
        )
    return settings


def _services(settings: Settings) -> Services:
    try:
        return build_services(settings)
    except DirectoryError as error:
        raise ConfigurationProblem(f"directory file: {error}") from None


async def _prepare_database(settings: Settings) -> None:
    if settings.is_sqlite:
        await asyncio.to_thread(upgrade_to_head, settings.database_url)
        return
    if not await asyncio.to_thread(is_at_head, settings.database_url):
        raise ConfigurationProblem("the database schema is not up to date: run `pakn db upgrade` first")


def with_database(
    work: Callable[[Services], Awaitable[T]], *, services: Services | None = None, prepare: bool = True
) -> T:
    """Prepare the configured database (unless told not to), run `work`, then close the engine."""
    services = services or _services(load_settings())
    if prepare:
        asyncio.run(_prepare_database(services.settings))

    async def run() -> T:
        try:
            return await work(services)
        finally:
            await services.engine.dispose()

    return asyncio.run(run())


def in_one_transaction(
    work: Callable[[AsyncSession, Services], Awaitable[T]],
    *,
    services: Services | None = None,
    prepare: bool = True,
) -> T:
    """Prepare the configured database (unless told not to), run `work` in one transaction, then close the engine."""

    async def run(services: Services) -> T:
        async with transaction(services.session_factory) as session:
            return await work(session, services)

    return with_database(run, services=services, prepare=prepare)


def run_bot(_: argparse.Namespace) -> int:
    """Run the bot until it is stopped."""
    settings = load_settings()
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise ConfigurationProblem(TOKEN_HELP)
    services = _services(settings)
    asyncio.run(_prepare_database(settings))
    application = build_application(services)
    if services.directory.is_sample:
        logging.getLogger("pakn").warning(
            "Using the bundled SAMPLE directory (%s); set DIRECTORY_FILE to your province's file",
            settings.directory_file,
        )
    try:
        asyncio.run(serve(services, application))
    except InvalidToken:
        raise ConfigurationProblem(
            "Telegram rejected BOT_TOKEN. Check it with @BotFather (/token)."
        ) from None
    except NetworkError as error:
        raise ConfigurationProblem(
            f"cannot reach the Telegram Bot API at {settings.telegram_api_base_url}: {error}"
        ) from None
    return 0


def upgrade_database(_: argparse.Namespace) -> int:
    """Apply all migrations."""
    settings = load_settings()
    upgrade_to_head(settings.database_url)
    print("Database is up to date.")
    return 0


def check_directory(arguments: argparse.Namespace) -> int:
    """Validate a directory file and summarise it."""
    path: Path = arguments.file or Settings().directory_file
    try:
        directory = load_directory(path)
    except DirectoryError as error:
        print(f"✗ {error}", file=sys.stderr)
        return 1
    unbound = [agency.code for agency in directory.agencies if agency.chat_id is None]
    print(
        f"✓ {path}: {directory.province.name}: {len(directory.agencies)} agencies, "
        f"{len(directory.localities)} localities, {len(directory.categories)} categories"
        + (" (SAMPLE: verify against the official list)" if directory.is_sample else "")
    )
    if unbound:
        print(f"  {len(unbound)} agencies have no chat_id yet; bind them with `pakn agency bind-code CODE`.")
    return 0


def _unknown_agency(agency_code: str) -> ConfigurationProblem:
    return ConfigurationProblem(f"unknown agency code {agency_code!r}; see `pakn directory check`")


def print_bind_code(arguments: argparse.Namespace) -> int:
    """Issue a one-time binding code for an agency's group."""

    async def issue(session: AsyncSession, services: Services) -> tuple[str, str]:
        try:
            bind_code = await create_bind_code(
                session=session,
                directory=services.directory,
                agency_code=arguments.agency_code,
                now=services.clock.now(),
                valid_for=timedelta(minutes=services.settings.bind_code_minutes),
                is_replacing=bool(getattr(arguments, "replace", False)),
            )
        except UnknownAgency:
            raise _unknown_agency(arguments.agency_code) from None
        return bind_code.code, format_datetime(bind_code.expires_at, "vi")

    code, expires = in_one_transaction(issue)
    print(f"Binding code: {code}  (one use, expires {expires})")
    print(f"Send this in the agency's Telegram group (the bot must be a member):  /bind {code}")
    return 0


def unbind_agency_group(arguments: argparse.Namespace) -> int:
    """Remove an agency's group binding so that the group (or a new one) can be bound again."""

    async def unbind(session: AsyncSession, services: Services) -> int:
        try:
            return await unbind_agency(
                session=session,
                directory=services.directory,
                agency_code=arguments.agency_code,
                now=services.clock.now(),
            )
        except UnknownAgency:
            raise _unknown_agency(arguments.agency_code) from None
        except NotBoundHere:
            raise ConfigurationProblem(
                f"{arguments.agency_code} has no group bound with /bind; a chat_id in the directory file "
                "is changed in that file"
            ) from None

    chat_id = in_one_transaction(unbind)
    logging.getLogger("pakn").warning("Administrator unbound %s from chat %s", arguments.agency_code, chat_id)
    print(
        f"✓ {arguments.agency_code} is no longer bound to chat {chat_id}; its items go to triage until a new /bind."
    )
    return 0


def list_failed_updates(arguments: argparse.Namespace) -> int:
    """Print parked updates: id, chat, when, attempts and the reason."""
    rows = in_one_transaction(lambda session, _: parked_updates(session, limit=arguments.limit))
    lines = [
        f"{row.update_id}\tchat {row.chat_id}\t{format_datetime(row.failed_at, 'vi') if row.failed_at else '?'}"
        f"\t{row.attempts} {'attempt' if row.attempts == 1 else 'attempts'}\t{row.last_error or ''}"
        for row in rows
    ]
    print("\n".join(lines) if lines else "No parked updates.")
    return 0


def retry_failed_update(arguments: argparse.Namespace) -> int:
    """Queue a parked update again."""
    if not in_one_transaction(lambda session, _: retry_parked(session, arguments.update_id)):
        raise ConfigurationProblem(
            f"no parked update has the id {arguments.update_id}; see `pakn inbox failed`"
        )
    print(f"Update {arguments.update_id} is queued again; the running bot handles it within a second.")
    return 0


def export_item(arguments: argparse.Namespace) -> int:
    """Write an item's whole history as a readable control slip."""

    async def export(session: AsyncSession, services: Services) -> str | None:
        return await render_control_slip(
            session=session, directory=services.directory, code=arguments.code, language=arguments.language
        )

    # An export reads the database as it is: it never migrates it.
    document = in_one_transaction(export, prepare=False)
    if document is None:
        raise ConfigurationProblem(f"no item has the code {arguments.code!r}")
    output: Path = arguments.output or Path(f"{arguments.code.upper()}.txt")
    output.write_text(document, encoding="utf-8")
    print(f"Control slip written to {output}")
    return 0


def write_report(arguments: argparse.Namespace) -> int:
    """Write the report for [--from, --to) as XLSX, CSV, PNG or text."""
    services = _services(load_settings())
    directory = services.directory
    unknown = [code for code in arguments.agency or [] if code not in directory.agencies_by_code]
    if unknown:
        raise ConfigurationProblem(
            f"unknown agency code(s): {', '.join(unknown)}; see `pakn directory check`"
        )
    try:
        period = ReportPeriod(arguments.first_day, arguments.end_day, ZoneInfo(directory.province.timezone))
    except ValueError as error:
        raise ConfigurationProblem(f"--to must be after --from ({error})") from None

    async def build(session: AsyncSession, services: Services) -> Report:
        return await build_report(
            session,
            directory=directory,
            calendar=services.calendar,
            period=period,
            now=services.clock.now(),
            agency_codes=tuple(arguments.agency) if arguments.agency else None,
        )

    # Drawn after the transaction: a chart takes a while, and on SQLite a transaction holds the write lock.
    report = in_one_transaction(build, services=services)
    language = arguments.language
    if arguments.format == "xlsx":
        content = render_workbook(report, directory, language)
    elif arguments.format == "csv":
        content = render_csv(report, directory, language)
    elif arguments.format == "png":
        content = render_chart(report, directory, language)
    else:
        content = plain_text(report, directory, language).encode("utf-8")
    if str(arguments.out) == "-":
        sys.stdout.buffer.write(content)
        return 0
    arguments.out.write_bytes(content)
    print(f"Report {period.first_day.isoformat()} – {period.last_day.isoformat()} written to {arguments.out}")
    return 0


def fill_demo(arguments: argparse.Namespace) -> int:
    """Fill the configured database with a simulated history, refusing one with real items."""
    if arguments.items < 1 or arguments.days < 1:
        raise ConfigurationProblem("--items and --days must be at least 1")

    async def fill(services: Services) -> str:
        async with transaction(services.session_factory) as session:
            real = await count_real_items(session)
        if real and not arguments.force:
            raise ConfigurationProblem(
                f"the database holds {real} real item(s); refusing to add a simulated history "
                "(use --force to add it anyway, or point DATABASE_URL at another database)"
            )
        summary = await simulate_history(
            session_factory=services.session_factory,
            directory=services.directory,
            calendar=services.calendar,
            items=arguments.items,
            days=arguments.days,
            now=services.clock.now(),
            seed=arguments.seed,
        )
        return (
            f"Simulated {summary.items} items over {arguments.days} days: {summary.answered} answered, "
            f"{summary.still_open} still open, {summary.transfers} transfers, {summary.disputes} disputes, "
            f"{summary.rejections} rejections, {summary.consultations} consultations, "
            f"{summary.reopened} reopened."
        )

    print(with_database(fill))
    return 0


def serve_web(_: argparse.Namespace) -> int:
    """Serve the public site and the Open311 API until stopped."""
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))
    asyncio.run(run_public_site(services))
    return 0


def create_api_key_command(arguments: argparse.Namespace) -> int:
    """Issue an Open311 key for a channel and print it once."""
    return _change_api_key(arguments.name, create=True)


def revoke_api_key_command(arguments: argparse.Namespace) -> int:
    """Revoke a channel's Open311 key."""
    return _change_api_key(arguments.name, create=False)


def _change_api_key(name: str, *, create: bool) -> int:
    async def change(session: AsyncSession, services: Services) -> str:
        now = services.clock.now()
        if create:
            key, plaintext = await create_api_key(session=session, name=name, now=now)
            return f"API key for channel {key.name} (shown once; only its hash is stored):\n{plaintext}"
        key = await revoke_api_key(session=session, name=name, now=now)
        return f"API key of channel {key.name} revoked."

    try:
        print(in_one_transaction(change))
    except ApiKeyProblem as problem:
        raise ConfigurationProblem(str(problem)) from None
    return 0
