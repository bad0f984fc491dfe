"""A citizen following up on their item in the private chat: answers, additions, ratings, withdrawal.

The citizen hears from "the agency", never from a named officer, and officers never see the citizen's
Telegram identity: everything is relayed by the bot.

Flow::

    relayed question / progress / answer ─► the citizen (each names the agency)
    reply to any notice about an item, or /add CODE [text] ─► ADD ─► relayed to the agency's group
        (when the agency asked, the answer clock runs again)
    answer ─► RATE: 😊 Hài lòng ─► closed
                    😞 Chưa hài lòng ─► reopened for the same agency, new deadline, supervisors alerted
                                      └► COMMENT (optional reply) ─► relayed to the agency and supervisors
    /withdraw CODE ─► CONFIRM_WITHDRAW ─► withdrawn; the agency is told
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Data
from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import RatingPress, WithdrawPress
from bot.views.render import card_target, deadline_text, province_words
from handlers import citizen_notices, supervisor_notices
from handlers.authorization import Allowed, Authorisation
from handlers.common import (
    PRIVATE,
    answer_callback,
    attachment_of,
    citizen_for,
    command_argument,
    reply,
    reply_text,
)
from handlers.group_chat import group_language, holding_chat, refresh
from handlers.presses import Authorise, GuardedPress, PressRefused, guarded_press, press_handler
from models.items import find_item_by_code, find_posted_message, get_item_for_update, items_awaiting_citizen
from models.lifecycle import (
    OPEN_STATES,
    Actor,
    Change,
    Refused,
    add_rating_comment,
    citizen_replied,
    rate,
    withdraw,
)
from models.outbox import Button, Message
from models.purposes import Purpose
from models.tables import ActorRole, Attachment, Item, ItemState, PostedMessage, Rating

logger = logging.getLogger(__name__)


async def relay_to_group(
    context: PaknContext, item: Item, key: str, *, body: str, attachments: list[dict[str, Any]]
) -> None:
    """Post something the citizen sent under the item's card in the responsible group."""
    chat_id = await holding_chat(context, item)
    if chat_id is None:
        logger.error("Item %s: no group to relay the citizen's message to", item.code)
        return
    message = text(group_language(context), key, code=item.code, text=body, count=len(attachments))
    context.outbox.send(chat_id, Message(message, reply_to=card_target(item)), item_id=item.id)
    citizen_notices.send_files(context, chat_id, item, attachments, reply_to=card_target(item))


def citizen_actor(item: Item) -> Actor:
    """Return the citizen as the actor of an event (their id stays in the history, never in groups)."""
    return Actor(role=ActorRole.CITIZEN, telegram_user_id=item.citizen_telegram_user_id)


def authorise_item_citizen(update: Update) -> Authorise:
    """Return the authoriser of a citizen's presses: the item's own citizen, in their private chat.

    To anyone else the button is not theirs, so it is refused as one that does not exist (nothing is recorded).
    """

    async def authorise(item: Item, _data: object) -> Authorisation:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or chat.type != PRIVATE or item.citizen_telegram_user_id != user.id:
            raise PressRefused("error.button_invalid")
        return Allowed(citizen_actor(item))

    return authorise


def save(context: PaknContext, item: Item, change: Change) -> None:
    """Add the changed item and its event to the update's transaction."""
    context.session.add(item)
    context.session.add(change.event)


async def commanded_item(
    update: Update, context: PaknContext, ask_key: str, *, with_text: bool, lock: bool
) -> tuple[Item, str, str] | None:
    """Return the citizen's own item a command names (locked if asked), the text after it and their language.

    Without a code the citizen is asked for one (`ask_key`); a code that is not theirs is answered as unknown.
    With `with_text`, the first word is the code and the rest is text; otherwise all of it is the code.
    """
    user = update.effective_user
    if user is None:
        return None
    language = (await citizen_for(context, user)).language
    argument = command_argument(update)
    if not argument:
        reply_text(context, update, language, ask_key)
        return None
    code, _, rest = argument.partition(" ") if with_text else (argument, "", "")
    item = await find_item_by_code(context.session, code)
    if item is not None and lock:
        item = await get_item_for_update(context.session, item.id)  # type: ignore[arg-type]
    if item is None or item.citizen_telegram_user_id != user.id:
        reply_text(context, update, language, "error.unknown_code", code=escape(code[:32]))
        return None
    return item, rest, language


# --- adding information ---------------------------------------------------------------------------


