"""The escalation card and the overdue listing the supervisors read (DESIGN §8 step 4). No I/O here."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import datetime
from html import escape

from bot.callbacks import CallbackSigner
from bot.texts import text
from bot.views.buttons import EscalationAction, EscalationPress, OpenEscalationCard
from bot.views.dates import format_datetime, format_deadline
from bot.views.render import agency_name, category_name, excerpt, kind_label, locality_name
from models.directory import Directory
from models.outbox import Button, Message
from models.purposes import Purpose
from models.supervision import working_days_overdue
from models.tables import Item
from models.working_time import WorkingCalendar

ESCALATION_CARD = Purpose.ESCALATION_CARD  # the card in the supervisors' group; its buttons stay valid
ESCALATION_ACTIONS: tuple[tuple[EscalationAction, ...], ...] = (
    (EscalationAction.URGE, EscalationAction.REASSIGN),
    (EscalationAction.EXTEND, EscalationAction.FLAG),
)
CARD_TEXT_LIMIT = 600  # characters of the citizen's text shown on the card
LISTING_LIMIT = 3800  # characters, leaving room under Telegram's 4096 for the header and the tail


def escalation_buttons(item: Item, signer: CallbackSigner, language: str) -> list[list[Button]]:
    """Return urge / reassign / extend / flag, signed with version 0 so that they stay valid."""
    return [
        [
            Button(
                label=text(language, f"escalation.button.{action.value}"),
                callback_data=signer.pack(EscalationPress(action, item.id or 0)),
            )
            for action in row
        ]
        for row in ESCALATION_ACTIONS
    ]


def open_card_button(signer: CallbackSigner, item_id: int, code: str, language: str) -> Button:
    """Return a digest's button that posts one item's escalation card (handlers/escalation_digest.py)."""
    return Button(
        label=text(language, "ladder.digest_open_card", code=code),
        callback_data=signer.pack(OpenEscalationCard(item_id)),
    )


def escalation_card(
    item: Item,
    *,
    directory: Directory,
    signer: CallbackSigner,
    calendar: WorkingCalendar,
    now: datetime,
    language: str,
) -> Message:
    """Return the card that puts an overdue item before the supervisors, with their four actions."""
    if item.claimed_by_name:
        claimed = text(language, "escalation.claimed_by", officer=escape(item.claimed_by_name))
    else:
        claimed = text(language, "escalation.not_claimed")
    is_unreachable = item.is_citizen_unreachable or item.citizen_telegram_user_id is None
    body = text(
        language,
        "escalation.card",
        code=item.code,
        kind=kind_label(item.kind, language),
        category=escape(category_name(directory, item.category_code, language)),
        locality=escape(locality_name(directory, item, language)),
        agency=escape(agency_name(directory, item.agency_code, language)),
        received=format_datetime(item.received_at, language),
        deadline=format_deadline(item.answer_due_at, language) if item.answer_due_at else "—",
        days=working_days_overdue(item, now=now, calendar=calendar),
        claimed=claimed,
        citizen=text(
            language, "escalation.citizen_unreachable" if is_unreachable else "escalation.citizen_reachable"
        ),
        text=escape(excerpt(item.text, CARD_TEXT_LIMIT)),
    )
    if item.extension_count:
        body += text(language, "escalation.already_extended")
    if item.is_flagged_for_review:
        body += text(language, "escalation.already_flagged")
    return Message(text=body, buttons=escalation_buttons(item, signer, language))


def overdue_listing(
    items: list[Item],
    *,
    directory: Directory,
    calendar: WorkingCalendar,
    now: datetime,
    language: str,
    agency_counts: Mapping[str, int] | None = None,
) -> str:
    """List overdue items by agency, the agency with the most first, each with its working days overdue.

    `items` may be the most overdue part of a longer list: `agency_counts` then gives every agency's
    whole count, and the tail says how many more there are.
    """
    counts = dict(agency_counts) if agency_counts is not None else Counter(item.agency_code for item in items)
    total = sum(counts.values())
    if not total:
        return text(language, "overdue.none", at=format_datetime(now, language))
    by_agency: dict[str, list[tuple[int, Item]]] = defaultdict(list)
    for item in items:
        by_agency[item.agency_code].append((working_days_overdue(item, now=now, calendar=calendar), item))
    for agency_code in counts:
        by_agency.setdefault(agency_code, [])
    ordered = sorted(
        by_agency.items(),
        key=lambda entry: (-counts.get(entry[0], 0), agency_name(directory, entry[0], language)),
    )
    lines = [text(language, "overdue.header", count=total, at=format_datetime(now, language))]
    length = len(lines[0])
    shown = 0
    for agency_code, entries in ordered:
        block = [
            text(
                language,
                "overdue.agency",
                agency=escape(agency_name(directory, agency_code, language)),
                count=counts.get(agency_code, len(entries)),
            )
        ]
        for days, item in sorted(entries, key=lambda entry: (-entry[0], entry[1].code)):
            block.append(
                text(
                    language,
                    "overdue.line",
                    code=item.code,
                    category=escape(category_name(directory, item.category_code, language)),
                    days=days,
                    flag=text(language, "overdue.flagged") if item.is_flagged_for_review else "",
                )
            )
        # position 0 is the agency heading, the rest are items (counted for the "… and N more" tail)
        for position, line in enumerate(block):
            if length + len(line) + 1 > LISTING_LIMIT:
                lines.append(text(language, "overdue.more", count=total - shown))
                return "\n".join(lines)
            lines.append(line)
            length += len(line) + 1
            shown += 1 if position else 0
    if shown < total:
        lines.append(text(language, "overdue.more", count=total - shown))
    return "\n".join(lines)


__all__ = [
    "ESCALATION_CARD",
    "escalation_buttons",
    "escalation_card",
    "open_card_button",
    "overdue_listing",
]
