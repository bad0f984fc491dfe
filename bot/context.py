"""The typed handler context and the unit of work each update is handled in."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services
from models.outbox import Outbox

SERVICES_KEY = "services"


@dataclass
class UnitOfWork:
    """One database transaction for one update: state changes and outgoing messages commit together."""

    session: AsyncSession
    now: datetime
    outbox: Outbox
    error: BaseException | None = None
    notes: dict[str, Any] = field(default_factory=dict)


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
