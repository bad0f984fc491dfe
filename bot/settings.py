"""Runtime settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_SAMPLE_DIRECTORY = Path(__file__).resolve().parent / "data" / "thai-nguyen.sample.yaml"
TELEGRAM_DEFAULT_BASE_URL = "https://api.telegram.org/bot"
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "123456:replace-me"}


class Environment(StrEnum):
    """Where the bot runs; production refuses placeholder secrets."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every knob the bot reads from its environment (see `.env.example`)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite+aiosqlite:///./pakn.sqlite3"
    directory_file: Path = BUNDLED_SAMPLE_DIRECTORY
    telegram_api_base_url: str = TELEGRAM_DEFAULT_BASE_URL
    telegram_file_base_url: str | None = None
    log_level: str = "INFO"  # DEBUG is for development only: it logs whole updates and requests (masked)
    default_language: str = "vi"

    webhook_url: str | None = None
    webhook_path: str = "/telegram"
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_max_body_bytes: int = 1_000_000

    web_listen: str = "127.0.0.1"  # `pakn web`: the public site and the Open311 API
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_public_url: str | None = (
        None  # e.g. https://pakn.example.gov.vn, for Open311 discovery behind a proxy
    )
    web_stats_cache_seconds: int = Field(
        default=60, ge=1
    )  # the public figures are computed at most this often
    web_page_size: int = Field(default=20, ge=1, le=100)
    open311_max_body_bytes: int = Field(default=64_000, ge=1_000, le=1_000_000)
    open311_requests_per_minute: int = Field(default=30, ge=1)  # per API key (per process)
    open311_submissions_per_hour: int = Field(default=300, ge=1)  # per channel, like SUBMISSIONS_PER_HOUR

    submissions_per_hour: int = Field(default=5, ge=1)
    private_messages_per_minute: int = Field(default=30, ge=1)  # beyond it: told once, then ignored
    private_flood_pause_minutes: int = Field(default=10, ge=1)
    duplicate_window_minutes: int = Field(default=10, ge=0)
    max_attachments: int = Field(default=10, ge=0, le=50)
    max_attachment_bytes: int = 20 * 1024 * 1024
    description_min_chars: int = Field(default=20, ge=1)
    # The card keeps a long description in its own messages, so it may be longer than one message.
    description_max_chars: int = Field(default=8000, ge=1, le=16000)
    description_parts_window_seconds: int = Field(default=10, ge=1, le=120)  # a split paste's parts
    member_cache_seconds: int = Field(default=60, ge=0)
    member_check_timeout_seconds: float = Field(default=5.0, gt=0, le=30)  # getChatMember; then "try again"
    member_fallback_seconds: int = Field(default=3600, ge=0)  # a positive answer this recent stands in
    bind_code_minutes: int = Field(default=30, ge=1)
    bind_max_failures: int = Field(default=5, ge=1)  # wrong /bind codes per person and per group...
    bind_failure_window_minutes: int = Field(default=15, ge=1)  # ...within this window...
    bind_lockout_minutes: int = Field(default=60, ge=1)  # ...lock /bind for them this long
    escalation_sweep_seconds: int = Field(default=60, ge=5)
    escalation_digest_threshold: int = Field(default=3, ge=1, le=20)  # more messages to one chat: one digest
    auto_close_sweep_seconds: int = Field(default=600, ge=30)
    daily_summary_time: time = time(8, 0)  # local time of the province, on working days
    periodic_report_time: time = time(8, 0)  # weekly and monthly reports, on the first working day
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    outbox_send_lease_seconds: float = Field(default=60.0, gt=0)
    outbox_delivery_enabled: bool = True  # false: this instance never sends (it still handles updates)
    outbox_sender_lease_seconds: float = Field(default=10.0, ge=1)  # one sender at a time; takeover after it
    outbox_resends_after_lost_answer: int = Field(default=1, ge=0, le=3)  # sends only; edits are idempotent
    inbox_retention_hours: int = Field(default=72, ge=25)  # Telegram redelivers for at most 24 hours
    update_concurrency: int = Field(default=16, ge=1, le=256)  # updates of different chats handled at once
    update_max_attempts: int = Field(
        default=3, ge=1, le=20
    )  # then the update is parked (`pakn inbox failed`)
    sqlite_busy_timeout_seconds: float = Field(default=30.0, gt=0)

    @field_validator("log_level")
    @classmethod
    def _upper_log_level(cls, value: str) -> str:
        return value.upper()

    @field_validator("telegram_api_base_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/") if not value.endswith("/bot") else value

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            token = self.bot_token.get_secret_value() if self.bot_token else ""
            if token.strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("BOT_TOKEN is missing or a placeholder; production needs the real token")
            if self.webhook_url:
                secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
                if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 16:
                    raise ValueError("WEBHOOK_SECRET must be set to 16+ random characters in production")
        if self.webhook_url:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
                raise ValueError(
                    "webhook mode needs WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -"
                )
            if not self.webhook_path.startswith("/"):
                raise ValueError("WEBHOOK_PATH must start with /")
        return self

    @property
    def file_base_url(self) -> str:
        """Return the file download base URL that matches the API base URL."""
        if self.telegram_file_base_url:
            return self.telegram_file_base_url
        base = self.telegram_api_base_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @property
    def is_sqlite(self) -> bool:
        """Tell whether the store is SQLite."""
        return self.database_url.startswith("sqlite")
