"""The description a citizen types, including a long paste that Telegram delivered in several messages.

Telegram cuts a text of more than 4096 characters into several messages, sent one right after the
other. Every part but the last is close to 4096 characters long, so a shorter message is always the
end of what the citizen sent. The rule, as the citizen meets it:

- a message shorter than `FRAGMENT_MIN_CHARS` ends the description: the parts collected so far and this
  one are joined, and the length limits apply to the whole;
- a longer message may be followed by more parts: it is kept, the citizen is told how much has
  arrived, and more parts are joined until a short one arrives or the citizen presses "Xong";
- when the joined text passes the maximum, it is refused as a whole, and the rest of the same paste
  (parts arriving within `window` of the previous one) is not taken for a new description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field

FRAGMENT_MIN_CHARS = 3500  # Telegram's parts are up to 4096 characters, cut at a space near the end
PART_SEPARATOR = "\n"


class PendingDescription(BaseModel):
    """Parts of a long description received so far, kept in the draft between messages."""

    parts: list[str] = Field(default_factory=list)
    last_part_at: datetime
    is_refused: bool = False  # the paste was too long: its remaining parts are not a new description

    def joined(self) -> str:
        """Return the parts as one text."""
        return PART_SEPARATOR.join(self.parts)


class DescriptionOutcome(StrEnum):
    """What a message at the description step did."""

    ACCEPTED = "accepted"  # the description is complete and within the limits
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"  # the whole text (every part) is over the maximum
    COLLECTING = "collecting"  # a long part: more may follow
    IGNORED = "ignored"  # the rest of a paste that was already refused as too long
    NOTHING = "nothing"  # "Xong" pressed with nothing collected


@dataclass(frozen=True)
class DescriptionStep:
    """The outcome, the text so far and what the draft keeps for the next message."""

    outcome: DescriptionOutcome
    text: str
    parts: int
    pending: PendingDescription | None

    @property
    def length(self) -> int:
        """Return the length of the whole text so far."""
        return len(self.text)


def take_description_part(
    pending: PendingDescription | None,
    value: str,
    *,
    now: datetime,
    window: timedelta,
    minimum: int,
    maximum: int,
) -> DescriptionStep:
    """Add one message to the description and decide whether it is complete, refused or still growing."""
    value = value.strip()
    is_consecutive = pending is not None and now - pending.last_part_at <= window
    if pending is not None and pending.is_refused:
        if is_consecutive:
            kept = pending.model_copy(update={"last_part_at": now})
            return DescriptionStep(DescriptionOutcome.IGNORED, "", 0, kept)
        pending = None
    parts = [*(pending.parts if pending is not None else []), value]
    text = PART_SEPARATOR.join(parts)
    may_continue = len(value) >= FRAGMENT_MIN_CHARS
    if len(text) > maximum:
        refused = PendingDescription(last_part_at=now, is_refused=True) if may_continue else None
        return DescriptionStep(DescriptionOutcome.TOO_LONG, text, len(parts), refused)
    if may_continue:
        return DescriptionStep(
            DescriptionOutcome.COLLECTING, text, len(parts), PendingDescription(parts=parts, last_part_at=now)
        )
    return _complete(text, len(parts), minimum=minimum)


def finish_description(pending: PendingDescription | None, *, minimum: int, maximum: int) -> DescriptionStep:
    """Close the description when the citizen says everything has been sent."""
    if pending is None or pending.is_refused or not pending.parts:
        return DescriptionStep(DescriptionOutcome.NOTHING, "", 0, None)
    text = pending.joined()
    if len(text) > maximum:
        return DescriptionStep(DescriptionOutcome.TOO_LONG, text, len(pending.parts), None)
    return _complete(text, len(pending.parts), minimum=minimum)


def _complete(text: str, parts: int, *, minimum: int) -> DescriptionStep:
    if len(text) < minimum:
        return DescriptionStep(DescriptionOutcome.TOO_SHORT, text, parts, None)
    return DescriptionStep(DescriptionOutcome.ACCEPTED, text, parts, None)
