"""Alembic migrations, run with `pakn db upgrade` (and automatically for a fresh SQLite file)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIRECTORY = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    """Build an Alembic configuration without an alembic.ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIRECTORY))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    """Apply every migration not yet applied (synchronous; run it in a thread from async code)."""
    command.upgrade(alembic_config(database_url), "head")
