"""Turn items into the messages people read: cards, notices, status lines. No I/O here."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from bot.texts import text
from bot.views.dates import format_datetime, format_deadline
from models.directory import Agency, Directory, fold_for_search
from models.lifecycle import is_overdue
from models.outbox import ReplyTarget
from models.purposes import Purpose
from models.tables import Item, ItemKind, ItemState, SenderType

CARD = Purpose.CARD  # the item card in the responsible agency's group
CARD_ATTACHMENT = Purpose.CARD_ATTACHMENT  # an attachment under the card; a reply means the same
TELEGRAM_CHANNEL = "telegram"  # Item.channel of items sent in a private chat with the bot
CITIZEN_NOTICE = Purpose.CITIZEN_NOTICE  # a message to the citizen about an item; a reply adds information
# The citizen's long text, posted in its own message(s) just before the card so that the card always
# fits in one message and survives every edit whole; a reply to it means the same as on the card.
CARD_TEXT = Purpose.CARD_TEXT
# UTF-16 units of escaped text a card may hold: its header (business name, officer, triage or moved
# note) takes up to about 1500 more, and the whole must stay under Telegram's 4096 in every state.
CARD_INLINE_TEXT_LIMIT = 2500
CARD_EXCERPT_CHARS = 400  # what a card shows of a text that has its own messages


def card_target(item: Item) -> ReplyTarget:
    """Point at the item's card in its agency's group."""
    return ReplyTarget(purpose=CARD, item_id=item.id)


def kind_label(item_kind: ItemKind | str, language: str) -> str:
    """Return "Phản ánh" or "Kiến nghị"."""
    return text(language, f"kind.{ItemKind(item_kind).value}")


def state_label(state: ItemState | str, language: str) -> str:
    """Return the state as a citizen or officer reads it."""
    return text(language, f"state.{ItemState(state).value}")


def province_words(directory: Directory, language: str) -> dict[str, str]:
    """Return the province-wide names texts use: {province} ("thành phố Cần Thơ") and {supervisors}."""
    return {
        "province": escape(directory.province.display_name(language)),
        "supervisors": escape(directory.supervisors.display_name(language)),
    }


def agency_name(directory: Directory, agency_code: str, language: str) -> str:
    """Return an agency's display name, or its code if the directory no longer has it."""
    agency = directory.agencies_by_code.get(agency_code)
    return agency.display_name(language) if agency else agency_code


def category_name(directory: Directory, category_code: str, language: str) -> str:
    """Return a category's display name, or its code if unknown."""
    category = directory.categories_by_code.get(category_code)
    return category.display_name(language) if category else category_code


def locality_name(directory: Directory, item: Item, language: str) -> str:
    """Return where the item is, as people say it."""
    locality = directory.localities_by_code.get(item.locality_code or "")
    if locality is not None:
        return locality.full_name
    if item.location_latitude is not None:
        return text(language, "submit.location_only")
    return text(language, "submit.locality_unknown")


def deadline_text(item: Item, language: str) -> str:
    """Return the answer deadline as a Vietnamese-style date, or a dash."""
    return format_deadline(item.answer_due_at, language) if item.answer_due_at else "—"


def utf16_length(value: str) -> int:
    """Return the length Telegram counts: UTF-16 code units."""
    return len(value.encode("utf-16-le")) // 2


def has_separate_text(item: Item) -> bool:
    """Tell whether the item's text is too long for its card and goes in its own messages."""
    return utf16_length(escape(item.text)) > CARD_INLINE_TEXT_LIMIT


def excerpt(value: str, limit: int) -> str:
    """Cut a text to about `limit` characters at a word boundary, marking the cut with "…"."""
    value = value.strip()
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def card_body_text(item: Item, language: str) -> str:
    """Return the citizen's text as the card shows it: whole, or an excerpt pointing to its own messages."""
    if not has_separate_text(item):
        return escape(item.text)
    return text(
        language,
        "card.text_excerpt",
        excerpt=escape(excerpt(item.text, CARD_EXCERPT_CHARS)),
        length=len(item.text),
    )


