"""The ladder's rules as pure functions: which steps are due, when, and for which deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from models.directory import Deadlines
from models.escalation import CLAIM_LEADERS_AFTER, LadderStep, due_steps, subtract_working_time
from models.tables import Consultation, Item, ItemKind, ItemState
from models.working_time import WorkingCalendar
from tests.constants import HANOI

CALENDAR = WorkingCalendar()
DEADLINES = Deadlines()


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    """Return a local instant."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def an_item(**fields: object) -> Item:
    """Return an item received Monday 07/12/2026 09:00 with the default deadlines."""
    received_at = at(7, 9)
    values: dict[str, object] = {
        "id": 1,
        "code": "PA-ABCDEF",
        "kind": ItemKind.FEEDBACK,
        "category_code": "giao-thong",
        "text": "x" * 30,
        "agency_code": "SO-XD",
        "state": ItemState.RECEIVED,
        "received_at": received_at,
        "claim_due_at": CALENDAR.add_working_time(received_at, timedelta(hours=8)),
        "answer_due_at": CALENDAR.end_of_working_days(received_at, 10),
    }
    values.update(fields)
    return Item(**values)


def steps_at(item: Item, now: datetime, consultations: list[Consultation] | None = None) -> list[str]:
    """Return the keys of the steps due at `now`."""
    return [
        due.key
        for due in due_steps(
            item, now=now, calendar=CALENDAR, deadlines=DEADLINES, consultations=consultations or []
        )
    ]


def test_an_unclaimed_item_climbs_the_whole_ladder() -> None:
    """Claim reminder, leaders, due soon, overdue, supervisors: each from its own instant."""
    item = an_item()
    assert item.claim_due_at == at(8, 9) and item.answer_due_at == at(21, 17)
    assert steps_at(item, at(8, 9)) == []
    assert steps_at(item, at(8, 9, 1)) == ["claim_group@SO-XD"]
    assert CALENDAR.add_working_time(at(8, 9), CLAIM_LEADERS_AFTER) == at(8, 14, 30)
    assert steps_at(item, at(8, 14, 31)) == ["claim_group@SO-XD", "claim_leaders@SO-XD"]
    assert "due_soon@SO-XD" in steps_at(item, at(21, 7, 30))
    assert "due_soon@SO-XD" not in steps_at(item, at(18, 17, 0))
    late = steps_at(item, at(21, 17, 1))
    assert "overdue" in late and "due_soon@SO-XD" not in late and "supervisors" not in late
    assert "supervisors" not in steps_at(item, at(23, 17, 0))
    assert "supervisors" in steps_at(item, at(23, 17, 1))


def test_a_claimed_item_gets_no_claim_reminders() -> None:
    """Claiming stops the claim clock."""
    item = an_item(state=ItemState.IN_PROGRESS, claimed_by_telegram_user_id=8101, claimed_at=at(7, 10))
    assert steps_at(item, at(9, 9)) == []


def test_a_paused_answered_or_closed_item_is_not_escalated() -> None:
    """Waiting for the citizen pauses the answer clock; finished items are left alone."""
    for state in (ItemState.AWAITING_CITIZEN, ItemState.ANSWERED, ItemState.CLOSED, ItemState.WITHDRAWN):
        item = an_item(state=state, claimed_by_telegram_user_id=8101)
        assert steps_at(item, at(30, 10)) == [], state


def test_a_moved_deadline_arms_the_steps_again() -> None:
    """The step key carries the deadline: an extension makes "overdue" due again for the new date."""
    item = an_item(state=ItemState.IN_PROGRESS, claimed_by_telegram_user_id=8101)
    first = due_steps(item, now=at(22, 9), calendar=CALENDAR, deadlines=DEADLINES)
    item.answer_due_at = at(28, 17)
    second = due_steps(item, now=at(28, 17, 1), calendar=CALENDAR, deadlines=DEADLINES)
    overdue_first = next(due for due in first if due.step is LadderStep.OVERDUE)
    overdue_second = next(due for due in second if due.step is LadderStep.OVERDUE)
    assert overdue_first.deadline_at != overdue_second.deadline_at


def test_a_transfer_reminds_the_new_agency_of_an_unclaimed_item() -> None:
    """Claim and due-soon steps are kept per agency; overdue and supervisors are per item."""
    item = an_item(agency_code="SO-NNMT")
    assert steps_at(item, at(8, 10)) == ["claim_group@SO-NNMT"]


def test_consultation_steps_use_their_own_deadline_and_agency() -> None:
    """A consultation reminds the consulted agency before its deadline and escalates after it."""
    item = an_item(state=ItemState.IN_PROGRESS, claimed_by_telegram_user_id=8101)
    consultation = Consultation(
        id=4,
        item_id=1,
        from_agency_code="SO-XD",
        to_agency_code="UBND-PDP",
        question="?",
        asked_at=at(8, 10),
        due_at=at(15, 17),
    )
    soon = due_steps(
        item, now=at(15, 8), calendar=CALENDAR, deadlines=DEADLINES, consultations=[consultation]
    )
    assert [(due.step, due.agency_code, due.consultation_id) for due in soon] == [
        (LadderStep.CONSULTATION_DUE_SOON, "UBND-PDP", 4)
    ]
    assert steps_at(item, at(15, 17, 1), [consultation]) == ["consultation_overdue"]
    consultation.answered_at = at(15, 16)
    assert steps_at(item, at(15, 17, 1), [consultation]) == []


def test_subtract_working_time_skips_nights_weekends_and_holidays() -> None:
    """One working day before Monday 04/01/2027 17:00 is Monday 07:30; 9 hours reach back to Thursday."""
    assert subtract_working_time(CALENDAR, at(4, 17, month=1, year=2027), timedelta(hours=8)) == at(
        4, 7, 30, month=1, year=2027
    )
    # Friday 01/01/2027 is New Year's Day: the hour before Monday 07:30 is Thursday 31/12, 16:00-17:00.
    assert subtract_working_time(CALENDAR, at(4, 17, month=1, year=2027), timedelta(hours=9)) == at(31, 16)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(HANOI)
    ),
    minutes=st.integers(min_value=0, max_value=60 * 8 * 30),
)
def test_subtracting_undoes_adding(start: datetime, minutes: int) -> None:
    """Working time from subtract(end, d) to end is d, and the instant is a working instant."""
    end = CALENDAR.add_working_time(start, timedelta(minutes=minutes))
    back = subtract_working_time(CALENDAR, end, timedelta(minutes=minutes))
    assert CALENDAR.working_time_between(back, end) == timedelta(minutes=minutes)
    assert CALENDAR.is_working_instant(back)
