"""Database tables. Pure data: the rules that change them live in the other `models` modules."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.db import UtcDateTime
from models.drafts import SubmitDraft
from models.json_column import PydanticJSON
from models.kinds import ItemKind as ItemKind  # re-exported: defined apart so the draft state can use them
from models.kinds import SenderType as SenderType


class ItemState(StrEnum):
    """Named states of an item (DESIGN §4). Overdue is derived, never stored."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    AWAITING_CITIZEN = "awaiting_citizen"
    ANSWERED = "answered"
    CLOSED = "closed"
    DISPUTED = "disputed"
    REOPENED = "reopened"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ActorRole(StrEnum):
    """Who did something recorded in an item's history."""

    CITIZEN = "citizen"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"
    ADMINISTRATOR = "administrator"


class Rating(StrEnum):
    """The citizen's verdict on an answer."""

    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"


class OutboxStatus(StrEnum):
    """Where an outgoing message is in its delivery."""

    PENDING = "pending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # Forbidden or a permanent Bad Request: never retried


def _telegram_id(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(BigInteger, index=index, nullable=nullable))


def _instant(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UtcDateTime(), index=index, nullable=nullable))


def _json(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


class Citizen(SQLModel, table=True):
    """A person who talks to the bot in a private chat."""

    telegram_user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    language: str = "vi"
    display_name: str | None = None
    is_reachable: bool = True
    first_seen_at: datetime | None = _instant()


class Item(SQLModel, table=True):
    """One phản ánh or kiến nghị and everything needed to hold an agency to its deadline."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    kind: ItemKind
    sender_type: SenderType = SenderType.INDIVIDUAL
    business_name: str | None = None
    business_tax_code: str | None = None
    category_code: str = Field(index=True)
    locality_code: str | None = Field(default=None, index=True)
    location_latitude: float | None = None
    location_longitude: float | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_fingerprint: str = Field(default="", index=True)
    language: str = "vi"
    channel: str = Field(default="telegram", max_length=64, index=True)  # "telegram" or an Open311 key name

    citizen_telegram_user_id: int | None = _telegram_id(index=True)
    contact_phone: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_consent_at: datetime | None = _instant()
    contact_consent_wording: str | None = None
    is_publication_allowed: bool = False  # the sender agreed to an anonymised public answer
    publication_consent_at: datetime | None = _instant()
    is_never_public: bool = False  # an officer ruled it out of the public pages

    agency_code: str = Field(index=True)
    state: ItemState = Field(default=ItemState.RECEIVED, index=True)
    state_version: int = 0
    is_urgent: bool = False

    received_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    claim_due_at: datetime | None = _instant()
    transfer_window_ends_at: datetime | None = _instant()
    answer_due_at: datetime | None = _instant(index=True)
    awaiting_citizen_since: datetime | None = _instant()
    # When the escalation sweep must next look at the item (models/escalation.py keeps it); NULL: never.
    next_escalation_at: datetime | None = _instant(index=True)

    claimed_by_telegram_user_id: int | None = _telegram_id()
    claimed_by_name: str | None = None
    claimed_at: datetime | None = _instant()
    transfer_count: int = 0
    previous_agency_codes: list[str] = _json(list)
    extension_count: int = 0
    is_flagged_for_review: bool = False
    is_citizen_unreachable: bool = False
    responsibility_decided_at: datetime | None = _instant()  # a supervisor's dispute decision: final

    answered_at: datetime | None = _instant()
    # Working time the citizen was waited for (the answer clock paused) and, once answered, the
    # working time from receipt to the answer without those pauses: the reports aggregate it in SQL.
    paused_working_seconds: int = 0
    answer_working_seconds: int | None = None
    rating: Rating | None = None
    rated_at: datetime | None = _instant()
    closed_at: datetime | None = _instant()
    updated_at: datetime | None = _instant()


class ApiKey(SQLModel, table=True):
    """An Open311 channel's key (the province's portal, the hotline desk); only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    revoked_at: datetime | None = _instant()


class Attachment(SQLModel, table=True):
    """A file, photo, voice note, video or location attached by Telegram file_id (never downloaded)."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="itemevent.id")
    media_type: str  # photo, document, voice, video, audio, location
    file_id: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    added_by: ActorRole = ActorRole.CITIZEN
    added_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class ItemEvent(SQLModel, table=True):
    """An append-only line in an item's history: who did what, when, and why."""

    __table_args__ = (Index("ix_itemevent_action_at", "action", "at"),)  # the reports count by action

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    action: str = Field(index=True)
    actor_role: ActorRole
    actor_telegram_user_id: int | None = _telegram_id()
    actor_name: str | None = None
    agency_code: str | None = None
    state_before: ItemState | None = None
    state_after: ItemState | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text))
    detail: dict[str, Any] = _json()


