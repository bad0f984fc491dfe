"""Consultations (xin ý kiến phối hợp): another agency's position, with its own deadline (DESIGN §6).

Responsibility never moves: the item stays with the lead agency, the consulted agency answers with
a position (the substance check applies), and its answer is relayed to the lead agency.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import CONSULT_STATES, Actor, Change, RefusalReason, Refused, record, require_state
from models.substance import check_substance
from models.tables import Consultation, Item, saved_id
from models.working_time import WorkingCalendar


def request_consultation(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    calendar: WorkingCalendar,
    consultation_days: int,
    to_agency_code: str,
    question: str,
    known_agency_codes: frozenset[str] | set[str],
) -> tuple[Consultation, Change]:
    """Ask another agency for its position; return the consultation to save and the item's event."""
    require_state(item, *CONSULT_STATES)
    if to_agency_code not in known_agency_codes:
        raise Refused(RefusalReason.UNKNOWN_AGENCY, agency=to_agency_code)
    if to_agency_code == item.agency_code:
        raise Refused(RefusalReason.SAME_AGENCY)
    question = question.strip()
    if not question:
        raise Refused(RefusalReason.TEXT_REQUIRED)
    consultation = Consultation(
        item_id=saved_id(item),
        from_agency_code=item.agency_code,
        to_agency_code=to_agency_code,
        question=question,
        asked_by_telegram_user_id=actor.telegram_user_id,
        asked_by_name=actor.name,
        asked_at=now,
        due_at=calendar.end_of_working_days(now, consultation_days),
    )
    change = record(
        item,
        action=Action.CONSULTATION_REQUESTED,
        actor=actor,
        now=now,
        detail={"to_agency": to_agency_code, "text": question, "due_at": consultation.due_at.isoformat()},
    )
    return consultation, change


def answer_consultation(
    consultation: Consultation,
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    text: str,
    proper_names: Sequence[str] = (),
) -> Change:
    """Record the consulted agency's position; a generic reply is refused like an empty answer."""
    if consultation.answered_at is not None:
        raise Refused(RefusalReason.ALREADY_ANSWERED)
    verdict = check_substance(text, proper_names=proper_names)
    if verdict.problem is not None:
        raise Refused(RefusalReason.NO_SUBSTANCE, problem=verdict.problem.value)
    consultation.answer = text.strip()
    consultation.answered_by_telegram_user_id = actor.telegram_user_id
    consultation.answered_by_name = actor.name
    consultation.answered_at = now
    change = record(
        item,
        action=Action.CONSULTATION_ANSWERED,
        actor=actor,
        now=now,
        detail={
            "consultation_id": consultation.id,
            "from_agency": consultation.to_agency_code,
            "text": text.strip(),
        },
    )
    change.event.agency_code = consultation.to_agency_code
    return change


async def consultations_of(session: AsyncSession, item_id: int) -> list[Consultation]:
    """Return an item's consultations, oldest first."""
    statement = select(Consultation).where(Consultation.item_id == item_id).order_by(col(Consultation.id))
    return list((await session.exec(statement)).all())