async def on_message(update: Update, context: PaknContext) -> bool:
    """Take a private message that adds to an item: a reply to a notice, or the one open question."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    replied = message.reply_to_message
    posted: PostedMessage | None = None
    if replied is not None:
        posted = await find_posted_message(context.session, user.id, replied.message_id)
    if (
        posted is not None
        and posted.item_id is not None
        and posted.purpose in (Purpose.CITIZEN_NOTICE, Purpose.RATING_COMMENT)
    ):
        item = await get_item_for_update(context.session, posted.item_id)
        if item is None or item.citizen_telegram_user_id != user.id:
            return False
        if posted.purpose == Purpose.RATING_COMMENT:
            await commented_rating(update, context, item)
        else:
            await added_information(update, context, item)
        return True
    if replied is not None or (message.text is None and attachment_of(message) is None):
        return False
    awaiting = await items_awaiting_citizen(context.session, user.id)
    if len(awaiting) != 1 or (message.text or "").startswith("/"):
        return False  # with no open question, or several, a plain message is not guessed at
    item = await get_item_for_update(context.session, awaiting[0].id)  # type: ignore[arg-type]
    if item is None:
        return False
    await added_information(update, context, item)
    return True


async def added_information(
    update: Update, context: PaknContext, item: Item, body: str | None = None
) -> None:
    """Relay what the citizen adds to the responsible group; an awaited reply restarts the answer clock."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    language = (await citizen_for(context, user)).language
    if item.state not in OPEN_STATES:
        key = "add.answered" if item.state is ItemState.ANSWERED else "add.closed"
        reply_text(context, update, language, key, code=item.code)
        return
    value = (body if body is not None else (message.text or message.caption or "")).strip()
    attachment = attachment_of(message) if body is None else None
    attachments = [attachment] if attachment else []
    if not value and not attachments:
        reply_text(context, update, language, "add.empty", code=item.code)
        return
    was_awaited = item.state is ItemState.AWAITING_CITIZEN
    try:
        change = citizen_replied(
            item,
            actor=citizen_actor(item),
            now=context.now,
            calendar=context.services.calendar,
            text=value,
            attachment_count=len(attachments),
        )
    except Refused:
        reply_text(context, update, language, "add.closed", code=item.code)
        return
    save(context, item, change)
    await context.session.flush()
    for attachment_data in attachments:
        context.session.add(
            Attachment(
                item_id=item.id,  # type: ignore[arg-type]
                event_id=change.event.id,
                added_by=ActorRole.CITIZEN,
                added_at=context.now,
                **attachment_data,
            )
        )
    key = "relay.citizen_answer" if was_awaited else "relay.citizen_added"
    await relay_to_group(context, item, key, body=escape(value) or "—", attachments=attachments)
    if was_awaited:
        await refresh(context, item)
    reply(
        context,
        update,
        Message(text(language, "add.relayed", code=item.code)),
        item_id=item.id,
        purpose=Purpose.CITIZEN_NOTICE,
    )


async def add_command(update: Update, context: PaknContext) -> None:
    """Add information to an item with /add CODE [text]; without text, ask for it."""
    found = await commanded_item(update, context, "add.ask_code", with_text=True, lock=True)
    if found is None:
        return
    item, body, language = found
    if body.strip():
        await added_information(update, context, item, body=body)
        return
    if item.state not in OPEN_STATES:
        reply_text(context, update, language, "add.closed", code=item.code)
        return
    reply(
        context,
        update,
        Message(text(language, "add.ask_text", code=item.code), force_reply=True),
        item_id=item.id,
        purpose=Purpose.CITIZEN_NOTICE,
    )


# --- rating ------------------------------------------------------------------------------------------


async def citizen_press(
    update: Update, context: PaknContext, family: type[Data], attempted: str
) -> tuple[GuardedPress[Data], str]:
    """Return a press of the item's own citizen and their language; the version is the handler's to judge."""
    press = await guarded_press(
        update,
        context,
        family,
        attempted=attempted,
        authorise=authorise_item_citizen(update),
        check_version=False,  # a late rating is "already rated"; "no, keep it" is fine on any version
    )
    user = update.effective_user
    language = (
        (await citizen_for(context, user)).language if user else context.services.settings.default_language
    )
    return press, language


