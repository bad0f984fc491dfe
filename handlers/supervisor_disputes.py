"""The supervisors' group: disputed transfers, "not satisfied" alerts and the review of rejections.

Only members of the supervisors' group, acting in that group, may decide (handlers.authorization).

Flow::

    a transfer turned into a dispute ─► DISPUTE card: one button per agency involved,
        🔎 any other agency (CHOOSE_AGENCY: pages, or reply with part of a name),
        ☐/☑ save the choice as a routing rule for the category and locality
        └─ a choice ─► DECIDED: final for the item; both agencies and the citizen are told
    "not satisfied" ─► alert (and the citizen's comment, when it comes)
    a rejection ─► REVIEW card: ↩️ reverse (the item goes back to its agency) │ ✔️ uphold
"""

from __future__ import annotations

import logging
import math
from enum import StrEnum
from html import escape
from typing import Any

from sqlmodel import col, select
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.callbacks import CallbackPress
from bot.context import PaknContext
from bot.texts import text
from bot.views.cards import destination_for, post_card, refresh_card
from bot.views.dates import format_datetime
from bot.views.render import (
    agency_by_key,
    agency_key,
    agency_name,
    card_target,
    card_text,
    category_name,
    deadline_text,
    find_agencies,
    locality_name,
    province_words,
)
from handlers import citizen_notices
from handlers.authorization import Allowed, Denied, authorise_supervisor, record_refusal
from handlers.common import answer_callback, button, reply, verified_press_and_item
from handlers.group_replies import ReplyHandler
from models.actions import Action
from models.items import (
    attachments_of,
    chat_of_agency,
    chat_of_supervisors,
    get_item_for_update,
    save_routing_rule,
)
from models.lifecycle import Refused, decide_dispute, reverse_rejection, uphold_rejection
from models.outbox import Button, Message, ReplyTarget
from models.purposes import Purpose
from models.tables import Item, ItemEvent, PostedMessage

logger = logging.getLogger(__name__)

DISPUTE_CARD = "dispute_card"
REJECTION_REVIEW = "rejection_review"
AGENCIES_PER_PAGE = 8


class Step(StrEnum):
    """Where a supervisor is on a dispute or review card, in the order they meet the steps."""

    DISPUTE = "dispute"
    CHOOSE_AGENCY = "choose_agency"
    DECIDED = "decided"
    REVIEW = "review"


def group_language(context: PaknContext) -> str:
    """Return the language group chats are written in."""
    return context.services.settings.default_language


async def last_event(context: PaknContext, item: Item, action: Action) -> ItemEvent | None:
    """Return the item's newest event of one kind."""
    statement = (
        select(ItemEvent)
        .where(ItemEvent.item_id == item.id, ItemEvent.action == action)
        .order_by(col(ItemEvent.id).desc())
    )
    return (await context.session.exec(statement)).first()


# --- the dispute card -------------------------------------------------------------------------------


async def dispute_text(context: PaknContext, item: Item, language: str) -> str:
    """Render the dispute: who holds the item, where it was to go, why, and who had it before."""
    directory = context.services.directory
    disputed = await last_event(context, item, Action.TRANSFER_DISPUTED)
    detail = disputed.detail if disputed else {}
    previous = [agency_name(directory, code, language) for code in item.previous_agency_codes]
    return text(
        language,
        "dispute.card",
        code=item.code,
        category=escape(category_name(directory, item.category_code, language)),
        locality=escape(locality_name(directory, item, language)),
        holder=escape(agency_name(directory, item.agency_code, language)),
        requested=escape(agency_name(directory, str(detail.get("requested_agency", "—")), language)),
        reason=escape(disputed.reason or "—") if disputed else "—",
        officer=escape(disputed.actor_name or "—") if disputed else "—",
        previous=escape(", ".join(previous)) or "—",
        why=text(language, "dispute.why_back" if detail.get("is_transfer_back") else "dispute.why_second"),
        deadline=deadline_text(item, language),
        text=escape(item.text[:1500]),
    )


