"""What each fired escalation step says, and to whom (DESIGN §8); and the digest a busy chat gets instead.

The sweep (scheduler/escalation.py) finds and claims the steps; these functions word them: to the
agency's group or the consulted agency's, to the leaders in private, to the citizen, or as an
escalation card for the supervisors. A chat that one batch would send more than the configured
threshold gets one digest message instead (Telegram allows about 20 messages a minute to a group).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from bot.callbacks import CallbackSigner
from bot.texts import CATALOGUES, DEFAULT_LANGUAGE, text
from bot.views.dates import format_datetime, format_deadline
from bot.views.escalation_cards import ESCALATION_CARD, escalation_card, open_card_button
from bot.views.render import CITIZEN_NOTICE, agency_name, card_target, category_name, province_words
from models.directory import Directory, Person
from models.escalation import LadderStep
from models.outbox import Button, Message, ReplyTarget
from models.purposes import Purpose
from models.sweep import Chats, FiredStep
from models.tables import Citizen, Item
from models.working_time import WorkingCalendar

logger = logging.getLogger(__name__)

MAX_DIGEST_LINES = 40  # lines beyond this are counted, not listed: a digest stays readable and short


@dataclass
class Notice:
    """One message a fired step wants to send, and the line it becomes in a digest."""

    chat_id: int
    language: str
    message: Message
    digest_line: str
    item_id: int | None
    purpose: str | None = None
    purpose_data: dict[str, object] = field(default_factory=dict)
    card_item_code: str | None = None  # set on escalation cards: a digest offers a button to open the card


def _mention(leader: Person) -> str:
    return f'<a href="tg://user?id={leader.telegram_user_id}">{escape(leader.name)}</a>'


def step_notices(
    fired: FiredStep,
    *,
    chats: Chats,
    citizens: dict[int, Citizen],
    directory: Directory,
    signer: CallbackSigner,
    calendar: WorkingCalendar,
    language: str,
    now: datetime,
) -> list[Notice]:
    """Return the messages a fired step sends: to groups, leaders, the citizen or the supervisors."""
    item, due, consultation = fired.item, fired.due, fired.consultation
    agency = directory.agencies_by_code.get(due.agency_code)
    leaders = agency.leaders if agency else ()
    officer = (
        text(language, "ladder.officer", officer=escape(item.claimed_by_name))
        if item.claimed_by_name
        else text(language, "ladder.unclaimed")
    )
    values: dict[str, object] = {
        "code": item.code,
        "category": escape(category_name(directory, item.category_code, language)),
        "agency": escape(agency_name(directory, due.agency_code, language)),
        "claim_deadline": format_datetime(item.claim_due_at, language) if item.claim_due_at else "—",
        "deadline": format_deadline(due.deadline_at, language),  # "trước 17:00 …", for what is still to come
        "due": format_datetime(due.deadline_at, language),  # "17:00 …", after "hạn trả lời:"
        "officer_line": officer,
        "leaders": ", ".join(_mention(leader) for leader in leaders),
    }
    if consultation is not None:
        values["lead_agency"] = escape(agency_name(directory, consultation.from_agency_code, language))
    step = due.step
    line = text(language, f"ladder.line.{step.value}", **values)
    notices: list[Notice] = []

    def to_group(key: str) -> None:
        if consultation is not None:
            chat_id = chats.of_agency(consultation.to_agency_code)
            reply_to = ReplyTarget(
                purpose=Purpose.CONSULTATION_CARD, item_id=item.id, key=str(consultation.id)
            )
        else:
            chat_id, reply_to = chats.of_item(item), card_target(item)
        if chat_id is None:
            logger.error("Item %s: no group to send the %s step to", item.code, step.value)
            return
        if not leaders and f"{key}.no_leaders" in CATALOGUES[DEFAULT_LANGUAGE]:
            key = f"{key}.no_leaders"  # the directory names no leaders: say so in a sentence of its own
        message = Message(text(language, key, **values), reply_to=reply_to)
        notices.append(Notice(chat_id, language, message, line, item.id))

    def to_leaders(key: str) -> None:
        for leader in leaders:
            message = Message(text(language, key, leader=escape(leader.name), **values))
            notices.append(Notice(leader.telegram_user_id, language, message, line, item.id))

    if step is LadderStep.CLAIM_GROUP:
        to_group("ladder.claim_group")
    elif step is LadderStep.CLAIM_LEADERS:
        to_leaders("ladder.claim_leaders_direct")
        to_group("ladder.claim_leaders_group")
    elif step is LadderStep.DUE_SOON:
        to_group("ladder.due_soon")
    elif step is LadderStep.OVERDUE:
        to_leaders("ladder.overdue_direct")
        to_group("ladder.overdue_group")
        notices += citizen_overdue_notices(item, citizens=citizens, directory=directory, language=language)
    elif step is LadderStep.SUPERVISORS:
        notices += supervisor_card_notices(
            item,
            line,
            chats=chats,
            directory=directory,
            signer=signer,
            calendar=calendar,
            language=language,
            now=now,
        )
    elif step is LadderStep.CONSULTATION_DUE_SOON:
        to_group("ladder.consultation_due_soon")
    elif step is LadderStep.CONSULTATION_OVERDUE:
        to_leaders("ladder.consultation_overdue_direct")
        to_group("ladder.consultation_overdue_group")
    return notices


def citizen_overdue_notices(
    item: Item, *, citizens: dict[int, Citizen], directory: Directory, language: str
) -> list[Notice]:
    """Tell the citizen, in their language (else `language`), that the item is overdue and escalated."""
    if item.citizen_telegram_user_id is None:
        return []  # the citizen erased their data: nobody to tell
    citizen = citizens.get(item.citizen_telegram_user_id)
    language = citizen.language if citizen else language
    values = {
        "code": item.code,
        "agency": escape(agency_name(directory, item.agency_code, language)),
        "due": format_datetime(item.answer_due_at, language) if item.answer_due_at else "—",
        **province_words(directory, language),
    }
    message = Message(text(language, "ladder.overdue_citizen", **values))
    line = text(language, "ladder.line.overdue_citizen", **values)
    return [Notice(item.citizen_telegram_user_id, language, message, line, item.id, purpose=CITIZEN_NOTICE)]


def supervisor_card_notices(
    item: Item,
    line: str,
    *,
    chats: Chats,
    directory: Directory,
    signer: CallbackSigner,
    calendar: WorkingCalendar,
    language: str,
    now: datetime,
) -> list[Notice]:
    """Return the escalation card for the supervisors' group (step 4)."""
    chat_id = chats.of_supervisors()
    if chat_id is None:
        logger.error("No supervisors' group is bound; item %s cannot be escalated to the province", item.code)
        return []
    card = escalation_card(
        item, directory=directory, signer=signer, calendar=calendar, now=now, language=language
    )
    return [Notice(chat_id, language, card, line, item.id, purpose=ESCALATION_CARD, card_item_code=item.code)]


def digest_message(notices: list[Notice], signer: CallbackSigner) -> Message:
    """Fold one chat's notices into one message; escalation cards keep a button that opens them."""
    language = notices[0].language
    shown = notices[:MAX_DIGEST_LINES]
    lines = [text(language, "ladder.digest", count=len(notices))]
    lines += [f"• {notice.digest_line}" for notice in shown]
    if len(notices) > len(shown):
        lines.append(text(language, "ladder.digest_more", count=len(notices) - len(shown)))
    buttons: list[list[Button]] = []
    card_notices = [notice for notice in shown if notice.card_item_code is not None]
    if card_notices:
        lines.append(text(language, "ladder.digest_cards_hint"))
        buttons = [
            [open_card_button(signer, notice.item_id or 0, notice.card_item_code or "", language)]
            for notice in card_notices
        ]
    return Message("\n".join(lines), buttons=buttons)
