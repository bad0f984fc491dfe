"""sender lease and persisted delivery limits

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the sender lease, the per-chat record of recent calls and the in-flight claim of a row."""
    op.create_table(
        "deliverylease",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("acquired_at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("chatdelivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recent_attempts", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("last_attempt_at", models.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_chatdelivery_last_attempt_at"), ["last_attempt_at"], unique=False
        )
    with op.batch_alter_table("chatdelivery", schema=None) as batch_op:
        batch_op.alter_column("recent_attempts", server_default=None)
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("chatdelivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chatdelivery_last_attempt_at"))
        batch_op.drop_column("last_attempt_at")
        batch_op.drop_column("recent_attempts")
    op.drop_table("deliverylease")
