"""next escalation instant on items and consultations

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01 16:50:00

The sweep selects only the rows whose instant has come (issue 9). Open items and unanswered
consultations get an instant that has already passed (their receipt or the question's time), so the
first sweep after the upgrade looks at each once, fires what it would have fired anyway and stores
the exact instant. The province's calendar is not known here, and this needs none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.db

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_STATES = ("RECEIVED", "IN_PROGRESS", "AWAITING_CITIZEN", "DISPUTED", "REOPENED")


def upgrade() -> None:
    """Add the columns and their indexes, and arm every open item and consultation for one look."""
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_escalation_at", models.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_item_next_escalation_at"), ["next_escalation_at"], unique=False)
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_escalation_at", models.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_consultation_next_escalation_at"), ["next_escalation_at"], unique=False
        )
    states = ", ".join(f"'{state}'" for state in OPEN_STATES)  # literals: PostgreSQL casts them to the enum
    op.execute(f"UPDATE item SET next_escalation_at = received_at WHERE state IN ({states})")
    op.execute("UPDATE consultation SET next_escalation_at = asked_at WHERE answered_at IS NULL")


def downgrade() -> None:
    """Drop the columns and their indexes."""
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_next_escalation_at"))
        batch_op.drop_column("next_escalation_at")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_next_escalation_at"))
        batch_op.drop_column("next_escalation_at")
