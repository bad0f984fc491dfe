"""Notices the scheduler sends a citizen on its own: today, that an unrated answer was closed (DESIGN §9)."""

from __future__ import annotations

from datetime import datetime

from bot.texts import text
from bot.views.dates import format_date
from models.outbox import Message
from models.tables import Item


def auto_closed_notice(item: Item, *, answered_at: datetime, days: int, language: str) -> Message:
    """Tell the citizen that their answered item was closed after `days` days without a rating."""
    return Message(
        text(
            language,
            "auto_close.citizen",
            code=item.code,
            answered_at=format_date(answered_at, language),
            days=days,
        )
    )
