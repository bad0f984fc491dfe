"""The item's state rules (DESIGN §4, §6, §9) as pure functions on an `Item`; callers save the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from models.actions import Action
from models.substance import check_substance
from models.tables import ActorRole, Item, ItemEvent, ItemState, Rating
from models.working_time import WorkingCalendar

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


# The states in which the answer deadline is ticking (it pauses while waiting for the citizen).
ANSWER_CLOCK_STATES = frozenset(
    {ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.DISPUTED}
)


def is_answer_clock_running(item: Item) -> bool:
    """Tell whether the answer deadline is ticking (it pauses while waiting for the citizen)."""
    return item.state in ANSWER_CLOCK_STATES


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
    TEXT_REQUIRED = "text_required"
    RESPONSIBILITY_DECIDED = "responsibility_decided"
    ALREADY_ANSWERED = "already_answered"
    EXTENSION_TOO_EARLY = "extension_too_early"  # the new date is not after the current one (or now)
    ALREADY_FLAGGED = "already_flagged"
    URGED_RECENTLY = "urged_recently"
    REFERRAL_OUTDATED = "referral_outdated"  # the referred item left its agency, or its agency is done


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
    action: Action,
    actor: Actor,
    now: datetime,
    new_state: ItemState | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    bump_version: bool = False,
) -> Change:
    """Apply an optional state change and return the event that records it.

    `bump_version` outdates the item's buttons even when the state stays the same (a transfer).
    """
    if item.id is None:
        raise ValueError("an item is saved before events are recorded on it")
    state_before = item.state
    if new_state is not None and new_state != item.state:
        item.state = new_state
        item.state_version += 1
    elif bump_version:
        item.state_version += 1
    item.updated_at = now
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


# --- officer, citizen and supervisor transitions (DESIGN §4, §6, §9) ------------------------------

CLAIMABLE_STATES = (ItemState.RECEIVED, ItemState.REOPENED)
ASK_STATES = (ItemState.IN_PROGRESS, ItemState.REOPENED)
CONSULT_STATES = (ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.AWAITING_CITIZEN)
PROGRESS_STATES = (ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.AWAITING_CITIZEN)
ANSWER_STATES = (ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.AWAITING_CITIZEN)
TRANSFER_STATES = (ItemState.RECEIVED, ItemState.IN_PROGRESS)
REJECT_STATES = (ItemState.RECEIVED, ItemState.IN_PROGRESS)
BEYOND_AUTHORITY_STATES = (
    ItemState.IN_PROGRESS,
    ItemState.AWAITING_CITIZEN,
)  # claimed, still with the agency


class CardAction(StrEnum):
    """What an officer may do from an item's card; the values are part of the card buttons' data."""

    CLAIM = "claim"
    ASK = "ask"
    CONSULT = "consult"
    PROGRESS = "progress"
    ANSWER = "answer"
    TRANSFER = "transfer"
    REJECT = "reject"
    BEYOND_AUTHORITY = "beyond_authority"  # report up to the competent level (Dispatch 968 §1(h))


# The one source of "which action in which state": the card buttons and the handlers both read it.
ACTION_STATES: dict[CardAction, tuple[ItemState, ...]] = {
    CardAction.CLAIM: CLAIMABLE_STATES,
    CardAction.ASK: ASK_STATES,
    CardAction.CONSULT: CONSULT_STATES,
    CardAction.PROGRESS: PROGRESS_STATES,
    CardAction.ANSWER: ANSWER_STATES,
    CardAction.TRANSFER: TRANSFER_STATES,
    CardAction.REJECT: REJECT_STATES,
    CardAction.BEYOND_AUTHORITY: BEYOND_AUTHORITY_STATES,
}
# A card the triage group shows for an agency without a group of its own may only be routed by hand.
STAND_IN_ACTIONS = frozenset({CardAction.TRANSFER})


def allowed_actions(item: Item, *, is_stand_in: bool = False) -> frozenset[CardAction]:
    """Return the card actions the item's state allows now (only routing, for the triage group standing in)."""
    allowed = frozenset(action for action, states in ACTION_STATES.items() if item.state in states)
    if item.state in BEYOND_AUTHORITY_STATES and item.claimed_by_telegram_user_id is None:
        allowed -= {CardAction.BEYOND_AUTHORITY}
    return allowed & STAND_IN_ACTIONS if is_stand_in else allowed


