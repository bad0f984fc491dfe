"""What a message the bot posted is for: a reply to it, or a press on it, means what its purpose says.

The purpose is stored with every outbox row and every delivered message (`PostedMessage.purpose`), so the
values are part of the database and never change; new purposes get new values.
"""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    """Every kind of message the bot posts that a reply or a press can refer to."""

    CARD = "card"  # the item card in the responsible agency's group
    CARD_ATTACHMENT = "card_attachment"  # an attachment under the card; a reply means the same as on the card
    CARD_TEXT = "card_text"  # the citizen's long text posted before the card; a reply means the same
    CITIZEN_NOTICE = "citizen_notice"  # a message to the citizen about an item; a reply adds information
    OFFICER_PROMPT = "officer_prompt"  # a question the bot asks an officer; the reply carries the answer
    ANSWER_PREVIEW = "answer_preview"  # a draft answer waiting for the officer's confirmation
    CONSULTATION_CARD = "consultation_card"  # the card in a consulted agency's group; key = consultation id
    SUPERVISOR_PROMPT = "supervisor_prompt"  # a question the bot asks a supervisor
    ESCALATION_CARD = "escalation_card"  # an overdue item's card in the supervisors' group
    DISPUTE_CARD = "dispute_card"  # a disputed transfer waiting for the supervisors' decision
    REJECTION_REVIEW = "rejection_review"  # a rejected item the supervisors may reverse or uphold
    RATING_COMMENT = "rating_comment"  # "why not satisfied?"; a reply to it is the citizen's comment
    NOT_SATISFIED_ALERT = "not_satisfied_alert"  # the supervisors' alert that a citizen was not satisfied
    FORGET_AFTER_DELIVERY = "forget_after_delivery"  # personal data the outbox forgets once delivered
    REFERRAL_CARD = (
        "referral_card"  # an item referred up as beyond its agency's authority, in the supervisors' group
    )
    REFERRAL_PROMPT = "referral_prompt"  # a question the bot asks a supervisor about a referred item
