"""The long-lived things every handler and job needs, built once by the entry point."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.callbacks import CallbackSigner
from bot.settings import Settings
from models.clock import Clock
from models.db import SessionFactory
from models.directory import Directory
from models.working_time import WorkingCalendar


@dataclass
class Services:
    """Settings, directory, calendar, clock and database access, shared by handlers and jobs."""

    settings: Settings
    directory: Directory
    calendar: WorkingCalendar
    clock: Clock
    engine: AsyncEngine
    session_factory: SessionFactory
    signer: CallbackSigner
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    inbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # (chat_id, telegram_user_id) → (when Telegram answered, the member status it gave)
    member_cache: dict[tuple[int, int], tuple[datetime, str]] = field(default_factory=dict)