@press_handler
async def pressed_rating(update: Update, context: PaknContext) -> None:
    """Close the item when satisfied; reopen it for the same agency and alert supervisors when not."""
    user = update.effective_user
    query = update.callback_query
    if user is None or query is None:
        return
    press, language = await citizen_press(update, context, RatingPress, "rate")
    item, rating = press.item, press.data.rating
    if press.data.version != item.state_version or item.state is not ItemState.ANSWERED:
        raise PressRefused("rate.already")
    services = context.services
    category = services.directory.categories_by_code.get(item.category_code)
    change = rate(
        item,
        actor=press.actor,
        now=context.now,
        rating=rating,
        calendar=services.calendar,
        answer_days=services.directory.answer_days_for(category),
        claim_hours=services.directory.deadlines.claim_hours,
    )
    save(context, item, change)
    await answer_callback(update, language)
    if query.message is not None:
        context.outbox.edit(
            user.id,
            query.message.message_id,
            Message(
                text(language, "rate.done", code=item.code, rating=text(language, f"rate.{rating.value}"))
            ),
        )
    await refresh(context, item)
    if rating is Rating.SATISFIED:
        await citizen_notices.tell_citizen(context, item, "rate.thanks")
        await relay_to_group(context, item, "relay.rated_satisfied", body="", attachments=[])
        return
    await relay_to_group(
        context, item, "relay.reopened", body=deadline_text(item, group_language(context)), attachments=[]
    )
    await supervisor_notices.alert_not_satisfied(context, item)
    await citizen_notices.tell_citizen(context, item, "rate.reopened")
    await citizen_notices.tell_citizen(context, item, "rate.ask_comment", purpose=Purpose.RATING_COMMENT)


async def commented_rating(update: Update, context: PaknContext, item: Item) -> None:
    """Record why the citizen was not satisfied and pass it to the agency and the supervisors."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    language = (await citizen_for(context, user)).language
    comment = (message.text or message.caption or "").strip()
    if not comment:
        reply_text(context, update, language, "add.empty", code=item.code)
        return
    change = add_rating_comment(item, actor=citizen_actor(item), now=context.now, comment=comment)
    save(context, item, change)
    await relay_to_group(context, item, "relay.rating_comment", body=escape(comment), attachments=[])
    await supervisor_notices.relay_rating_comment(context, item, comment)
    reply_text(
        context,
        update,
        language,
        "rate.comment_received",
        code=item.code,
        **province_words(context.services.directory, language),
    )


# --- withdrawing ------------------------------------------------------------------------------------


async def withdraw_command(update: Update, context: PaknContext) -> None:
    """Ask the citizen to confirm withdrawing an item (/withdraw CODE)."""
    found = await commanded_item(update, context, "withdraw.ask_code", with_text=False, lock=False)
    if found is None:
        return
    item, _, language = found
    if item.state not in OPEN_STATES:
        reply_text(context, update, language, "withdraw.not_open", code=item.code)
        return
    reply(
        context,
        update,
        Message(
            text(language, "withdraw.confirm", code=item.code),
            buttons=[
                [
                    withdraw_button(context, text(language, "withdraw.yes"), item, confirmed=True),
                    withdraw_button(context, text(language, "withdraw.no"), item, confirmed=False),
                ]
            ],
        ),
    )


def withdraw_button(context: PaknContext, label: str, item: Item, *, confirmed: bool) -> Button:
    """Return the "yes, withdraw" or "no, keep it" button."""
    data = WithdrawPress(confirmed, item.id or 0, item.state_version)
    return Button(label=label, callback_data=context.services.signer.pack(data))


@press_handler
async def pressed_withdraw(update: Update, context: PaknContext) -> None:
    """Withdraw the item on confirmation, and tell the agency."""
    press, language = await citizen_press(update, context, WithdrawPress, "withdraw")
    item = press.item
    if not press.data.confirmed:
        await answer_callback(update, language)
        reply_text(context, update, language, "withdraw.kept", code=item.code)
        return
    if press.data.version != item.state_version or item.state not in OPEN_STATES:
        raise PressRefused("error.button_outdated")
    change = withdraw(item, actor=press.actor, now=context.now)
    save(context, item, change)
    await answer_callback(update, language)
    await refresh(context, item)
    await relay_to_group(context, item, "relay.withdrawn", body="", attachments=[])
    reply_text(context, update, language, "withdraw.done", code=item.code)


# --- wiring -------------------------------------------------------------------------------------------


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the follow-up commands and buttons (private chats); messages come through the router."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("add", add_command, filters=private))
    application.add_handler(CommandHandler("withdraw", withdraw_command, filters=private))
    application.add_handler(CallbackQueryHandler(pressed_rating, pattern=RatingPress.pattern()))
    application.add_handler(CallbackQueryHandler(pressed_withdraw, pattern=WithdrawPress.pattern()))
