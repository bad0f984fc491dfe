"""The escalation sweep (DESIGN §8): fire each ladder step that fell due, once, with its messages.

Safe every minute, on two instances at once, and after hours of downtime:

- one sweep is one transaction; on PostgreSQL it first takes a transaction-level advisory lock
  (another instance sweeping at the same moment skips its turn), on SQLite the transaction holds
  the write lock from its start;
- a step fires only if its EscalationStep row (item, consultation, step, deadline) can be inserted,
  and that row, the item's event and the queued messages commit together — so a step whose row
  exists has had its messages queued, exactly once, whatever happened before;
- after downtime the first sweep finds each step that fell due in the meantime and fires it once;
- nothing is sent on a day off: steps that fall due then fire at the first sweep of the next working
  day (an overdue item's 17:00 deadline still fires the same evening, since that day is a working day).

A chat that one sweep would send more than `escalation_digest_threshold` messages gets one digest
message instead (Telegram allows about 20 messages a minute to a group).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from sqlalchemy import ColumnElement
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cards import destination_for
from bot.dates import format_datetime, format_deadline
from bot.escalation_cards import ESCALATION_CARD, escalation_card
from bot.render import CITIZEN_NOTICE, agency_name, card_target, category_name, province_words
from bot.services import Services
from bot.texts import CATALOGUES, DEFAULT_LANGUAGE, text
from models.actions import Action
from models.db import transaction
from models.directory import Person
from models.escalation import DueStep, LadderStep, due_steps
from models.items import chat_of_agency, chat_of_supervisors
from models.lifecycle import OPEN_STATES, Actor, record
from models.outbox import Button, Message, Outbox, ReplyTarget
from models.tables import Citizen, Consultation, EscalationStep, Item
from scheduler.claims import claim_step, take_job_lock

logger = logging.getLogger(__name__)

JOB_ID = "escalation_sweep"
# Calendar days that can hold the longest "due soon" window (80 working hours) with Tết inside it.
LOOKAHEAD = timedelta(days=45)
CONSULTATION_CARD = "consultation_card"  # the consulted agency's card (handlers/officer_group.py)
OPEN_CARD_ACTION = (
    "esc.card"  # a digest button that posts one escalation card (handlers/escalation_digest.py)
)
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
    skipped: bool = False  # another instance held the lock, or it is a day off


async def run_escalation_sweep(services: Services, *, now: datetime | None = None) -> SweepReport:
    """Fire every ladder step that fell due and has not fired for its deadline."""
    now = now or services.clock.now()
    report = SweepReport()
    calendar = services.calendar
    if not calendar.is_working_day(now.astimezone(calendar.timezone).date()):
        report.skipped = True
        return report
    async with transaction(services.session_factory) as session:
        if not await take_job_lock(session, JOB_ID):
            report.skipped = True
            return report
        notices: list[Notice] = []
        items = await _items_to_check(session, now)
        consultations = await _open_consultations(session, [item.id for item in items if item.id is not None])
        fired = await _fired_keys(session, [item.id for item in items if item.id is not None])
        for item in items:
            steps = due_steps(
                item,
                now=now,
                calendar=calendar,
                deadlines=services.directory.deadlines,
                consultations=consultations.get(item.id or 0, []),
            )
            for due in steps:
                if (due.consultation_id, due.key, due.deadline_at) in fired.get(due.item_id, set()):
                    continue
                if not await claim_step(session, due=due, now=now):
                    continue
                consultation = next(
                    (c for c in consultations.get(item.id or 0, []) if c.id == due.consultation_id), None
                )
                step_notices = await _notices_for(session, services, item, due, consultation, now)
                _record_step(session, item, due, step_notices, now)
                report.fired.append((item.code, due.key))
                notices += step_notices
        report.messages, report.digests = _queue(Outbox(session, now), notices, services)
    if report.fired:
        services.outbox_wakeup.set()
        logger.info(
            "Escalation sweep fired %d steps: %d messages, %d digests",
            len(report.fired),
            report.messages,
            report.digests,
        )
    return report


async def _items_to_check(session: AsyncSession, now: datetime) -> list[Item]:
    """Return the items whose answer clock runs and whose deadlines are near enough to matter."""
    statement = (
        select(Item)
        .where(
            col(Item.state).in_(list(OPEN_STATES)),
            or_(
                col(Item.claim_due_at) <= now, col(Item.answer_due_at) <= now + LOOKAHEAD, _has_consultation()
            ),
        )
        .order_by(col(Item.id))
    )
    return list((await session.exec(statement)).all())


def _has_consultation() -> ColumnElement[bool]:
    return col(Item.id).in_(select(Consultation.item_id).where(col(Consultation.answered_at).is_(None)))


async def _open_consultations(session: AsyncSession, item_ids: list[int]) -> dict[int, list[Consultation]]:
    if not item_ids:
        return {}
    statement = (
        select(Consultation)
        .where(col(Consultation.item_id).in_(item_ids), col(Consultation.answered_at).is_(None))
        .order_by(col(Consultation.id))
    )
    found: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in (await session.exec(statement)).all():
        found[consultation.item_id].append(consultation)
    return found


async def _fired_keys(
    session: AsyncSession, item_ids: list[int]
) -> dict[int, set[tuple[int, str, datetime]]]:
    """Return the steps already fired for these items (a shortcut; the unique key is the guarantee)."""
    if not item_ids:
        return {}
    statement = select(EscalationStep).where(col(EscalationStep.item_id).in_(item_ids))
    fired: dict[int, set[tuple[int, str, datetime]]] = defaultdict(set)
    for row in (await session.exec(statement)).all():
        fired[row.item_id].add((row.consultation_id, row.step, row.due_at))
    return fired


def _record_step(
    session: AsyncSession, item: Item, due: DueStep, notices: list[Notice], now: datetime
) -> None:
    """Add the item's event for a fired step, naming the deadline and the chats told."""
    change = record(
        item,
        action=Action.for_ladder_step(due.step.value),
        actor=Actor.system(),
        now=now,
        detail={
            "deadline_at": due.deadline_at.isoformat(),
            "fell_due_at": due.fell_due_at.isoformat(),
            "agency": due.agency_code,
            "consultation_id": due.consultation_id or None,
            "chat_ids": sorted({notice.chat_id for notice in notices}),
        },
    )
    change.event.agency_code = due.agency_code
    session.add(change.event)
    session.add(item)


