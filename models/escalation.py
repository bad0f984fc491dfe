"""The escalation ladder (DESIGN §8) and the supervisors' actions on it, as pure functions.

Which ladder steps are due for an item at an instant depends only on the item, its consultations,
the province's deadlines and the working-time calendar. The scheduler records each step it fires in
an `EscalationStep` row keyed by (item, consultation, step, deadline), so a step fires once per
deadline: when a deadline moves (an extension, a pause for the citizen, a reopening) the steps that
depend on it are armed again for the new deadline.

The ladder, for an item whose answer clock runs::

    1a claim_group     not claimed by claim_due_at                  → the agency group
    1b claim_leaders   still not claimed CLAIM_LEADERS_AFTER later  → the agency's leaders
    2  due_soon        due_soon_hours of working time before answer_due_at → the agency group
    3  overdue         answer_due_at has passed                     → the leaders; the citizen is told
    4  supervisors     overdue by supervisor_escalation_days working days → escalation card

and for each unanswered consultation, with its own deadline::

    c1 consultation_due_soon  due_soon_hours before its due_at       → the consulted agency's group
    c2 consultation_overdue   its due_at has passed                  → the consulted agency's leaders

Steps 1 and 2 ask the responsible agency to act, so they are kept per agency: an item passed on to
another agency reminds that agency too. Steps 3 and 4 concern the item and fire once per deadline,
whoever holds it. A "due soon" reminder that is only noticed once the item is already overdue (after
downtime) is superseded by the overdue step and is not sent: it would tell people something false.

So that a sweep costs what is due and not what is open, every item and every consultation stores its
**next escalation instant** (`next_escalation_at`, NULL when nothing more can fire). Every session
built with `track_escalations` keeps it when it flushes, in the same transaction as the change that
moved a deadline or a state, whichever code made the change: an item whose clocks changed gets the
earliest instant any of its steps can fall due at (it may have passed: a step re-armed for another
agency is due at once, and the sweep sorts out what already fired). The sweep itself stores the next
instant after the one it looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history
from sqlmodel import Session as SQLModelSession

from models.db import SessionFactory
from models.directory import Deadlines
from models.lifecycle import OPEN_STATES, is_answer_clock_running
from models.tables import Consultation, Item, ItemState, saved_id
from models.working_time import WorkingCalendar

# Half a working day after the claim deadline the leaders hear of an item nobody has taken: long
# enough for the group reminder to be acted on, short enough that an unclaimed item never waits a
# whole working day more.
CLAIM_LEADERS_AFTER = timedelta(hours=4)
CLAIMABLE_STATES = frozenset({ItemState.RECEIVED, ItemState.REOPENED})
AGENCY_STEP_SEPARATOR = "@"


class LadderStep(StrEnum):
    """The rungs of the ladder, in the order an item meets them."""

    CLAIM_GROUP = "claim_group"
    CLAIM_LEADERS = "claim_leaders"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUPERVISORS = "supervisors"
    CONSULTATION_DUE_SOON = "consultation_due_soon"
    CONSULTATION_OVERDUE = "consultation_overdue"


PER_AGENCY_STEPS = frozenset({LadderStep.CLAIM_GROUP, LadderStep.CLAIM_LEADERS, LadderStep.DUE_SOON})


@dataclass(frozen=True)
class DueStep:
    """A ladder step that has fallen due: what, for which deadline, since when, and for whom."""

    step: LadderStep
    item_id: int
    deadline_at: datetime  # the deadline the step is about; part of the once-only key
    fell_due_at: datetime
    agency_code: str
    consultation_id: int = 0

    @property
    def key(self) -> str:
        """Return the step as recorded in EscalationStep.step (per-agency steps name the agency)."""
        if self.step in PER_AGENCY_STEPS:
            return f"{self.step.value}{AGENCY_STEP_SEPARATOR}{self.agency_code}"
        return self.step.value


def subtract_working_time(calendar: WorkingCalendar, end: datetime, duration: timedelta) -> datetime:
    """Return the latest instant from which `duration` of working time runs until `end`."""
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    cursor = end.astimezone(UTC)
    remaining = duration
    day = cursor.astimezone(calendar.timezone).date()
    for _ in range(3660):
        if calendar.is_working_day(day):
            for start_time, end_time in reversed(calendar.periods):
                period_start = _local(calendar, day, start_time)
                period_end = _local(calendar, day, end_time)
                if cursor < period_start:
                    continue
                finish = min(cursor, period_end)
                available = finish - period_start
                if remaining <= available:
                    return (finish - remaining).astimezone(calendar.timezone)
                remaining -= available
                cursor = period_start
        day -= timedelta(days=1)
    raise ValueError("no working time in the ten years before the deadline")


def _local(calendar: WorkingCalendar, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=calendar.timezone).astimezone(UTC)


def supervisor_escalation_at(
    item: Item, *, calendar: WorkingCalendar, deadlines: Deadlines
) -> datetime | None:
    """Return when the item is overdue by the configured number of working days (step 4)."""
    if item.answer_due_at is None:
        return None
    late_by = calendar.working_day_length() * deadlines.supervisor_escalation_days
    return calendar.add_working_time(item.answer_due_at, late_by)


def due_steps(
    item: Item,
    *,
    now: datetime,
    calendar: WorkingCalendar,
    deadlines: Deadlines,
    consultations: Sequence[Consultation] = (),
) -> list[DueStep]:
    """Return every ladder step that has fallen due for an item at `now`, fired or not."""
    item_id = saved_id(item)
    found: list[DueStep] = []
    if item.state not in OPEN_STATES:
        return found

    def due(
        step: LadderStep,
        deadline_at: datetime,
        fell_due_at: datetime,
        *,
        agency_code: str | None = None,
        consultation_id: int = 0,
    ) -> None:
        found.append(
            DueStep(
                step=step,
                item_id=item_id,
                deadline_at=deadline_at,
                fell_due_at=fell_due_at,
                agency_code=agency_code or item.agency_code,
                consultation_id=consultation_id,
            )
        )

    is_clock_running = is_answer_clock_running(item)
    is_waiting_for_claim = item.state in CLAIMABLE_STATES and item.claimed_by_telegram_user_id is None
    if is_waiting_for_claim and item.claim_due_at is not None and now > item.claim_due_at:
        due(LadderStep.CLAIM_GROUP, item.claim_due_at, item.claim_due_at)
        leaders_at = calendar.add_working_time(item.claim_due_at, CLAIM_LEADERS_AFTER)
        if now > leaders_at:
            due(LadderStep.CLAIM_LEADERS, item.claim_due_at, leaders_at)
    answer_due_at = item.answer_due_at
    if answer_due_at is not None and is_clock_running:
        is_overdue = now > answer_due_at
        soon_at = subtract_working_time(calendar, answer_due_at, timedelta(hours=deadlines.due_soon_hours))
        if not is_overdue and now >= soon_at and item.state is not ItemState.DISPUTED:
            due(LadderStep.DUE_SOON, answer_due_at, soon_at)
        if is_overdue:
            due(LadderStep.OVERDUE, answer_due_at, answer_due_at)
            escalate_at = supervisor_escalation_at(item, calendar=calendar, deadlines=deadlines)
            if escalate_at is not None and now > escalate_at:
                due(LadderStep.SUPERVISORS, answer_due_at, escalate_at)
    for consultation in consultations:
        if consultation.answered_at is not None or consultation.id is None:
            continue
        consultation_due_at = consultation.due_at
        soon_at = subtract_working_time(
            calendar, consultation_due_at, timedelta(hours=deadlines.due_soon_hours)
        )
        target = consultation.to_agency_code
        if now > consultation_due_at:
            due(
                LadderStep.CONSULTATION_OVERDUE,
                consultation_due_at,
                consultation_due_at,
                agency_code=target,
                consultation_id=consultation.id,
            )
        elif now >= soon_at:
            due(
                LadderStep.CONSULTATION_DUE_SOON,
                consultation_due_at,
                soon_at,
                agency_code=target,
                consultation_id=consultation.id,
            )
    return found


# --- the next escalation instant (issue 9) ---------------------------------------------------------


@dataclass(frozen=True)
class EscalationRules:
    """What the ladder's instants depend on besides the item: the calendar and the deadlines."""

    calendar: WorkingCalendar
    deadlines: Deadlines


