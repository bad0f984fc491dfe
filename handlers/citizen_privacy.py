"""A citizen's own data (/mydata, private chats): see what is stored, and delete it (PDP Law 91/2025/QH15).

Flow (buttons are signed; only the person who pressed one is ever looked up or erased)::

    /mydata ─► SHOWN: what is stored ─► 🗑 Delete ─► CONFIRMING ─┬─ Delete ─► erased, items anonymised,
                                                                 │            cards that showed a phone refreshed
                                                                 └─ Keep ───► nothing changes
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import PaknContext
from bot.texts import language_of, text
from bot.views.buttons import PrivacyPress, PrivacyStep
from bot.views.cards import refresh_card
from bot.views.dates import format_datetime
from bot.views.render import state_label
from handlers.common import PRIVATE, answer_callback, full_name, reply
from models.outbox import Button, Message
from models.privacy import FORGET_AFTER_DELIVERY, PersonalData, erase_personal_data, personal_data_of
from models.tables import Citizen, Item


def privacy_button(context: PaknContext, label: str, step: PrivacyStep) -> Button:
    """Return one signed button of /mydata."""
    return Button(label=label, callback_data=context.services.signer.pack(PrivacyPress(step)))


async def reader_language(context: PaknContext, update: Update) -> str:
    """Return the citizen's language without creating a record for someone who asks what is stored."""
    user = update.effective_user
    if user is None:
        return context.services.settings.default_language
    citizen = await context.session.get(Citizen, user.id)
    return citizen.language if citizen is not None else language_of(user.language_code)


def describe(data: PersonalData, language: str) -> str:
    """Render everything stored about the citizen, in their language."""
    lines = [text(language, "privacy.header")]
    first_seen = data.citizen.first_seen_at if data.citizen else None
    lines.append(
        text(
            language,
            "privacy.identity",
            telegram_user_id=data.telegram_user_id,
            language=text(language, "privacy.language_name"),
            first_seen=format_datetime(first_seen, language) if first_seen else "—",
        )
    )
    if data.has_draft:
        lines.append(text(language, "privacy.draft"))
    if not data.items:
        lines.append(text(language, "privacy.no_items"))
    else:
        lines.append(text(language, "privacy.items_header", count=len(data.items)))
    for item in data.items:
        line = text(
            language,
            "privacy.item_line",
            code=item.code,
            state=state_label(item.state, language),
            received_at=format_datetime(item.received_at, language),
        )
        if item.answered_at:
            line += text(
                language, "privacy.item_answered", answered_at=format_datetime(item.answered_at, language)
            )
        if item.contact_phone or item.contact_name:
            line += text(
                language,
                "privacy.item_contact",
                contact=escape(" ".join(value for value in (item.contact_name, item.contact_phone) if value)),
                consent_at=format_datetime(item.contact_consent_at, language)
                if item.contact_consent_at
                else "—",
                wording=escape(item.contact_consent_wording or "—"),
            )
        if item.location_latitude is not None and item.location_longitude is not None:
            line += text(
                language,
                "privacy.item_location",
                latitude=f"{item.location_latitude:.5f}",
                longitude=f"{item.location_longitude:.5f}",
            )
        lines.append(line)
    lines.append(text(language, "privacy.footer"))
    return "\n".join(lines)


# --- entry point -----------------------------------------------------------------------------------


async def show_my_data(update: Update, context: PaknContext) -> None:
    """Show the citizen what is stored about them, with a button to delete it."""
    user = update.effective_user
    if user is None:
        return
    language = await reader_language(context, update)
    await answer_callback(update, language)
    data = await personal_data_of(session=context.session, telegram_user_id=user.id)
    if data.is_empty:
        reply(context, update, Message(text(language, "privacy.nothing_stored")))
        return
    erase = privacy_button(context, text(language, "privacy.erase_button"), PrivacyStep.CONFIRMING)
    reply(context, update, Message(describe(data, language), buttons=[[erase]]))


# --- button presses ----------------------------------------------------------------------------------


async def on_button(update: Update, context: PaknContext) -> None:
    """Handle the delete, confirm and keep buttons of /mydata."""
    query = update.callback_query
    user = update.effective_user
    chat = update.effective_chat
    if query is None or user is None:
        return
    language = await reader_language(context, update)
    press = context.services.signer.unpack(query.data, PrivacyPress)
    if press is None or chat is None or chat.type != PRIVATE:
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    await answer_callback(update, language)
    if press.step is PrivacyStep.CONFIRMING:
        await asked_to_erase(update, context, language)
    elif press.step is PrivacyStep.ERASE:
        await confirmed_erasure(update, context, language)
    elif press.step is PrivacyStep.KEEP:
        reply(context, update, Message(text(language, "privacy.kept")))


async def asked_to_erase(update: Update, context: PaknContext, language: str) -> None:
    """Say exactly what deleting removes and what stays, and ask for confirmation."""
    user = update.effective_user
    if user is None:
        return
    data = await personal_data_of(session=context.session, telegram_user_id=user.id)
    if data.is_empty:
        reply(context, update, Message(text(language, "privacy.nothing_stored")))
        return
    reply(
        context,
        update,
        Message(
            text(language, "privacy.confirm", count=len(data.items)),
            buttons=[
                [
                    privacy_button(context, text(language, "privacy.confirm_button"), PrivacyStep.ERASE),
                    privacy_button(context, text(language, "privacy.keep_button"), PrivacyStep.KEEP),
                ]
            ],
        ),
    )


async def confirmed_erasure(update: Update, context: PaknContext, language: str) -> None:
    """Erase the citizen's personal data, refresh cards that showed their contact, and confirm."""
    user = update.effective_user
    if user is None:
        return
    services = context.services
    names = {user.first_name, user.last_name, user.username, user.full_name, full_name(user)}
    erasure = await erase_personal_data(
        session=context.session,
        telegram_user_id=user.id,
        now=context.now,
        known_names={name for name in names if name},
    )
    for item_id in erasure.items_to_refresh:
        item = await context.session.get(Item, item_id)
        if item is not None:
            await refresh_card(
                session=context.session,
                outbox=context.outbox,
                directory=services.directory,
                signer=services.signer,
                item=item,
                language=services.settings.default_language,
            )
    confirmation = text(language, "privacy.erased", count=erasure.items_anonymised)
    confirmation += "\n" + text(language, "privacy.erased_free_text")
    # sent like any message, then forgotten: it must not leave the person's id behind either
    reply(context, update, Message(confirmation), purpose=FORGET_AFTER_DELIVERY)


# --- wiring ----------------------------------------------------------------------------------------


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add /mydata and its buttons (private chats only)."""
    application.add_handler(CommandHandler("mydata", show_my_data, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_button, pattern=PrivacyPress.pattern()))
