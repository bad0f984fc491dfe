"""The item's state rules as pure functions: no database, no Telegram, the clock passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models.actions import Action
from models.directory import load_directory
from models.handover import (
    check_referral,
    check_transfer,
    decide_dispute,
    reassign,
    refer_up,
    send_back,
    transfer,
)
from models.lifecycle import (
    Actor,
    CardAction,
    RefusalReason,
    Refused,
    allowed_actions,
    answer,
    ask_citizen,
    check_action,
    citizen_replied,
    claim,
    progress_update,
    rate,
    reject,
    reverse_rejection,
    withdraw,
)
from models.tables import ActorRole, Item, ItemKind, ItemState, Rating
from tests.constants import HANOI, TEST_DIRECTORY

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=HANOI)
DIRECTORY = load_directory(TEST_DIRECTORY)
CALENDAR = DIRECTORY.calendar()
AGENCIES = set(DIRECTORY.agencies_by_code)
OFFICER = Actor(role=ActorRole.OFFICER, telegram_user_id=1, name="Hùng", agency_code="SO-XD")
CITIZEN = Actor(role=ActorRole.CITIZEN, telegram_user_id=9)
SUPERVISOR = Actor(role=ActorRole.SUPERVISOR, telegram_user_id=5, name="Bình", agency_code="__supervisors__")
ANSWER = "Đã cử cán bộ kiểm tra hiện trường và yêu cầu nhà thầu vá lại mặt đường trước ngày 15/12/2026."


def new_item(**changes: object) -> Item:
    """Return a received road item with the default deadlines."""
    item = Item(
        id=1,
        code="PA-ABCDEF",
        kind=ItemKind.FEEDBACK,
        category_code="giao-thong",
        text="Đường hỏng",
        agency_code="SO-XD",
        received_at=MONDAY,
        claim_due_at=CALENDAR.add_working_time(MONDAY, timedelta(hours=8)),
        transfer_window_ends_at=CALENDAR.end_of_working_days(MONDAY, 2),
        answer_due_at=CALENDAR.end_of_working_days(MONDAY, 10),
        previous_agency_codes=[],
    )
    for name, value in changes.items():
        setattr(item, name, value)
    return item


def claimed_item() -> Item:
    item = new_item()
    claim(item, actor=OFFICER, now=MONDAY)
    return item


def test_claim_records_the_officer_and_refuses_a_second_claim() -> None:
    item = new_item()
    change = claim(item, actor=OFFICER, now=MONDAY)
    assert item.state is ItemState.IN_PROGRESS and item.state_version == 1
    assert (item.claimed_by_telegram_user_id, item.claimed_by_name, item.claimed_at) == (1, "Hùng", MONDAY)
    assert (change.event.state_before, change.event.state_after) == (
        ItemState.RECEIVED,
        ItemState.IN_PROGRESS,
    )
    with pytest.raises(Refused) as refused:
        claim(item, actor=OFFICER, now=MONDAY)
    assert refused.value.reason is RefusalReason.WRONG_STATE


def test_waiting_for_the_citizen_pauses_the_answer_clock_by_working_time_only() -> None:
    item = claimed_item()
    due = item.answer_due_at
    ask_citizen(item, actor=OFFICER, now=MONDAY, question="Đoạn đường dài bao nhiêu?")
    assert item.state is ItemState.AWAITING_CITIZEN and item.awaiting_citizen_since == MONDAY
    # Friday 17:00 → the following Monday 09:00 is a weekend: only Monday's four working days and
    # Monday morning's 1.5 hours count. Here: Monday 09:00 → Tuesday 09:00 = 8 working hours.
    change = citizen_replied(
        item, actor=CITIZEN, now=MONDAY + timedelta(days=1), calendar=CALENDAR, text="30 mét"
    )
    assert item.state is ItemState.IN_PROGRESS and item.awaiting_citizen_since is None
    assert item.answer_due_at == CALENDAR.add_working_time(due, timedelta(hours=8))  # type: ignore[arg-type]
    assert change.event.detail["paused_working_seconds"] == 8 * 3600


def test_information_not_asked_for_leaves_the_clock_alone() -> None:
    item = claimed_item()
    due = item.answer_due_at
    change = citizen_replied(item, actor=CITIZEN, now=MONDAY, calendar=CALENDAR, text="Thêm ảnh")
    assert change.event.action == "citizen_added_information" and item.answer_due_at == due


def test_one_transfer_goes_through_and_keeps_every_deadline() -> None:
    item = new_item()
    deadlines = (item.claim_due_at, item.transfer_window_ends_at, item.answer_due_at)
    change = transfer(
        item,
        actor=OFFICER,
        now=MONDAY,
        target_agency_code="SO-NNMT",
        reason="Đất đai",
        known_agency_codes=AGENCIES,
    )
    assert change.notes["disputed"] is False
    assert (
        item.agency_code == "SO-NNMT" and item.transfer_count == 1 and item.previous_agency_codes == ["SO-XD"]
    )
    assert (item.claim_due_at, item.transfer_window_ends_at, item.answer_due_at) == deadlines
    assert item.state_version == 1  # the old card's buttons are outdated even though the state is unchanged
    assert change.event.agency_code == "SO-XD"


@pytest.mark.parametrize("second_target", ["SO-XD", "UBND-PDP"])
def test_a_second_transfer_or_a_transfer_back_is_a_dispute(second_target: str) -> None:
    item = new_item()
    transfer(
        item,
        actor=OFFICER,
        now=MONDAY,
        target_agency_code="SO-NNMT",
        reason="Đất đai",
        known_agency_codes=AGENCIES,
    )
    nnmt = Actor(role=ActorRole.OFFICER, telegram_user_id=2, name="Tuấn", agency_code="SO-NNMT")
    change = transfer(
        item,
        actor=nnmt,
        now=MONDAY,
        target_agency_code=second_target,
        reason="Không phải",
        known_agency_codes=AGENCIES,
    )
    assert change.notes["disputed"] is True
    assert item.state is ItemState.DISPUTED and item.agency_code == "SO-NNMT" and item.transfer_count == 1


def test_transfer_refusals() -> None:
    item = new_item()
    cases = [
        ({"target_agency_code": "SO-XD", "reason": "x"}, RefusalReason.SAME_AGENCY),
        ({"target_agency_code": "NOPE", "reason": "x"}, RefusalReason.UNKNOWN_AGENCY),
        ({"target_agency_code": "SO-NNMT", "reason": "  "}, RefusalReason.REASON_REQUIRED),
    ]
    for arguments, reason in cases:
        with pytest.raises(Refused) as refused:
            transfer(item, actor=OFFICER, now=MONDAY, known_agency_codes=AGENCIES, **arguments)  # type: ignore[arg-type]
        assert refused.value.reason is reason
    late = MONDAY + timedelta(days=3)
    with pytest.raises(Refused) as refused:
        transfer(
            item,
            actor=OFFICER,
            now=late,
            target_agency_code="SO-NNMT",
            reason="x",
            known_agency_codes=AGENCIES,
        )
    assert refused.value.reason is RefusalReason.TRANSFER_WINDOW_CLOSED
    assert item.agency_code == "SO-XD" and item.state is ItemState.RECEIVED and item.state_version == 0


def test_triage_routing_is_not_the_one_transfer_and_ignores_the_window() -> None:
    item = new_item(agency_code="VP")
    triage = Actor(role=ActorRole.OFFICER, telegram_user_id=3, name="Hà", agency_code="VP")
    change = transfer(
        item,
        actor=triage,
        now=MONDAY + timedelta(days=4),
        target_agency_code="SO-XD",
        reason="Thuộc Sở Xây dựng",
        known_agency_codes=AGENCIES,
        is_triage_routing=True,
    )
    assert change.event.action == "routed" and item.transfer_count == 0 and item.agency_code == "SO-XD"


def test_dispute_decision_is_final_and_can_become_a_rule() -> None:
    item = new_item()
    transfer(
        item,
        actor=OFFICER,
        now=MONDAY,
        target_agency_code="SO-NNMT",
        reason="Đất đai",
        known_agency_codes=AGENCIES,
    )
    transfer(
        item,
        actor=OFFICER,
        now=MONDAY,
        target_agency_code="SO-XD",
        reason="Không",
        known_agency_codes=AGENCIES,
    )
    change = decide_dispute(
        item,
        actor=SUPERVISOR,
        now=MONDAY,
        agency_code="SO-XD",
        known_agency_codes=AGENCIES,
        save_as_rule=True,
    )
    assert (
        item.agency_code == "SO-XD"
        and item.state is ItemState.RECEIVED
        and item.responsibility_decided_at == MONDAY
    )
    assert change.notes["routing_rule"] == ("giao-thong", "", "SO-XD")
    with pytest.raises(Refused) as refused:
        transfer(
            item,
            actor=OFFICER,
            now=MONDAY,
            target_agency_code="SO-NNMT",
            reason="x",
            known_agency_codes=AGENCIES,
        )
    assert refused.value.reason is RefusalReason.RESPONSIBILITY_DECIDED


def test_answer_needs_substance_and_progress_does_not_move_the_clock() -> None:
    item = claimed_item()
    due = item.answer_due_at
    progress_update(item, actor=OFFICER, now=MONDAY, text="Đang xem xét")
    assert item.state is ItemState.IN_PROGRESS and item.answer_due_at == due
    with pytest.raises(Refused) as refused:
        answer(
            item,
            actor=OFFICER,
            now=MONDAY,
            calendar=CALENDAR,
            text="Đã tiếp nhận, sẽ xem xét, trả lời sau ạ.",
        )
    assert refused.value.reason is RefusalReason.NO_SUBSTANCE and item.state is ItemState.IN_PROGRESS
    answer(item, actor=OFFICER, now=MONDAY, calendar=CALENDAR, text=ANSWER)
    assert item.state is ItemState.ANSWERED and item.answered_at == MONDAY


def test_not_satisfied_reopens_with_a_new_deadline_for_the_same_agency() -> None:
    item = claimed_item()
    answer(item, actor=OFFICER, now=MONDAY, calendar=CALENDAR, text=ANSWER)
    later = MONDAY + timedelta(days=1)
    rate(
        item,
        actor=CITIZEN,
        now=later,
        rating=Rating.NOT_SATISFIED,
        calendar=CALENDAR,
        answer_days=10,
        claim_hours=8,
    )
    assert item.state is ItemState.REOPENED and item.agency_code == "SO-XD"
    assert item.answer_due_at == CALENDAR.end_of_working_days(later, 10)
    assert item.claimed_by_telegram_user_id is None and item.claim_due_at == CALENDAR.add_working_time(
        later, timedelta(hours=8)
    )
    claim(item, actor=OFFICER, now=later)
    assert item.state is ItemState.IN_PROGRESS


def test_satisfied_closes() -> None:
    item = claimed_item()
    answer(item, actor=OFFICER, now=MONDAY, calendar=CALENDAR, text=ANSWER)
    rate(
        item,
        actor=CITIZEN,
        now=MONDAY,
        rating=Rating.SATISFIED,
        calendar=CALENDAR,
        answer_days=10,
        claim_hours=8,
    )
    assert item.state is ItemState.CLOSED and item.closed_at == MONDAY


def test_reject_needs_a_reason_and_can_be_reversed() -> None:
    item = claimed_item()
    with pytest.raises(Refused):
        reject(item, actor=OFFICER, now=MONDAY, reason="")
    reject(item, actor=OFFICER, now=MONDAY, reason="Quảng cáo")
    assert item.state is ItemState.REJECTED
    reverse_rejection(item, actor=SUPERVISOR, now=MONDAY)
    assert item.state is ItemState.IN_PROGRESS  # back with the officer who had claimed it


def test_withdraw_only_while_open() -> None:
    item = new_item()
    withdraw(item, actor=CITIZEN, now=MONDAY)
    assert item.state is ItemState.WITHDRAWN
    with pytest.raises(Refused):
        withdraw(item, actor=CITIZEN, now=MONDAY)


# --- one source of "which action in which state", check_transfer, the one move, the referral up ----------


def test_allowed_actions_follow_the_state_and_the_claim() -> None:
    assert allowed_actions(new_item()) == {CardAction.CLAIM, CardAction.TRANSFER, CardAction.REJECT}
    claimed = claimed_item()
    assert CardAction.BEYOND_AUTHORITY in allowed_actions(claimed)
    assert CardAction.CLAIM not in allowed_actions(claimed)
    assert allowed_actions(claimed, is_stand_in=True) == {CardAction.TRANSFER}
    assert CardAction.BEYOND_AUTHORITY not in allowed_actions(new_item(state=ItemState.IN_PROGRESS))
    assert allowed_actions(new_item(state=ItemState.ANSWERED)) == frozenset()
    with pytest.raises(Refused) as refused:
        check_action(new_item(), CardAction.ANSWER)
    assert refused.value.reason is RefusalReason.WRONG_STATE


def test_check_transfer_refuses_what_transfer_refuses() -> None:
    late = MONDAY + timedelta(days=5)
    check_transfer(new_item(), actor_agency="SO-XD", now=MONDAY)
    for item, now, reason in (
        (new_item(responsibility_decided_at=MONDAY), MONDAY, RefusalReason.RESPONSIBILITY_DECIDED),
        (new_item(), late, RefusalReason.TRANSFER_WINDOW_CLOSED),
        (new_item(state=ItemState.ANSWERED), MONDAY, RefusalReason.WRONG_STATE),
    ):
        with pytest.raises(Refused) as refused:
            check_transfer(item, actor_agency="SO-XD", now=now)
        assert refused.value.reason is reason
    triage = DIRECTORY.triage_agency
    check_transfer(new_item(agency_code=triage), actor_agency=triage, now=late, triage_agency=triage)


def test_the_one_move_keeps_deadlines_clears_the_claim_and_remembers_the_agency_left() -> None:
    item = claimed_item()
    due = item.answer_due_at
    change = reassign(
        item,
        "UBND-PDP",
        SUPERVISOR,
        "Thuộc phường",
        now=MONDAY,
        action=Action.REASSIGNED,
        new_state=ItemState.RECEIVED,
        detail={"to_agency": "UBND-PDP"},
    )
    assert (item.agency_code, item.previous_agency_codes, item.answer_due_at) == ("UBND-PDP", ["SO-XD"], due)
    assert item.claimed_by_telegram_user_id is None and item.state is ItemState.RECEIVED
    assert change.notes["from_agency"] == "SO-XD" and change.event.detail["from_agency"] == "SO-XD"
    assert change.event.agency_code == SUPERVISOR.agency_code


def test_referring_up_keeps_the_item_and_needs_substance() -> None:
    item = claimed_item()
    version, due = item.state_version, item.answer_due_at
    with pytest.raises(Refused) as refused:
        refer_up(item, actor=OFFICER, now=MONDAY, text="Đề nghị cấp trên xem xét.")
    assert refused.value.reason is RefusalReason.NO_SUBSTANCE
    why = (
        "Cần UBND tỉnh điều chỉnh quy hoạch theo Quyết định 1234/QĐ-UBND; việc này thuộc thẩm quyền của tỉnh."
    )
    change = refer_up(item, actor=OFFICER, now=MONDAY, text=why)
    assert (change.event.action, change.event.reason) == (Action.REFERRED_UP, why)
    assert (item.state, item.agency_code, item.state_version, item.answer_due_at) == (
        ItemState.IN_PROGRESS,
        "SO-XD",
        version,
        due,
    )
    with pytest.raises(Refused):
        refer_up(new_item(), actor=OFFICER, now=MONDAY, text=why)  # not claimed


def test_a_referral_is_sent_back_only_while_the_agency_still_has_the_item() -> None:
    item = claimed_item()
    change = send_back(
        item, actor=SUPERVISOR, now=MONDAY, referred_by_agency="SO-XD", directive="Sở chủ trì."
    )
    assert (change.event.action, change.event.reason) == (Action.REFERRAL_SENT_BACK, "Sở chủ trì.")
    for outgrown in (claimed_item(), new_item(state=ItemState.ANSWERED)):
        outgrown.agency_code = "UBND-PDP" if outgrown.state is ItemState.IN_PROGRESS else "SO-XD"
        with pytest.raises(Refused) as refused:
            check_referral(outgrown, referred_by_agency="SO-XD")
        assert refused.value.reason is RefusalReason.REFERRAL_OUTDATED
    with pytest.raises(Refused):
        send_back(claimed_item(), actor=SUPERVISOR, now=MONDAY, referred_by_agency="SO-XD", directive=" ")
