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
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any

from sqlalchemy import bindparam, insert, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from bot.services import Services
from bot.texts import CATALOGUES, DEFAULT_LANGUAGE, text
from bot.views.dates import format_datetime, format_deadline
from bot.views.escalation_cards import ESCALATION_CARD, escalation_card, open_card_button
from bot.views.render import CITIZEN_NOTICE, agency_name, card_target, category_name, province_words
from models.actions import Action
from models.db import transaction
from models.directory import Directory, Person
from models.escalation import (
    DueStep,
    EscalationRules,
    LadderStep,
    consultation_next_escalation_at,
    due_steps,
    item_next_escalation_at,
)
from models.items import SUPERVISORS_KEY
from models.lifecycle import OPEN_STATES, Actor
from models.outbox import Button, Message, Outbox, ReplyTarget
from models.tables import AgencyChat, Citizen, Consultation, Item, ItemEvent
from scheduler.claims import claim_steps, step_key

logger = logging.getLogger(__name__)

JOB_ID = "escalation_sweep"
BATCH_SIZE = 500  # items per transaction: a bounded lock hold, a bounded statement, bounded memory
YIELD_EVERY = 100  # items worked on between two turns given to the event loop inside a batch
SQLITE_PAUSE = timedelta(milliseconds=120)  # between batches on SQLite: longer than the busy handler's poll
CONSULTATION_CARD = "consultation_card"  # the consulted agency's card (handlers/officer_group.py)
MAX_DIGEST_LINES = 40  # lines beyond this are counted, not listed: a digest stays readable and short


@dataclass
class Notice:
    """One message a fired step wants to send, and the line it becomes in a digest."""

    chat_id: int
    language: str
    message: Message
    digest_line: str
    item_id: int | None
    purpose: str | None = None
    purpose_data: dict[str, object] = field(default_factory=dict)
    card_item_code: str | None = None  # set on escalation cards: a digest offers a button to open the card


@dataclass
class SweepReport:
    """What one sweep did."""

    fired: list[tuple[str, str]] = field(default_factory=list)  # (item code, step key)
    messages: int = 0
    digests: int = 0
    batches: int = 0  # transactions that found items to look at
    looked_at: int = 0  # items looked at
    skipped: bool = False  # a day off: nothing is sent


@dataclass(frozen=True)
class Chats:
    """The group chats messages go to, read once per batch: a binding wins over the directory file."""

    directory: Directory
    bindings: dict[str, int]

    @classmethod
    async def load(cls, session: AsyncSession, directory: Directory) -> Chats:
        """Read every group binding (one row per agency at most)."""
        rows = (await session.exec(select(AgencyChat))).all()
        return cls(directory, {row.agency_code: row.chat_id for row in rows})

    def of_agency(self, agency_code: str) -> int | None:
        """Return the agency's group chat, or None when it has none."""
        if agency_code in self.bindings:
            return self.bindings[agency_code]
        agency = self.directory.agencies_by_code.get(agency_code)
        return agency.chat_id if agency else None

    def of_item(self, item: Item) -> int | None:
        """Return the group the item's card is in: its agency's, else the triage agency's."""
        chat_id = self.of_agency(item.agency_code)
        return chat_id if chat_id is not None else self.of_agency(self.directory.triage_agency)

    def of_supervisors(self) -> int | None:
        """Return the supervisors' group chat."""
        return self.bindings.get(SUPERVISORS_KEY, self.directory.supervisors.chat_id)


@dataclass
class Batch:
    """The items one transaction looks at, with what firing their steps needs."""

    items: list[Item]
    consultations: dict[int, list[Consultation]]
    chats: Chats
    citizens: dict[int, Citizen]
    fired_item_ids: set[int] = field(default_factory=set)  # items with an event in this batch


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
            items = list((await session.exec(due_items(now, after_id=after_id, limit=batch_size))).all())
            if not items:
                break
            report.batches += 1
            report.looked_at += len(items)
            after_id = items[-1].id or after_id
            batch = await _load_batch(session, services.directory, items)
            notices = await _fire(session, services, batch, now, report)
            await _store_next_instants(session, batch, rules, now)
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


