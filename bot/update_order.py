"""Updates in order per chat, several chats at once: python-telegram-bot's update processor for the inbox.

A chat's updates are handled one at a time, in the order they take their turn; updates of different
chats run concurrently, up to UPDATE_CONCURRENCY workers. The inbox (`bot/inbox.py`) takes an update's
turn before it asks for a worker, so an update waiting behind an earlier one of its chat holds no worker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Handle up to `max_concurrent_updates` updates at once, but one chat's updates one at a time.

    The inbox (the only way updates reach the handlers) takes an update's chat turn (`turn`) before it
    asks for a worker (`process_update`), so an update behind an earlier one of its chat never holds a
    worker while it waits.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: dict[int, int] = {}  # per chat: its updates in their turn or waiting for it

    @asynccontextmanager
    async def turn(self, update: object) -> AsyncIterator[None]:
        """Wait until no other update of this update's chat is in its turn, and hold the turn."""
        chat_id = _chat_of(update)
        if chat_id is None:
            yield
            return
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        self._chat_users[chat_id] = self._chat_users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._chat_users[chat_id] -= 1
            if not self._chat_users[chat_id]:  # forget idle chats, so the maps stay small
                del self._chat_users[chat_id], self._chat_locks[chat_id]

    def is_idle(self, chat_id: int) -> bool:
        """Tell whether no update of this chat is in its turn or waiting for it."""
        return chat_id not in self._chat_users

    async def process_within(
        self, update: object, work: Callable[[], Awaitable[None]], *, seconds: float
    ) -> bool:
        """Run `work` with a worker if one is free now or within `seconds`; False (not run) if none was."""
        if self.current_concurrent_updates < self.max_concurrent_updates:
            await self.process_update(update, work())  # a worker is free: taken without waiting
            return True
        if seconds <= 0:
            return False
        started = asyncio.Event()

        async def started_work() -> None:
            started.set()
            await work()

        coroutine = started_work()
        task = asyncio.ensure_future(self.process_update(update, coroutine))
        try:
            await asyncio.wait({task}, timeout=seconds)
        except asyncio.CancelledError:  # the caller is cancelled: so is its work, started or not
            task.cancel()
            if not started.is_set():
                coroutine.close()
            raise
        if not started.is_set():  # still waiting for a worker: give up before the work begins
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            coroutine.close()
            return False
        await task
        return True

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the work: `process_update` has taken a worker, the inbox the chat's turn."""
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _chat_of(update: object) -> int | None:
    """The chat whose order an update keeps: a python-telegram-bot Update's, or a ticket's `chat_id`."""
    if isinstance(update, Update):
        return update.effective_chat.id if update.effective_chat is not None else None
    chat_id = getattr(update, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None