def item_escalation_instants(item: Item, *, rules: EscalationRules) -> list[datetime]:
    """Return every instant from which one of the item's own steps (1 to 4) can fall due, as it stands."""
    if item.state not in OPEN_STATES:
        return []
    calendar, deadlines = rules.calendar, rules.deadlines
    instants: list[datetime] = []
    is_waiting_for_claim = item.state in CLAIMABLE_STATES and item.claimed_by_telegram_user_id is None
    if is_waiting_for_claim and item.claim_due_at is not None:
        instants += [item.claim_due_at, calendar.add_working_time(item.claim_due_at, CLAIM_LEADERS_AFTER)]
    if item.answer_due_at is not None and is_answer_clock_running(item):
        if item.state is not ItemState.DISPUTED:
            soon = timedelta(hours=deadlines.due_soon_hours)
            instants.append(subtract_working_time(calendar, item.answer_due_at, soon))
        instants.append(item.answer_due_at)
        escalate_at = supervisor_escalation_at(item, calendar=calendar, deadlines=deadlines)
        if escalate_at is not None:
            instants.append(escalate_at)
    return instants


def consultation_escalation_instants(consultation: Consultation, *, rules: EscalationRules) -> list[datetime]:
    """Return the instants a consultation's steps can fall due from, while it waits for its answer."""
    if consultation.answered_at is not None:
        return []
    soon = timedelta(hours=rules.deadlines.due_soon_hours)
    return [subtract_working_time(rules.calendar, consultation.due_at, soon), consultation.due_at]


