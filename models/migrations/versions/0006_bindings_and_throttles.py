"""binding history, replacing bind codes and throttles

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("bindcode", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_replacing", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "bindingchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("previous_agency_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("by_role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("by_telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("by_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bindingchange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bindingchange_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_bindingchange_agency_code"), ["agency_code"], unique=False)
    op.create_table(
        "throttle",
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("window_started_at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("blocked_until", models.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("is_notified", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "subject_id"),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("throttle")
    with op.batch_alter_table("bindingchange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bindingchange_agency_code"))
        batch_op.drop_index(batch_op.f("ix_bindingchange_at"))
    op.drop_table("bindingchange")
    with op.batch_alter_table("bindcode", schema=None) as batch_op:
        batch_op.drop_column("is_replacing")
