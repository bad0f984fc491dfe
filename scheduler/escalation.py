"""The escalation sweep (DESIGN §8): fire each ladder step that fell due, once, with its messages.

Its cost follows what is due, not what is open (issue 9). Every item and consultation stores its next
escalation instant (models/escalation.py keeps it on every change), and the sweep looks only at the
items whose instant, or one of whose consultations' instant, has come:

- in batches of `BATCH_SIZE` items, one transaction each, yielding to the event loop between them,
  so intake is never held up for long (on SQLite a transaction holds the write lock);
- on PostgreSQL each batch locks its items with `FOR UPDATE SKIP LOCKED`: two instances share a
  large catch-up, each item in the hands of one of them at a time;
- a step fires only if its EscalationStep row (item, consultation, step, deadline) can be inserted,
  and that row, the item's event and the queued messages commit together — so a step whose row
  exists has had its messages queued, exactly once, whatever happened before;
- firing is batched: one statement claims every step of a batch, the events and messages go in
  multi-row inserts, and what the messages need (group bindings, citizens) is read once per batch;
- after downtime the first sweep finds each step that fell due in the meantime and fires it once;
- nothing is sent on a day off: steps that fall due then fire at the first sweep of the next working
  day (an overdue item's 17:00 deadline still fires the same evening, since that day is a working day).

A chat that one batch would send more than `escalation_digest_threshold` messages gets one digest
message instead (Telegram allows about 20 messages a minute to a group).

The job selects and writes through models/sweep.py, words each step with bot/views/escalation_notices.py
and queues the messages to the outbox; it holds no SQL and composes no text.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import Services
from bot.views.escalation_notices import Notice, digest_message, step_notices
from models.db import transaction
from models.escalation import EscalationRules
from models.outbox import Outbox
from models.sweep import (
    BATCH_SIZE,
    YIELD_EVERY,
    Batch,
    claim_due,
    event_row,
    insert_events,
    load_batch,
    next_due_items,
    store_next_instants,
)

logger = logging.getLogger(__name__)

JOB_ID = "escalation_sweep"
SQLITE_PAUSE = timedelta(milliseconds=120)  # between batches on SQLite: longer than the busy handler's poll


@dataclass
class SweepReport:
    """What one sweep did."""

    fired: list[tuple[str, str]] = field(default_factory=list)  # (item code, step key)
    messages: int = 0
    digests: int = 0
    batches: int = 0  # transactions that found items to look at
    looked_at: int = 0  # items looked at
    skipped: bool = False  # a day off: nothing is sent


async def run_escalation_sweep(
    services: Services,
    *,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    sqlite_pause: timedelta = SQLITE_PAUSE,
) -> SweepReport:
    """Fire every ladder step that fell due and has not fired for its deadline."""
    now = now or services.clock.now()
    report = SweepReport()
    calendar = services.calendar
    if not calendar.is_working_day(now.astimezone(calendar.timezone).date()):
        report.skipped = True
        return report
    rules = EscalationRules(calendar=calendar, deadlines=services.directory.deadlines)
    after_id = 0
    while True:
        async with transaction(services.session_factory) as session:
            items = await next_due_items(session, now, after_id=after_id, limit=batch_size)
            if not items:
                break
            report.batches += 1
            report.looked_at += len(items)
            after_id = items[-1].id or after_id
            batch = await load_batch(session, services.directory, items)
            notices = await _fire(session, services, batch, now, report)
            await store_next_instants(session, batch, rules, now)
            messages, digests = _queue(Outbox(session, now), notices, services)
            report.messages += messages
            report.digests += digests
        if report.fired:
            services.outbox_wakeup.set()
        if len(items) < batch_size:
            break
        # Let waiting work in: on SQLite another writer polls for the lock (its busy handler sleeps
        # up to 100 ms between tries), elsewhere only the event loop needs a turn.
        await asyncio.sleep(sqlite_pause.total_seconds() if services.engine.dialect.name == "sqlite" else 0)
    if report.fired:
        logger.info(
            "Escalation sweep fired %d steps in %d batches: %d messages, %d digests",
            len(report.fired),
            report.batches,
            report.messages,
            report.digests,
        )
    return report


async def _fire(
    session: AsyncSession, services: Services, batch: Batch, now: datetime, report: SweepReport
) -> list[Notice]:
    """Claim every step due in the batch; record and word those that had not fired."""
    fired_steps = await claim_due(
        session, batch, now=now, calendar=services.calendar, deadlines=services.directory.deadlines
    )
    notices: list[Notice] = []
    events = []
    for count, fired in enumerate(fired_steps, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        notices_of_step = step_notices(
            fired,
            chats=batch.chats,
            citizens=batch.citizens,
            directory=services.directory,
            signer=services.signer,
            calendar=services.calendar,
            language=services.settings.default_language,
            now=now,
        )
        events.append(
            event_row(fired.item, fired.due, chat_ids=[notice.chat_id for notice in notices_of_step], now=now)
        )
        batch.fired_item_ids.add(fired.item.id or 0)
        report.fired.append((fired.item.code, fired.due.key))
        notices += notices_of_step
    await insert_events(session, events)
    return notices


def _queue(outbox: Outbox, notices: list[Notice], services: Services) -> tuple[int, int]:
    """Queue the notices; a chat with more than the threshold gets one digest instead."""
    threshold = services.settings.escalation_digest_threshold
    by_chat: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_chat[notice.chat_id].append(notice)
    messages = digests = 0
    for chat_id, chat_notices in by_chat.items():
        if len(chat_notices) > threshold:
            outbox.send(chat_id, digest_message(chat_notices, services.signer))
            messages += 1
            digests += 1
            continue
        for notice in chat_notices:
            outbox.send(
                chat_id,
                notice.message,
                item_id=notice.item_id,
                purpose=notice.purpose,
                purpose_data=dict(notice.purpose_data) or None,
            )
            messages += 1
    return messages, digests
