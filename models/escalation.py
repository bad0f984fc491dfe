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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from models.directory import Deadlines
from models.lifecycle import OPEN_STATES, is_answer_clock_running
from models.tables import Consultation, Item, ItemState
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
    assert item.id is not None
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
        assert item.id is not None
        found.append(
            DueStep(
                step=step,
                item_id=item.id,
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
