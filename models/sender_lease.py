"""One outbox sender at a time: a lease row that the holder renews and anyone may take once it lapses.

A lease row works the same on SQLite and PostgreSQL: taking or renewing it is one conditional UPDATE,
which both databases apply atomically, so two instances can never both hold an unexpired lease.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.db import dialect_name
from models.tables import DeliveryLease

OUTBOX_LEASE = "outbox"
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


async def take_or_renew_lease(
    session: AsyncSession, *, holder: str, now: datetime, seconds: float, name: str = OUTBOX_LEASE
) -> bool:
    """Hold the lease until now + seconds if it is ours or has lapsed; return whether we hold it."""
    insert = postgresql_insert if dialect_name(session) == "postgresql" else sqlite_insert
    await session.exec(
        insert(DeliveryLease)
        .values(name=name, holder="", expires_at=_NEVER, acquired_at=_NEVER)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    expires_at = now + timedelta(seconds=seconds)
    renewed = await session.exec(
        update(DeliveryLease)
        .where(col(DeliveryLease.name) == name, col(DeliveryLease.holder) == holder)
        .values(expires_at=expires_at)
    )
    if renewed.rowcount:
        return True
    taken = await session.exec(
        update(DeliveryLease)
        .where(
            col(DeliveryLease.name) == name,
            or_(col(DeliveryLease.expires_at) <= now, col(DeliveryLease.holder) == ""),
        )
        .values(holder=holder, expires_at=expires_at, acquired_at=now)
    )
    return bool(taken.rowcount)


async def is_lease_holder(
    session: AsyncSession, *, holder: str, now: datetime, name: str = OUTBOX_LEASE
) -> bool:
    """Tell whether `holder` holds an unexpired lease, as the database sees it now."""
    lease = await session.get(DeliveryLease, name, populate_existing=True)
    return lease is not None and lease.holder == holder and lease.expires_at > now


async def release_lease(
    session: AsyncSession, *, holder: str, now: datetime, name: str = OUTBOX_LEASE
) -> None:
    """Give the lease up at once (a graceful stop), so another instance takes over without waiting."""
    await session.exec(
        update(DeliveryLease)
        .where(col(DeliveryLease.name) == name, col(DeliveryLease.holder) == holder)
        .values(expires_at=now)
    )
