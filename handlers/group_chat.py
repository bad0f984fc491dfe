"""What every group-chat audience shares: language, mentions, refusals, confirmations and the agency chooser.

Officers (handlers/officer_*.py) and supervisors (handlers/supervisor_*.py) import this module; they never
import each other. Refusals are polite, recorded as audit events, and change nothing else.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import AgencyChoice, ChooserMove, OfficerAgencyChoice, SupervisorAgencyChoice
from bot.views.cards import close_moved_card, destination_for, post_card, refresh_card
from bot.views.dates import format_datetime
from bot.views.paging import page_of
from bot.views.render import agency_by_key, agency_key, card_target, province_words
from handlers.authorization import record_refusal
from handlers.common import answer_press, reply
from handlers.presses import PressRefused
from models.directory import Agency
from models.lifecycle import Actor, Change, RefusalReason, Refused
from models.outbox import Button, Message
from models.tables import Item, ItemState, PostedMessage

ChoiceFamily = type[OfficerAgencyChoice] | type[SupervisorAgencyChoice]


def group_language(context: PaknContext) -> str:
    """Return the language group chats are written in."""
    return context.services.settings.default_language


def mention(telegram_user_id: int, name: str) -> str:
    """Mention an officer so that a selective ForceReply opens their reply box only."""
    return f'<a href="tg://user?id={telegram_user_id}">{escape(name)}</a>'


def mention_actor(actor: Actor) -> str:
    """Mention the officer or supervisor who acted, by their first name as Telegram shows it."""
    return mention(actor.telegram_user_id or 0, (actor.name or "").split(" (@")[0])


def save(context: PaknContext, item: Item, change: Change) -> None:
    """Add the changed item and its event to the update's transaction."""
    context.session.add(item)
    context.session.add(change.event)


def mark_used(posted: PostedMessage) -> None:
    """Mark a prompt or preview as used so that it cannot act twice."""
    posted.purpose_data = {**posted.purpose_data, "used": True}
    flag_modified(posted, "purpose_data")


async def refuse(
    update: Update, context: PaknContext, item: Item, attempted: str, key: str, reason: str, **values: Any
) -> None:
    """Refuse politely where the officer acted (alert or reply) and record the refusal."""
    language = group_language(context)
    record_refusal(context, update, item, attempted=attempted, reason=reason)
    if update.callback_query is not None:
        await answer_callback_text(update, text(language, key, **values))
        return
    message = update.effective_message
    reply(
        context,
        update,
        Message(text(language, key, **values), reply_to_message_id=message.message_id if message else None),
    )


async def answer_callback_text(update: Update, notice: str) -> None:
    """Answer a press with an alert text that is already filled in (Telegram allows 200 characters)."""
    await answer_press(update, notice, alert=True)


def refusal_values(refusal: Refused, language: str) -> dict[str, Any]:
    """Turn a refusal's details into text placeholders."""
    values: dict[str, Any] = {}
    for name, value in refusal.details.items():
        values[name] = format_datetime(value, language) if hasattr(value, "tzinfo") else escape(str(value))
    return values


async def refuse_rule(
    update: Update, context: PaknContext, item: Item, attempted: str, refusal: Refused
) -> None:
    """Refuse an action the item's rules do not allow now."""
    language = group_language(context)
    key = f"refused.{refusal.reason.value}"
    if refusal.reason is RefusalReason.NO_SUBSTANCE:
        key = f"refused.no_substance.{refusal.details.get('problem', 'too_short')}"
    if refusal.reason is RefusalReason.WRONG_STATE:
        key = "refused.claim_first" if item.state is ItemState.RECEIVED else "refused.wrong_state"
    await refuse(
        update,
        context,
        item,
        attempted,
        key,
        refusal.reason.value,
        state=text(language, f"state.{item.state.value}"),
        **{name: value for name, value in refusal_values(refusal, language).items() if name != "state"},
    )


async def refresh(context: PaknContext, item: Item) -> None:
    """Edit the item's card so it shows the state, the officer and the right buttons."""
    services = context.services
    await refresh_card(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        item=item,
        language=group_language(context),
    )


async def post_new_card(context: PaknContext, item: Item) -> int | None:
    """Post the item's card in the group that now holds it; return that chat, or None if it has no group."""
    services = context.services
    return await post_card(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        item=item,
        language=group_language(context),
    )


async def close_old_card(context: PaknContext, item: Item, chat_id: int | None, note: str) -> None:
    """Close the card in a group that no longer holds the item: its text plus `note`, no buttons."""
    if chat_id is None:
        return
    await close_moved_card(
        session=context.session,
        outbox=context.outbox,
        directory=context.services.directory,
        item=item,
        chat_id=chat_id,
        language=group_language(context),
        note=note,
    )


async def holding_chat(context: PaknContext, item: Item) -> int | None:
    """Return the group that works on the item now (its agency's, else the triage agency's), if any."""
    services = context.services
    destination = await destination_for(
        context.session, services.directory, item, language=group_language(context)
    )
    return destination.chat_id


