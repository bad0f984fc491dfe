"""The control slip (phiếu kiểm soát): one item's particulars and its whole history, as readable text.

Used by `pakn item export CODE` and, as history lines, by /history in groups. The citizen's identity
is never shown: only a phone number or name they agreed to share, with when they agreed.
"""

from __future__ import annotations

from html import escape

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.texts import CATALOGUES, text
from bot.views.dates import format_datetime, format_deadline
from bot.views.render import agency_name, category_name, kind_label, locality_name, state_label
from models.actions import Action
from models.consultations import consultations_of
from models.directory import Directory
from models.items import SUPERVISORS_KEY, attachments_of, find_item_by_code, history_of
from models.tables import ActorRole, ItemEvent, SenderType

SHORT_DETAIL_CHARACTERS = 300


def action_label(action: str, language: str) -> str:
    """Return what an event's action means; an action this version does not know reads as a refusal."""
    try:
        return text(language, f"history.action.{Action(action).value}")
    except ValueError:
        return text(language, "history.action.refused")


def refusal_label(reason: str, language: str) -> str:
    """Return why an attempt was refused, from the code the refusal recorded ("not_authorised:not_member")."""
    key = f"history.refusal.{reason.split(':', 1)[0]}"
    return text(language, key if key in CATALOGUES["vi"] else "history.refusal.other")


def actor_label(event: ItemEvent, directory: Directory, language: str) -> str:
    """Name who acted: an officer or supervisor by name and agency, a citizen only by role."""
    role = ActorRole(event.actor_role)
    if role is ActorRole.CITIZEN:
        return text(language, "history.actor.citizen")
    if role is ActorRole.SYSTEM:
        return text(language, "history.actor.system")
    if role is ActorRole.ADMINISTRATOR:
        return text(language, "history.actor.administrator")
    if role is ActorRole.SUPERVISOR or event.agency_code == SUPERVISORS_KEY:
        return text(
            language,
            "history.actor.supervisor",
            name=event.actor_name or "—",
            group=directory.supervisors.display_name(language),
        )
    agency = agency_name(directory, event.agency_code, language) if event.agency_code else "—"
    return text(language, "history.actor.officer", name=event.actor_name or "—", agency=agency)


def history_lines(
    events: list[ItemEvent], directory: Directory, language: str, *, html: bool, full: bool = False
) -> list[str]:
    """Render events as lines: time, who, agency, what, state before → after, reason and text."""

    def shown(value: str) -> str:
        return escape(value) if html else value

    lines = []
    for event in events:
        states = ""
        if (
            event.state_before is not None
            and event.state_after is not None
            and event.state_before != event.state_after
        ):
            states = text(
                language,
                "history.states",
                before=state_label(event.state_before, language),
                after=state_label(event.state_after, language),
            )
        line = text(
            language,
            "history.line",
            at=format_datetime(event.at, language),
            actor=shown(actor_label(event, directory, language)),
            action=action_label(event.action, language),
            states=states,
        )
        if event.reason and event.action == Action.REFUSED:
            line += text(language, "history.reason", reason=refusal_label(event.reason, language))
        elif event.reason:
            line += text(language, "history.reason", reason=shown(event.reason))
        detail_text = str(event.detail.get("text") or "") if isinstance(event.detail, dict) else ""
        if detail_text:
            if not full and len(detail_text) > SHORT_DETAIL_CHARACTERS:
                detail_text = detail_text[:SHORT_DETAIL_CHARACTERS] + "…"
            line += text(language, "history.content", text=shown(detail_text))
        for agency_field in ("requested_agency", "to_agency", "decided_agency"):
            code = event.detail.get(agency_field) if isinstance(event.detail, dict) else None
            if code:
                line += text(
                    language,
                    f"history.{agency_field}",
                    agency=shown(agency_name(directory, str(code), language)),
                )
        lines.append(line)
    return lines


async def render_control_slip(
    *, session: AsyncSession, directory: Directory, code: str, language: str
) -> str | None:
    """Write the item's control slip as plain text, or return None when no item has that code."""
    item = await find_item_by_code(session, code)
    if item is None or item.id is None:
        return None
    events = await history_of(session, item.id)
    attachments = await attachments_of(session, item.id)
    consultations = await consultations_of(session, item.id)

    def when(value: object) -> str:
        return format_datetime(value, language) if value is not None else "—"  # type: ignore[arg-type]

    def due(value: object) -> str:
        return format_deadline(value, language) if value is not None else "—"  # type: ignore[arg-type]

    if item.sender_type == SenderType.BUSINESS:
        sender = text(
            language,
            "slip.sender_business",
            name=item.business_name or "—",
            tax_code=item.business_tax_code or "—",
        )
    else:
        sender = text(language, "slip.sender_individual")
    if item.contact_consent_at is not None and (item.contact_phone or item.contact_name):
        contact = text(
            language,
            "slip.contact_consented",
            contact=", ".join(part for part in (item.contact_name, item.contact_phone) if part),
            at=when(item.contact_consent_at),
        )
    else:
        contact = text(language, "slip.contact_none")
    previous = (
        ", ".join(agency_name(directory, agency, language) for agency in item.previous_agency_codes) or "—"
    )
    sections = [
        text(language, "slip.title"),
        directory.province.name,
        "",
        text(
            language,
            "slip.particulars",
            code=item.code,
            kind=kind_label(item.kind, language),
            category=category_name(directory, item.category_code, language),
            locality=locality_name(directory, item, language),
            sender=sender,
            contact=contact,
            received_at=when(item.received_at),
            agency=agency_name(directory, item.agency_code, language),
            state=state_label(item.state, language),
            claim_due=due(item.claim_due_at),
            transfer_window=due(item.transfer_window_ends_at),
            answer_due=due(item.answer_due_at),
            claimed_by=item.claimed_by_name or "—",
            transfers=item.transfer_count,
            previous=previous,
            decided=when(item.responsibility_decided_at),
            answered_at=when(item.answered_at),
            rating=text(language, f"slip.rating.{item.rating.value}") if item.rating else "—",
            closed_at=when(item.closed_at),
            attachments=len(attachments),
        ),
        "",
        text(language, "slip.content"),
        item.text,
    ]
    if consultations:
        sections += ["", text(language, "slip.consultations")]
        for consultation in consultations:
            sections.append(
                text(
                    language,
                    "slip.consultation",
                    agency=agency_name(directory, consultation.to_agency_code, language),
                    asked_at=when(consultation.asked_at),
                    due=due(consultation.due_at),
                    question=consultation.question,
                    answer=consultation.answer or text(language, "slip.not_answered"),
                    answered_at=when(consultation.answered_at),
                )
            )
    sections += ["", text(language, "slip.history", count=len(events))]
    sections += history_lines(events, directory, language, html=False, full=True)
    return "\n".join(sections) + "\n"
