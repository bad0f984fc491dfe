"""Every inline-button family the bot makes: one typed, signed dataclass each (see bot/callbacks.py).

Views build buttons from these; handlers route on `Family.pattern()` and read them back with
`handlers.presses.guarded_press` (or `read_press`). A new button family is one dataclass here with
a prefix no other family uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import CallbackData


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


# --- supervisors (handlers/supervisor_*.py) -----------------------------------------------------------


@dataclass(frozen=True)
class SupervisorAgencyChoice(AgencyChoice, CallbackData, prefix="sv.ag"):
    """A supervisor's press on the chooser of the agency to reassign an item to."""


# --- citizens (handlers/citizen_*.py) -----------------------------------------------------------------
