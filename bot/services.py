"""The long-lived things every handler and job needs, built once by the entry point."""

from __future__ import annotations

import asyncio
import builtins
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.callbacks import CallbackSigner
from bot.settings import Settings
from models.clock import Clock
from models.db import SessionFactory
from models.directory import Directory
from models.working_time import WorkingCalendar

MembershipFetcher = Callable[[int, int], Awaitable[str]]  # (chat_id, telegram_user_id) → member status


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
    outbox_wakeup: OutboxWakeup = field(default_factory=lambda: OutboxWakeup())
    inbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # (chat_id, telegram_user_id) → (when Telegram answered, the member status it gave)
    member_cache: dict[tuple[int, int], tuple[datetime, str]] = field(default_factory=dict)
    delivery_counters: DeliveryCounters = field(default_factory=DeliveryCounters)
    # SQLite has one writer at a time: this instance's writers queue here instead of polling the
    # file lock (whose busy handler sleeps up to 100 ms between tries); intake goes first.
    sqlite_writes: WriteGate = field(default_factory=lambda: WriteGate())
    # Updates this instance just stored, so the inbox need not look for them nor read them back:
    # (update_id, chat_id, the committed JSON or None when too many wait to keep them all in memory).
    inbox_arrivals: deque[tuple[int, int | None, dict[str, Any] | None]] = field(default_factory=deque)
    # Asks Telegram for a user's status in a chat (outside any transaction); set by the application
    # factory, so that the inbox needs no handler module.
    fetch_membership: MembershipFetcher | None = None


class OutboxWakeup(asyncio.Event):
    """Wakes the outbox loop after a commit that may have queued messages, and keeps which chats got some.

    A waker that names the chats (`set(chat_ids)`, even none) lets the loop skip a pass when each of
    them is held back by Telegram's limits anyway: the pass would find nothing it may send before the
    wait it already keeps. A waker that names none (`set()`) always gets a pass.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chats: builtins.set[int] = builtins.set()
        self._names_chats = True

    def set(self, chat_ids: Iterable[int] | None = None) -> None:
        """Wake the loop; `chat_ids` are the chats that got messages, if the waker knows them all."""
        if chat_ids is None:
            self._names_chats = False
        else:
            self._chats.update(chat_ids)
        super().set()

    def take(self) -> builtins.set[int] | None:
        """Clear the wakeup; return the chats named since the last take, or None if some waker named none."""
        chats = self._chats if self._names_chats else None
        self._chats = builtins.set()
        self._names_chats = True
        self.clear()
        return chats


class WriteGate:
    """One writer at a time, and writers that acknowledge Telegram (intake) before all others."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._intake_waiting = 0
        self._no_intake_waiting = asyncio.Event()
        self._no_intake_waiting.set()
        self._writers = 0  # of both kinds, holding the gate or waiting for it

    @asynccontextmanager
    async def intake(self) -> AsyncIterator[None]:
        """Write ahead of every ordinary writer still waiting: Telegram is waiting for the answer."""
        self._intake_waiting += 1
        self._writers += 1
        self._no_intake_waiting.clear()
        try:
            async with self._lock:
                yield
        finally:
            self._writers -= 1
            self._intake_waiting -= 1
            if not self._intake_waiting:
                self._no_intake_waiting.set()

    def writers(self) -> int:
        """Count the writers that hold the gate or wait for it: a new ordinary one goes after them."""
        return self._writers

    @asynccontextmanager
    async def ordinary(self) -> AsyncIterator[None]:
        """Write once no intake is waiting."""
        self._writers += 1
        try:
            while True:
                await self._no_intake_waiting.wait()
                await self._lock.acquire()
                if not self._intake_waiting:
                    break
                self._lock.release()  # an intake arrived while this one queued: let it go first
            try:
                yield
            finally:
                self._lock.release()
        finally:
            self._writers -= 1
