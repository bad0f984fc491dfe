"""Close answered items the citizen left unrated for `auto_close_days` calendar days (DESIGN §9).

The job selects and closes through models/auto_close.py, refreshes each card and words the citizen's
notice with bot/views/, and queues both to the outbox, all in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.services import Services
from bot.views.cards import refresh_card
from bot.views.citizen_notices import auto_closed_notice
from bot.views.render import CITIZEN_NOTICE
from models.auto_close import auto_close, citizen_language, items_to_auto_close
from models.claims import take_job_lock
from models.db import transaction
from models.outbox import Outbox

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
        outbox = Outbox(session, now)
        language = services.settings.default_language
        for item in await items_to_auto_close(session, now=now, days=days, limit=BATCH_SIZE):
            answered_at = item.answered_at
            change = auto_close(item, now=now, days=days)
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
                notice = auto_closed_notice(
                    item,
                    answered_at=answered_at,
                    days=days,
                    language=await citizen_language(session, item.citizen_telegram_user_id, default=language),
                )
                outbox.send(item.citizen_telegram_user_id, notice, item_id=item.id, purpose=CITIZEN_NOTICE)
    if closed:
        services.outbox_wakeup.set()
        logger.info("Auto-closed %d answered items left unrated for %d days", len(closed), days)
    return closed
