"""Every inline-button family the bot makes: one typed, signed dataclass each (see bot/callbacks.py).

Views build buttons from these; handlers route on `Family.pattern()` and read them back with
`handlers.presses.guarded_press` (or `read_press`). A new button family is one dataclass here with
a prefix no other family uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import CallbackData
from models.lifecycle import CardAction
from models.tables import Rating

__all__ = ["CardAction"]  # re-exported: the card buttons' actions are the domain's (models.lifecycle)


class ChooserMove(StrEnum):
    """What a press on an agency chooser does."""

    PICK = "p"  # take `agency`
    PAGE = "g"  # show `page`
    CANCEL = "x"  # close the chooser


@dataclass(frozen=True)
class AgencyChoice:
    """The fields of a press on an agency chooser (a family per audience subclasses it with a prefix)."""

    move: ChooserMove
    item_id: int
    version: int
    page: int = 0
    agency: str = ""  # bot.views.render.agency_key of the agency picked


# --- officers (handlers/officer_*.py) -----------------------------------------------------------------


@dataclass(frozen=True)
class OfficerAgencyChoice(AgencyChoice, CallbackData, prefix="o.ag"):
    """An officer's press on the chooser of the agency to transfer to or consult."""


@dataclass(frozen=True)
class CardPress(CallbackData, prefix="o"):
    """An officer's press on an item card; which actions a card offers is `lifecycle.allowed_actions`."""

    action: CardAction
    item_id: int
    version: int


class PreviewChoice(StrEnum):
    """What the officer does with an answer draft."""

    ANSWER = "a"  # send it as the answer (after the substance check)
    PROGRESS = "p"  # send it as a progress update
    CANCEL = "x"  # drop it


@dataclass(frozen=True)
class PreviewPress(CallbackData, prefix="o.pv"):
    """An officer's press on the preview of an answer draft."""

    choice: PreviewChoice
    item_id: int
    version: int


# --- supervisors: items referred up as beyond an agency's authority (handlers/supervisor_referrals.py) ---


class ReferralOutcome(StrEnum):
    """What the supervisors do with an item an agency reported up as beyond its authority."""

    ASSIGN = "assign"  # give it to another agency
    ANSWER = "answer"  # answer on the province's behalf
    SEND_BACK = "back"  # send it back to the agency with a directive


@dataclass(frozen=True)
class ReferralPress(CallbackData, prefix="rf"):
    """A supervisor's press on a referral card; `event_id` is the referral's event.

    It carries no version: a referral stays open while the agency works on, and each press checks the
    item against the rules instead (`handover.check_referral`).
    """

    outcome: ReferralOutcome
    item_id: int
    event_id: int


# --- supervisors (handlers/supervisor_*.py) -----------------------------------------------------------


@dataclass(frozen=True)
class SupervisorAgencyChoice(AgencyChoice, CallbackData, prefix="sv.ag"):
    """A supervisor's press on the chooser of the agency to reassign an item to."""


@dataclass(frozen=True)
class ReferralAgencyChoice(SupervisorAgencyChoice, prefix="rf.ag"):
    """A supervisor's press on the chooser of the agency a referred item goes to (handlers/supervisor_referrals.py)."""


class EscalationAction(StrEnum):
    """The four actions on an escalation card (bot/views/escalation_cards.py)."""

    URGE = "urge"
    REASSIGN = "reassign"
    EXTEND = "extend"
    FLAG = "flag"


@dataclass(frozen=True)
class EscalationPress(CallbackData, prefix="sv"):
    """A press on an escalation card; `version` is always 0, so the card's buttons stay valid."""

    action: EscalationAction
    item_id: int
    version: int = 0


@dataclass(frozen=True)
class OpenEscalationCard(CallbackData, prefix="esc.card"):
    """A digest's button that posts one item's escalation card; `version` is always 0."""

    item_id: int
    version: int = 0


class DisputeMove(StrEnum):
    """What a press on a dispute card does."""

    PICK = "p"  # decide for `agency`
    PAGE = "g"  # show `page` of every agency
    SHOW = "s"  # show the card again, with the rule switch at `save_rule` (the switch and "back")


@dataclass(frozen=True)
class DisputePress(CallbackData, prefix="sd"):
    """A press on a dispute card; `save_rule` is the position of the "save as a routing rule" switch."""

    move: DisputeMove
    item_id: int
    version: int
    save_rule: bool = False
    page: int = 0
    agency: str = ""  # bot.views.render.agency_key of the agency picked


class ReviewDecision(StrEnum):
    """The supervisors' decision on a rejection."""

    REVERSE = "rev"
    UPHOLD = "keep"


@dataclass(frozen=True)
class ReviewPress(CallbackData, prefix="sr"):
    """A press on a rejection review card."""

    decision: ReviewDecision
    item_id: int
    version: int


# --- citizens (handlers/citizen_*.py) -----------------------------------------------------------------


@dataclass(frozen=True)
class RatingPress(CallbackData, prefix="cf.rate"):
    """The citizen's rating of an answer."""

    rating: Rating
    item_id: int
    version: int


@dataclass(frozen=True)
class WithdrawPress(CallbackData, prefix="cf.wd"):
    """The citizen's answer to "withdraw this item?"."""

    confirmed: bool
    item_id: int
    version: int


class MenuChoice(StrEnum):
    """The buttons of the citizen's main menu (handlers/citizen_start.py)."""

    NEW = "new"
    MY_ITEMS = "my"
    HELP = "help"
    LANGUAGE = "lang"


@dataclass(frozen=True)
class MenuPress(CallbackData, prefix="m"):
    """A press on the citizen's main menu; each choice is routed to its own handler."""

    choice: MenuChoice


class SubmitAction(StrEnum):
    """The buttons of the submission conversation (handlers/citizen_submit_steps.py's transitions)."""

    KIND = "kind"
    SENDER = "sender"
    SKIP = "skip"
    CATEGORY_PAGE = "page"
    CATEGORY = "cat"
    LOCALITY = "loc"
    DESCRIPTION_DONE = "descdone"
    ATTACHMENTS_DONE = "done"
    PUBLICATION = "pub"
    PUBLICATION_SET = "pubset"
    EDIT = "edit"
    EDIT_FIELD = "editf"
    SEND = "send"
    CANCEL = "cancel"


@dataclass(frozen=True)
class SubmitPress(CallbackData, prefix="s"):
    """A press in the submission conversation: the action, the value chosen (a code) and a page."""

    action: SubmitAction
    value: str = ""  # a kind, a sender type, a category or locality code, a step, "yes"/"no"
    page: int = 0


class PrivacyStep(StrEnum):
    """The buttons of /mydata: ask to delete, confirm, keep (handlers/citizen_privacy.py)."""

    CONFIRMING = "ask"
    ERASE = "erase"
    KEEP = "keep"


@dataclass(frozen=True)
class PrivacyPress(CallbackData, prefix="pd"):
    """A press on /mydata's buttons, in the citizen's private chat."""

    step: PrivacyStep
