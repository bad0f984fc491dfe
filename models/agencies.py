"""Binding group chats to agencies with one-time codes."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from models.directory import Directory
from models.items import SUPERVISORS_KEY
from models.tables import AgencyChat, BindCode

SUPERVISORS_ALIASES = {"supervisors", "SUPERVISORS", SUPERVISORS_KEY}


class UnknownAgency(ValueError):
    """The agency code is not in the directory."""


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
    *, session: AsyncSession, directory: Directory, agency_code: str, now: datetime, valid_for: timedelta
) -> BindCode:
    """Issue a one-time, expiring code that binds the group it is sent in to an agency."""
    code = resolve_agency_code(directory, agency_code)
    bind_code = BindCode(
        code=f"{secrets.randbelow(10**8):08d}",
        agency_code=code,
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(bind_code)
    return bind_code


async def use_bind_code(
    *, session: AsyncSession, code: str, chat_id: int, telegram_user_id: int, name: str, now: datetime
) -> AgencyChat | None:
    """Bind a chat with a valid code (once); return the binding, or None if the code is not valid."""
    bind_code = await session.get(BindCode, code.strip(), with_for_update=True)
    if bind_code is None or bind_code.used_at is not None or bind_code.expires_at <= now:
        return None
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
