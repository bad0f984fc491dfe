"""The `pakn` command line: run the bot, migrate, check a directory, bind groups, export items, reports, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.services import Services

T = TypeVar("T")
EXIT_CONFIGURATION = 2
TOKEN_HELP = (
    "BOT_TOKEN is not set. Get a token from @BotFather in Telegram (send /newbot), then put "
    "BOT_TOKEN=<token> in a .env file in this folder (copy .env.example) or in the environment."
)


class ConfigurationProblem(Exception):
    """Something the administrator must fix; shown as one line, without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "handler"):
        parser.print_help()
        return EXIT_CONFIGURATION
    try:
        return int(arguments.handler(arguments) or 0)
    except ConfigurationProblem as problem:
        print(f"pakn: {problem}", file=sys.stderr)
        return EXIT_CONFIGURATION
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    """Describe the commands."""
    parser = argparse.ArgumentParser(prog="pakn", description="pakn-bot: phản ánh, kiến nghị over Telegram")
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    run.set_defaults(handler=run_bot)

    database = commands.add_parser("db", help="database migrations").add_subparsers(title="db commands")
    upgrade = database.add_parser("upgrade", help="apply all migrations")
    upgrade.set_defaults(handler=upgrade_database)

    directory = commands.add_parser("directory", help="the province directory file").add_subparsers()
    check = directory.add_parser("check", help="validate a directory file")
    check.add_argument("file", type=Path, nargs="?", help="defaults to DIRECTORY_FILE")
    check.set_defaults(handler=check_directory)

    agency = commands.add_parser("agency", help="agency groups").add_subparsers()
    bind_code = agency.add_parser("bind-code", help="print a one-time code that binds a group to an agency")
    bind_code.add_argument("agency_code", help="an agency code from the directory, or 'supervisors'")
    bind_code.add_argument(
        "--replace",
        action="store_true",
        help="let the code rebind a group that already serves another agency (recorded in the history)",
    )
    bind_code.set_defaults(handler=print_bind_code)
    unbind = agency.add_parser("unbind", help="remove an agency's group binding (recorded in the history)")
    unbind.add_argument("agency_code", help="an agency code from the directory, or 'supervisors'")
    unbind.set_defaults(handler=unbind_agency_group)

    add_inbox_commands(commands)
    add_web_commands(commands)

    item = commands.add_parser("item", help="items").add_subparsers()
    export = item.add_parser("export", help="write an item's control slip (phiếu kiểm soát)")
    export.add_argument("code")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: PA-XXXXXX.txt)")
    export.add_argument("--language", default="vi", choices=["vi", "en"])
    export.set_defaults(handler=export_item)

    report = commands.add_parser("report", help="write the accountability report for a period")
    report.add_argument(
        "--from", dest="first_day", required=True, type=_iso_date, help="first day, YYYY-MM-DD"
    )
    report.add_argument(
        "--to", dest="end_day", required=True, type=_iso_date, help="the day after the last, YYYY-MM-DD"
    )
    report.add_argument("--format", choices=["xlsx", "csv", "png", "text"], default="xlsx")
    report.add_argument("--out", type=Path, required=True, help="file to write ('-' for text on stdout)")
    report.add_argument("--agency", action="append", help="only this agency (repeat for several)")
    report.add_argument("--language", default="vi", choices=["vi", "en"])
    report.set_defaults(handler=write_report)

    demo = commands.add_parser("demo", help="fill the database with a simulated history to look at")
    demo.add_argument("--items", type=int, default=500, help="how many items (default 500)")
    demo.add_argument("--days", type=int, default=90, help="over how many days until now (default 90)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--force", action="store_true", help="even if the database holds real items")
    demo.set_defaults(handler=fill_demo)
    return parser


def add_web_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe `pakn web` and `pakn api-key create|revoke NAME`."""
    serve_site = commands.add_parser(
        "web", help="serve the public site and the Open311 API on WEB_LISTEN:WEB_PORT (no bot token needed)"
    )
    serve_site.set_defaults(handler=serve_web)
    api_key = commands.add_parser("api-key", help="Open311 API keys, one per channel").add_subparsers()
    create = api_key.add_parser("create", help="issue a channel's key (printed once; only its hash is kept)")
    create.add_argument("name", help="the channel, e.g. cong-thong-tin or tong-dai")
    create.set_defaults(handler=create_api_key_command)
    revoke = api_key.add_parser("revoke", help="revoke a channel's key at once")
    revoke.add_argument("name")
    revoke.set_defaults(handler=revoke_api_key_command)


def add_inbox_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe `pakn inbox failed` and `pakn inbox retry ID`."""
    inbox = commands.add_parser("inbox", help="stored Telegram updates").add_subparsers()
    failed = inbox.add_parser("failed", help="list updates that were parked after failing")
    failed.add_argument("--limit", type=int, default=50)
    failed.set_defaults(handler=list_failed_updates)
    retry = inbox.add_parser("retry", help="put a parked update back in the queue (the bot handles it again)")
    retry.add_argument("update_id", type=int)
    retry.set_defaults(handler=retry_failed_update)


