"""Who answers for an item: transfer, the supervisors' decision, referral up and back (DESIGN §6).

Dispatch 968 forbids passing an item around. So one transfer goes through without review; a second,
or one back to an agency that had the item, becomes a dispute that the supervisors decide once and
for all; and a matter beyond an agency's authority is referred up while the item stays with that
agency and its clock runs. Every change of hands goes through `reassign`, and no deadline restarts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models.actions import Action
from models.lifecycle import (
    HANDLED_BY_AGENCY_STATES,
    TRANSFER_STATES,
    Actor,
    CardAction,
    Change,
    RefusalReason,
    Refused,
    check_action,
    clear_claim,
    record,
    require_state,
    required_text,
)
from models.substance import check_substance
from models.tables import Item, ItemState

MAX_TRANSFERS_WITHOUT_REVIEW = 1


def is_triage_routing(item: Item, *, actor_agency: str | None, triage_agency: str | None) -> bool:
    """Tell whether a move is the triage agency routing an item that never reached a competent agency."""
    return (
        triage_agency is not None
        and actor_agency == triage_agency
        and not item.previous_agency_codes
        and item.transfer_count == 0
    )


def check_transfer(
    item: Item, *, actor_agency: str | None, now: datetime, triage_agency: str | None = None
) -> None:
    """Refuse a transfer that cannot start now: wrong state, a final decision, or a closed window."""
    require_state(item, *TRANSFER_STATES)
    routing = is_triage_routing(item, actor_agency=actor_agency, triage_agency=triage_agency)
    _check_still_open_to_transfer(item, now=now, is_triage_routing=routing)


def _check_still_open_to_transfer(item: Item, *, now: datetime, is_triage_routing: bool) -> None:
    """Refuse once the supervisors decided who answers, or (except for triage routing) after the window."""
    if item.responsibility_decided_at is not None:
        raise Refused(RefusalReason.RESPONSIBILITY_DECIDED)
    window_ends_at = item.transfer_window_ends_at
    if not is_triage_routing and window_ends_at is not None and now > window_ends_at:
        raise Refused(RefusalReason.TRANSFER_WINDOW_CLOSED, ended_at=window_ends_at)


def reassign(
    item: Item,
    to: str,
    by: Actor,
    why: str | None,
    *,
    now: datetime,
    action: Action,
    new_state: ItemState,
    detail: dict[str, Any],
    event_agency: str | None = None,
) -> Change:
    """Move the item to another agency: the one way an item changes hands (transfer, reassignment, decision).

    The deadlines never restart; the claim is cleared when the agency changes, so that an officer of the
    new agency claims it; the agency the item leaves is remembered. The event is recorded under
    `event_agency` (by default the agency of who acted, else the one left).
    """
    from_agency = item.agency_code
    if to != from_agency:
        if from_agency not in item.previous_agency_codes:
            item.previous_agency_codes = [*item.previous_agency_codes, from_agency]
        clear_claim(item)
    change = record(
        item,
        action=action,
        actor=by,
        now=now,
        new_state=new_state,
        reason=why,
        detail={"from_agency": from_agency, **detail},
        bump_version=to != from_agency,
    )
    change.event.agency_code = event_agency or by.agency_code or from_agency
    item.agency_code = to
    change.notes["from_agency"] = from_agency
    return change


def transfer(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    target_agency_code: str,
    reason: str,
    known_agency_codes: frozenset[str] | set[str],
    is_triage_routing: bool = False,
) -> Change:
    """Pass the item to the competent agency within the rules, or turn it into a dispute (DESIGN §6).

    The deadlines never restart. Only one transfer goes through without review: a second one, or one
    back to an agency that already had the item, is not carried out; the item becomes disputed and
    the change's notes say so. Routing by the triage agency of an item that never reached a competent
    agency is not a transfer and is not limited by the transfer window.
    """
    require_state(item, *TRANSFER_STATES)
    reason = required_text(reason, RefusalReason.REASON_REQUIRED)
    if target_agency_code not in known_agency_codes:
        raise Refused(RefusalReason.UNKNOWN_AGENCY, agency=target_agency_code)
    if target_agency_code == item.agency_code:
        raise Refused(RefusalReason.SAME_AGENCY)
    _check_still_open_to_transfer(item, now=now, is_triage_routing=is_triage_routing)
    from_agency = item.agency_code
    is_transfer_back = target_agency_code in item.previous_agency_codes
    is_one_too_many = not is_triage_routing and item.transfer_count >= MAX_TRANSFERS_WITHOUT_REVIEW
    if is_transfer_back or is_one_too_many:
        change = record(
            item,
            action=Action.TRANSFER_DISPUTED,
            actor=actor,
            now=now,
            new_state=ItemState.DISPUTED,
            reason=reason,
            detail={
                "from_agency": from_agency,
                "requested_agency": target_agency_code,
                "is_transfer_back": is_transfer_back,
                "transfers_before": item.transfer_count,
            },
        )
        change.notes["disputed"] = True
        return change
    if not is_triage_routing:
        item.transfer_count += 1
    change = reassign(
        item,
        target_agency_code,
        actor,
        reason,
        now=now,
        action=Action.ROUTED if is_triage_routing else Action.TRANSFERRED,
        new_state=ItemState.RECEIVED,
        detail={"to_agency": target_agency_code, "counts_as_transfer": not is_triage_routing},
    )
    change.notes["disputed"] = False
    return change


def decide_dispute(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    agency_code: str,
    known_agency_codes: frozenset[str] | set[str],
    save_as_rule: bool = False,
) -> Change:
    """Record the supervisors' choice of the responsible agency; it is final for this item."""
    require_state(item, ItemState.DISPUTED)
    if agency_code not in known_agency_codes:
        raise Refused(RefusalReason.UNKNOWN_AGENCY, agency=agency_code)
    claimed_stays = agency_code == item.agency_code and item.claimed_by_telegram_user_id is not None
    item.responsibility_decided_at = now
    change = reassign(
        item,
        agency_code,
        actor,
        None,
        now=now,
        action=Action.DISPUTE_DECIDED,
        new_state=ItemState.IN_PROGRESS if claimed_stays else ItemState.RECEIVED,
        detail={"decided_agency": agency_code, "saved_as_rule": save_as_rule},
        event_agency=actor.agency_code or agency_code,
    )
    if save_as_rule:
        change.notes["routing_rule"] = (item.category_code, item.locality_code or "", agency_code)
    return change