async def tell_agency(context: PaknContext, item: Item, key: str, **values: Any) -> bool:
    """Post a notice under the item's card in the group working on it; False when there is no such group."""
    chat_id = await holding_chat(context, item)
    if chat_id is None:
        return False
    message = Message(text(group_language(context), key, **values), reply_to=card_target(item))
    context.outbox.send(chat_id, message, item_id=item.id)
    return True


def say_no_agency_matched(context: PaknContext, update: Update, query: str) -> None:
    """Say that no agency's name matches what was typed, as a reply to it."""
    message = update.effective_message
    reply(
        context,
        update,
        Message(
            text(group_language(context), "choose.not_found", query=escape(query[:100])),
            reply_to_message_id=message.message_id if message else None,
        ),
    )


def choice_button(
    context: PaknContext, family: ChoiceFamily, label: str, item: Item, **fields: Any
) -> Button:
    """Return one signed button of an agency chooser."""
    data = family(item_id=item.id or 0, version=item.state_version, **fields)
    return Button(label=label, callback_data=context.services.signer.pack(data))


def agency_chooser(
    context: PaknContext,
    item: Item,
    actor: Actor,
    *,
    family: ChoiceFamily,
    title_key: str,
    page: int,
    include_own_agency: bool = False,
) -> Message:
    """Return one page of agencies to choose from (typing part of a name also works).

    `family` says whose chooser it is (officers' or supervisors'), so that each audience handles its
    own presses. `include_own_agency` puts the item's own agency first, for the triage group
    confirming an item it only stands in for.
    """
    language = group_language(context)
    directory = context.services.directory
    agencies = [agency for agency in directory.agencies if agency.code != item.agency_code]
    own_agency = directory.agencies_by_code.get(item.agency_code) if include_own_agency else None
    if own_agency is not None:
        agencies.insert(0, own_agency)
    shown, page, pages = page_of(agencies, page)
    rows = [
        [
            choice_button(
                context,
                family,
                text(language, "choose.own_agency", agency=agency.display_name(language))
                if agency is own_agency
                else agency.display_name(language),
                item,
                move=ChooserMove.PICK,
                page=page,
                agency=agency_key(agency.code),
            )
        ]
        for agency in shown
    ]
    arrows = []
    if page > 0:
        arrows.append(
            choice_button(
                context, family, text(language, "paging.previous"), item, move=ChooserMove.PAGE, page=page - 1
            )
        )
    if page < pages - 1:
        arrows.append(
            choice_button(
                context, family, text(language, "paging.next"), item, move=ChooserMove.PAGE, page=page + 1
            )
        )
    if arrows:
        rows.append(arrows)
    rows.append(
        [choice_button(context, family, text(language, "choose.cancel"), item, move=ChooserMove.CANCEL)]
    )
    return Message(
        text(language, title_key, officer=mention_actor(actor), code=item.code, page=page + 1, pages=pages),
        buttons=rows,
    )


async def follow_chooser(
    update: Update,
    context: PaknContext,
    posted: PostedMessage,
    item: Item,
    actor: Actor,
    choice: AgencyChoice,
    *,
    family: ChoiceFamily,
    title_key: str,
    include_own_agency: bool = False,
) -> Agency | None:
    """Carry out a page turn or a cancel on an agency chooser (None), or return the agency picked.

    A pick of an agency the directory no longer has is refused as outdated.
    """
    language = group_language(context)
    if choice.move is ChooserMove.PAGE:
        await answer_press(update, None)
        chooser = agency_chooser(
            context,
            item,
            actor,
            family=family,
            title_key=title_key,
            page=choice.page,
            include_own_agency=include_own_agency,
        )
        context.outbox.edit(posted.chat_id, posted.message_id, chooser)
        return None
    if choice.move is ChooserMove.CANCEL:
        await answer_press(update, None)
        mark_used(posted)
        context.outbox.edit(posted.chat_id, posted.message_id, Message(text(language, "choose.cancelled")))
        return None
    agency = agency_by_key(context.services.directory, choice.agency)
    if agency is None:
        raise PressRefused("error.button_outdated")
    return agency


def offer_agency_matches(
    context: PaknContext,
    update: Update,
    item: Item,
    posted: PostedMessage,
    query: str,
    matches: list[Agency],
    *,
    family: ChoiceFamily,
) -> None:
    """Say nothing matched the typed name, or turn the prompt into one button per matching agency."""
    language = group_language(context)
    if not matches:
        say_no_agency_matched(context, update, query)
        return
    buttons = [
        [
            choice_button(
                context,
                family,
                agency.display_name(language),
                item,
                move=ChooserMove.PICK,
                agency=agency_key(agency.code),
            )
        ]
        for agency in matches
    ]
    buttons.append(
        [choice_button(context, family, text(language, "choose.cancel"), item, move=ChooserMove.CANCEL)]
    )
    context.outbox.edit(
        posted.chat_id,
        posted.message_id,
        Message(text(language, "choose.matches", code=item.code), buttons=buttons),
    )


def confirm(update: Update, context: PaknContext, key: str, **values: Any) -> None:
    """Confirm a finished step to the officer, as a reply to their message."""
    message = update.effective_message
    language = group_language(context)
    reply(
        context,
        update,
        Message(
            text(language, key, **{**province_words(context.services.directory, language), **values}),
            reply_to_message_id=message.message_id if message and not update.callback_query else None,
        ),
    )
