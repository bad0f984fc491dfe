"""The supervisors' card of an item an agency referred up as beyond its authority (Dispatch 968 §1(h))."""

from __future__ import annotations

from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.callbacks import CallbackSigner
from bot.texts import text
from bot.views.buttons import ReferralOutcome, ReferralPress
from bot.views.render import agency_name, deadline_text, excerpt, province_words
from models.directory import Directory
from models.outbox import Button, Message
from models.tables import Item, ItemEvent

ITEM_TEXT_CHARS = 1200  # of the citizen's text shown on the card (the card must stay one message)
OUTCOME_LABELS = {
    ReferralOutcome.ASSIGN: "referral.button.assign",
    ReferralOutcome.ANSWER: "referral.button.answer",
    ReferralOutcome.SEND_BACK: "referral.button.send_back",
}


class ReferralCard(BaseModel):
    """What a referral card remembers (PostedMessage.purpose_data of a REFERRAL_CARD)."""

    model_config = ConfigDict(extra="ignore")

    key: str = "0"  # the referral's event id
    agency: str = ""  # the agency that referred the item up
    decided: bool = False


def referral_text(item: Item, referral: ItemEvent, directory: Directory, language: str) -> str:
    """Return the card's text: who referred the item, what is needed and why, the deadline and the item."""
    return text(
        language,
        "referral.card",
        code=item.code,
        agency=escape(agency_name(directory, referral.agency_code or item.agency_code, language)),
        officer=escape(referral.actor_name or "—"),
        text=escape(referral.reason or ""),
        deadline=deadline_text(item, language),
        item_text=escape(excerpt(item.text, ITEM_TEXT_CHARS)),
    )


def referral_card(
    item: Item, referral: ItemEvent, directory: Directory, signer: CallbackSigner, language: str
) -> Message:
    """Return the card with its three outcomes: assign another agency, answer, send back."""
    words = province_words(directory, language)
    return Message(
        referral_text(item, referral, directory, language),
        buttons=[
            [
                Button(
                    label=text(language, key, **words),
                    callback_data=signer.pack(ReferralPress(outcome, item.id or 0, referral.id or 0)),
                )
            ]
            for outcome, key in OUTCOME_LABELS.items()
        ],
    )


def decided_text(
    item: Item,
    referral: ItemEvent,
    directory: Directory,
    language: str,
    *,
    outcome: ReferralOutcome,
    supervisor: str,
    at: str,
    **values: Any,
) -> str:
    """Return the card's text once decided: the referral, the outcome and who chose it (no buttons)."""
    chosen = text(
        language,
        f"referral.outcome.{outcome.name.lower()}",
        **{**province_words(directory, language), **values},
    )
    return referral_text(item, referral, directory, language) + text(
        language, "referral.decided", outcome=chosen, supervisor=supervisor, at=at
    )
