"""What the officer modules (handlers/officer_*.py) share: who may act on an item, prompts, card presses.

Every press and every reply is authorised by the user who made it, in the chat it came from; a refusal is
polite, recorded as an audit event, and changes nothing. A card the triage group shows for an agency that
has no group of its own may only be routed by hand; everything else needs the agency's own group.

Multi-step actions post a prompt (ForceReply, selective) that the officer answers by replying; only the
officer who started a step may finish it. A prompt's data is read through `OfficerPrompt`; the replies to
prompts are routed by step (`prompt_replies`), each officer module exporting its `PROMPT_STEPS`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from telegram import Update

from bot.callbacks import Data
from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import CardAction, CardPress
from bot.views.cards import destination_for
from bot.views.dates import format_datetime, format_deadline
from bot.views.render import agency_name, category_name, locality_name, province_words
from handlers.authorization import Allowed, Denial, Denied, authorise_officer
from handlers.common import reply
from handlers.group_chat import group_language, mark_used, mention_actor, refuse
from handlers.group_replies import ReplyHandler
from handlers.presses import GuardedPress, guarded_press
from models.actions import RefusalNote
from models.items import agency_of_chat, get_item_for_update
from models.lifecycle import Actor, Change
from models.outbox import Message
from models.purposes import Purpose
from models.tables import ActorRole, Attachment, Consultation, Item, PostedMessage

CHOOSE_AGENCY = "choose_agency"  # the prompt step of an agency chooser (for a transfer or a consultation)


@dataclass(frozen=True)
class Permit(Allowed):
    """An officer allowed to act on an item; `is_stand_in` when the triage group acts for an agency without one."""

    is_stand_in: bool = False


class OfficerPrompt(BaseModel):
    """What a prompt to an officer remembers (PostedMessage.purpose_data of an OFFICER_PROMPT)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    step: str  # a CardAction value, or CHOOSE_AGENCY
    officer: int | None = None  # the officer who started the step
    agency: str | None = None
    target_agency: str | None = None
    purpose_for: str | None = Field(default=None, alias="for")  # what an agency chooser is for
    used: bool = False

    def stored(self) -> dict[str, Any]:
        """Return the prompt as it is kept in PostedMessage.purpose_data."""
        return self.model_dump(by_alias=True, exclude_none=True)

    @property
    def attempted(self) -> str:
        """Return the action the prompt belongs to, as refusals record it."""
        return self.purpose_for or self.step


@dataclass(frozen=True)
class PromptReply:
    """An officer's reply to one of the bot's prompts, checked: who replied, on which item, to what, saying what."""

    update: Update
    context: PaknContext
    item: Item
    permit: Permit
    posted: PostedMessage
    prompt: OfficerPrompt
    body: str

    def parts(self) -> tuple[Update, PaknContext, Item, Permit, PostedMessage, OfficerPrompt, str]:
        """Return the reply's parts, in the order a step handler names them."""
        return self.update, self.context, self.item, self.permit, self.posted, self.prompt, self.body


# Finishes one step from the officer's reply; True marks the prompt used.
StepHandler = Callable[[PromptReply], Awaitable[bool]]


async def authorise_for_item(
    context: PaknContext, update: Update, item: Item, action: str
) -> Permit | Denied:
    """Authorise an officer for an item: its agency's group, or the triage group routing it by hand."""
    chat = update.effective_chat
    services = context.services
    triage = services.directory.triage_agency
    if chat is not None and item.agency_code != triage:
        chat_agency = await agency_of_chat(context.session, services.directory, chat.id)
        if chat_agency == triage:
            destination = await destination_for(
                context.session, services.directory, item, language=group_language(context)
            )
            if destination.is_stand_in and destination.chat_id == chat.id:
                if action != CardAction.TRANSFER:
                    return Denied(Denial.TRIAGE_ROUTES_ONLY)
                found = await authorise_officer(context, update, agency_code=triage)
                return found if isinstance(found, Denied) else Permit(found.actor, is_stand_in=True)
    found = await authorise_officer(context, update, agency_code=item.agency_code)
    return found if isinstance(found, Denied) else Permit(found.actor)


async def guarded_officer_press(
    update: Update, context: PaknContext, family: type[Data], attempted: str
) -> tuple[GuardedPress[Data], Permit]:
    """Guard an officer's press on an item, keeping whether they act as the triage group standing in."""
    permits: list[Permit] = []

    async def authorise(item: Item, _data: Data) -> Permit | Denied:
        found = await authorise_for_item(context, update, item, attempted)
        if isinstance(found, Permit):
            permits.append(found)
        return found

    press = await guarded_press(update, context, family, attempted=attempted, authorise=authorise)
    return press, permits[0]


