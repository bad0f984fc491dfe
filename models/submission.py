"""How a new item enters: one path for every channel (Telegram, Open311, the demo).

The sender's duplicate and hourly limits are checked (`check_submission_allowed`, also asked before a
conversation begins), the item gets a tracking code, its route and its deadlines in working days, and
its first event is recorded (`submit_item`, `create_item`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.directory import Directory
from models.drafts import AttachmentIn
from models.lifecycle import Actor, record
from models.routing import Route, SavedRules, route_item
from models.tables import (
    ActorRole,
    Attachment,
    Item,
    ItemKind,
    ItemState,
    RoutingRule,
    SenderType,
)
from models.working_time import WorkingCalendar

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out and type


CODE_PREFIX = {ItemKind.FEEDBACK: "PA", ItemKind.PETITION: "KN"}


@dataclass
class Submission:
    """Everything a citizen gave in the submit conversation, or a channel posted through Open311."""

    citizen_telegram_user_id: int | None
    kind: ItemKind
    category_code: str
    text: str
    sender_type: SenderType = SenderType.INDIVIDUAL
    business_name: str | None = None
    business_tax_code: str | None = None
    locality_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_phone: str | None = None
    contact_name: str | None = None
    contact_consent_wording: str | None = None
    contact_email: str | None = None
    language: str = "vi"
    attachments: list[AttachmentIn] = field(default_factory=list)
    channel: str = "telegram"  # "telegram", or the name of the Open311 key that posted it
    is_publication_allowed: bool = False

    @property
    def has_contact(self) -> bool:
        """Tell whether any contact detail was given (each is kept only with recorded consent)."""
        return bool(self.contact_phone or self.contact_name or self.contact_email)


def new_tracking_code(kind: ItemKind) -> str:
    """Make a short code people can read out and type, e.g. PA-7K3Q9M."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{CODE_PREFIX[kind]}-{body}"


def text_fingerprint(text: str) -> str:
    """Fingerprint a description so a resent duplicate can be recognised."""
    folded = re.sub(r"\W+", " ", text.lower()).strip()
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


async def load_saved_rules(session: AsyncSession) -> SavedRules:
    """Read supervisors' saved routing rules."""
    rows = (await session.exec(select(RoutingRule))).all()
    return {(rule.category_code, rule.locality_code): rule.agency_code for rule in rows}


@dataclass(frozen=True)
class Deadlines:
    """The clocks set when an item is received."""

    claim_due_at: datetime
    transfer_window_ends_at: datetime
    answer_due_at: datetime


def initial_deadlines(
    *, directory: Directory, calendar: WorkingCalendar, category_code: str | None, received_at: datetime
) -> Deadlines:
    """Set the claim, transfer and answer clocks from the directory's deadlines (DESIGN §7)."""
    settings = directory.deadlines
    category = directory.categories_by_code.get(category_code or "")
    return Deadlines(
        claim_due_at=calendar.add_working_time(received_at, timedelta(hours=settings.claim_hours)),
        transfer_window_ends_at=calendar.end_of_working_days(received_at, settings.transfer_window_days),
        answer_due_at=calendar.end_of_working_days(received_at, directory.answer_days_for(category)),
    )


async def create_item(
    *,
    session: AsyncSession,
    submission: Submission,
    directory: Directory,
    calendar: WorkingCalendar,
    now: datetime,
) -> tuple[Item, Route]:
    """Route, time and save a new item with its first event and attachments."""
    route = route_item(
        directory,
        category_code=submission.category_code,
        locality_code=submission.locality_code,
        saved_rules=await load_saved_rules(session),
    )
    deadlines = initial_deadlines(
        directory=directory, calendar=calendar, category_code=submission.category_code, received_at=now
    )
    category = directory.categories_by_code.get(submission.category_code)
    item = Item(
        code=await _unused_code(session, submission.kind),
        kind=submission.kind,
        sender_type=submission.sender_type,
        business_name=submission.business_name,
        business_tax_code=submission.business_tax_code,
        category_code=submission.category_code,
        locality_code=submission.locality_code,
        location_latitude=submission.latitude,
        location_longitude=submission.longitude,
        text=submission.text,
        text_fingerprint=text_fingerprint(submission.text),
        language=submission.language,
        citizen_telegram_user_id=submission.citizen_telegram_user_id,
        contact_phone=submission.contact_phone,
        contact_name=submission.contact_name,
        contact_email=submission.contact_email,
        contact_consent_at=now if submission.has_contact else None,
        contact_consent_wording=submission.contact_consent_wording if submission.has_contact else None,
        channel=submission.channel,
        is_publication_allowed=submission.is_publication_allowed,
        publication_consent_at=now if submission.is_publication_allowed else None,
        agency_code=route.agency_code,
        state=ItemState.RECEIVED,
        is_urgent=bool(category and category.is_urgent),
        received_at=now,
        claim_due_at=deadlines.claim_due_at,
        transfer_window_ends_at=deadlines.transfer_window_ends_at,
        answer_due_at=deadlines.answer_due_at,
        updated_at=now,
    )
    session.add(item)
    await session.flush()
    actor = Actor(role=ActorRole.CITIZEN, telegram_user_id=submission.citizen_telegram_user_id)
    change = record(
        item,
        action=Action.SUBMITTED,
        actor=actor,
        now=now,
        detail={
            "route": route.reason.value,
            "attachments": len(submission.attachments),
            "channel": submission.channel,
        },
    )
    change.event.agency_code = route.agency_code
    session.add(change.event)
    await session.flush()
    for attachment in submission.attachments:
        session.add(
            Attachment(
                item_id=item.id,  # type: ignore[arg-type]
                event_id=change.event.id,
                media_type=attachment.media_type,
                file_id=attachment.file_id,
                file_name=attachment.file_name,
                file_size=attachment.file_size,
                latitude=attachment.latitude,
                longitude=attachment.longitude,
                added_by=ActorRole.CITIZEN,
                added_at=now,
            )
        )
    return item, route


