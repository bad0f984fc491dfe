"""The item's state rules (DESIGN §4, §6, §9) as pure functions on an `Item`; callers save the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from models.tables import ActorRole, Item, ItemEvent, ItemState

OPEN_STATES = frozenset(
    {
        ItemState.RECEIVED,
        ItemState.IN_PROGRESS,
        ItemState.AWAITING_CITIZEN,
        ItemState.DISPUTED,
        ItemState.REOPENED,
    }
)
FINISHED_STATES = frozenset({ItemState.CLOSED, ItemState.REJECTED, ItemState.WITHDRAWN})
HANDLED_BY_AGENCY_STATES = frozenset(
    {ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.AWAITING_CITIZEN, ItemState.REOPENED}
)


def is_open(item: Item) -> bool:
    """Tell whether the item still waits for an answer."""
    return item.state in OPEN_STATES


def is_finished(item: Item) -> bool:
    """Tell whether nothing more can happen to the item except a supervisor's review."""
    return item.state in FINISHED_STATES


def is_answer_clock_running(item: Item) -> bool:
    """Tell whether the answer deadline is ticking (it pauses while waiting for the citizen)."""
    return item.state in {ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.DISPUTED}


def is_overdue(item: Item, now: datetime) -> bool:
    """Derive overdue from the deadline and the clock; it is never stored."""
    return is_answer_clock_running(item) and item.answer_due_at is not None and now > item.answer_due_at


class RefusalReason(StrEnum):
    """Why an action was not carried out; each maps to a polite text."""

    WRONG_STATE = "wrong_state"
    ALREADY_CLAIMED = "already_claimed"
    NOT_CLAIMED = "not_claimed"
    TRANSFER_WINDOW_CLOSED = "transfer_window_closed"
    SAME_AGENCY = "same_agency"
    UNKNOWN_AGENCY = "unknown_agency"
    REASON_REQUIRED = "reason_required"
    NO_SUBSTANCE = "no_substance"
    EXTENSION_USED = "extension_used"
    EXTENSION_TOO_LONG = "extension_too_long"


class Refused(Exception):
    """An action is not allowed now; nothing was changed."""

    def __init__(self, reason: RefusalReason, **details: Any) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Actor:
    """Who acts: a citizen, an officer of an agency, a supervisor, the system or an administrator."""

    role: ActorRole
    telegram_user_id: int | None = None
    name: str | None = None
    agency_code: str | None = None

    @classmethod
    def system(cls) -> Actor:
        """Return the scheduler/bot itself as the actor."""
        return cls(role=ActorRole.SYSTEM, name="pakn-bot")


@dataclass
class Change:
    """What a rule did: the event to append; the caller adds it and the item to the session."""

    event: ItemEvent
    notes: dict[str, Any] = field(default_factory=dict)


def record(
    item: Item,
    *,
    action: str,
    actor: Actor,
    now: datetime,
    new_state: ItemState | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Change:
    """Apply an optional state change and return the event that records it."""
    state_before = item.state
    if new_state is not None and new_state != item.state:
        item.state = new_state
        item.state_version += 1
    item.updated_at = now
    assert item.id is not None, "items are saved before events are recorded"
    event = ItemEvent(
        item_id=item.id,
        at=now,
        action=action,
        actor_role=actor.role,
        actor_telegram_user_id=actor.telegram_user_id,
        actor_name=actor.name,
        agency_code=actor.agency_code or item.agency_code,
        state_before=state_before,
        state_after=item.state,
        reason=reason,
        detail=detail or {},
    )
    return Change(event=event)


def require_state(item: Item, *allowed: ItemState) -> None:
    """Refuse when the item is not in one of the allowed states."""
    if item.state not in allowed:
        raise Refused(RefusalReason.WRONG_STATE, state=item.state.value)
