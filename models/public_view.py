"""What the public may see of an item: anonymised views for the lookup page, the answered list and Open311.

Never returned: the citizen's identity or Telegram id, contact details, coordinates, officer names.
Free text (the question, the answer, a transfer reason) is shown only after `mask_personal_text`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.items import find_item_by_code
from models.lifecycle import is_overdue
from models.tables import Item, ItemEvent, ItemKind, ItemState

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers, ID card numbers (9 or 12 digits), tax codes, bank accounts: any run of 8+ digits,
# allowing the spaces, dots and dashes people put inside them.
DIGIT_RUN_PATTERN = re.compile(r"(?<![\w])\+?\d(?:[\s.\-]?\d){7,}(?![\w])")
COORDINATES_PATTERN = re.compile(r"-?\d{1,3}\.\d{4,}\s*[,;]\s*-?\d{1,3}\.\d{4,}")
PUBLIC_STEPS = (
    "submitted",
    "claimed",
    "routed",
    "transferred",
    "dispute_decided",
    "reassigned",
    "extended",
    "answered",
    "reopened_not_satisfied",
    "rated_satisfied",
    "rejected",
    "withdrawn",
)
STEPS_WITH_REASON = frozenset({"transferred", "routed", "reassigned", "extended", "rejected"})
ANSWERED_STATES = (ItemState.ANSWERED, ItemState.CLOSED)
EXCERPT_CHARS = 400


def mask_personal_text(value: str, mask: str) -> str:
    """Hide e-mail addresses, phone and ID numbers and coordinates in a text meant for the public."""
    value = EMAIL_PATTERN.sub(mask, value)
    value = COORDINATES_PATTERN.sub(mask, value)
    return DIGIT_RUN_PATTERN.sub(mask, value)


def excerpt(value: str, limit: int = EXCERPT_CHARS) -> str:
    """Cut a text at a word boundary near `limit` characters."""
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def is_publishable(item: Item) -> bool:
    """Tell whether the sender agreed to publication and no officer ruled it out."""
    return item.is_publication_allowed and not item.is_never_public


@dataclass(frozen=True)
class PublicStep:
    """One step of an item's handling as the public sees it: what, when, which agency, why."""

    action: str
    at: datetime
    agency_code: str | None
    reason: str | None  # already masked


@dataclass(frozen=True)
class PublicItem:
    """An item without anything that identifies its sender or its officers."""

    code: str
    kind: ItemKind
    category_code: str
    locality_code: str | None
    agency_code: str
    state: ItemState
    received_at: datetime
    answer_due_at: datetime | None
    answered_at: datetime | None
    updated_at: datetime | None
    is_overdue: bool
    is_publishable: bool
    question: str | None  # masked; only when publishable
    answer: str | None  # masked; only when publishable
    steps: list[PublicStep]


def _public_item(item: Item, events: list[ItemEvent], *, now: datetime, mask: str) -> PublicItem:
    publishable = is_publishable(item)
    answers = [event for event in events if event.action == "answered"]
    answer_text = str(answers[-1].detail.get("text", "")) if answers else ""
    steps = [
        PublicStep(
            action=event.action,
            at=event.at,
            agency_code=event.detail.get("to_agency")
            or event.detail.get("decided_agency")
            or event.agency_code,
            reason=mask_personal_text(event.reason, mask)
            if event.reason and event.action in STEPS_WITH_REASON
            else None,
        )
        for event in events
        if event.action in PUBLIC_STEPS
    ]
    return PublicItem(
        code=item.code,
        kind=item.kind,
        category_code=item.category_code,
        locality_code=item.locality_code,
        agency_code=item.agency_code,
        state=item.state,
        received_at=item.received_at,
        answer_due_at=item.answer_due_at,
        answered_at=item.answered_at,
        updated_at=item.updated_at,
        is_overdue=is_overdue(item, now),
        is_publishable=publishable,
        question=mask_personal_text(item.text, mask) if publishable else None,
        answer=mask_personal_text(answer_text, mask) if publishable and answer_text else None,
        steps=steps,
    )


async def _events_of(session: AsyncSession, item_ids: list[int]) -> dict[int, list[ItemEvent]]:
    if not item_ids:
        return {}
    statement = (
        select(ItemEvent)
        .where(col(ItemEvent.item_id).in_(item_ids), col(ItemEvent.action).in_(PUBLIC_STEPS))
        .order_by(col(ItemEvent.id))
    )
    grouped: dict[int, list[ItemEvent]] = {item_id: [] for item_id in item_ids}
    for event in (await session.exec(statement)).all():
        grouped[event.item_id].append(event)
    return grouped


async def public_item_by_code(
    *, session: AsyncSession, code: str, now: datetime, mask: str
) -> PublicItem | None:
    """Return the public view of the item with a code, or None."""
    item = await find_item_by_code(session, code)
    if item is None or item.id is None:
        return None
    events = (await _events_of(session, [item.id]))[item.id]
    return _public_item(item, events, now=now, mask=mask)


async def public_items(
    *, session: AsyncSession, items: list[Item], now: datetime, mask: str
) -> list[PublicItem]:
    """Return public views of a bounded page of items (one query for all their events)."""
    ids = [item.id for item in items if item.id is not None]
    events = await _events_of(session, ids)
    return [_public_item(item, events.get(item.id or 0, []), now=now, mask=mask) for item in items]


@dataclass(frozen=True)
class AnsweredPage:
    """One page of answered, published items, newest answer first."""

    items: list[PublicItem]
    page: int
    pages: int
    total: int


async def answered_page(
    *, session: AsyncSession, page: int, page_size: int, now: datetime, mask: str
) -> AnsweredPage:
    """Return a page of answered items whose senders agreed to publication."""
    published = (
        col(Item.is_publication_allowed).is_(True),
        col(Item.is_never_public).is_(False),
        col(Item.state).in_(ANSWERED_STATES),
    )
    total = int((await session.exec(select(func.count()).where(*published))).one())
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    statement = (
        select(Item)
        .where(*published)
        .order_by(col(Item.answered_at).desc(), col(Item.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = list((await session.exec(statement)).all())
    views = await public_items(session=session, items=items, now=now, mask=mask)
    return AnsweredPage(items=views, page=page, pages=pages, total=total)
