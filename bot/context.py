"""The typed handler context and the unit of work each update is handled in."""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services
from models.outbox import Outbox
from models.private_arrival import PrivateArrival
from models.tables import Citizen, ConversationDraft

SERVICES_KEY = "services"

AfterCommit = Callable[[], Awaitable[object]]


class MembershipNeeded(Exception):
    """A handler needs to know whether a user is in a chat; ask Telegram outside the transaction, then rerun."""

    def __init__(self, chat_id: int, telegram_user_id: int) -> None:
        super().__init__(f"membership of {telegram_user_id} in {chat_id} is not known yet")
        self.chat_id = chat_id
        self.telegram_user_id = telegram_user_id


@dataclass
class UnitOfWork:
    """One database transaction for one update: state changes and outgoing messages commit together.

    Bot API calls never run inside it: best-effort calls (answerCallbackQuery) wait in `after_commit`
    and run once the transaction is committed; membership answers are fetched before (`memberships`).
    """

    session: AsyncSession
    now: datetime
    outbox: Outbox
    error: BaseException | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    after_commit: list[AfterCommit] = field(default_factory=list)
    memberships: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, user) → status
    # A private update stored on arrival on PostgreSQL: its flood count and its sender's records, read
    # by the statement that stored it (`models.private_arrival`).
    private_arrival: PrivateArrival | None = None
    _sender_records_taken: bool = False

    def take_sender_records(
        self, telegram_user_id: int
    ) -> tuple[Citizen | None, ConversationDraft | None] | None:
        """Return the sender's citizen and draft as the arrival loaded them, once; None: query them.

        Only the first lookup of an update gets them, before any handler could have changed the rows
        behind the session's back; later lookups query as usual.
        """
        arrival = self.private_arrival
        if arrival is None or arrival.sender_id != telegram_user_id or self._sender_records_taken:
            return None
        self._sender_records_taken = True
        return arrival.citizen, arrival.draft


current_unit_of_work: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar(
    "current_unit_of_work", default=None
)


class PaknContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Handler context with typed access to the services and the update's unit of work."""

    @property
    def services(self) -> Services:
        """Return the application's services."""
        return services_of(self.application)

    @property
    def unit(self) -> UnitOfWork:
        """Return the unit of work of the update being handled."""
        unit = current_unit_of_work.get()
        if unit is None:
            raise RuntimeError("handlers run inside a unit of work opened by the inbox processor")
        return unit

    @property
    def session(self) -> AsyncSession:
        """Return the update's database session."""
        return self.unit.session

    @property
    def outbox(self) -> Outbox:
        """Return the update's outbox."""
        return self.unit.outbox

    @property
    def now(self) -> datetime:
        """Return the instant the update is handled at (from the injected clock)."""
        return self.unit.now


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """Return the services stored on an application by the factory."""
    services = application.bot_data.get(SERVICES_KEY)
    if not isinstance(services, Services):
        raise RuntimeError("the application was not built by bot.application.build_application")
    return services
