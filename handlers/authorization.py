"""Who may act where: officers in their agency's group, supervisors in the supervisors' group.

Buttons in a group can be pressed by anyone who sees them, so every press and every reply is
authorised by the Telegram user who did it, in the chat it came from: the chat must be bound to
the agency (or be the supervisors' group), the user must be a member of it (getChatMember, cached
briefly), and, when the directory lists a roster, on that roster.

A membership check that could not be made (Telegram slow or down) is not a "no": the person is asked to
try again and nothing is recorded against them. A recent "yes" from the cache may stand in.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from telegram import Bot, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, TelegramError

from bot.context import MembershipNeeded, PaknContext, current_unit_of_work
from bot.services import Services
from handlers.common import full_name
from models.actions import Action
from models.items import SUPERVISORS_KEY, agency_of_chat
from models.lifecycle import Actor
from models.tables import ActorRole, Item, ItemEvent, saved_id

logger = logging.getLogger(__name__)

MEMBER_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
RESTRICTED_MEMBER = "restricted_member"  # restricted, but still in the chat


class Denial(StrEnum):
    """Why someone may not act; each has a polite text under `auth.<value>`."""

    NOT_A_GROUP_OF_AGENCY = "not_agency_group"
    NOT_A_MEMBER = "not_member"
    MEMBERSHIP_UNVERIFIED = "membership_unverified"  # Telegram did not answer in time: try again
    NOT_ON_ROSTER = "not_on_roster"
    WRONG_AGENCY = "wrong_agency"
    NOT_SUPERVISORS_GROUP = "not_supervisors_group"
    TRIAGE_ROUTES_ONLY = "triage_routes_only"  # the triage group only routes cards it shows for others
    NOT_YOUR_PROMPT = "not_your_prompt"  # another officer started this step


@dataclass(frozen=True)
class Allowed:
    """The user may act; `actor` is who the history records."""

    actor: Actor


@dataclass(frozen=True)
class Denied:
    """The user may not act, for `reason` (each has a polite text under `auth.<value>`)."""

    reason: Denial

    @property
    def refusal_reason(self) -> str:
        """Return the reason recorded in the refusal's audit event."""
        return f"not_authorised:{self.reason.value}"


Authorisation = Allowed | Denied


class Membership(StrEnum):
    """What Telegram said about a user in a chat, or that it could not be asked."""

    MEMBER = "member"
    NOT_MEMBER = "not_member"
    UNKNOWN = "unknown"


MEMBERSHIP_DENIALS = {
    Membership.NOT_MEMBER: Denial.NOT_A_MEMBER,
    Membership.UNKNOWN: Denial.MEMBERSHIP_UNVERIFIED,
}
UNVERIFIED_STATUS = "unverified"  # Telegram could not be asked in time; never cached


def is_member_status(status: str) -> bool:
    """Tell whether a status from `fetch_membership` lets the user act in the chat."""
    return status in MEMBER_STATUSES or status == RESTRICTED_MEMBER


async def membership(context: PaknContext, chat_id: int, telegram_user_id: int) -> Membership:
    """Tell whether a user is a member of a chat, from the cache or from Telegram (within a timeout).

    getChatMember is never called while the update's transaction is open: on a miss, the update is
    rolled back, the inbox asks Telegram outside any transaction, and the update runs again.
    """
    services = context.services
    settings = services.settings
    key = (chat_id, telegram_user_id)
    now = context.now
    cached = services.member_cache.get(key)
    if cached is not None and now - cached[0] < timedelta(seconds=settings.member_cache_seconds):
        return Membership.MEMBER if is_member_status(cached[1]) else Membership.NOT_MEMBER
    unit = current_unit_of_work.get()
    if unit is None:
        status = await fetch_membership(context.bot, services, chat_id, telegram_user_id)
    elif key in unit.memberships:
        status = unit.memberships[key]
    else:
        raise MembershipNeeded(chat_id, telegram_user_id)
    if status != UNVERIFIED_STATUS:
        return Membership.MEMBER if is_member_status(status) else Membership.NOT_MEMBER
    fallback = timedelta(seconds=settings.member_fallback_seconds)
    if cached is not None and is_member_status(cached[1]) and now - cached[0] < fallback:
        logger.warning("getChatMember could not be made; a recent positive answer stands in")
        return Membership.MEMBER
    return Membership.UNKNOWN


