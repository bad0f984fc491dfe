"""report figures: answer working time, file uploads for the outbox, indexes for the reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused_working_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("answer_working_seconds", sa.Integer(), nullable=True))
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.alter_column("paused_working_seconds", server_default=None)
    with op.batch_alter_table("itemevent", schema=None) as batch_op:
        batch_op.create_index("ix_itemevent_action_at", ["action", "at"], unique=False)
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_asked_at"), ["asked_at"], unique=False)
    op.create_table(
        "outboxfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("outboxfile")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_asked_at"))
    with op.batch_alter_table("itemevent", schema=None) as batch_op:
        batch_op.drop_index("ix_itemevent_action_at")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("answer_working_seconds")
        batch_op.drop_column("paused_working_seconds")