def list_failed_updates(arguments: argparse.Namespace) -> int:
    """Print parked updates: id, chat, when, attempts and the reason."""
    from bot.inbox import parked_updates
    from bot.views.dates import format_datetime

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
    from bot.inbox import retry_parked

    if not in_one_transaction(lambda session, _: retry_parked(session, arguments.update_id)):
        raise ConfigurationProblem(
            f"no parked update has the id {arguments.update_id}; see `pakn inbox failed`"
        )
    print(f"Update {arguments.update_id} is queued again; the running bot handles it within a second.")
    return 0


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-01") from None


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
    from bot.logging_privacy import install_log_masking

    install_log_masking()
    if settings.log_level == "DEBUG":
        logging.getLogger("pakn").warning(
            "LOG_LEVEL=DEBUG is for development only: it logs every update and Bot API call "
            "(masked, but still more than a production log should hold)"
        )
    return settings


def _services(settings: Settings) -> Services:
    from bot.application import build_services
    from models.directory import DirectoryError

    try:
        return build_services(settings)
    except DirectoryError as error:
        raise ConfigurationProblem(f"directory file: {error}") from None


def run_bot(_: argparse.Namespace) -> int:
    """Run the bot until it is stopped."""
    settings = load_settings()
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise ConfigurationProblem(TOKEN_HELP)
    services = _services(settings)
    from telegram.error import InvalidToken, NetworkError

    from bot.application import build_application
    from bot.runner import serve

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


async def _prepare_database(settings: Settings) -> None:
    from models.migrations import upgrade_to_head

    if settings.is_sqlite:
        await asyncio.to_thread(upgrade_to_head, settings.database_url)
        return
    from models.migrations.status import is_at_head

    if not await asyncio.to_thread(is_at_head, settings.database_url):
        raise ConfigurationProblem("the database schema is not up to date: run `pakn db upgrade` first")


def upgrade_database(_: argparse.Namespace) -> int:
    """Apply all migrations."""
    settings = load_settings()
    from models.migrations import upgrade_to_head

    upgrade_to_head(settings.database_url)
    print("Database is up to date.")
    return 0


def check_directory(arguments: argparse.Namespace) -> int:
    """Validate a directory file and summarise it."""
    from models.directory import DirectoryError, load_directory

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


def print_bind_code(arguments: argparse.Namespace) -> int:
    """Issue a one-time binding code for an agency's group."""
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))

    async def issue() -> tuple[str, str]:
        from bot.views.dates import format_datetime
        from models.agencies import UnknownAgency, create_bind_code
        from models.db import transaction

        try:
            async with transaction(services.session_factory) as session:
                bind_code = await create_bind_code(
                    session=session,
                    directory=services.directory,
                    agency_code=arguments.agency_code,
                    now=services.clock.now(),
                    valid_for=timedelta(minutes=settings.bind_code_minutes),
                    is_replacing=bool(getattr(arguments, "replace", False)),
                )
        except UnknownAgency:
            raise ConfigurationProblem(
                f"unknown agency code {arguments.agency_code!r}; see `pakn directory check`"
            ) from None
        finally:
            await services.engine.dispose()
        return bind_code.code, format_datetime(bind_code.expires_at, "vi")

    code, expires = asyncio.run(issue())
    print(f"Binding code: {code}  (one use, expires {expires})")
    print(f"Send this in the agency's Telegram group (the bot must be a member):  /bind {code}")
    return 0