async def candidate_agencies(context: PaknContext, item: Item) -> list[str]:
    """Return the agencies involved in a dispute: the holder, the one asked for, and earlier holders."""
    disputed = await last_event(context, item, Action.TRANSFER_DISPUTED)
    requested = str(disputed.detail.get("requested_agency")) if disputed else None
    ordered = [item.agency_code, *([requested] if requested else []), *item.previous_agency_codes]
    known = context.services.directory.agencies_by_code
    return [code for index, code in enumerate(ordered) if code in known and code not in ordered[:index]]


def rule_toggle(context: PaknContext, item: Item, language: str, save_rule: bool) -> Button:
    """Return the "save as a routing rule" switch, showing its current position."""
    assert item.id is not None
    key = "dispute.rule_on" if save_rule else "dispute.rule_off"
    return button(
        context, text(language, key), "sd.rule", item.id, item.state_version, "0" if save_rule else "1"
    )


async def dispute_buttons(
    context: PaknContext, item: Item, language: str, save_rule: bool
) -> list[list[Button]]:
    """Return one button per agency involved, "another agency" and the rule switch."""
    assert item.id is not None
    flag = "1" if save_rule else "0"
    directory = context.services.directory
    rows = [
        [
            button(
                context,
                text(language, "dispute.choose", agency=agency_name(directory, code, language)),
                "sd.pick",
                item.id,
                item.state_version,
                flag + agency_key(code),
            )
        ]
        for code in await candidate_agencies(context, item)
    ]
    rows.append(
        [
            button(
                context,
                text(language, "dispute.other_agency"),
                "sd.page",
                item.id,
                item.state_version,
                flag + "0",
            )
        ]
    )
    rows.append([rule_toggle(context, item, language, save_rule)])
    return rows


