"""The cards the supervisors decide on: a disputed transfer and a rejection under review. No I/O here.

The handlers read what the cards need (the item's dispute or rejection event) and hand it over
(handlers/supervisor_notices.py); the buttons are the typed families of bot/views/buttons.py.
"""

from __future__ import annotations

from html import escape

from bot.callbacks import CallbackSigner
from bot.texts import text
from bot.views.buttons import DisputeMove, DisputePress, ReviewDecision, ReviewPress
from bot.views.paging import page_of
from bot.views.render import agency_key, agency_name, category_name, deadline_text, locality_name
from models.directory import Agency, Directory
from models.outbox import Button
from models.tables import Item, ItemEvent

# --- the dispute card -------------------------------------------------------------------------------


def dispute_text(item: Item, disputed: ItemEvent | None, *, directory: Directory, language: str) -> str:
    """Render the dispute: who holds the item, where it was to go, why, and who had it before."""
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


def candidate_agencies(item: Item, disputed: ItemEvent | None, *, directory: Directory) -> list[str]:
    """Return the agencies involved in a dispute: the holder, the one asked for, and earlier holders."""
    requested = str(disputed.detail.get("requested_agency")) if disputed else None
    ordered = [item.agency_code, *([requested] if requested else []), *item.previous_agency_codes]
    known = directory.agencies_by_code
    return [code for index, code in enumerate(ordered) if code in known and code not in ordered[:index]]


def dispute_button(
    signer: CallbackSigner,
    label: str,
    item: Item,
    move: DisputeMove,
    save_rule: bool,
    *,
    page: int = 0,
    agency: str = "",
) -> Button:
    """Return one signed button of a dispute card."""
    data = DisputePress(move, item.id or 0, item.state_version, save_rule, page=page, agency=agency)
    return Button(label=label, callback_data=signer.pack(data))


def pick_button(
    signer: CallbackSigner, label: str, item: Item, agency: Agency | str, save_rule: bool
) -> Button:
    """Return the button that decides the dispute for one agency."""
    code = agency if isinstance(agency, str) else agency.code
    return dispute_button(signer, label, item, DisputeMove.PICK, save_rule, agency=agency_key(code))


def dispute_buttons(
    item: Item,
    candidates: list[str],
    *,
    directory: Directory,
    signer: CallbackSigner,
    language: str,
    save_rule: bool,
) -> list[list[Button]]:
    """Return one button per agency involved, "another agency" and the "save as a rule" switch."""
    rows = [
        [
            pick_button(
                signer,
                text(language, "dispute.choose", agency=agency_name(directory, code, language)),
                item,
                code,
                save_rule,
            )
        ]
        for code in candidates
    ]
    other = text(language, "dispute.other_agency")
    rows.append([dispute_button(signer, other, item, DisputeMove.PAGE, save_rule, page=0)])
    switch = text(language, "dispute.rule_on" if save_rule else "dispute.rule_off")
    rows.append([dispute_button(signer, switch, item, DisputeMove.SHOW, not save_rule)])
    return rows


def agency_page_buttons(
    item: Item, *, directory: Directory, signer: CallbackSigner, language: str, save_rule: bool, page: int
) -> list[list[Button]]:
    """Return one page of every agency, with paging arrows and a way back."""
    shown, page, pages = page_of(directory.agencies, page)
    rows = [[pick_button(signer, agency.display_name(language), item, agency, save_rule)] for agency in shown]
    arrows = [
        dispute_button(signer, text(language, key), item, DisputeMove.PAGE, save_rule, page=to)
        for key, to, shows in (
            ("paging.previous", page - 1, page > 0),
            ("paging.next", page + 1, page < pages - 1),
        )
        if shows
    ]
    if arrows:
        rows.append(arrows)
    rows.append([dispute_button(signer, text(language, "dispute.back"), item, DisputeMove.SHOW, save_rule)])
    return rows


def matching_agency_buttons(
    item: Item, matches: list[Agency], *, signer: CallbackSigner, language: str
) -> list[list[Button]]:
    """Return one button per agency whose name matched what a supervisor typed (no rule is saved)."""
    return [[pick_button(signer, agency.display_name(language), item, agency, False)] for agency in matches]


# --- the rejection review card ------------------------------------------------------------------------


def review_text(item: Item, rejected: ItemEvent | None, *, directory: Directory, language: str) -> str:
    """Render a rejection for review: the item, who rejected it and why."""
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


def review_buttons(item: Item, *, signer: CallbackSigner, language: str) -> list[list[Button]]:
    """Return reverse / uphold for a rejection."""
    return [
        [
            Button(
                label=text(language, f"review.{key}"),
                callback_data=signer.pack(ReviewPress(decision, item.id or 0, item.state_version)),
            )
            for key, decision in (("reverse", ReviewDecision.REVERSE), ("uphold", ReviewDecision.UPHOLD))
        ]
    ]