def due_items(now: datetime, *, after_id: int = 0, limit: int = BATCH_SIZE) -> SelectOfScalar[Item]:
    """Select, and on PostgreSQL lock, the next items whose instant or a consultation's has come."""
    due_ids = (
        select(col(Item.id))
        .where(col(Item.next_escalation_at) <= now)
        .union(select(col(Consultation.item_id)).where(col(Consultation.next_escalation_at) <= now))
    )
    return (
        select(Item)
        .where(col(Item.id).in_(due_ids), col(Item.id) > after_id)
        .order_by(col(Item.id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=Item)
    )


async def _load_batch(session: AsyncSession, directory: Directory, items: list[Item]) -> Batch:
    """Read the batch's consultations, the group bindings and the citizens, one statement each."""
    item_ids = [item.id for item in items if item.id is not None]  # at most BATCH_SIZE
    statement = (
        select(Consultation)
        .where(
            col(Consultation.item_id).in_(item_ids),
            or_(col(Consultation.answered_at).is_(None), col(Consultation.next_escalation_at).is_not(None)),
        )
        .order_by(col(Consultation.id))
    )
    consultations: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in (await session.exec(statement)).all():
        consultations[consultation.item_id].append(consultation)
    citizen_ids = sorted({item.citizen_telegram_user_id for item in items} - {None})  # type: ignore[type-var]
    citizens: dict[int, Citizen] = {}
    if citizen_ids:
        rows = await session.exec(select(Citizen).where(col(Citizen.telegram_user_id).in_(citizen_ids)))
        citizens = {citizen.telegram_user_id: citizen for citizen in rows.all()}
    return Batch(items, consultations, await Chats.load(session, directory), citizens)


async def _fire(
    session: AsyncSession, services: Services, batch: Batch, now: datetime, report: SweepReport
) -> list[Notice]:
    """Claim every step due in the batch in one statement; record and word those that had not fired."""
    found: list[tuple[Item, DueStep]] = []
    for count, item in enumerate(batch.items, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # the rules are pure Python: let updates waiting on the loop run
        for due in due_steps(
            item,
            now=now,
            calendar=services.calendar,
            deadlines=services.directory.deadlines,
            consultations=[c for c in batch.consultations.get(item.id or 0, []) if c.answered_at is None],
        ):
            found.append((item, due))
    if not found:
        return []
    claimed = await claim_steps(session, dues=[due for _item, due in found], now=now)
    notices: list[Notice] = []
    events: list[dict[str, Any]] = []
    for count, (item, due) in enumerate(found, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        if step_key(due) not in claimed:
            continue  # fired before, for this deadline
        consultation = next(
            (c for c in batch.consultations.get(item.id or 0, []) if c.id == due.consultation_id), None
        )
        step_notices = _notices_for(services, batch, item, due, consultation, now)
        events.append(_event_row(item, due, step_notices, now))
        batch.fired_item_ids.add(item.id or 0)
        report.fired.append((item.code, due.key))
        notices += step_notices
    if events:
        await session.exec(insert(ItemEvent), params=events)
    return notices


async def _store_next_instants(
    session: AsyncSession, batch: Batch, rules: EscalationRules, now: datetime
) -> None:
    """Store when each item and consultation of the batch must next be looked at, in one statement each."""
    item_rows: list[dict[str, Any]] = []
    consultation_rows: list[dict[str, Any]] = []
    for count, item in enumerate(batch.items, start=1):
        if count % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        item_rows.append(
            {
                "row_id": item.id,
                "next_at": item_next_escalation_at(item, rules=rules, after=now),
                "updated_at": now if item.id in batch.fired_item_ids else item.updated_at,
            }
        )
        is_open = item.state in OPEN_STATES
        for consultation in batch.consultations.get(item.id or 0, []):
            # A consultation of a finished item rests; reopening the item wakes it (models/escalation.py).
            next_at = (
                consultation_next_escalation_at(consultation, rules=rules, after=now) if is_open else None
            )
            consultation_rows.append({"row_id": consultation.id, "next_at": next_at})
        session.expunge(item)  # written below, not by the unit of work: nothing else of it changed
    items = Item.__table__  # type: ignore[attr-defined]
    await session.exec(
        update(items)
        .where(items.c.id == bindparam("row_id"))
        .values(next_escalation_at=bindparam("next_at"), updated_at=bindparam("updated_at")),
        params=item_rows,
    )
    if consultation_rows:
        consultations = Consultation.__table__  # type: ignore[attr-defined]
        await session.exec(
            update(consultations)
            .where(consultations.c.id == bindparam("row_id"))
            .values(next_escalation_at=bindparam("next_at")),
            params=consultation_rows,
        )


def _event_row(item: Item, due: DueStep, notices: list[Notice], now: datetime) -> dict[str, Any]:
    """Return the item's event for a fired step, naming the deadline and the chats told.

    The sweep writes its events with one multi-row insert per batch; the item's state does not
    change, so this is what `record` would add, without building an ORM object per step (the
    item's `updated_at` is written with its next instant).
    """
    system = Actor.system()
    return {
        "item_id": item.id,
        "at": now,
        "action": Action.for_ladder_step(due.step.value),
        "actor_role": system.role,
        "actor_telegram_user_id": None,
        "actor_name": system.name,
        "agency_code": due.agency_code,
        "state_before": item.state,
        "state_after": item.state,
        "reason": None,
        "detail": {
            "deadline_at": due.deadline_at.isoformat(),
            "fell_due_at": due.fell_due_at.isoformat(),
            "agency": due.agency_code,
            "consultation_id": due.consultation_id or None,
            "chat_ids": sorted({notice.chat_id for notice in notices}),
        },
    }


# --- what each step says, and to whom ------------------------------------------------------------


def _mention(leader: Person) -> str:
    return f'<a href="tg://user?id={leader.telegram_user_id}">{escape(leader.name)}</a>'


def _notices_for(
    services: Services,
    batch: Batch,
    item: Item,
    due: DueStep,
    consultation: Consultation | None,
    now: datetime,
) -> list[Notice]:
    """Return the messages a fired step sends: to groups, leaders, the citizen or the supervisors."""
    directory = services.directory
    language = services.settings.default_language
    agency = directory.agencies_by_code.get(due.agency_code)
    leaders = agency.leaders if agency else ()
    officer = (
        text(language, "ladder.officer", officer=escape(item.claimed_by_name))
        if item.claimed_by_name
        else text(language, "ladder.unclaimed")
    )
    values: dict[str, object] = {
        "code": item.code,
        "category": escape(category_name(directory, item.category_code, language)),
        "agency": escape(agency_name(directory, due.agency_code, language)),
        "claim_deadline": format_datetime(item.claim_due_at, language) if item.claim_due_at else "—",
        "deadline": format_deadline(due.deadline_at, language),  # "trước 17:00 …", for what is still to come
        "due": format_datetime(due.deadline_at, language),  # "17:00 …", after "hạn trả lời:"
        "officer_line": officer,
        "leaders": ", ".join(_mention(leader) for leader in leaders),
    }
    if consultation is not None:
        values["lead_agency"] = escape(agency_name(directory, consultation.from_agency_code, language))
    step = due.step
    line = text(language, f"ladder.line.{step.value}", **values)
    notices: list[Notice] = []

    def to_group(key: str) -> None:
        if consultation is not None:
            chat_id = batch.chats.of_agency(consultation.to_agency_code)
            reply_to = ReplyTarget(purpose=CONSULTATION_CARD, item_id=item.id, key=str(consultation.id))
        else:
            chat_id, reply_to = batch.chats.of_item(item), card_target(item)
        if chat_id is None:
            logger.error("Item %s: no group to send the %s step to", item.code, step.value)
            return
        if not leaders and f"{key}.no_leaders" in CATALOGUES[DEFAULT_LANGUAGE]:
            key = f"{key}.no_leaders"  # the directory names no leaders: say so in a sentence of its own
        message = Message(text(language, key, **values), reply_to=reply_to)
        notices.append(Notice(chat_id, language, message, line, item.id))

    def to_leaders(key: str) -> None:
        for leader in leaders:
            message = Message(text(language, key, leader=escape(leader.name), **values))
            notices.append(Notice(leader.telegram_user_id, language, message, line, item.id))

    if step is LadderStep.CLAIM_GROUP:
        to_group("ladder.claim_group")
    elif step is LadderStep.CLAIM_LEADERS:
        to_leaders("ladder.claim_leaders_direct")
        to_group("ladder.claim_leaders_group")
    elif step is LadderStep.DUE_SOON:
        to_group("ladder.due_soon")
    elif step is LadderStep.OVERDUE:
        to_leaders("ladder.overdue_direct")
        to_group("ladder.overdue_group")
        notices += _citizen_overdue_notices(services, batch, item)
    elif step is LadderStep.SUPERVISORS:
        notices += _supervisor_card(services, batch, item, line, now)
    elif step is LadderStep.CONSULTATION_DUE_SOON:
        to_group("ladder.consultation_due_soon")
    elif step is LadderStep.CONSULTATION_OVERDUE:
        to_leaders("ladder.consultation_overdue_direct")
        to_group("ladder.consultation_overdue_group")
    return notices


def _citizen_overdue_notices(services: Services, batch: Batch, item: Item) -> list[Notice]:
    """Tell the citizen, in their language, that the item is overdue and has been escalated."""
    if item.citizen_telegram_user_id is None:
        return []  # the citizen erased their data: nobody to tell
    citizen = batch.citizens.get(item.citizen_telegram_user_id)
    language = citizen.language if citizen else services.settings.default_language
    values = {
        "code": item.code,
        "agency": escape(agency_name(services.directory, item.agency_code, language)),
        "due": format_datetime(item.answer_due_at, language) if item.answer_due_at else "—",
        **province_words(services.directory, language),
    }
    message = Message(text(language, "ladder.overdue_citizen", **values))
    line = text(language, "ladder.line.overdue_citizen", **values)
    return [Notice(item.citizen_telegram_user_id, language, message, line, item.id, purpose=CITIZEN_NOTICE)]


def _supervisor_card(services: Services, batch: Batch, item: Item, line: str, now: datetime) -> list[Notice]:
    """Return the escalation card for the supervisors' group (step 4)."""
    chat_id = batch.chats.of_supervisors()
    if chat_id is None:
        logger.error("No supervisors' group is bound; item %s cannot be escalated to the province", item.code)
        return []
    language = services.settings.default_language
    card = escalation_card(
        item,
        directory=services.directory,
        signer=services.signer,
        calendar=services.calendar,
        now=now,
        language=language,
    )
    return [Notice(chat_id, language, card, line, item.id, purpose=ESCALATION_CARD, card_item_code=item.code)]


# --- queueing, with digests -----------------------------------------------------------------------


def _queue(outbox: Outbox, notices: list[Notice], services: Services) -> tuple[int, int]:
    """Queue the notices; a chat with more than the threshold gets one digest instead."""
    threshold = services.settings.escalation_digest_threshold
    by_chat: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_chat[notice.chat_id].append(notice)
    messages = digests = 0
    for chat_id, chat_notices in by_chat.items():
        if len(chat_notices) > threshold:
            outbox.send(chat_id, digest_message(chat_notices, services))
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


def digest_message(notices: list[Notice], services: Services) -> Message:
    """Fold one chat's notices into one message; escalation cards keep a button that opens them."""
    language = notices[0].language
    shown = notices[:MAX_DIGEST_LINES]
    lines = [text(language, "ladder.digest", count=len(notices))]
    lines += [f"• {notice.digest_line}" for notice in shown]
    if len(notices) > len(shown):
        lines.append(text(language, "ladder.digest_more", count=len(notices) - len(shown)))
    buttons: list[list[Button]] = []
    card_notices = [notice for notice in shown if notice.card_item_code is not None]
    if card_notices:
        lines.append(text(language, "ladder.digest_cards_hint"))
        buttons = [
            [open_card_button(services.signer, notice.item_id or 0, notice.card_item_code or "", language)]
            for notice in card_notices
        ]
    return Message("\n".join(lines), buttons=buttons)
