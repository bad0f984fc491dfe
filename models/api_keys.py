"""Open311 API keys, one per channel (the province's portal, the hotline desk). Only a hash is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import ApiKey

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
KEY_PREFIX = "pakn_"


class ApiKeyProblem(ValueError):
    """A key cannot be created or revoked as asked; the message says why."""


def hash_key(plaintext: str) -> str:
    """Hash a key for storage and lookup (keys are 256-bit random, so one SHA-256 pass suffices)."""
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_name(name: str) -> str:
    """Return a channel name in its stored form, or raise ApiKeyProblem."""
    cleaned = name.strip().lower()
    if not NAME_PATTERN.fullmatch(cleaned) or cleaned == "telegram":
        raise ApiKeyProblem(
            "a channel name is 1-64 characters of a-z, 0-9, '.', '_' and '-', and not 'telegram'"
        )
    return cleaned


async def create_api_key(*, session: AsyncSession, name: str, now: datetime) -> tuple[ApiKey, str]:
    """Issue a channel's key and return it once in plain text; a revoked channel gets a fresh key."""
    name = normalise_name(name)
    existing = (await session.exec(select(ApiKey).where(ApiKey.name == name))).first()
    if existing is not None and existing.revoked_at is None:
        raise ApiKeyProblem(f"channel {name!r} already has a key; revoke it first")
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    key = existing or ApiKey(name=name, key_hash="", created_at=now)
    key.key_hash = hash_key(plaintext)
    key.created_at = now
    key.revoked_at = None
    session.add(key)
    await session.flush()
    return key, plaintext


async def revoke_api_key(*, session: AsyncSession, name: str, now: datetime) -> ApiKey:
    """Revoke a channel's key at once; requests with it are refused from now on."""
    name = normalise_name(name)
    key = (await session.exec(select(ApiKey).where(ApiKey.name == name))).first()
    if key is None or key.revoked_at is not None:
        raise ApiKeyProblem(f"channel {name!r} has no active key")
    key.revoked_at = now
    session.add(key)
    return key


async def channel_of_key(*, session: AsyncSession, plaintext: str) -> str | None:
    """Return the channel name of an active key, or None for a missing, forged or revoked one."""
    if not plaintext or len(plaintext) > 200:
        return None
    statement = select(ApiKey.name).where(
        ApiKey.key_hash == hash_key(plaintext), col(ApiKey.revoked_at).is_(None)
    )
    return (await session.exec(statement)).first()
