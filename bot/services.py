"""The long-lived things every handler and job needs, built once by the entry point."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.callbacks import CallbackSigner
from bot.settings import Settings
from models.clock import Clock
from models.db import SessionFactory
from models.directory import Directory
from models.working_time import WorkingCalendar


@dataclass
class DeliveryCounters:
    """What this instance's outbox sender did since it started, for /readyz and the logs."""

    is_sender: bool = False
    takeovers: int = 0
    resends: int = 0  # calls repeated because the answer to the previous one was lost
    unconfirmed: int = 0  # messages given up on after their resends: Telegram probably has them


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
    member_cache: dict[tuple[int, int], tuple[float, str]] = field(default_factory=dict)
    delivery_counters: DeliveryCounters = field(default_factory=DeliveryCounters)
