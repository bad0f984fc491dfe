"""inbox: park updates that cannot be handled

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("inboxupdate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_at", models.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_inboxupdate_failed_at"), ["failed_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("inboxupdate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inboxupdate_failed_at"))
        batch_op.drop_column("failed_at")