def check_action(item: Item, action: CardAction, *, is_stand_in: bool = False) -> None:
    """Refuse a card action the item's state does not allow now; nothing is changed."""
    if action not in allowed_actions(item, is_stand_in=is_stand_in):
        raise Refused(RefusalReason.WRONG_STATE, state=item.state.value)


def required_text(text: str | None, reason: RefusalReason) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Refused(reason)
    return cleaned


def _state_while_handled(item: Item) -> ItemState:
    """Return where an item handled by its agency stands: claimed, or reopened and waiting for a claim."""
    return ItemState.IN_PROGRESS if item.claimed_by_telegram_user_id is not None else ItemState.REOPENED


def clear_claim(item: Item) -> None:
    item.claimed_by_telegram_user_id = None
    item.claimed_by_name = None
    item.claimed_at = None


def resume_answer_clock(item: Item, *, now: datetime, calendar: WorkingCalendar) -> timedelta:
    """Move the answer deadline on by the working time spent waiting for the citizen; return it."""
    if item.awaiting_citizen_since is None:
        return timedelta(0)
    waited = calendar.working_time_between(item.awaiting_citizen_since, now)
    item.paused_working_seconds = (item.paused_working_seconds or 0) + int(waited.total_seconds())
    if item.answer_due_at is not None and waited > timedelta(0):
        item.answer_due_at = calendar.add_working_time(item.answer_due_at, waited)
    item.awaiting_citizen_since = None
    return waited


def answer_working_seconds(item: Item, *, calendar: WorkingCalendar) -> int | None:
    """Return the working time from receipt to the answer, the time waiting for the citizen left out."""
    if item.answered_at is None:
        return None
    total = calendar.working_time_between(item.received_at, item.answered_at)
    return max(0, int(total.total_seconds()) - (item.paused_working_seconds or 0))


def claim(item: Item, *, actor: Actor, now: datetime) -> Change:
    """Let a named officer take the item; the claim clock stops."""
    require_state(item, *CLAIMABLE_STATES)
    if item.claimed_by_telegram_user_id is not None:
        raise Refused(RefusalReason.ALREADY_CLAIMED, officer=item.claimed_by_name or "")
    item.claimed_by_telegram_user_id = actor.telegram_user_id
    item.claimed_by_name = actor.name
    item.claimed_at = now
    return record(item, action=Action.CLAIMED, actor=actor, now=now, new_state=ItemState.IN_PROGRESS)


def ask_citizen(item: Item, *, actor: Actor, now: datetime, question: str) -> Change:
    """Ask the citizen for more information; the answer clock pauses until they reply."""
    require_state(item, *ASK_STATES)
    question = required_text(question, RefusalReason.TEXT_REQUIRED)
    item.awaiting_citizen_since = now
    return record(
        item,
        action=Action.ASKED_CITIZEN,
        actor=actor,
        now=now,
        new_state=ItemState.AWAITING_CITIZEN,
        detail={"text": question},
    )


def citizen_replied(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    calendar: WorkingCalendar,
    text: str,
    attachment_count: int = 0,
) -> Change:
    """Take information from the citizen; when it was asked for, the answer clock runs again."""
    require_state(item, *OPEN_STATES)
    if not text.strip() and not attachment_count:
        raise Refused(RefusalReason.TEXT_REQUIRED)
    detail: dict[str, Any] = {"text": text.strip(), "attachments": attachment_count}
    if item.state is not ItemState.AWAITING_CITIZEN:
        return record(item, action=Action.CITIZEN_ADDED_INFORMATION, actor=actor, now=now, detail=detail)
    waited = resume_answer_clock(item, now=now, calendar=calendar)
    detail["paused_working_seconds"] = int(waited.total_seconds())
    return record(
        item,
        action=Action.CITIZEN_REPLIED,
        actor=actor,
        now=now,
        new_state=_state_while_handled(item),
        detail=detail,
    )