def next_instant(instants: Sequence[datetime], *, after: datetime | None = None) -> datetime | None:
    """Return the earliest instant, or the earliest not before `after`; None when there is none."""
    pending = [instant for instant in instants if after is None or instant >= after]
    return min(pending, default=None)


def item_next_escalation_at(
    item: Item, *, rules: EscalationRules, after: datetime | None = None
) -> datetime | None:
    """Return when the sweep must next look at the item's own clocks (None: never, as it stands).

    With `after` (the sweep's instant) it skips the calendar arithmetic whose result cannot be the
    earliest pending instant: the leaders' rung comes after the claim deadline, "due soon" before
    the answer deadline and the supervisors' rung after it. It returns what `next_instant` would
    return over `item_escalation_instants` (tests/test_escalation_property.py plays both).
    """
    if after is None:
        return next_instant(item_escalation_instants(item, rules=rules))
    if item.state not in OPEN_STATES:
        return None
    calendar, deadlines = rules.calendar, rules.deadlines
    pending: list[datetime] = []
    is_waiting_for_claim = item.state in CLAIMABLE_STATES and item.claimed_by_telegram_user_id is None
    if is_waiting_for_claim and item.claim_due_at is not None:
        if item.claim_due_at >= after:
            pending.append(item.claim_due_at)
        else:
            pending.append(calendar.add_working_time(item.claim_due_at, CLAIM_LEADERS_AFTER))
    answer_due_at = item.answer_due_at
    if answer_due_at is not None and is_answer_clock_running(item):
        if answer_due_at >= after:
            pending.append(answer_due_at)
            if item.state is not ItemState.DISPUTED:
                soon = timedelta(hours=deadlines.due_soon_hours)
                pending.append(subtract_working_time(calendar, answer_due_at, soon))
        else:
            escalate_at = supervisor_escalation_at(item, calendar=calendar, deadlines=deadlines)
            if escalate_at is not None:
                pending.append(escalate_at)
    return next_instant(pending, after=after)


def consultation_next_escalation_at(
    consultation: Consultation, *, rules: EscalationRules, after: datetime | None = None
) -> datetime | None:
    """Return when the sweep must next look at a consultation's clock (None once it is answered)."""
    return next_instant(consultation_escalation_instants(consultation, rules=rules), after=after)


# The fields the ladder reads: when one of them changes, the instant is computed again.
ITEM_CLOCK_FIELDS = ("state", "agency_code", "claimed_by_telegram_user_id", "claim_due_at", "answer_due_at")
CONSULTATION_CLOCK_FIELDS = ("due_at", "answered_at")
RULES_KEY = "escalation_rules"


class EscalationTrackingSession(SQLModelSession):
    """A session that keeps every changed item's and consultation's next escalation instant."""


def track_escalations(session_factory: SessionFactory, rules: EscalationRules) -> None:
    """Make every session of the factory keep the next escalation instants when it flushes."""
    session_factory.configure(sync_session_class=EscalationTrackingSession, info={RULES_KEY: rules})


def _is_changed(instance: object, fields: Sequence[str]) -> bool:
    return any(get_history(instance, name).has_changes() for name in fields)


@event.listens_for(EscalationTrackingSession, "before_flush")
def _keep_next_escalation_instants(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    rules = session.info.get(RULES_KEY)
    if not isinstance(rules, EscalationRules):
        return
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Item):
            _keep_item_instant(instance, rules, is_new=instance in session.new)
        elif isinstance(instance, Consultation):
            is_new = instance in session.new
            if _is_changed(instance, ["next_escalation_at"]) and not is_new:
                continue  # the sweep set it
            if is_new or _is_changed(instance, CONSULTATION_CLOCK_FIELDS):
                instance.next_escalation_at = consultation_next_escalation_at(instance, rules=rules)


def _keep_item_instant(item: Item, rules: EscalationRules, *, is_new: bool) -> None:
    if not is_new and (_is_changed(item, ["next_escalation_at"]) or not _is_changed(item, ITEM_CLOCK_FIELDS)):
        return  # set by the sweep, or nothing the ladder reads has changed
    instant = item_next_escalation_at(item, rules=rules)
    state_history = get_history(item, "state")
    was_closed = any(state not in OPEN_STATES for state in state_history.deleted)
    if not is_new and was_closed and item.state in OPEN_STATES:
        # Reopened: its unanswered consultations were put to rest while it was closed, so the next
        # sweep looks at the item (and them) at once.
        reopened_at = item.updated_at or item.received_at
        instant = reopened_at if instant is None else min(instant, reopened_at)
    item.next_escalation_at = instant
