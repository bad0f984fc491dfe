"""Who may act where: officers in their agency's group, supervisors in the supervisors' group.

Buttons in a group can be pressed by anyone who sees them, so every press and every reply is
authorised by the Telegram user who did it, in the chat it came from: the chat must be bound to
the agency (or be the supervisors' group), the user must be a member of it (getChatMember, cached
briefly), and, when the directory lists a roster, on that roster.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.context import PaknContext
from handlers.common import full_name
from models.actions import Action
from models.items import SUPERVISORS_KEY, agency_of_chat
from models.lifecycle import Actor
from models.tables import ActorRole, Item, ItemEvent

logger = logging.getLogger(__name__)

MEMBER_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}


class Denial(StrEnum):
    """Why someone may not act; each has a polite text under `auth.<value>`."""

    NOT_A_GROUP_OF_AGENCY = "not_agency_group"
    NOT_A_MEMBER = "not_member"
    NOT_ON_ROSTER = "not_on_roster"
    WRONG_AGENCY = "wrong_agency"
    NOT_SUPERVISORS_GROUP = "not_supervisors_group"
    TRIAGE_ROUTES_ONLY = "triage_routes_only"  # the triage group only routes cards it shows for others
    NOT_YOUR_PROMPT = "not_your_prompt"  # another officer started this step


@dataclass(frozen=True)
class Authorisation:
    """The outcome of a check: an actor to record, or the reason for refusing."""

    actor: Actor | None
    denial: Denial | None = None

    @property
    def is_allowed(self) -> bool:
        """Tell whether the user may act."""
        return self.actor is not None


async def is_member(context: PaknContext, chat_id: int, telegram_user_id: int) -> bool:
    """Ask Telegram whether a user is a member of a chat, caching the answer briefly."""
    cache = context.services.member_cache
    key = (chat_id, telegram_user_id)
    cached = cache.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1] in MEMBER_STATUSES or cached[1] == "restricted_member"
    try:
        member = await context.bot.get_chat_member(chat_id, telegram_user_id)
    except TelegramError as error:
        logger.warning(
            "getChatMember(%s, %s) failed: %s; treating as not a member", chat_id, telegram_user_id, error
        )
        return False
    status = str(member.status)
    if member.status == ChatMemberStatus.RESTRICTED and getattr(member, "is_member", False):
        status = "restricted_member"
    cache[key] = (now + context.services.settings.member_cache_seconds, status)
    return status in MEMBER_STATUSES or status == "restricted_member"


async def authorise_officer(context: PaknContext, update: Update, *, agency_code: str) -> Authorisation:
    """Allow an officer of `agency_code` acting in that agency's own group."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type == "private":
        return Authorisation(None, Denial.NOT_A_GROUP_OF_AGENCY)
    services = context.services
    group_agency = await agency_of_chat(context.session, services.directory, chat.id)
    if group_agency is None or group_agency == SUPERVISORS_KEY:
        return Authorisation(None, Denial.NOT_A_GROUP_OF_AGENCY)
    if group_agency != agency_code:
        return Authorisation(None, Denial.WRONG_AGENCY)
    if not await is_member(context, chat.id, user.id):
        return Authorisation(None, Denial.NOT_A_MEMBER)
    agency = services.directory.agencies_by_code.get(agency_code)
    roster = {officer.telegram_user_id for officer in agency.officers} if agency else set()
    if roster and user.id not in roster:
        return Authorisation(None, Denial.NOT_ON_ROSTER)
    return Authorisation(
        Actor(role=ActorRole.OFFICER, telegram_user_id=user.id, name=full_name(user), agency_code=agency_code)
    )


async def authorise_supervisor(context: PaknContext, update: Update) -> Authorisation:
    """Allow a member of the supervisors' group acting in that group."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type == "private":
        return Authorisation(None, Denial.NOT_SUPERVISORS_GROUP)
    services = context.services
    if await agency_of_chat(context.session, services.directory, chat.id) != SUPERVISORS_KEY:
        return Authorisation(None, Denial.NOT_SUPERVISORS_GROUP)
    if not await is_member(context, chat.id, user.id):
        return Authorisation(None, Denial.NOT_A_MEMBER)
    roster = services.directory.supervisors.members
    if roster and user.id not in {member.telegram_user_id for member in roster}:
        return Authorisation(None, Denial.NOT_ON_ROSTER)
    return Authorisation(
        Actor(
            role=ActorRole.SUPERVISOR,
            telegram_user_id=user.id,
            name=full_name(user),
            agency_code=SUPERVISORS_KEY,
        )
    )


def record_refusal(
    context: PaknContext, update: Update, item: Item, *, attempted: str, reason: str
) -> ItemEvent:
    """Add an audit event for an action that was refused; the item itself is not changed."""
    user = update.effective_user
    chat = update.effective_chat
    assert item.id is not None
    event = ItemEvent(
        item_id=item.id,
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
