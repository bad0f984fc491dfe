"""The inbox: updates are stored before they are acknowledged, then handled once, in order per chat.

    stored (webhook or polling) ─► pending ─► claimed by one worker ─► handled (processed_at)
                                     │            │ handler fails: retried at once, up to
                                     │            │ UPDATE_MAX_ATTEMPTS, then parked
                                     │            └ PTB cannot parse it: parked at once
                                     └ `pakn inbox retry ID` puts a parked update back here

Updates of different chats are handled concurrently (UPDATE_CONCURRENCY workers, through
python-telegram-bot's update processor); one chat's updates run one at a time, oldest first. A parked
update (failed_at) is settled, so it never blocks the updates behind it. No Bot API call runs inside an
update's transaction: membership is fetched before it, callback answers are sent after the commit.

An update that arrives by webhook while its chat has nothing waiting or running, a worker is free (on
PostgreSQL: within a second) and (on SQLite) only a few writers are at the write gate, is handled on
arrival: it is stored as handled in the very transaction of its handler, which saves a transaction,
the claim and the hand-over to a worker. Whenever that is not so, or the handler fails or needs a
membership fetched first, the update is stored as pending, still in its chat's turn, and the inbox
loop takes it as above: handling on arrival is a shortcut, never a second set of rules.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application

from bot.context import AfterCommit, MembershipNeeded, UnitOfWork, current_unit_of_work, services_of
from bot.logging_privacy import mask_personal_data
from bot.services import Services
from bot.texts import text
from bot.update_order import ChatOrderedUpdateProcessor
from models.db import READ_ONLY, dialect_name
from models.inbox_queue import (
    chat_id_of,
    claim_statements,
    handled_payload,
    private_sender_of,
    store_handled_statement,
    store_raw_update,
    valid_update_id,
)
from models.outbox import Message, Outbox
from models.personal_text import clean_json
from models.private_arrival import PrivateArrival, arrive_from_private_chat
from models.tables import Citizen, InboxUpdate
from models.throttling import per_minute_budget

logger = logging.getLogger(__name__)

# The updates the bot asks Telegram for, in polling and webhook mode alike; the inbox handles these kinds.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]

FULL_LOOK_SECONDS = 1.0  # updates stored by other processes (or `pakn inbox retry`) wait at most this
PAYLOADS_KEPT_IN_MEMORY = 1000  # arrivals beyond this many waiting are read back from the database
MAX_MEMBERSHIP_FETCHES = 4  # distinct (chat, user) answers one update may need
# On SQLite: an update is handled on arrival only while fewer writers than this are at the write gate
# (each holds it a few ms, so the webhook waits tens of ms at most; behind more, storing answers sooner).
# Handling it is ordinary writing, in turn with the inbox loop and the outbox, which it must not starve.
MAX_WRITERS_AHEAD = 8
# On PostgreSQL an arrival whose chat is idle waits this long at most for a free worker, then is stored
# for the loop. Handled on arrival, an update costs one transaction instead of two, so in a burst the
# workers get through more; Telegram waits for the webhook's answer far longer than this. On SQLite an
# arrival takes a worker only if one is free at once: the webhook must answer within 200 ms, and the
# write gate serialises the work anyway.
POSTGRESQL_ARRIVAL_WORKER_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class InboxTicket:
    """A stored update waiting for a worker: its id, the chat whose order it keeps, and maybe its JSON.

    `payload` is the committed JSON when this instance just stored the update (so it need not be read
    back); None when the update was found in the database.
    """

    update_id: int
    chat_id: int | None
    payload: dict[str, Any] | None = field(default=None, compare=False, repr=False)


class UnparseableUpdate(Exception):
    """python-telegram-bot cannot turn the stored JSON into an Update."""


@dataclass
class _Handled:
    after_commit: list[AfterCommit]
    outbox_chats: set[int]  # the chats the update queued messages for


class InboxProcessor:
    """Hand stored updates to workers, in order per chat; each is handled in one transaction."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application
        self._services = services_of(application)
        self._is_sqlite = self._services.settings.is_sqlite
        self._arrival_worker_wait = 0.0 if self._is_sqlite else POSTGRESQL_ARRIVAL_WORKER_WAIT_SECONDS
        self._looked_at = -FULL_LOOK_SECONDS  # when the database was last searched for pending updates
        self._finishing: set[asyncio.Task[None]] = set()  # after-commit work of updates handled on arrival
        # Called with an update's id once its work is done, after-commit actions included (benchmarks).
        self.on_handled: Callable[[int], None] | None = None

    async def handle_arrival(self, payload: dict[str, Any]) -> bool:
        """Handle an update as it arrives, in the transaction that stores it; else store it as pending.

        Returns True when it was handled and committed, False when it was stored (or was known) for
        the inbox loop. Either way it is in the database when this returns, so Telegram may get its 200.
        """
        payload = clean_json(payload)
        ticket = InboxTicket(valid_update_id(payload), chat_id_of(payload), payload)
        processor = self._processor
        if not self._can_handle_at_once(ticket):
            await store_in_inbox(self._services, [payload])
            return False
        handled: _Handled | None = None

        async def handle() -> None:
            nonlocal handled
            try:
                handled = await self._attempt(ticket, {}, on_arrival=True)
            except MembershipNeeded:
                pass  # fetched by the inbox loop, outside any transaction
            except SQLAlchemyError:
                raise  # the database is down: storing fails too, and Telegram retries
            except Exception as error:  # rolled back; the loop retries it and records the failure
                logger.info("Update %s could not be handled on arrival (%s); queued", ticket.update_id, error)

        async with processor.turn(ticket):  # stored in its turn too: no later update of the chat overtakes it
            await processor.process_within(ticket, handle, seconds=self._arrival_worker_wait)
            if handled is None:
                await store_in_inbox(self._services, [payload])
                return False
        task = asyncio.ensure_future(self._finish(ticket, handled))
        self._finishing.add(task)
        task.add_done_callback(self._finishing.discard)
        return True

    @property
    def _processor(self) -> ChatOrderedUpdateProcessor:
        processor = self._application.update_processor
        if not isinstance(processor, ChatOrderedUpdateProcessor):
            raise TypeError("the inbox needs an application built with a ChatOrderedUpdateProcessor")
        return processor

    def _can_handle_at_once(self, ticket: InboxTicket) -> bool:
        processor = self._processor
        if ticket.chat_id is None:
            return False
        if self._is_sqlite and self._services.sqlite_writes.writers() >= MAX_WRITERS_AHEAD:
            return False  # the webhook would wait for all of them: storing alone answers sooner
        return processor.is_idle(ticket.chat_id)

    async def finish_handled_on_arrival(self) -> None:
        """Wait for the after-commit work of updates handled on arrival (at shutdown)."""
        while self._finishing:
            await asyncio.gather(*self._finishing, return_exceptions=True)

    async def _finish(self, ticket: InboxTicket, handled: _Handled) -> None:
        """Run what waits for an update's commit: wake the outbox, answer the button press."""
        self._services.outbox_wakeup.set(handled.outbox_chats)
        for action in handled.after_commit:
            await action()
        if self.on_handled is not None:
            self.on_handled(ticket.update_id)

    async def process_pending(
        self, *, limit: int = 500, should_stop: Callable[[], bool] | None = None
    ) -> int:
        """Handle waiting updates (and those arriving meanwhile) up to `limit`; return how many settled."""
        services = self._services
        processor = self._processor
        concurrency = processor.max_concurrent_updates
        waiting: list[InboxTicket] = []  # oldest first
        known: set[int] = set()
        busy_chats: set[int] = set()
        running: dict[asyncio.Task[bool], InboxTicket] = {}
        failures: list[BaseException] = []
        settled = 0
        last_seen: int | None = None
        loop = asyncio.get_running_loop()
        # Look in the database at the start of a pass (at most every FULL_LOOK_SECONDS while this
        # instance's own intake keeps it informed), and again when a look was cut at its limit.
        has_more = not services.inbox_arrivals or loop.time() - self._looked_at >= FULL_LOOK_SECONDS
        wakeup: asyncio.Task[Any] | None = None

        def add(ticket: InboxTicket) -> None:
            if ticket.update_id not in known and len(known) < limit:
                known.add(ticket.update_id)
                bisect.insort(waiting, ticket, key=lambda waiting_ticket: waiting_ticket.update_id)

        try:
            while True:
                stopping = should_stop is not None and should_stop()
                if stopping:
                    waiting.clear()
                else:
                    if services.inbox_wakeup.is_set():
                        services.inbox_wakeup.clear()  # set again by every update stored meanwhile
                    while services.inbox_arrivals and len(known) < limit:
                        add(InboxTicket(*services.inbox_arrivals.popleft()))
                    if has_more and not waiting and len(known) < limit:
                        wanted = limit - len(known)
                        batch = await self._pending_tickets(after=last_seen, limit=wanted)
                        if last_seen is None:
                            self._looked_at = loop.time()
                        for ticket in batch:
                            add(ticket)
                            last_seen = ticket.update_id
                        has_more = len(batch) == wanted
                self._launch(waiting, busy_chats, running, concurrency, processor)
                if not running:
                    break
                watched: list[asyncio.Future[Any]] = list(running)
                if not stopping and len(known) < limit:  # new arrivals may start while these run
                    if wakeup is None or wakeup.done():
                        wakeup = asyncio.ensure_future(services.inbox_wakeup.wait())
                    watched.append(wakeup)
                done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    ticket_done = running.pop(task, None)  # type: ignore[call-overload]
                    if ticket_done is None:
                        continue  # the wakeup: new updates were stored
                    if ticket_done.chat_id is not None:
                        busy_chats.discard(ticket_done.chat_id)
                    if task.exception() is not None:
                        failures.append(task.exception())  # type: ignore[arg-type]
                    elif task.result():
                        settled += 1
        finally:
            if wakeup is not None:
                wakeup.cancel()
            if running:  # only when cancelled: let the updates in hand finish
                await asyncio.gather(*running, return_exceptions=True)
        if services.inbox_arrivals and not (should_stop is not None and should_stop()):
            services.inbox_wakeup.set()  # arrivals beyond the limit: the next pass starts at once
        if failures:
            raise failures[0]
        return settled

    def _launch(
        self,
        waiting: list[InboxTicket],
        busy_chats: set[int],
        running: dict[asyncio.Task[bool], InboxTicket],
        concurrency: int,
        processor: ChatOrderedUpdateProcessor,
    ) -> None:
        """Start the oldest waiting update of every idle chat, up to the concurrency."""
        blocked: set[int] = set()
        for ticket in list(waiting):
            if len(running) >= concurrency:
                return
            if ticket.chat_id is not None and (ticket.chat_id in busy_chats or ticket.chat_id in blocked):
                blocked.add(ticket.chat_id)  # later updates of a busy chat wait behind it
                continue
            waiting.remove(ticket)
            if ticket.chat_id is not None:
                busy_chats.add(ticket.chat_id)
            running[asyncio.ensure_future(self._through(processor, ticket))] = ticket

    async def _through(self, processor: ChatOrderedUpdateProcessor, ticket: InboxTicket) -> bool:
        """Handle a ticket through python-telegram-bot's update processor; True if it settled."""
        settled = False

        async def work() -> None:
            nonlocal settled
            settled = await self.handle(ticket)

        async with processor.turn(ticket):
            await processor.process_update(ticket, work())
        return settled

    async def _pending_tickets(self, *, after: int | None, limit: int) -> list[InboxTicket]:
        statement = (
            select(InboxUpdate.update_id, InboxUpdate.chat_id)
            .where(col(InboxUpdate.processed_at).is_(None))
            .order_by(col(InboxUpdate.update_id))
            .limit(limit)
        )
        if after is not None:
            statement = statement.where(col(InboxUpdate.update_id) > after)
        async with self._services.session_factory() as session:
            await session.connection(execution_options={READ_ONLY: True})
            rows = (await session.exec(statement)).all()
            await session.commit()
        return [InboxTicket(update_id, chat_id) for update_id, chat_id in rows]

    async def handle(self, ticket: InboxTicket) -> bool:
        """Handle one stored update: retry a failing handler, park it in the end; True if it settled."""
        services = self._services
        memberships: dict[tuple[int, int], str] = {}
        while True:
            try:
                outcome = await self._attempt(ticket, memberships)
            except MembershipNeeded as needed:
                if len(memberships) >= MAX_MEMBERSHIP_FETCHES:
                    if await self._record_failure(ticket.update_id, needed):
                        return True
                    continue
                if services.fetch_membership is None:
                    raise RuntimeError("the application factory sets Services.fetch_membership") from needed
                key = (needed.chat_id, needed.telegram_user_id)
                memberships[key] = await services.fetch_membership(*key)
                continue
            except UnparseableUpdate as error:
                logger.error("Update %s cannot be parsed; parked: %s", ticket.update_id, error.__cause__)
                await self._record_failure(ticket.update_id, error, park=True)
                return True
            except Exception as error:  # the handler's changes are rolled back; record the failure
                logger.error("Update %s failed: %s", ticket.update_id, error, exc_info=error)
                if await self._record_failure(ticket.update_id, error):
                    return True
                continue
            if outcome is None:
                return False  # handled already, or another instance has this chat in hand
            await self._finish(ticket, outcome)
            return True

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """Take turns with this instance's other SQLite writers, after storing (PostgreSQL locks rows)."""
        if self._is_sqlite:
            async with self._services.sqlite_writes.ordinary():
                yield
        else:
            yield

    async def _attempt(
        self, ticket: InboxTicket, memberships: dict[tuple[int, int], str], *, on_arrival: bool = False
    ) -> _Handled | None:
        services = self._services
        async with self._writing():
            now = services.clock.now()
            session = services.session_factory()
            try:
                async with session.begin():
                    arrival: PrivateArrival | None = None
                    if on_arrival:
                        payload, arrival = await self._store_handled(session, ticket, now)
                    else:
                        payload = await self._claim(session, ticket, now)
                    if payload is None:
                        return None
                    try:
                        update = Update.de_json(payload, self._application.bot)
                    except Exception as error:
                        raise UnparseableUpdate(f"{type(error).__name__}: {error}") from error
                    unit = UnitOfWork(
                        session=session,
                        now=now,
                        outbox=Outbox(session, now),
                        memberships=memberships,
                        private_arrival=arrival,
                    )
                    token = current_unit_of_work.set(unit)
                    try:
                        await self._application.process_update(update)
                    finally:
                        current_unit_of_work.reset(token)
                    if unit.error is not None:
                        raise unit.error
                return _Handled(unit.after_commit, {row.chat_id for row in unit.outbox.queued})
            finally:
                await session.close()

    async def _claim(
        self, session: AsyncSession, ticket: InboxTicket, now: datetime
    ) -> dict[str, Any] | None:
        """Take the update if it is still pending and no older update of its chat is; return its JSON.

        The update is marked handled in the same statement: the mark commits with the handler's work
        or rolls back with it. The raw update held names, texts and the card an officer pressed, so
        only its id is kept. Two statements at most, no ORM object: this runs for every update.
        """
        select_payload, mark_handled = claim_statements(locking=dialect_name(session) == "postgresql")
        payload = ticket.payload
        if payload is None:
            payload = (
                await session.exec(select_payload, params={"claimed_update_id": ticket.update_id})
            ).first()
            if payload is None:
                return None
        result = await session.exec(
            mark_handled,
            params={
                "claimed_update_id": ticket.update_id,
                "now": now,
                "handled": handled_payload(ticket.update_id),
            },
        )
        if not getattr(result, "rowcount", 0):
            return None  # handled already, an older update of its chat waits, or another instance has it
        return payload

    async def _store_handled(
        self, session: AsyncSession, ticket: InboxTicket, now: datetime
    ) -> tuple[dict[str, Any] | None, PrivateArrival | None]:
        """Store a new update as handled, unless its chat has an update waiting; return its JSON.

        One statement: the row commits with the handler's work or rolls back with it. The JSON is None
        when the update is known already or its chat has a pending update (then it is stored as
        pending). On PostgreSQL a private update's statement also counts it against its sender's flood
        budget and loads the sender's records (`models.private_arrival`), returned second.
        """
        sender_id = None if self._is_sqlite else private_sender_of(ticket.payload or {})
        if sender_id is not None:
            settings = self._services.settings
            arrival = await arrive_from_private_chat(
                session,
                update_id=ticket.update_id,
                sender_id=sender_id,
                budget=per_minute_budget(
                    settings.private_messages_per_minute, settings.private_flood_pause_minutes
                ),
                now=now,
            )
            return (ticket.payload, arrival) if arrival.is_stored else (None, None)
        result = await session.exec(
            store_handled_statement(dialect_name(session)),
            params={
                "arrived_update_id": ticket.update_id,
                "arrived_chat_id": ticket.chat_id,
                "now": now,
                "handled": handled_payload(ticket.update_id),
            },
        )
        return (ticket.payload if getattr(result, "rowcount", 0) else None), None

    async def purge_processed(self, *, older_than: datetime) -> int:
        """Delete raw updates settled before an instant (they hold personal data); return how many.

        They are kept long enough to recognise every redelivery: Telegram keeps an update 24 hours.
        Parked updates go too: an administrator has the same retention to look at them.
        """
        async with self._writing(), self._services.session_factory() as session, session.begin():
            result = await session.exec(
                delete(InboxUpdate).where(
                    col(InboxUpdate.processed_at).is_not(None), col(InboxUpdate.processed_at) < older_than
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def _record_failure(self, update_id: int, error: BaseException, *, park: bool = False) -> bool:
        """Count a failed attempt; park the update after the last one; return True once it is parked."""
        services = self._services
        now = services.clock.now()
        try:
            async with self._writing(), services.session_factory() as session, session.begin():
                row = await session.get(InboxUpdate, update_id)
                if row is None or row.processed_at is not None:
                    return True
                row.attempts += 1
                row.last_error = mask_personal_data(f"{type(error).__name__}: {error}")[:2000]
                if not park and row.attempts < services.settings.update_max_attempts:
                    return False
                row.processed_at = now  # settled, so the chat's later updates go on
                row.failed_at = now  # kept with its error for `pakn inbox failed` / `retry`
                chat_id = row.chat_id
                if chat_id is not None and chat_id > 0:  # tell the citizen; groups see nothing
                    citizen = await session.get(Citizen, chat_id)
                    language = citizen.language if citizen else services.settings.default_language
                    Outbox(session, now).send(chat_id, Message(text(language, "error.internal")))
            services.outbox_wakeup.set()
            return True
        except SQLAlchemyError:
            logger.exception("Could not record the failure of update %s", update_id)
            return True  # leave it pending: the next pass tries again


async def store_in_inbox(services: Services, payloads: list[dict[str, Any]]) -> int:
    """Commit raw updates to the inbox in one transaction; return how many were new."""
    now = services.clock.now()
    gate = services.sqlite_writes.intake() if services.settings.is_sqlite else contextlib.nullcontext()
    async with gate, services.session_factory() as session, session.begin():
        stored = [await store_raw_update(session, payload, now) for payload in payloads]
    arrivals = services.inbox_arrivals
    new = [payload for payload in stored if payload is not None]
    for payload in new:  # the inbox takes them from here, without a query (nor one to read them back)
        kept = payload if len(arrivals) < PAYLOADS_KEPT_IN_MEMORY else None
        arrivals.append((payload["update_id"], chat_id_of(payload), kept))
    if new:
        services.inbox_wakeup.set()
    return len(new)
