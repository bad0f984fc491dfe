"""The supervisors' rules on an overdue item: urge, reassign, extend once, flag for review (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models.directory import load_directory
from models.handover import decide_dispute, transfer
from models.lifecycle import Actor, RefusalReason, Refused
from models.submission import initial_deadlines
from models.supervision import (
    extend,
    flag_for_review,
    latest_extension,
    latest_working_instant,
    reassign,
    urge,
    working_days_overdue,
)
from models.tables import ActorRole, Item, ItemKind, ItemState
from tests.constants import HANOI, MONDAY_MORNING, TEST_DIRECTORY

DIRECTORY = load_directory(TEST_DIRECTORY)
CALENDAR = DIRECTORY.calendar()
SUPERVISOR = Actor(
    role=ActorRole.SUPERVISOR, telegram_user_id=8901, name="Bình Hoàng", agency_code="__supervisors__"
)
# Received Monday 07/12/2026 09:00; ten working days later the answer is due Monday 21/12/2026 17:00.
ANSWER_DUE = datetime(2026, 12, 21, 17, 0, tzinfo=HANOI)
OVERDUE_NOW = datetime(2026, 12, 24, 9, 0, tzinfo=HANOI)  # Thursday: two working days and 1.5 hours late


def road_item(state: ItemState = ItemState.IN_PROGRESS, **overrides: object) -> Item:
    """Return a saved road item of the Department of Construction, claimed by an officer."""
    deadlines = initial_deadlines(
        directory=DIRECTORY, calendar=CALENDAR, category_code="giao-thong", received_at=MONDAY_MORNING
    )
    values: dict[str, object] = {
        "id": 1,
        "code": "PA-ABCDEF",
        "kind": ItemKind.FEEDBACK,
        "category_code": "giao-thong",
        "text": "Mặt đường sụt lún trước số nhà 12.",
        "citizen_telegram_user_id": 5001,
        "agency_code": "SO-XD",
        "state": state,
        "state_version": 3,
        "received_at": MONDAY_MORNING,
        "claim_due_at": deadlines.claim_due_at,
        "transfer_window_ends_at": deadlines.transfer_window_ends_at,
        "answer_due_at": deadlines.answer_due_at,
        "claimed_by_telegram_user_id": 8101,
        "claimed_by_name": "Hùng Trần",
        "claimed_at": MONDAY_MORNING,
    }
    values.update(overrides)
    return Item(**values)


def snapshot(item: Item) -> dict[str, object]:
    """Return every column of an item, to show that a refusal changed nothing."""
    return item.model_dump()


def test_the_fixture_item_is_due_on_the_twenty_first() -> None:
    assert road_item().answer_due_at == ANSWER_DUE


# --- urge ---------------------------------------------------------------------------------------------


def test_urging_records_who_urged_and_changes_nothing_else() -> None:
    item = road_item()
    before = snapshot(item)
    change = urge(item, actor=SUPERVISOR, now=OVERDUE_NOW)
    assert change.event.action == "urged"
    assert change.event.actor_telegram_user_id == SUPERVISOR.telegram_user_id == 8901
    assert change.event.actor_role is ActorRole.SUPERVISOR
    assert change.event.detail["urged_agency"] == "SO-XD"
    after = snapshot(item)
    assert after.pop("updated_at") == OVERDUE_NOW
    before.pop("updated_at")
    assert after == before


@pytest.mark.parametrize(
    "state", [ItemState.AWAITING_CITIZEN, ItemState.DISPUTED, ItemState.ANSWERED, ItemState.CLOSED]
)
def test_urging_is_refused_when_the_agency_is_not_working_on_the_item(state: ItemState) -> None:
    item = road_item(state)
    with pytest.raises(Refused) as refused:
        urge(item, actor=SUPERVISOR, now=OVERDUE_NOW)
    assert refused.value.reason is RefusalReason.WRONG_STATE


def test_a_second_urging_within_the_hour_is_refused_and_later_allowed() -> None:
    item = road_item()
    with pytest.raises(Refused) as refused:
        urge(item, actor=SUPERVISOR, now=OVERDUE_NOW, last_urged_at=OVERDUE_NOW - timedelta(minutes=10))
    assert refused.value.reason is RefusalReason.URGED_RECENTLY
    change = urge(item, actor=SUPERVISOR, now=OVERDUE_NOW, last_urged_at=OVERDUE_NOW - timedelta(hours=2))
    assert change.event.action == "urged"


# --- reassign -----------------------------------------------------------------------------------------


def test_reassigning_keeps_every_deadline_and_is_not_counted_as_a_transfer() -> None:
    item = road_item(transfer_count=0)
    deadlines = (item.claim_due_at, item.transfer_window_ends_at, item.answer_due_at, item.received_at)
    change = reassign(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        to_agency_code="UBND-PDP",
        reason="Tuyến đường do phường quản lý.",
        directory=DIRECTORY,
    )
    assert (
        item.claim_due_at,
        item.transfer_window_ends_at,
        item.answer_due_at,
        item.received_at,
    ) == deadlines
    assert item.agency_code == "UBND-PDP"
    assert item.previous_agency_codes == ["SO-XD"]
    assert item.transfer_count == 0
    assert (
        item.claimed_by_telegram_user_id is None and item.claimed_by_name is None and item.claimed_at is None
    )
    assert item.state is ItemState.RECEIVED
    assert item.state_version == 4  # the old card's buttons are outdated
    assert item.responsibility_decided_at == OVERDUE_NOW  # the province decided: final for the item
    assert change.event.action == "reassigned"
    assert change.event.reason == "Tuyến đường do phường quản lý."
    assert change.event.detail == {
        "from_agency": "SO-XD",
        "to_agency": "UBND-PDP",
        "counts_as_transfer": False,
    }
    assert (change.event.state_before, change.event.state_after) == (
        ItemState.IN_PROGRESS,
        ItemState.RECEIVED,
    )
    assert change.notes["from_agency"] == "SO-XD"


def test_reassigning_an_item_that_waits_for_the_citizen_keeps_it_waiting() -> None:
    waiting_since = OVERDUE_NOW - timedelta(days=1)
    item = road_item(ItemState.AWAITING_CITIZEN, awaiting_citizen_since=waiting_since)
    reassign(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        to_agency_code="SO-NNMT",
        reason="Đất đai.",
        directory=DIRECTORY,
    )
    assert item.state is ItemState.AWAITING_CITIZEN
    assert item.awaiting_citizen_since == waiting_since
    assert item.state_version == 4
    assert item.claimed_by_telegram_user_id is None


@pytest.mark.parametrize(
    ("target", "reason", "expected"),
    [
        ("SO-XD", "Lý do.", RefusalReason.SAME_AGENCY),
        ("SO-KHONG-CO", "Lý do.", RefusalReason.UNKNOWN_AGENCY),
        ("UBND-PDP", "   ", RefusalReason.REASON_REQUIRED),
    ],
)
def test_reassigning_refuses_a_bad_target_or_no_reason_and_changes_nothing(
    target: str, reason: str, expected: RefusalReason
) -> None:
    item = road_item()
    before = snapshot(item)
    with pytest.raises(Refused) as refused:
        reassign(
            item, actor=SUPERVISOR, now=OVERDUE_NOW, to_agency_code=target, reason=reason, directory=DIRECTORY
        )
    assert refused.value.reason is expected
    assert snapshot(item) == before


@pytest.mark.parametrize(
    "state",
    [ItemState.ANSWERED, ItemState.CLOSED, ItemState.REJECTED, ItemState.WITHDRAWN, ItemState.DISPUTED],
)
def test_reassigning_an_item_its_agency_no_longer_handles_is_refused(state: ItemState) -> None:
    item = road_item(state)
    before = snapshot(item)
    with pytest.raises(Refused) as refused:
        reassign(
            item,
            actor=SUPERVISOR,
            now=OVERDUE_NOW,
            to_agency_code="UBND-PDP",
            reason="Lý do.",
            directory=DIRECTORY,
        )
    assert refused.value.reason is RefusalReason.WRONG_STATE
    assert snapshot(item) == before


# --- extend -------------------------------------------------------------------------------------------


def test_the_latest_extension_is_the_original_answer_time_after_the_current_deadline() -> None:
    # ten working days after Monday 21/12/2026; New Year's Day (Friday 01/01/2027) is not one of them
    assert latest_extension(road_item(), directory=DIRECTORY, calendar=CALENDAR) == datetime(
        2027, 1, 5, 17, 0, tzinfo=HANOI
    )
    urgent = road_item(category_code="an-ninh")  # urgent: one working day
    assert latest_extension(urgent, directory=DIRECTORY, calendar=CALENDAR) == datetime(
        2026, 12, 22, 17, 0, tzinfo=HANOI
    )


def test_extending_sets_the_new_deadline_once() -> None:
    item = road_item()
    new_due_at = datetime(2026, 12, 31, 17, 0, tzinfo=HANOI)
    change = extend(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        new_due_at=new_due_at,
        reason="Cần khảo sát hiện trường.",
        directory=DIRECTORY,
        calendar=CALENDAR,
    )
    assert item.answer_due_at == new_due_at
    assert item.extension_count == 1
    assert item.state is ItemState.IN_PROGRESS and item.state_version == 3
    assert change.event.action == "extended"
    assert change.event.reason == "Cần khảo sát hiện trường."
    assert change.event.detail == {
        "previous_due_at": ANSWER_DUE.isoformat(),
        "new_due_at": new_due_at.isoformat(),
    }


def test_a_second_extension_is_refused_and_changes_nothing() -> None:
    item = road_item()
    extend(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        new_due_at=datetime(2026, 12, 28, 17, 0, tzinfo=HANOI),
        reason="Lần đầu.",
        directory=DIRECTORY,
        calendar=CALENDAR,
    )
    before = snapshot(item)
    with pytest.raises(Refused) as refused:
        extend(
            item,
            actor=SUPERVISOR,
            now=OVERDUE_NOW,
            new_due_at=datetime(2026, 12, 30, 17, 0, tzinfo=HANOI),
            reason="Lần hai.",
            directory=DIRECTORY,
            calendar=CALENDAR,
        )
    assert refused.value.reason is RefusalReason.EXTENSION_USED
    assert snapshot(item) == before


def test_a_date_beyond_the_original_answer_time_is_refused_but_the_last_allowed_day_is_taken() -> None:
    item = road_item()
    with pytest.raises(Refused) as refused:
        extend(
            item,
            actor=SUPERVISOR,
            now=OVERDUE_NOW,
            new_due_at=datetime(2027, 1, 6, 17, 0, tzinfo=HANOI),
            reason="Quá xa.",
            directory=DIRECTORY,
            calendar=CALENDAR,
        )
    assert refused.value.reason is RefusalReason.EXTENSION_TOO_LONG
    assert refused.value.details["latest"] == datetime(2027, 1, 5, 17, 0, tzinfo=HANOI)
    assert item.extension_count == 0 and item.answer_due_at == ANSWER_DUE
    extend(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        new_due_at=datetime(2027, 1, 5, 17, 0, tzinfo=HANOI),
        reason="Vừa đủ.",
        directory=DIRECTORY,
        calendar=CALENDAR,
    )
    assert item.answer_due_at == datetime(2027, 1, 5, 17, 0, tzinfo=HANOI)


@pytest.mark.parametrize(
    "new_due_at",
    [
        datetime(2026, 12, 21, 17, 0, tzinfo=HANOI),  # the current deadline itself
        datetime(2026, 12, 23, 16, 0, tzinfo=HANOI),  # after the deadline, but already past
    ],
)
def test_a_date_that_is_not_after_the_deadline_and_now_is_refused(new_due_at: datetime) -> None:
    item = road_item()
    with pytest.raises(Refused) as refused:
        extend(
            item,
            actor=SUPERVISOR,
            now=OVERDUE_NOW,
            new_due_at=new_due_at,
            reason="Lý do.",
            directory=DIRECTORY,
            calendar=CALENDAR,
        )
    assert refused.value.reason is RefusalReason.EXTENSION_TOO_EARLY
    assert refused.value.details["earliest"] == OVERDUE_NOW
    assert item.extension_count == 0


def test_an_extension_needs_a_reason_and_an_open_item() -> None:
    for item, reason, expected in (
        (road_item(), "  ", RefusalReason.REASON_REQUIRED),
        (road_item(ItemState.CLOSED), "Lý do.", RefusalReason.WRONG_STATE),
        (road_item(ItemState.ANSWERED), "Lý do.", RefusalReason.WRONG_STATE),
    ):
        with pytest.raises(Refused) as refused:
            extend(
                item,
                actor=SUPERVISOR,
                now=OVERDUE_NOW,
                new_due_at=datetime(2026, 12, 28, 17, 0, tzinfo=HANOI),
                reason=reason,
                directory=DIRECTORY,
                calendar=CALENDAR,
            )
        assert refused.value.reason is expected
        assert item.extension_count == 0


def test_a_new_date_outside_working_time_becomes_the_last_working_instant_before_it() -> None:
    item = road_item()
    extend(
        item,
        actor=SUPERVISOR,
        now=OVERDUE_NOW,
        new_due_at=datetime(2026, 12, 27, 10, 0, tzinfo=HANOI),  # a Sunday
        reason="Lý do.",
        directory=DIRECTORY,
        calendar=CALENDAR,
    )
    assert item.answer_due_at == datetime(2026, 12, 25, 17, 0, tzinfo=HANOI)  # the Friday before


def test_latest_working_instant() -> None:
    working = datetime(2026, 12, 28, 10, 0, tzinfo=HANOI)
    assert latest_working_instant(CALENDAR, working) == working
    assert latest_working_instant(CALENDAR, datetime(2026, 12, 28, 12, 15, tzinfo=HANOI)) == datetime(
        2026, 12, 28, 11, 30, tzinfo=HANOI
    )
    assert latest_working_instant(CALENDAR, datetime(2026, 12, 28, 7, 0, tzinfo=HANOI)) == datetime(
        2026, 12, 25, 17, 0, tzinfo=HANOI
    )
    assert latest_working_instant(CALENDAR, datetime(2027, 1, 1, 12, 0, tzinfo=HANOI)) == datetime(
        2026, 12, 31, 17, 0, tzinfo=HANOI
    )  # New Year's Day


# --- flag for review ----------------------------------------------------------------------------------


def test_flagging_for_review_happens_once_with_a_reason() -> None:
    item = road_item()
    with pytest.raises(Refused) as refused:
        flag_for_review(item, actor=SUPERVISOR, now=OVERDUE_NOW, reason=" ")
    assert refused.value.reason is RefusalReason.REASON_REQUIRED and not item.is_flagged_for_review
    change = flag_for_review(
        item, actor=SUPERVISOR, now=OVERDUE_NOW, reason="Chậm trễ kéo dài, không báo cáo."
    )
    assert item.is_flagged_for_review
    assert (change.event.action, change.event.reason) == (
        "flagged_for_review",
        "Chậm trễ kéo dài, không báo cáo.",
    )
    assert item.state is ItemState.IN_PROGRESS and item.state_version == 3
    with pytest.raises(Refused) as refused:
        flag_for_review(item, actor=SUPERVISOR, now=OVERDUE_NOW, reason="Lần nữa.")
    assert refused.value.reason is RefusalReason.ALREADY_FLAGGED


def test_a_finished_item_can_still_be_flagged_for_review() -> None:
    item = road_item(ItemState.CLOSED)
    flag_for_review(item, actor=SUPERVISOR, now=OVERDUE_NOW, reason="Trả lời muộn 3 ngày.")
    assert item.is_flagged_for_review and item.state is ItemState.CLOSED


# --- days overdue -------------------------------------------------------------------------------------


def test_working_days_overdue_counts_whole_working_days() -> None:
    item = road_item()
    assert working_days_overdue(item, now=ANSWER_DUE, calendar=CALENDAR) == 0
    assert (
        working_days_overdue(item, now=datetime(2026, 12, 23, 16, 59, tzinfo=HANOI), calendar=CALENDAR) == 1
    )
    assert working_days_overdue(item, now=OVERDUE_NOW, calendar=CALENDAR) == 2
    # the weekend does not count: Monday 28/12 09:00 is four working days and 1.5 hours late
    assert working_days_overdue(item, now=datetime(2026, 12, 28, 9, 0, tzinfo=HANOI), calendar=CALENDAR) == 4


def test_reassignment_transfer_and_dispute_decision_move_the_item_the_same_way() -> None:
    """The three ways an item changes hands share handover.reassign: same trail, same cleared claim."""
    officer = Actor(role=ActorRole.OFFICER, telegram_user_id=8101, name="Hùng", agency_code="SO-XD")
    agencies = set(DIRECTORY.agencies_by_code)
    moved = []
    item = road_item()
    moved.append(
        (
            item,
            reassign(
                item,
                actor=SUPERVISOR,
                now=OVERDUE_NOW,
                to_agency_code="UBND-PDP",
                reason="Phường quản lý.",
                directory=DIRECTORY,
            ),
        )
    )
    item = road_item(transfer_window_ends_at=OVERDUE_NOW + timedelta(days=1))
    moved.append(
        (
            item,
            transfer(
                item,
                actor=officer,
                now=OVERDUE_NOW,
                target_agency_code="UBND-PDP",
                reason="Phường quản lý.",
                known_agency_codes=agencies,
            ),
        )
    )
    item = road_item(ItemState.DISPUTED)
    moved.append(
        (
            item,
            decide_dispute(
                item, actor=SUPERVISOR, now=OVERDUE_NOW, agency_code="UBND-PDP", known_agency_codes=agencies
            ),
        )
    )
    for item, change in moved:
        assert (item.agency_code, item.previous_agency_codes) == ("UBND-PDP", ["SO-XD"])
        assert item.claimed_by_telegram_user_id is None and item.state is ItemState.RECEIVED
        assert change.notes["from_agency"] == "SO-XD" and change.event.detail["from_agency"] == "SO-XD"
        assert item.state_version > 3 and item.answer_due_at == ANSWER_DUE