@dataclass(frozen=True)
class SubmissionLimits:
    """The duplicate window and the hourly limit that every channel's submissions obey."""

    duplicate_window: timedelta
    per_hour: int


@dataclass(frozen=True)
class Accepted:
    """The item was created and routed."""

    item: Item
    route: Route


@dataclass(frozen=True)
class DuplicateOf:
    """The same sender sent the same text a moment ago: nothing new is created."""

    item: Item


@dataclass(frozen=True)
class RateLimited:
    """The sender reached the hourly limit; they can send again at `free_at`."""

    free_at: datetime


SubmitOutcome = Accepted | DuplicateOf | RateLimited


def _same_sender(telegram_user_id: int | None, channel: str | None) -> Any:
    """Match items of the same sender: the Telegram citizen, or the Open311 channel."""
    if telegram_user_id is not None:
        return Item.citizen_telegram_user_id == telegram_user_id
    return and_(col(Item.channel) == channel, col(Item.citizen_telegram_user_id).is_(None))


class RefusalReason(StrEnum):
    """Why a sender may not submit now."""

    DUPLICATE = "duplicate"  # the same text from the same sender a moment ago
    RATE_LIMITED = "rate_limited"  # the hourly limit is reached


class Refused(Exception):
    """A submission the policy refuses: a duplicate (`duplicate_of`) or over the limit (`free_at`)."""

    def __init__(
        self, reason: RefusalReason, *, free_at: datetime | None = None, duplicate_of: Item | None = None
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.free_at = free_at
        self.duplicate_of = duplicate_of


async def check_submission_allowed(
    session: AsyncSession,
    *,
    telegram_user_id: int | None,
    limits: SubmissionLimits,
    now: datetime,
    text: str | None = None,
    channel: str | None = None,
) -> None:
    """Raise `Refused` unless the sender may submit now: the one place that decides.

    With a text (the submission itself), the same text from the same sender within the duplicate window
    is refused first. Without one (asking to begin, /new), only the hourly limit applies.
    """
    sender = _same_sender(telegram_user_id, channel)
    if text is not None:
        duplicate = (
            await session.exec(
                select(Item)
                .where(
                    sender,
                    Item.text_fingerprint == text_fingerprint(text),
                    col(Item.received_at) >= now - limits.duplicate_window,
                )
                .order_by(col(Item.id).desc())
                .limit(1)
            )
        ).first()
        if duplicate is not None:
            raise Refused(RefusalReason.DUPLICATE, duplicate_of=duplicate)
    allowance = await submission_allowance(
        session, telegram_user_id=telegram_user_id, channel=channel, now=now, per_hour=limits.per_hour
    )
    if isinstance(allowance, SubmissionDenied):
        raise Refused(RefusalReason.RATE_LIMITED, free_at=allowance.free_at)


async def submit_item(
    *,
    session: AsyncSession,
    submission: Submission,
    directory: Directory,
    calendar: WorkingCalendar,
    limits: SubmissionLimits,
    now: datetime,
) -> SubmitOutcome:
    """Apply the duplicate and rate rules, then create the item: the one path for every channel."""
    try:
        await check_submission_allowed(
            session,
            telegram_user_id=submission.citizen_telegram_user_id,
            channel=submission.channel,
            text=submission.text,
            limits=limits,
            now=now,
        )
    except Refused as refusal:
        if refusal.duplicate_of is not None:
            return DuplicateOf(refusal.duplicate_of)
        if refusal.free_at is not None:
            return RateLimited(free_at=refusal.free_at)
        raise
    item, route = await create_item(
        session=session, submission=submission, directory=directory, calendar=calendar, now=now
    )
    return Accepted(item, route)


async def _unused_code(session: AsyncSession, kind: ItemKind) -> str:
    for _ in range(20):
        code = new_tracking_code(kind)
        if (await session.exec(select(Item.id).where(Item.code == code))).first() is None:
            return code
    raise RuntimeError("could not find a free tracking code")


async def count_recent_submissions(session: AsyncSession, telegram_user_id: int, since: datetime) -> int:
    """Count a citizen's items received since an instant."""
    statement = select(func.count()).where(
        Item.citizen_telegram_user_id == telegram_user_id, col(Item.received_at) >= since
    )
    return int((await session.exec(statement)).one())


@dataclass(frozen=True)
class SubmissionAllowed:
    """The citizen may send another item now."""


@dataclass(frozen=True)
class SubmissionDenied:
    """The citizen reached the hourly limit; `free_at` is when the oldest counted item leaves the hour."""

    limit: int
    free_at: datetime


SUBMISSION_WINDOW = timedelta(hours=1)


async def submission_allowance(
    session: AsyncSession,
    *,
    telegram_user_id: int | None,
    now: datetime,
    per_hour: int,
    channel: str | None = None,
) -> SubmissionAllowed | SubmissionDenied:
    """Decide whether a sender may submit now (at most `per_hour` items in any rolling hour)."""
    # The per_hour-th newest item of the past hour is the one whose leaving frees a place.
    statement = (
        select(Item.received_at)
        .where(_same_sender(telegram_user_id, channel), col(Item.received_at) > now - SUBMISSION_WINDOW)
        .order_by(col(Item.received_at).desc())
        .offset(max(per_hour, 1) - 1)
        .limit(1)
    )
    counted = (await session.exec(statement)).first()
    if counted is None:
        return SubmissionAllowed()
    return SubmissionDenied(limit=per_hour, free_at=counted + SUBMISSION_WINDOW)
