"""Binding group chats to agencies with one-time codes.

A group that already serves an agency is never rebound by an ordinary code: rebinding is an explicit
administrator action (`pakn agency unbind CODE`, or a code issued with --replace), kept in BindingChange.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.directory import Directory
from models.items import SUPERVISORS_KEY, agency_of_chat
from models.tables import AgencyChat, BindCode, BindingChange

SUPERVISORS_ALIASES = {"supervisors", "SUPERVISORS", SUPERVISORS_KEY}


class UnknownAgency(ValueError):
    """The agency code is not in the directory."""


class ChatAlreadyBound(Exception):
    """The group already serves an agency, and the code was not issued to replace that binding."""

    def __init__(self, agency_code: str) -> None:
        super().__init__(agency_code)
        self.agency_code = agency_code


class NotBoundHere(Exception):
    """An unbind was asked for an agency whose group comes from the directory file (or has none)."""


def resolve_agency_code(directory: Directory, code: str) -> str:
    """Return the agency code (or the supervisors' key) an administrator meant, or raise UnknownAgency."""
    if code in SUPERVISORS_ALIASES:
        return SUPERVISORS_KEY
    if code in directory.agencies_by_code:
        return code
    matches = [agency.code for agency in directory.agencies if agency.code.lower() == code.lower()]
    if len(matches) == 1:
        return matches[0]
    raise UnknownAgency(code)


async def create_bind_code(
    *,
    session: AsyncSession,
    directory: Directory,
    agency_code: str,
    now: datetime,
    valid_for: timedelta,
    is_replacing: bool = False,
) -> BindCode:
    """Issue a one-time, expiring code that binds the group it is sent in to an agency.

    With `is_replacing`, the code may also rebind a group that already serves another agency.
    """
    code = resolve_agency_code(directory, agency_code)
    bind_code = BindCode(
        code=f"{secrets.randbelow(10**8):08d}",
        agency_code=code,
        created_at=now,
        expires_at=now + valid_for,
        is_replacing=is_replacing,
    )
    session.add(bind_code)
    return bind_code


async def use_bind_code(
    *,
    session: AsyncSession,
    directory: Directory,
    code: str,
    chat_id: int,
    telegram_user_id: int,
    name: str,
    now: datetime,
) -> AgencyChat | None:
    """Bind a chat with a valid code (once); return the binding, or None if the code is not valid.

    Raise ChatAlreadyBound when the chat already serves an agency and the code does not replace it.
    """
    bind_code = await session.get(BindCode, code.strip(), with_for_update=True)
    if bind_code is None or bind_code.used_at is not None or bind_code.expires_at <= now:
        return None
    previous_agency = await agency_of_chat(session, directory, chat_id)
    if previous_agency is not None and not bind_code.is_replacing:
        raise ChatAlreadyBound(previous_agency)
    if previous_agency is not None and previous_agency != bind_code.agency_code:
        stale = await session.get(AgencyChat, previous_agency)
        if stale is None:  # the directory file names this group: only editing the file changes that
            raise ChatAlreadyBound(previous_agency)
        await session.delete(stale)
        await session.flush()
    session.add(
        BindingChange(
            at=now,
            action="replaced" if previous_agency is not None else "bound",
            agency_code=bind_code.agency_code,
            chat_id=chat_id,
            previous_agency_code=previous_agency,
            by_role="officer",
            by_telegram_user_id=telegram_user_id,
            by_name=name,
        )
    )
    bind_code.used_at = now
    bind_code.used_by_telegram_user_id = telegram_user_id
    bind_code.used_in_chat_id = chat_id
    binding = await session.get(AgencyChat, bind_code.agency_code)
    if binding is None:
        binding = AgencyChat(agency_code=bind_code.agency_code, chat_id=chat_id, bound_at=now)
    binding.chat_id = chat_id
    binding.bound_at = now
    binding.bound_by_telegram_user_id = telegram_user_id
    binding.bound_by_name = name
    binding.how = "bind_code"
    session.add(binding)
    return binding


async def unbind_agency(
    *, session: AsyncSession, directory: Directory, agency_code: str, now: datetime
) -> int:
    """Remove an agency's group binding (an administrator's action); return the chat id it had.

    Raise NotBoundHere when the agency has no binding made with a code (its group, if any, is the one
    in the directory file, which the administrator changes there).
    """
    code = resolve_agency_code(directory, agency_code)
    binding = await session.get(AgencyChat, code, with_for_update=True)
    if binding is None:
        raise NotBoundHere(code)
    chat_id = binding.chat_id
    await session.delete(binding)
    session.add(BindingChange(at=now, action="unbound", agency_code=code, chat_id=chat_id))
    return chat_id


async def binding_history(session: AsyncSession, agency_code: str) -> list[BindingChange]:
    """Return an agency's binding changes, oldest first."""
    statement = select(BindingChange).where(BindingChange.agency_code == agency_code)
    return list((await session.exec(statement.order_by(BindingChange.id))).all())  # type: ignore[arg-type]
