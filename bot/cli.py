"""The `pakn` command line: run the bot, migrate, check a directory, bind groups, export items, reports, demo.

This module only describes the commands; what they do is in bot/commands.py, imported once a
command is chosen, so that `pakn --help` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

EXIT_CONFIGURATION = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "command"):
        parser.print_help()
        return EXIT_CONFIGURATION
    # Deliberately lazy, for startup time: the commands import SQLAlchemy, PTB and aiohttp (about a second).
    from bot import commands

    try:
        return int(getattr(commands, arguments.command)(arguments) or 0)
    except commands.ConfigurationProblem as problem:
        print(f"pakn: {problem}", file=sys.stderr)
        return EXIT_CONFIGURATION
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    """Describe the commands."""
    parser = argparse.ArgumentParser(prog="pakn", description="pakn-bot: phản ánh, kiến nghị over Telegram")
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    run.set_defaults(command="run_bot")

    database = commands.add_parser("db", help="database migrations").add_subparsers(title="db commands")
    upgrade = database.add_parser("upgrade", help="apply all migrations")
    upgrade.set_defaults(command="upgrade_database")

    directory = commands.add_parser("directory", help="the province directory file").add_subparsers()
    check = directory.add_parser("check", help="validate a directory file")
    check.add_argument("file", type=Path, nargs="?", help="defaults to DIRECTORY_FILE")
    check.set_defaults(command="check_directory")

    agency = commands.add_parser("agency", help="agency groups").add_subparsers()
    bind_code = agency.add_parser("bind-code", help="print a one-time code that binds a group to an agency")
    bind_code.add_argument("agency_code", help="an agency code from the directory, or 'supervisors'")
    bind_code.add_argument(
        "--replace",
        action="store_true",
        help="let the code rebind a group that already serves another agency (recorded in the history)",
    )
    bind_code.set_defaults(command="print_bind_code")
    unbind = agency.add_parser("unbind", help="remove an agency's group binding (recorded in the history)")
    unbind.add_argument("agency_code", help="an agency code from the directory, or 'supervisors'")
    unbind.set_defaults(command="unbind_agency_group")

    add_inbox_commands(commands)
    add_web_commands(commands)

    item = commands.add_parser("item", help="items").add_subparsers()
    export = item.add_parser("export", help="write an item's control slip (phiếu kiểm soát)")
    export.add_argument("code")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: PA-XXXXXX.txt)")
    export.add_argument("--language", default="vi", choices=["vi", "en"])
    export.set_defaults(command="export_item")

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
    report.set_defaults(command="write_report")

    demo = commands.add_parser("demo", help="fill the database with a simulated history to look at")
    demo.add_argument("--items", type=int, default=500, help="how many items (default 500)")
    demo.add_argument("--days", type=int, default=90, help="over how many days until now (default 90)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--force", action="store_true", help="even if the database holds real items")
    demo.set_defaults(command="fill_demo")
    return parser


def add_web_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe `pakn web` and `pakn api-key create|revoke NAME`."""
    serve_site = commands.add_parser(
        "web", help="serve the public site and the Open311 API on WEB_LISTEN:WEB_PORT (no bot token needed)"
    )
    serve_site.set_defaults(command="serve_web")
    api_key = commands.add_parser("api-key", help="Open311 API keys, one per channel").add_subparsers()
    create = api_key.add_parser("create", help="issue a channel's key (printed once; only its hash is kept)")
    create.add_argument("name", help="the channel, e.g. cong-thong-tin or tong-dai")
    create.set_defaults(command="create_api_key_command")
    revoke = api_key.add_parser("revoke", help="revoke a channel's key at once")
    revoke.add_argument("name")
    revoke.set_defaults(command="revoke_api_key_command")


def add_inbox_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe `pakn inbox failed` and `pakn inbox retry ID`."""
    inbox = commands.add_parser("inbox", help="stored Telegram updates").add_subparsers()
    failed = inbox.add_parser("failed", help="list updates that were parked after failing")
    failed.add_argument("--limit", type=int, default=50)
    failed.set_defaults(command="list_failed_updates")
    retry = inbox.add_parser("retry", help="put a parked update back in the queue (the bot handles it again)")
    retry.add_argument("update_id", type=int)
    retry.set_defaults(command="retry_failed_update")


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-01") from None


if __name__ == "__main__":
    sys.exit(main())
