"""What an item event records (ItemEvent.action): one named member per action, never a bare string.

The stored values are the strings the history has always held, so no data migration is needed. Every
member has a label in both catalogues (`history.action.<value>`); a test enforces it.
"""

from __future__ import annotations

from enum import StrEnum

ESCALATION_PREFIX = "escalation."


class Action(StrEnum):
    """An event in an item's history, in the order an item usually meets them."""

    SUBMITTED = "submitted"
    ROUTED = "routed"
    CLAIMED = "claimed"
    ASKED_CITIZEN = "asked_citizen"
    CITIZEN_REPLIED = "citizen_replied"
    CITIZEN_ADDED_INFORMATION = "citizen_added_information"
    CONSULTATION_REQUESTED = "consultation_requested"
    CONSULTATION_ANSWERED = "consultation_answered"
    TRANSFERRED = "transferred"
    TRANSFER_DISPUTED = "transfer_disputed"
    DISPUTE_DECIDED = "dispute_decided"
    PROGRESS_UPDATE = "progress_update"
    ANSWERED = "answered"
    REJECTED = "rejected"
    REJECTION_REVERSED = "rejection_reversed"
    REJECTION_UPHELD = "rejection_upheld"
    RATED_SATISFIED = "rated_satisfied"
    REOPENED_NOT_SATISFIED = "reopened_not_satisfied"
    RATING_COMMENT = "rating_comment"
    WITHDRAWN = "withdrawn"
    AUTO_CLOSED = "auto_closed"
    URGED = "urged"
    REASSIGNED = "reassigned"
    EXTENDED = "extended"
    FLAGGED_FOR_REVIEW = "flagged_for_review"
    ESCALATION_CLAIM_GROUP = "escalation.claim_group"
    ESCALATION_CLAIM_LEADERS = "escalation.claim_leaders"
    ESCALATION_DUE_SOON = "escalation.due_soon"
    ESCALATION_OVERDUE = "escalation.overdue"
    ESCALATION_SUPERVISORS = "escalation.supervisors"
    ESCALATION_CONSULTATION_DUE_SOON = "escalation.consultation_due_soon"
    ESCALATION_CONSULTATION_OVERDUE = "escalation.consultation_overdue"
    CITIZEN_UNREACHABLE = "citizen_unreachable"
    CITIZEN_REACHABLE = "citizen_reachable"  # the sender unblocked the bot
    PERSONAL_DATA_ERASED = "personal_data_erased"
    CARD_MOVED_TO_NEW_GROUP = "card_moved_to_new_group"  # the agency's group was bound after the item came
    MARKED_NEVER_PUBLIC = "marked_never_public"  # an officer kept the item off the public pages
    REFERRED_UP = "referred_up"  # beyond the agency's authority: reported up to the supervisors
    REFERRAL_SENT_BACK = "referral_sent_back"  # the supervisors sent a referred item back with a directive
    REFUSED = "refused"  # an attempt that was not carried out; the reason says why

    @classmethod
    def for_ladder_step(cls, step: str) -> Action:
        """Return the action that records a rung of the escalation ladder (a LadderStep value)."""
        return cls(ESCALATION_PREFIX + step)


# Why an attempt was refused (ItemEvent.reason of a REFUSED event), beyond RefusalReason and Denial values.
class RefusalNote(StrEnum):
    """Refusals recorded by the handlers rather than by the domain rules."""

    STALE_BUTTON = "stale_button"
    NOT_YOUR_PROMPT = "not_your_prompt"
    CITIZEN_UNREACHABLE = "citizen_unreachable"
    CONSULTED_AGENCY_HAS_NO_GROUP = "consulted_agency_has_no_group"
    SUPERVISORS_HAVE_NO_GROUP = "supervisors_have_no_group"
    REFERRAL_DECIDED = "referral_decided"  # another supervisor decided on the referral meanwhile
    NOT_AUTHORISED = "not_authorised"  # stored as "not_authorised:<denial>"