def card_text(
    item: Item,
    directory: Directory,
    *,
    language: str,
    attachment_count: int = 0,
    triage_reason: str | None = None,
) -> str:
    """Render the item card posted in the agency's group; the citizen's identity is never shown."""
    if item.sender_type == SenderType.BUSINESS:
        sender = text(
            language,
            "card.sender_business",
            name=escape(item.business_name or "—"),
            tax_code=f" (MST {escape(item.business_tax_code)})" if item.business_tax_code else "",
        )
    else:
        sender = text(language, "card.sender_individual")
    if item.contact_phone and item.contact_consent_at:
        contact = text(
            language,
            "card.contact_shown",
            phone=escape(item.contact_phone),
            consent_at=format_datetime(item.contact_consent_at, language),
        )
    else:
        contact = text(language, "card.contact_hidden")
    body = text(
        language,
        "card.new",
        kind_upper=kind_label(item.kind, language).upper(),
        code=item.code,
        urgent=text(language, "card.urgent") if item.is_urgent else "",
        category=escape(category_name(directory, item.category_code, language)),
        locality=escape(locality_name(directory, item, language)),
        sender=sender,
        contact=contact,
        claim_deadline=format_deadline(item.claim_due_at, language) if item.claim_due_at else "—",
        deadline=deadline_text(item, language),
        state=state_label(item.state, language),
        text=card_body_text(item, language),
    )
    if item.claimed_by_name:
        body += text(language, "card.claimed_by", officer=escape(item.claimed_by_name))
    if item.channel != TELEGRAM_CHANNEL:
        body += text(language, "card.channel", channel=escape(item.channel))
        named = [value for value in (item.contact_name, item.contact_email) if value]
        if named and item.contact_consent_at:
            body += text(language, "card.contact_channel", contact=escape(", ".join(named)))
    if attachment_count:
        body += "\n" + text(language, "card.attachments", count=attachment_count)
    if triage_reason:
        body += triage_reason
    return body


def status_text(item: Item, directory: Directory, *, language: str, is_owner: bool, now_overdue: bool) -> str:
    """Render /status: the owner sees the deadline and agency, anyone else only the state."""
    if not is_owner:
        return text(language, "status.other", code=item.code, state=state_label(item.state, language))
    return text(
        language,
        "status.full",
        code=item.code,
        kind_lower=kind_label(item.kind, language).lower(),
        state=state_label(item.state, language),
        agency=escape(agency_name(directory, item.agency_code, language)),
        deadline=deadline_text(item, language),
        overdue=text(language, "status.overdue_suffix") if now_overdue else "",
    )


def agency_key(agency_code: str) -> str:
    """Return a short, stable stand-in for an agency code that fits in callback data."""
    digest = hashlib.sha256(agency_code.encode()).digest()
    return base64.b32encode(digest[:5]).decode().lower()


def agency_by_key(directory: Directory, key: str) -> Agency | None:
    """Return the agency whose `agency_key` is `key`, or None."""
    return next((agency for agency in directory.agencies if agency_key(agency.code) == key), None)


def find_agencies(directory: Directory, query: str, *, limit: int = 8) -> list[Agency]:
    """Match agencies by code or name, ignoring case and diacritics ("so xay dung" finds "Sở Xây dựng")."""
    wanted = fold_for_search(query)
    if not wanted:
        return []
    exact: list[Agency] = []
    partial: list[Agency] = []
    for agency in directory.agencies:
        names = [fold_for_search(name) for name in (agency.code, agency.name, agency.name_en or "") if name]
        if wanted in names:
            exact.append(agency)
        elif all(any(word in name for name in names) for word in wanted.split()):
            partial.append(agency)
    return (exact + partial)[:limit]


__all__ = [
    "CARD",
    "CARD_ATTACHMENT",
    "CARD_TEXT",
    "CITIZEN_NOTICE",
    "agency_by_key",
    "agency_key",
    "agency_name",
    "card_body_text",
    "card_target",
    "card_text",
    "category_name",
    "deadline_text",
    "excerpt",
    "find_agencies",
    "has_separate_text",
    "is_overdue",
    "kind_label",
    "locality_name",
    "province_words",
    "state_label",
    "status_text",
    "utf16_length",
]