def progress_update(item: Item, *, actor: Actor, now: datetime, text: str) -> Change:
    """Tell the citizen how handling goes; the state and the answer clock do not change."""
    require_state(item, *PROGRESS_STATES)
    text = required_text(text, RefusalReason.TEXT_REQUIRED)
    return record(item, action=Action.PROGRESS_UPDATE, actor=actor, now=now, detail={"text": text})


def answer(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    calendar: WorkingCalendar,
    text: str,
    attachment_count: int = 0,
    proper_names: Sequence[str] = (),
) -> Change:
    """Send the agency's answer, after the substance check (DESIGN §9) with the directory's names removed."""
    require_state(item, *ANSWER_STATES)
    verdict = check_substance(text, proper_names=proper_names)
    if verdict.problem is not None:
        raise Refused(RefusalReason.NO_SUBSTANCE, problem=verdict.problem.value)
    resume_answer_clock(item, now=now, calendar=calendar)
    item.answered_at = now
    item.answer_working_seconds = answer_working_seconds(item, calendar=calendar)
    return record(
        item,
        action=Action.ANSWERED,
        actor=actor,
        now=now,
        new_state=ItemState.ANSWERED,
        detail={"text": text.strip(), "attachments": attachment_count},
    )


def reject(item: Item, *, actor: Actor, now: datetime, reason: str) -> Change:
    """Refuse spam or an out-of-scope item with a written reason; supervisors can reverse it."""
    require_state(item, *REJECT_STATES)
    reason = required_text(reason, RefusalReason.REASON_REQUIRED)
    return record(
        item, action=Action.REJECTED, actor=actor, now=now, new_state=ItemState.REJECTED, reason=reason
    )


def reverse_rejection(item: Item, *, actor: Actor, now: datetime) -> Change:
    """Give a rejected item back to its agency (a supervisor's review); the clock never restarted."""
    require_state(item, ItemState.REJECTED)
    new_state = ItemState.IN_PROGRESS if item.claimed_by_telegram_user_id is not None else ItemState.RECEIVED
    return record(item, action=Action.REJECTION_REVERSED, actor=actor, now=now, new_state=new_state)


def uphold_rejection(item: Item, *, actor: Actor, now: datetime) -> Change:
    """Record that a supervisor reviewed a rejection and agrees with it."""
    require_state(item, ItemState.REJECTED)
    return record(item, action=Action.REJECTION_UPHELD, actor=actor, now=now)


def rate(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    rating: Rating,
    calendar: WorkingCalendar,
    answer_days: int,
    claim_hours: float,
    comment: str | None = None,
) -> Change:
    """Take the citizen's verdict: satisfied closes; not satisfied reopens for the same agency."""
    require_state(item, ItemState.ANSWERED)
    item.rating = rating
    item.rated_at = now
    if rating is Rating.SATISFIED:
        item.closed_at = now
        return record(item, action=Action.RATED_SATISFIED, actor=actor, now=now, new_state=ItemState.CLOSED)
    clear_claim(item)
    item.claim_due_at = calendar.add_working_time(now, timedelta(hours=claim_hours))
    item.answer_due_at = calendar.end_of_working_days(now, answer_days)
    return record(
        item,
        action=Action.REOPENED_NOT_SATISFIED,
        actor=actor,
        now=now,
        new_state=ItemState.REOPENED,
        reason=(comment or "").strip() or None,
        detail={"answer_due_at": item.answer_due_at.isoformat()},
    )


def add_rating_comment(item: Item, *, actor: Actor, now: datetime, comment: str) -> Change:
    """Record why the citizen was not satisfied (it may come after the rating)."""
    comment = required_text(comment, RefusalReason.TEXT_REQUIRED)
    return record(item, action=Action.RATING_COMMENT, actor=actor, now=now, reason=comment)


def withdraw(item: Item, *, actor: Actor, now: datetime) -> Change:
    """Let the citizen withdraw an item that is still open."""
    require_state(item, *OPEN_STATES)
    item.awaiting_citizen_since = None
    item.closed_at = now
    return record(item, action=Action.WITHDRAWN, actor=actor, now=now, new_state=ItemState.WITHDRAWN)
