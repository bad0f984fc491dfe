"""The outbox sender lease as this instance holds it: taken, renewed, checked, given up, taken over.

Only the instance holding the lease (a row in `deliverylease`, whose SQL is models/sender_lease.py)
sends. The holder renews it a third of the way through its period, and a standby asks the database
as often. An instance that takes the lease over first takes over the limits' state and the calls the
previous holder left in flight.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery_limits import DeliveryLimiter
from bot.services import Services
from models.sender_lease import is_lease_holder, release_lease, take_or_renew_lease
from models.tables import ChatDelivery, OutboxMessage, OutboxStatus

logger = logging.getLogger("bot.delivery")  # the sender's log keeps the one name it always had


class SenderLease:
    """This instance's hold on the outbox sender lease, and the take-over that comes with gaining it."""

    def __init__(
        self,
        services: Services,
        limiter: DeliveryLimiter,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        *,
        holder: str | None = None,
    ) -> None:
        self._services = services
        self._limiter = limiter
        self._transaction = transaction
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._until: datetime | None = None  # set while this instance holds the sender lease
        self._renewed_at: datetime | None = None
        self._is_fenced = False  # claims check the lease in the database once it is used

    @property
    def _seconds(self) -> float:
        return self._services.settings.outbox_sender_lease_seconds

    def is_held(self) -> bool:
        """Tell whether this instance holds the sender lease with a safe margin left."""
        if self._until is None:
            return False
        margin = timedelta(seconds=self._seconds / 3)
        return self._services.clock.now() < self._until - margin

    def renewal_due(self) -> bool:
        """Tell whether a third of the lease period has passed since the database was last asked."""
        if self._renewed_at is None:
            return True
        every = timedelta(seconds=self._seconds / 3)
        return self._services.clock.now() >= self._renewed_at + every

    async def hold(self) -> bool:
        """Take or renew the sender lease when due; on taking it over, take over the sending state too."""
        if not self.renewal_due():
            return self.is_held()  # a standby asks the database once a third of the lease period
        now = self._services.clock.now()
        seconds = self._seconds
        was_holder = self._until is not None and now < self._until
        async with self._transaction() as session:
            held = await take_or_renew_lease(session, holder=self.holder, now=now, seconds=seconds)
        counters = self._services.delivery_counters
        self._renewed_at = now
        if not held:
            if self._until is not None:
                logger.warning("This instance lost the outbox sender lease to another instance")
            self._until = None
            counters.is_sender = False
            return False
        self._is_fenced = True
        self._until = now + timedelta(seconds=seconds)
        if not was_holder:
            await self.take_over()
            counters.takeovers += 1
            logger.info("This instance (%s) is now the outbox sender", self.holder)
        counters.is_sender = True
        return True

    async def is_lost(self, session: AsyncSession, now: datetime) -> bool:
        """Tell whether this instance, once a sender, no longer holds the lease; if so, forget it.

        While the lease has a third of its period left nobody else can hold it; past that (a stall),
        the database decides, so that a sender that lost the lease sends nothing more.
        """
        if (
            self._is_fenced
            and not self.is_held()
            and not await is_lease_holder(session, holder=self.holder, now=now)
        ):
            self._until = None
            return True
        return False

    async def release(self) -> None:
        """Give the sender lease up (a graceful stop), so that another instance sends at once."""
        if self._until is None:
            return
        async with self._transaction() as session:
            await release_lease(session, holder=self.holder, now=self._services.clock.now())
        self._until = self._renewed_at = None
        self._services.delivery_counters.is_sender = False

    async def take_over(self) -> None:
        """Rebuild the limits from the recorded calls, and resend at once what another sender left in flight."""
        now = self._services.clock.now()
        horizon = now - timedelta(seconds=self._limiter.limits.longest_window_seconds)
        async with self._transaction() as session:
            chats = (
                await session.exec(
                    select(ChatDelivery).where(
                        or_(
                            col(ChatDelivery.last_attempt_at) > horizon,
                            col(ChatDelivery.paused_until) > now,
                        )
                    )
                )
            ).all()
            self._limiter.restore(
                (chat.chat_id, list(chat.recent_attempts or []), chat.paused_until) for chat in chats
            )
            # Only one sender holds the lease, so a call another holder left "being sent" can be
            # settled now instead of after its per-message lease: the resend window is the handover.
            abandoned = await session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.claimed_by).is_not(None),
                    col(OutboxMessage.claimed_by) != self.holder,
                )
                .values(available_at=now, claimed_by=None)
            )
        if abandoned.rowcount:
            logger.warning(
                "Took over %s outbox message(s) that the previous sender had in flight", abandoned.rowcount
            )
