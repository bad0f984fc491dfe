"""Close answered items the citizen left unrated for `auto_close_days` calendar days (DESIGN §9)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.services import Services
from bot.texts import text
from bot.views.cards import refresh_card
from bot.views.dates import format_date
from bot.views.render import CITIZEN_NOTICE
from models.actions import Action
from models.claims import take_job_lock
from models.db import transaction
from models.lifecycle import Actor, record
from models.outbox import Message, Outbox
from models.tables import Citizen, Item, ItemState

logger = logging.getLogger(__name__)

JOB_ID = "auto_close"
BATCH_SIZE = 200  # items closed per run; the next run takes the rest


async def run_auto_close(services: Services, *, now: datetime | None = None) -> list[str]:
    """Close each answered, unrated item whose answer is old enough; return their codes."""
    now = now or services.clock.now()
    days = services.directory.deadlines.auto_close_days
    closed: list[str] = []
    async with transaction(services.session_factory) as session:
        if not await take_job_lock(session, JOB_ID):
            return closed
        # The row locks make a second instance skip items being closed; the state check inside the
        # same transaction makes closing idempotent.
        statement = (
            select(Item)
            .where(
                Item.state == ItemState.ANSWERED,
                col(Item.rating).is_(None),
                col(Item.answered_at) <= now - timedelta(days=days),
            )
            .order_by(col(Item.id))
            .limit(BATCH_SIZE)
            .with_for_update(skip_locked=True)
        )
        outbox = Outbox(session, now)
        language = services.settings.default_language
        for item in (await session.exec(statement)).all():
            answered_at = item.answered_at
            item.closed_at = now
            change = record(
                item,
                action=Action.AUTO_CLOSED,
                actor=Actor.system(),
                now=now,
                new_state=ItemState.CLOSED,
                detail={"auto_close_days": days},
            )
            session.add(item)
            session.add(change.event)
            closed.append(item.code)
            await refresh_card(
                session=session,
                outbox=outbox,
                directory=services.directory,
                signer=services.signer,
                item=item,
                language=language,
            )
            if item.citizen_telegram_user_id is not None and answered_at is not None:
                citizen = await session.get(Citizen, item.citizen_telegram_user_id)
                citizen_language = citizen.language if citizen else language
                outbox.send(
                    item.citizen_telegram_user_id,
                    Message(
                        text(
                            citizen_language,
                            "auto_close.citizen",
                            code=item.code,
                            answered_at=format_date(answered_at, citizen_language),
                            days=days,
                        )
                    ),
                    item_id=item.id,
                    purpose=CITIZEN_NOTICE,
                )
    if closed:
        services.outbox_wakeup.set()
        logger.info("Auto-closed %d answered items left unrated for %d days", len(closed), days)
    return closed
