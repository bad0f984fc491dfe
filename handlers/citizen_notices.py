"""Messages to a citizen about their item, in the agency's name: every audience that tells the citizen uses these.

The citizen hears from "the agency", never from a named officer; officers never see the citizen's Telegram
identity. A citizen who erased their data has no chat to tell: the notice is skipped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import RatingPress
from bot.views.render import agency_name, deadline_text, kind_label, province_words
from models.outbox import Button, Message, ReplyTarget
from models.purposes import Purpose
from models.tables import Citizen, Item, Rating


async def citizen_language(context: PaknContext, item: Item) -> str:
    """Return the language the citizen reads: their current choice, else the item's."""
    if item.citizen_telegram_user_id is None:
        return item.language
    citizen = await context.session.get(Citizen, item.citizen_telegram_user_id)
    return citizen.language if citizen is not None else item.language


async def tell_citizen(
    context: PaknContext,
    item: Item,
    key: str,
    *,
    buttons: list[list[Button]] | None = None,
    purpose: Purpose = Purpose.CITIZEN_NOTICE,
    purpose_data: dict[str, Any] | None = None,
    **values: Any,
) -> bool:
    """Queue a notice about an item to its citizen, naming the agency; False when nobody can receive it."""
    if item.citizen_telegram_user_id is None:
        return False  # the citizen erased their data: nobody to tell
    language = await citizen_language(context, item)
    directory = context.services.directory
    filled = {
        "code": item.code,
        "agency": escape(agency_name(directory, item.agency_code, language)),
        "kind_lower": kind_label(item.kind, language).lower(),
        "deadline": deadline_text(item, language),
        **province_words(directory, language),
        **values,
    }
    context.outbox.send(
        item.citizen_telegram_user_id,
        Message(text(language, key, **filled), buttons=buttons or []),
        item_id=item.id,
        purpose=purpose,
        purpose_data=purpose_data,
    )
    return True


def send_citizen_files(context: PaknContext, item: Item, attachments: list[dict[str, Any]]) -> None:
    """Forward an officer's attachments to the citizen by file_id."""
    if item.citizen_telegram_user_id is not None:
        send_files(context, item.citizen_telegram_user_id, item, attachments)


def send_files(
    context: PaknContext,
    chat_id: int,
    item: Item,
    attachments: list[dict[str, Any]],
    *,
    reply_to: ReplyTarget | None = None,
) -> None:
    """Forward attachments about an item to a chat by file_id (a location as a location), captioned with its code."""
    for attachment in attachments:
        if attachment.get("media_type") == "location" and attachment.get("latitude") is not None:
            context.outbox.send_location(
                chat_id,
                latitude=float(attachment["latitude"]),
                longitude=float(attachment.get("longitude") or 0.0),
                reply_to=reply_to,
                item_id=item.id,
            )
        elif attachment.get("file_id"):
            context.outbox.send_media(
                chat_id,
                media_type=attachment["media_type"],
                file_id=attachment["file_id"],
                caption=item.code,
                reply_to=reply_to,
                item_id=item.id,
            )


def rating_buttons(context: PaknContext, item: Item, language: str) -> list[list[Button]]:
    """Return the satisfied / not satisfied buttons for an answered item."""
    signer = context.services.signer
    return [
        [
            Button(
                label=text(language, f"rate.{rating.value}"),
                callback_data=signer.pack(RatingPress(rating, item.id or 0, item.state_version)),
            )
            for rating in (Rating.SATISFIED, Rating.NOT_SATISFIED)
        ]
    ]
