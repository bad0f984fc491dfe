"""public web pages and Open311: item channel, publication consent, API keys

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "apikey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", models.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("apikey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apikey_key_hash"), ["key_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_apikey_name"), ["name"], unique=True)

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="telegram",
            )
        )
        batch_op.add_column(sa.Column("contact_email", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("is_publication_allowed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("publication_consent_at", models.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("is_never_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_item_channel"), ["channel"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_channel"))
        batch_op.drop_column("is_never_public")
        batch_op.drop_column("publication_consent_at")
        batch_op.drop_column("is_publication_allowed")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("channel")

    with op.batch_alter_table("apikey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_apikey_name"))
        batch_op.drop_index(batch_op.f("ix_apikey_key_hash"))

    op.drop_table("apikey")