async def fetch_membership(bot: Bot, services: Services, chat_id: int, telegram_user_id: int) -> str:
    """Ask Telegram for a user's status in a chat within a short timeout, caching real answers."""
    settings = services.settings
    key = (chat_id, telegram_user_id)
    try:
        member = await asyncio.wait_for(
            bot.get_chat_member(chat_id, telegram_user_id), timeout=settings.member_check_timeout_seconds
        )
    except BadRequest as error:  # Telegram answered: no such member in this chat
        logger.info("getChatMember(%s, %s): %s; not a member", chat_id, telegram_user_id, error)
        services.member_cache[key] = (services.clock.now(), str(ChatMemberStatus.LEFT))
        return str(ChatMemberStatus.LEFT)
    except (TelegramError, TimeoutError) as error:
        logger.warning(
            "getChatMember(%s, %s) failed (%r); membership unverified", chat_id, telegram_user_id, error
        )
        return UNVERIFIED_STATUS
    status = str(member.status)
    if member.status == ChatMemberStatus.RESTRICTED and getattr(member, "is_member", False):
        status = RESTRICTED_MEMBER
    services.member_cache[key] = (services.clock.now(), status)
    return status


async def is_member(context: PaknContext, chat_id: int, telegram_user_id: int) -> bool:
    """Tell whether Telegram confirms that a user is a member of a chat."""
    return await membership(context, chat_id, telegram_user_id) is Membership.MEMBER


async def authorise_officer(context: PaknContext, update: Update, *, agency_code: str) -> Authorisation:
    """Allow an officer of `agency_code` acting in that agency's own group."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type == "private":
        return Denied(Denial.NOT_A_GROUP_OF_AGENCY)
    services = context.services
    group_agency = await agency_of_chat(context.session, services.directory, chat.id)
    if group_agency is None or group_agency == SUPERVISORS_KEY:
        return Denied(Denial.NOT_A_GROUP_OF_AGENCY)
    if group_agency != agency_code:
        return Denied(Denial.WRONG_AGENCY)
    found = await membership(context, chat.id, user.id)
    if found is not Membership.MEMBER:
        return Denied(MEMBERSHIP_DENIALS[found])
    agency = services.directory.agencies_by_code.get(agency_code)
    roster = {officer.telegram_user_id for officer in agency.officers} if agency else set()
    if roster and user.id not in roster:
        return Denied(Denial.NOT_ON_ROSTER)
    return Allowed(
        Actor(role=ActorRole.OFFICER, telegram_user_id=user.id, name=full_name(user), agency_code=agency_code)
    )


async def authorise_supervisor(context: PaknContext, update: Update) -> Authorisation:
    """Allow a member of the supervisors' group acting in that group."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type == "private":
        return Denied(Denial.NOT_SUPERVISORS_GROUP)
    services = context.services
    if await agency_of_chat(context.session, services.directory, chat.id) != SUPERVISORS_KEY:
        return Denied(Denial.NOT_SUPERVISORS_GROUP)
    found = await membership(context, chat.id, user.id)
    if found is not Membership.MEMBER:
        return Denied(MEMBERSHIP_DENIALS[found])
    roster = services.directory.supervisors.members
    if roster and user.id not in {member.telegram_user_id for member in roster}:
        return Denied(Denial.NOT_ON_ROSTER)
    return Allowed(
        Actor(
            role=ActorRole.SUPERVISOR,
            telegram_user_id=user.id,
            name=full_name(user),
            agency_code=SUPERVISORS_KEY,
        )
    )


UNVERIFIED_REASON = f"not_authorised:{Denial.MEMBERSHIP_UNVERIFIED.value}"


def record_refusal(
    context: PaknContext, update: Update, item: Item, *, attempted: str, reason: str
) -> ItemEvent | None:
    """Add an audit event for an action that was refused; the item itself is not changed.

    A check that could not be made is not held against the person: nothing is recorded for it.
    """
    if reason == UNVERIFIED_REASON:
        return None
    user = update.effective_user
    chat = update.effective_chat
    event = ItemEvent(
        item_id=saved_id(item),
        at=context.now,
        action=Action.REFUSED,
        actor_role=ActorRole.OFFICER if chat is not None and chat.type != "private" else ActorRole.CITIZEN,
        actor_telegram_user_id=user.id if user else None,
        actor_name=full_name(user) if user and chat is not None and chat.type != "private" else None,
        agency_code=item.agency_code,
        state_before=item.state,
        state_after=item.state,
        reason=reason,
        detail={"attempted": attempted, "chat_id": chat.id if chat else None},
    )
    context.session.add(event)
    return event