def unbind_agency_group(arguments: argparse.Namespace) -> int:
    """Remove an agency's group binding so that the group (or a new one) can be bound again."""
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))

    async def unbind() -> int:
        from models.agencies import NotBoundHere, UnknownAgency, unbind_agency
        from models.db import transaction

        try:
            async with transaction(services.session_factory) as session:
                return await unbind_agency(
                    session=session,
                    directory=services.directory,
                    agency_code=arguments.agency_code,
                    now=services.clock.now(),
                )
        except UnknownAgency:
            raise ConfigurationProblem(
                f"unknown agency code {arguments.agency_code!r}; see `pakn directory check`"
            ) from None
        except NotBoundHere:
            raise ConfigurationProblem(
                f"{arguments.agency_code} has no group bound with /bind; a chat_id in the directory file "
                "is changed in that file"
            ) from None
        finally:
            await services.engine.dispose()

    chat_id = asyncio.run(unbind())
    logging.getLogger("pakn").warning("Administrator unbound %s from chat %s", arguments.agency_code, chat_id)
    print(
        f"✓ {arguments.agency_code} is no longer bound to chat {chat_id}; its items go to triage until a new /bind."
    )
    return 0


def export_item(arguments: argparse.Namespace) -> int:
    """Write an item's whole history as a readable control slip."""
    settings = load_settings()
    services = _services(settings)

    async def export() -> str | None:
        from bot.views.control_slip import render_control_slip
        from models.db import transaction

        try:
            async with transaction(services.session_factory) as session:
                return await render_control_slip(
                    session=session,
                    directory=services.directory,
                    code=arguments.code,
                    language=arguments.language,
                )
        finally:
            await services.engine.dispose()

    document = asyncio.run(export())
    if document is None:
        raise ConfigurationProblem(f"no item has the code {arguments.code!r}")
    output: Path = arguments.output or Path(f"{arguments.code.upper()}.txt")
    output.write_text(document, encoding="utf-8")
    print(f"Control slip written to {output}")
    return 0


def write_report(arguments: argparse.Namespace) -> int:
    """Write the report for [--from, --to) as XLSX, CSV, PNG or text."""
    from zoneinfo import ZoneInfo

    from models.statistics import ReportPeriod

    settings = load_settings()
    services = _services(settings)
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
    asyncio.run(_prepare_database(settings))

    async def build() -> bytes:
        from bot.views import reports as views
        from models.db import transaction
        from models.statistics import build_report

        try:
            async with transaction(services.session_factory) as session:
                report = await build_report(
                    session,
                    directory=directory,
                    calendar=services.calendar,
                    period=period,
                    now=services.clock.now(),
                    agency_codes=tuple(arguments.agency) if arguments.agency else None,
                )
        finally:
            await services.engine.dispose()
        language = arguments.language
        if arguments.format == "xlsx":
            return views.render_workbook(report, directory, language)
        if arguments.format == "csv":
            return views.render_csv(report, directory, language)
        if arguments.format == "png":
            return views.render_chart(report, directory, language)
        return views.plain_text(report, directory, language).encode("utf-8")

    content = asyncio.run(build())
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
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))

    async def fill() -> str:
        from models.db import transaction
        from models.demo import count_real_items, simulate_history

        try:
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
        finally:
            await services.engine.dispose()
        return (
            f"Simulated {summary.items} items over {arguments.days} days: {summary.answered} answered, "
            f"{summary.still_open} still open, {summary.transfers} transfers, {summary.disputes} disputes, "
            f"{summary.rejections} rejections, {summary.consultations} consultations, "
            f"{summary.reopened} reopened."
        )

    print(asyncio.run(fill()))
    return 0


def serve_web(_: argparse.Namespace) -> int:
    """Serve the public site and the Open311 API until stopped."""
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))
    from bot.web.app import run_public_site

    asyncio.run(run_public_site(services))
    return 0


def create_api_key_command(arguments: argparse.Namespace) -> int:
    """Issue an Open311 key for a channel and print it once."""
    return _change_api_key(arguments.name, create=True)


def revoke_api_key_command(arguments: argparse.Namespace) -> int:
    """Revoke a channel's Open311 key."""
    return _change_api_key(arguments.name, create=False)


def _change_api_key(name: str, *, create: bool) -> int:
    from models.api_keys import ApiKeyProblem, create_api_key, revoke_api_key

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


def in_one_transaction(work: Callable[[AsyncSession, Services], Awaitable[T]]) -> T:
    """Prepare the configured database, run `work` in one transaction, then close the engine."""
    settings = load_settings()
    services = _services(settings)
    asyncio.run(_prepare_database(settings))

    async def run() -> T:
        from models.db import transaction

        try:
            async with transaction(services.session_factory) as session:
                return await work(session, services)
        finally:
            await services.engine.dispose()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