def refer_up(
    item: Item, *, actor: Actor, now: datetime, text: str, proper_names: Sequence[str] = ()
) -> Change:
    """Report a matter beyond the agency's authority up to the supervisors (Dispatch 968 §1(h)).

    The officer says what is needed and why, with the substance check of an answer. The item stays with
    its agency and its clock runs on: nothing but the record changes.
    """
    check_action(item, CardAction.BEYOND_AUTHORITY)
    verdict = check_substance(text, proper_names=proper_names)
    if verdict.problem is not None:
        raise Refused(RefusalReason.NO_SUBSTANCE, problem=verdict.problem.value)
    return record(
        item,
        action=Action.REFERRED_UP,
        actor=actor,
        now=now,
        reason=text.strip(),
        detail={"agency": item.agency_code},
    )


def check_referral(item: Item, *, referred_by_agency: str) -> None:
    """Refuse a decision on a referral the item has outgrown: it left that agency, or its agency is done."""
    if item.state not in HANDLED_BY_AGENCY_STATES or item.agency_code != referred_by_agency:
        raise Refused(RefusalReason.REFERRAL_OUTDATED)


def send_back(item: Item, *, actor: Actor, now: datetime, referred_by_agency: str, directive: str) -> Change:
    """Give a referred item back to its agency with the supervisors' directive; the clock never stopped."""
    check_referral(item, referred_by_agency=referred_by_agency)
    directive = required_text(directive, RefusalReason.TEXT_REQUIRED)
    return record(
        item,
        action=Action.REFERRAL_SENT_BACK,
        actor=actor,
        now=now,
        reason=directive,
        detail={"agency": item.agency_code},
    )