def agency_page_buttons(
    context: PaknContext, item: Item, language: str, save_rule: bool, page: int
) -> list[list[Button]]:
    """Return one page of every agency, with paging arrows and a way back."""
    assert item.id is not None
    directory = context.services.directory
    flag = "1" if save_rule else "0"
    agencies = directory.agencies
    pages = max(1, math.ceil(len(agencies) / AGENCIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = agencies[page * AGENCIES_PER_PAGE : (page + 1) * AGENCIES_PER_PAGE]
    rows = [
        [
            button(
                context,
                agency.display_name(language),
                "sd.pick",
                item.id,
                item.state_version,
                flag + agency_key(agency.code),
            )
        ]
        for agency in shown
    ]
    arrows = []
    if page > 0:
        arrows.append(
            button(
                context,
                text(language, "paging.previous"),
                "sd.page",
                item.id,
                item.state_version,
                f"{flag}{page - 1}",
            )
        )
    if page < pages - 1:
        arrows.append(
            button(
                context,
                text(language, "paging.next"),
                "sd.page",
                item.id,
                item.state_version,
                f"{flag}{page + 1}",
            )
        )
    if arrows:
        rows.append(arrows)
    rows.append(
        [button(context, text(language, "dispute.back"), "sd.rule", item.id, item.state_version, flag)]
    )
    return rows


async def post_dispute_card(context: PaknContext, item: Item) -> None:
    """Put a disputed item before the supervisors at once (DESIGN §8 step 5)."""
    services = context.services
    language = group_language(context)
    chat_id = await chat_of_supervisors(context.session, services.directory)
    if chat_id is None:
        logger.error("Item %s is disputed but the supervisors have no group to decide it in", item.code)
        return
    context.outbox.send(
        chat_id,
        Message(
            await dispute_text(context, item, language),
            buttons=await dispute_buttons(context, item, language, save_rule=False),
        ),
        item_id=item.id,
        purpose=DISPUTE_CARD,
    )


async def authorised_item(
    update: Update, context: PaknContext, attempted: str
) -> tuple[Item, CallbackPress, Allowed] | None:
    """Verify a supervisor's press and lock its item; refuse politely (and record it) otherwise."""
    language = group_language(context)
    verified = await verified_press_and_item(update, context, language, who="supervisor")
    if verified is None:
        return None
    press, item = verified
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        await answer_callback(update, language, f"auth.{permit.reason.value}", alert=True)
        record_refusal(
            context, update, item, attempted=attempted, reason=f"not_authorised:{permit.reason.value}"
        )
        return None
    if press.version != item.state_version:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        record_refusal(context, update, item, attempted=attempted, reason="stale_button")
        return None
    return item, press, permit


async def pressed_dispute_button(update: Update, context: PaknContext) -> None:
    """Handle the dispute card: flip the rule switch, page through agencies, or decide."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    found = await authorised_item(update, context, "decide_dispute")
    if found is None:
        return
    item, press, permit = found
    language = group_language(context)
    chat_id = query.message.chat.id
    save_rule = press.argument[:1] == "1"
    if press.action == "sd.rule":
        await answer_callback(update, language)
        context.outbox.edit(
            chat_id,
            query.message.message_id,
            Message(
                await dispute_text(context, item, language),
                buttons=await dispute_buttons(context, item, language, save_rule),
            ),
        )
        return
    if press.action == "sd.page":
        await answer_callback(update, language)
        page = int(press.argument[1:]) if press.argument[1:].isdigit() else 0
        context.outbox.edit(
            chat_id,
            query.message.message_id,
            Message(
                await dispute_text(context, item, language) + text(language, "dispute.choose_any"),
                buttons=agency_page_buttons(context, item, language, save_rule, page),
            ),
        )
        return
    agency = agency_by_key(context.services.directory, press.argument[1:])
    if agency is None:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        return
    await decide(update, context, item, agency.code, save_rule, permit, chat_id, query.message.message_id)


async def decide(
    update: Update,
    context: PaknContext,
    item: Item,
    agency_code: str,
    save_rule: bool,
    permit: Allowed,
    chat_id: int,
    card_message_id: int,
) -> None:
    """Make the supervisors' decision final, tell everyone involved, and save the rule if asked."""
    services = context.services
    directory = services.directory
    language = group_language(context)
    involved = set(await candidate_agencies(context, item))
    old_destination = await destination_for(context.session, directory, item, language=language)
    try:
        change = decide_dispute(
            item,
            actor=permit.actor,
            now=context.now,
            agency_code=agency_code,
            known_agency_codes=set(directory.agencies_by_code),
            save_as_rule=save_rule,
        )
    except Refused as refusal:
        await answer_callback(update, language, f"refused.{refusal.reason.value}", alert=True)
        record_refusal(context, update, item, attempted="decide_dispute", reason=refusal.reason.value)
        return
    context.session.add(item)
    context.session.add(change.event)
    if "routing_rule" in change.notes:
        category_code, locality_code, rule_agency = change.notes["routing_rule"]
        await save_routing_rule(
            context.session,
            category_code=category_code,
            locality_code=locality_code,
            agency_code=rule_agency,
            actor=permit.actor,
            source_item_code=item.code,
            now=context.now,
        )
    await answer_callback(update, language)
    chosen = escape(agency_name(directory, agency_code, language))
    if agency_code != change.notes["from_agency"] and old_destination.chat_id is not None:
        attachments = await attachments_of(context.session, item.id)  # type: ignore[arg-type]
        context.outbox.edit(
            old_destination.chat_id,
            card_target(item),
            Message(
                card_text(item, directory, language=language, attachment_count=len(attachments))
                + text(language, "card.decided_away", agency=chosen, **province_words(directory, language))
            ),
        )
        await post_card(
            session=context.session,
            outbox=context.outbox,
            directory=directory,
            signer=services.signer,
            item=item,
            language=language,
        )
    else:
        await refresh_card(
            session=context.session,
            outbox=context.outbox,
            directory=directory,
            signer=services.signer,
            item=item,
            language=language,
        )
    rule_note = text(language, "dispute.rule_saved") if save_rule else ""
    for code in sorted(involved | {agency_code}):
        agency_chat = await chat_of_agency(context.session, directory, code)
        if agency_chat is not None:
            context.outbox.send(
                agency_chat,
                Message(
                    text(
                        language,
                        "dispute.told_agency",
                        code=item.code,
                        agency=chosen,
                        deadline=deadline_text(item, language),
                        **province_words(directory, language),
                    )
                ),
                item_id=item.id,
            )
    await citizen_notices.tell_citizen(context, item, "followup.dispute_decided")
    context.outbox.edit(
        chat_id,
        card_message_id,
        Message(
            await dispute_text(context, item, language)
            + text(
                language,
                "dispute.decided",
                agency=chosen,
                supervisor=escape(permit.actor.name or "—"),
                at=format_datetime(context.now, language),
            )
            + rule_note
        ),
    )


async def replied_to_dispute_card(update: Update, context: PaknContext, posted: PostedMessage) -> None:
    """Offer the agencies whose names match what a supervisor typed in reply to a dispute card."""
    message = update.effective_message
    if message is None or posted.item_id is None:
        return
    item = await get_item_for_update(context.session, posted.item_id)
    if item is None:
        return
    language = group_language(context)
    permit = await authorise_supervisor(context, update)
    if isinstance(permit, Denied):
        reply(
            context,
            update,
            Message(text(language, f"auth.{permit.reason.value}"), reply_to_message_id=message.message_id),
        )
        record_refusal(
            context, update, item, attempted="decide_dispute", reason=f"not_authorised:{permit.reason.value}"
        )
        return
    matches = find_agencies(context.services.directory, message.text or "")
    if not matches:
        reply(
            context,
            update,
            Message(
                text(language, "choose.not_found", query=escape((message.text or "")[:100])),
                reply_to_message_id=message.message_id,
            ),
        )
        return
    assert item.id is not None
    reply(
        context,
        update,
        Message(
            text(language, "dispute.matches", code=item.code),
            buttons=[
                [
                    button(
                        context,
                        agency.display_name(language),
                        "sd.pick",
                        item.id,
                        item.state_version,
                        "0" + agency_key(agency.code),
                    )
                ]
                for agency in matches
            ],
            reply_to_message_id=message.message_id,
        ),
        item_id=item.id,
        purpose=DISPUTE_CARD,
    )


# --- "not satisfied" -----------------------------------------------------------------------------------


async def alert_not_satisfied(context: PaknContext, item: Item) -> None:
    """Tell the supervisors at once that a citizen was not satisfied and the item is reopened."""
    directory = context.services.directory
    language = group_language(context)
    chat_id = await chat_of_supervisors(context.session, directory)
    if chat_id is None:
        logger.error("Item %s was rated not satisfied but the supervisors have no group", item.code)
        return
    answered = await last_event(context, item, Action.ANSWERED)
    previous_answer = str(answered.detail.get("text", "")) if answered else ""
    context.outbox.send(
        chat_id,
        Message(
            text(
                language,
                "alert.not_satisfied",
                code=item.code,
                agency=escape(agency_name(directory, item.agency_code, language)),
                deadline=deadline_text(item, language),
                answer=escape(previous_answer[:1000]) or "—",
            )
        ),
        item_id=item.id,
        purpose="not_satisfied_alert",
    )


async def relay_rating_comment(context: PaknContext, item: Item, comment: str) -> None:
    """Pass the citizen's reason for not being satisfied to the supervisors, under the alert."""
    chat_id = await chat_of_supervisors(context.session, context.services.directory)
    if chat_id is None:
        return
    language = group_language(context)
    context.outbox.send(
        chat_id,
        Message(
            text(language, "relay.rating_comment", code=item.code, text=escape(comment)),
            reply_to=ReplyTarget(purpose="not_satisfied_alert", item_id=item.id),
        ),
        item_id=item.id,
    )


# --- rejection review ----------------------------------------------------------------------------------


def review_buttons(context: PaknContext, item: Item, language: str) -> list[list[Button]]:
    """Return reverse / uphold for a rejection."""
    assert item.id is not None
    return [
        [
            button(context, text(language, "review.reverse"), "sr.rev", item.id, item.state_version),
            button(context, text(language, "review.uphold"), "sr.keep", item.id, item.state_version),
        ]
    ]


async def review_text(context: PaknContext, item: Item, language: str) -> str:
    """Render a rejection for review: the item, who rejected it and why."""
    directory = context.services.directory
    rejected = await last_event(context, item, Action.REJECTED)
    return text(
        language,
        "review.card",
        code=item.code,
        agency=escape(agency_name(directory, item.agency_code, language)),
        officer=escape(rejected.actor_name or "—") if rejected else "—",
        reason=escape(rejected.reason or "—") if rejected else "—",
        category=escape(category_name(directory, item.category_code, language)),
        text=escape(item.text[:1500]),
    )


async def post_rejection_review(context: PaknContext, item: Item) -> None:
    """Put a rejection before the supervisors, who may reverse it."""
    language = group_language(context)
    chat_id = await chat_of_supervisors(context.session, context.services.directory)
    if chat_id is None:
        logger.error("Item %s was rejected but the supervisors have no group to review it", item.code)
        return
    context.outbox.send(
        chat_id,
        Message(await review_text(context, item, language), buttons=review_buttons(context, item, language)),
        item_id=item.id,
        purpose=REJECTION_REVIEW,
    )


async def pressed_review_button(update: Update, context: PaknContext) -> None:
    """Reverse a rejection (the item goes back to its agency) or uphold it."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    found = await authorised_item(update, context, "review_rejection")
    if found is None:
        return
    item, press, permit = found
    services = context.services
    language = group_language(context)
    try:
        if press.action == "sr.rev":
            change = reverse_rejection(item, actor=permit.actor, now=context.now)
        else:
            change = uphold_rejection(item, actor=permit.actor, now=context.now)
    except Refused as refusal:
        await answer_callback(update, language, f"refused.{refusal.reason.value}", alert=True)
        record_refusal(context, update, item, attempted="review_rejection", reason=refusal.reason.value)
        return
    context.session.add(item)
    context.session.add(change.event)
    await answer_callback(update, language)
    is_reversed = press.action == "sr.rev"
    outcome = text(
        language,
        "review.reversed" if is_reversed else "review.upheld",
        supervisor=escape(permit.actor.name or "—"),
        at=format_datetime(context.now, language),
    )
    context.outbox.edit(
        query.message.chat.id,
        query.message.message_id,
        Message(await review_text(context, item, language) + outcome),
    )
    if not is_reversed:
        return
    await refresh_card(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        item=item,
        language=language,
    )
    destination = await destination_for(context.session, services.directory, item, language=language)
    if destination.chat_id is not None:
        context.outbox.send(
            destination.chat_id,
            Message(
                text(
                    language,
                    "review.told_agency",
                    code=item.code,
                    deadline=deadline_text(item, language),
                    **province_words(context.services.directory, language),
                ),
                reply_to=card_target(item),
            ),
            item_id=item.id,
        )
    await citizen_notices.tell_citizen(context, item, "followup.reinstated")


# --- wiring -------------------------------------------------------------------------------------------

REPLIES: dict[Purpose, ReplyHandler] = {Purpose.DISPUTE_CARD: replied_to_dispute_card}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the dispute and review buttons (replies to dispute cards come through the officer module)."""
    application.add_handler(CallbackQueryHandler(pressed_dispute_button, pattern=r"^sd\."))
    application.add_handler(CallbackQueryHandler(pressed_review_button, pattern=r"^sr\."))