async def guarded_card_press(update: Update, context: PaknContext) -> tuple[GuardedPress[CardPress], Permit]:
    """Guard a press on an item card's officer buttons (the action is read from the signed data)."""
    found = context.services.signer.unpack(
        update.callback_query.data if update.callback_query else None, CardPress
    )
    attempted = found.action.value if found is not None else ""
    return await guarded_officer_press(update, context, CardPress, attempted)


def card_pattern(*actions: CardAction) -> re.Pattern[str]:
    """Return the pattern routing presses on these card buttons to one handler."""
    names = "|".join(re.escape(action.value) for action in actions)
    return re.compile(rf"^{re.escape(CardPress.prefix)}\|(?:{names})\|")


async def refuse_denied(
    update: Update, context: PaknContext, item: Item, attempted: str, denied: Denied
) -> None:
    """Refuse someone who may not act on the item here."""
    await refuse(update, context, item, attempted, f"auth.{denied.reason.value}", denied.refusal_reason)


def ask_officer(
    context: PaknContext,
    update: Update,
    item: Item,
    step: str,
    actor: Actor,
    *,
    target_agency: str | None = None,
) -> None:
    """Post a prompt the officer answers by replying; it remembers who asked and for what."""
    language = group_language(context)
    directory = context.services.directory
    prompt = OfficerPrompt(
        step=step, officer=actor.telegram_user_id, agency=actor.agency_code, target_agency=target_agency
    )
    reply(
        context,
        update,
        Message(
            text(
                language,
                f"prompt.{step}",
                officer=mention_actor(actor),
                code=item.code,
                agency=escape(agency_name(directory, target_agency, language)) if target_agency else "",
                **province_words(directory, language),
            ),
            force_reply=True,
        ),
        item_id=item.id,
        purpose=Purpose.OFFICER_PROMPT,
        purpose_data=prompt.stored(),
    )


def prompt_replies(steps: Mapping[str, StepHandler]) -> ReplyHandler:
    """Return the reply handler of officer prompts, finishing each step with its module's handler."""

    async def replied_to_prompt(update: Update, context: PaknContext, posted: PostedMessage) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or posted.item_id is None:
            return
        item = await get_item_for_update(context.session, posted.item_id)
        prompt = OfficerPrompt.model_validate(posted.purpose_data)
        handler = steps.get(prompt.step)
        if item is None or handler is None:
            return
        permit = await authorise_for_item(context, update, item, prompt.attempted)
        if isinstance(permit, Denied):
            await refuse_denied(update, context, item, prompt.attempted, permit)
            return
        if prompt.officer != user.id:
            await refuse(
                update, context, item, prompt.attempted, "auth.not_your_prompt", RefusalNote.NOT_YOUR_PROMPT
            )
            return
        language = group_language(context)
        if prompt.used:
            reply(
                context,
                update,
                Message(text(language, "prompt.used"), reply_to_message_id=message.message_id),
            )
            return
        body = (message.text or message.caption or "").strip()
        if not body and prompt.step not in NO_TEXT_NEEDED:
            reply(
                context,
                update,
                Message(text(language, "prompt.text_needed"), reply_to_message_id=message.message_id),
            )
            return
        if await handler(PromptReply(update, context, item, permit, posted, prompt, body)):
            mark_used(posted)

    return replied_to_prompt


# An answer may be a file alone (the preview shows it); an empty agency name finds no agency and says so.
NO_TEXT_NEEDED = frozenset({CardAction.ANSWER.value, CHOOSE_AGENCY})


def save_officer_attachments(
    context: PaknContext, item: Item, change: Change, attachments: list[dict[str, Any]]
) -> None:
    """Keep the files an officer sent with an answer or update in the item's record."""
    if item.id is None:
        return
    for attachment in attachments:
        context.session.add(
            Attachment(
                item_id=item.id,
                event_id=change.event.id,
                added_by=ActorRole.OFFICER,
                added_at=context.now,
                **attachment,
            )
        )


def consultation_text(context: PaknContext, item: Item, consultation: Consultation, language: str) -> str:
    """Render the consultation card: the item, the lead agency's question and the deadline."""
    directory = context.services.directory
    body = text(
        language,
        "consult.card",
        code=item.code,
        lead=escape(agency_name(directory, consultation.from_agency_code, language)),
        category=escape(category_name(directory, item.category_code, language)),
        locality=escape(locality_name(directory, item, language)),
        question=escape(consultation.question),
        due=format_deadline(consultation.due_at, language),
        text=escape(item.text[:1500]),
    )
    if consultation.answered_at is not None:
        body += text(
            language,
            "consult.card_answered",
            officer=escape(consultation.answered_by_name or "—"),
            at=format_datetime(consultation.answered_at, language),
        )
    return body