class Consultation(SQLModel, table=True):
    """A request for another agency's position (xin ý kiến phối hợp); responsibility does not move."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    from_agency_code: str
    to_agency_code: str = Field(index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    asked_by_telegram_user_id: int | None = _telegram_id()
    asked_by_name: str | None = None
    asked_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    due_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    answer: str | None = Field(default=None, sa_column=Column(Text))
    answered_by_telegram_user_id: int | None = _telegram_id()
    answered_by_name: str | None = None
    answered_at: datetime | None = _instant()
    next_escalation_at: datetime | None = _instant(index=True)  # as on Item, for this consultation's clock


class EscalationStep(SQLModel, table=True):
    """A ladder step that has fired for one deadline of one item; the unique key makes it fire once."""

    __table_args__ = (UniqueConstraint("item_id", "consultation_id", "step", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    consultation_id: int = 0  # 0 for the item's own clocks
    step: str
    due_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    fired_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class ScheduledReport(SQLModel, table=True):
    """A periodic report claimed for one period (e.g. the daily summary of a date); sent once."""

    kind: str = Field(primary_key=True)
    period: str = Field(primary_key=True)  # e.g. "2026-12-08" for a daily report
    claimed_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class RoutingRule(SQLModel, table=True):
    """A routing decision saved by supervisors; it wins over the directory's category route."""

    __table_args__ = (UniqueConstraint("category_code", "locality_code"),)

    id: int | None = Field(default=None, primary_key=True)
    category_code: str
    locality_code: str = ""  # "" means every locality
    agency_code: str
    decided_by_telegram_user_id: int | None = _telegram_id()
    decided_by_name: str | None = None
    source_item_code: str | None = None
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class AgencyChat(SQLModel, table=True):
    """The group chat bound to an agency (or to the supervisors), overriding the directory file."""

    agency_code: str = Field(primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    bound_by_telegram_user_id: int | None = _telegram_id()
    bound_by_name: str | None = None
    bound_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    how: str = "bind_code"  # bind_code, directory, migration


class BindCode(SQLModel, table=True):
    """A one-time code an administrator hands out to bind a group chat to an agency."""

    code: str = Field(primary_key=True)
    agency_code: str
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    used_at: datetime | None = _instant()
    used_by_telegram_user_id: int | None = _telegram_id()
    used_in_chat_id: int | None = _telegram_id()
    is_replacing: bool = False  # issued with --replace: may rebind a group that already serves an agency


class BindingChange(SQLModel, table=True):
    """The history of group bindings: who bound, replaced or unbound which group, and when."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    action: str  # bound, replaced, unbound
    agency_code: str = Field(index=True)
    chat_id: int | None = _telegram_id()
    previous_agency_code: str | None = None  # the agency a replaced group served before
    by_role: str = "administrator"  # administrator (a replacing code, the command line) or officer
    by_telegram_user_id: int | None = _telegram_id()
    by_name: str | None = None


class ConversationDraft(SQLModel, table=True):
    """Where a citizen is in a conversation with the bot; survives restarts."""

    telegram_user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    flow: str = "submit"
    step: str
    data: SubmitDraft = Field(
        default_factory=SubmitDraft, sa_column=Column(PydanticJSON(SubmitDraft), nullable=False)
    )
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class OutboxMessage(SQLModel, table=True):
    """A message to send, written in the same transaction as the change that caused it."""

    __table_args__ = (Index("ix_outbox_pending", "status", "chat_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    method: str  # send_message, edit_message, copy_message, send_location, send_media
    payload: dict[str, Any] = _json()
    item_id: int | None = Field(default=None, index=True)
    purpose: str | None = None  # what a reply to the delivered message means (see PostedMessage)
    purpose_data: dict[str, Any] = _json()
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    available_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    sent_at: datetime | None = _instant()
    sent_message_id: int | None = None
    last_error: str | None = None
    claimed_by: str | None = None  # the sender that has a call for this row in flight (see DeliveryLease)


class OutboxFile(SQLModel, table=True):
    """The bytes of a generated file (a report chart or workbook) that an outbox row uploads."""

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    content_type: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class PostedMessage(SQLModel, table=True):
    """A message the bot posted that people reply to or press buttons on: cards, prompts, notices."""

    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int
    item_id: int | None = Field(default=None, index=True)
    purpose: str
    purpose_data: dict[str, Any] = _json()
    posted_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class ChatDelivery(SQLModel, table=True):
    """Per-chat delivery state: flood-control pauses and whether the chat can be reached at all."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    paused_until: datetime | None = _instant()
    last_sent_at: datetime | None = _instant()
    is_unreachable: bool = False
    unreachable_reason: str | None = None
    # Calls made to the chat within Telegram's longest window (epoch seconds), so that the limits hold
    # across restarts and a handover of the sender; last_attempt_at finds the chats that still matter.
    recent_attempts: list[float] = _json(list)
    last_attempt_at: datetime | None = _instant(index=True)


class DeliveryLease(SQLModel, table=True):
    """Which instance sends the outbox: only the holder of an unexpired lease may (DESIGN §13)."""

    name: str = Field(primary_key=True)  # one sender per outbox: "outbox"
    holder: str  # the instance's random identity; it changes at every start
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    acquired_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class Throttle(SQLModel, table=True):
    """A counter of one person's or chat's recent attempts, and the pause it earned (shared by instances)."""

    scope: str = Field(primary_key=True)  # private_messages, bind_user, bind_chat
    subject_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    window_started_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    count: int = 0
    blocked_until: datetime | None = _instant()
    is_notified: bool = False  # the person was told once about the current pause


class InboxUpdate(SQLModel, table=True):
    """A raw Telegram update, stored before it is acknowledged and handled once."""

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int | None = _telegram_id(index=True)  # updates of one chat are handled in order
    payload: dict[str, Any] = _json()
    received_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    processed_at: datetime | None = _instant(index=True)
    attempts: int = 0
    last_error: str | None = None
    failed_at: datetime | None = _instant(index=True)  # parked: settled without being handled


class NotSaved(RuntimeError):
    """A row was used as if it were in the database before it was ever flushed (a programming error)."""


def saved_id(row: Any) -> int:
    """Return the database id of a row that has been saved; raise NotSaved for one that never was."""
    row_id = getattr(row, "id", None)
    if row_id is None:
        raise NotSaved(f"{type(row).__name__} has no id yet: flush it before using its id")
    return int(row_id)