# --- what each step says, and to whom ------------------------------------------------------------


def _mention(leader: Person) -> str:
    return f'<a href="tg://user?id={leader.telegram_user_id}">{escape(leader.name)}</a>'


async def _notices_for(
    session: AsyncSession,
    services: Services,
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

    async def to_group(key: str) -> None:
        if consultation is not None:
            chat_id = await chat_of_agency(session, directory, consultation.to_agency_code)
            reply_to = ReplyTarget(purpose=CONSULTATION_CARD, item_id=item.id, key=str(consultation.id))
        else:
            destination = await destination_for(session, directory, item, language=language)
            chat_id, reply_to = destination.chat_id, card_target(item)
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
        await to_group("ladder.claim_group")
    elif step is LadderStep.CLAIM_LEADERS:
        to_leaders("ladder.claim_leaders_direct")
        await to_group("ladder.claim_leaders_group")
    elif step is LadderStep.DUE_SOON:
        await to_group("ladder.due_soon")
    elif step is LadderStep.OVERDUE:
        to_leaders("ladder.overdue_direct")
        await to_group("ladder.overdue_group")
        notices += await _citizen_overdue_notices(session, services, item)
    elif step is LadderStep.SUPERVISORS:
        notices += await _supervisor_card(session, services, item, line, now)
    elif step is LadderStep.CONSULTATION_DUE_SOON:
        await to_group("ladder.consultation_due_soon")
    elif step is LadderStep.CONSULTATION_OVERDUE:
        to_leaders("ladder.consultation_overdue_direct")
        await to_group("ladder.consultation_overdue_group")
    return notices


async def _citizen_overdue_notices(session: AsyncSession, services: Services, item: Item) -> list[Notice]:
    """Tell the citizen, in their language, that the item is overdue and has been escalated."""
    if item.citizen_telegram_user_id is None:
        return []  # the citizen erased their data: nobody to tell
    citizen = await session.get(Citizen, item.citizen_telegram_user_id)
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


async def _supervisor_card(
    session: AsyncSession, services: Services, item: Item, line: str, now: datetime
) -> list[Notice]:
    """Return the escalation card for the supervisors' group (step 4)."""
    chat_id = await chat_of_supervisors(session, services.directory)
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
            [
                Button(
                    label=text(language, "ladder.digest_open_card", code=notice.card_item_code),
                    callback_data=services.signer.sign(OPEN_CARD_ACTION, notice.item_id or 0, 0),
                )
            ]
            for notice in card_notices
        ]
    return Message("\n".join(lines), buttons=buttons)
