"""A citizen's submission in progress: its steps and its typed state, kept in the database between messages."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.descriptions import PendingDescription
from models.kinds import ItemKind, SenderType


class SubmitStep(StrEnum):
    """Where the citizen is in the submit conversation, in the order they meet the steps."""

    KIND = "kind"
    SENDER = "sender"
    BUSINESS_NAME = "business_name"
    TAX_CODE = "tax_code"
    CATEGORY = "category"
    LOCALITY = "locality"
    DESCRIPTION = "description"
    ATTACHMENTS = "attachments"
    CONTACT = "contact"
    CONFIRM = "confirm"
    PUBLICATION = "publication"  # optional, from the summary; default: not published
    EDIT_CHOICE = "edit_choice"


EDITABLE_STEPS = (
    SubmitStep.KIND,
    SubmitStep.CATEGORY,
    SubmitStep.LOCALITY,
    SubmitStep.DESCRIPTION,
    SubmitStep.ATTACHMENTS,
    SubmitStep.CONTACT,
)


class AttachmentIn(BaseModel):
    """A file (by Telegram file_id) or a location the citizen attached, in a draft and in the submission."""

    model_config = ConfigDict(frozen=True)

    media_type: str
    file_id: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    latitude: float | None = None
    longitude: float | None = None


class SubmitDraft(BaseModel):
    """What the citizen has given so far; stored as JSON with the same keys as before it was typed.

    Frozen: a change is a new value assigned to the row (`with_changes`), which SQLAlchemy tracks.
    """

    model_config = ConfigDict(frozen=True)

    kind: ItemKind = ItemKind.FEEDBACK
    sender_type: SenderType = SenderType.INDIVIDUAL
    business_name: str | None = None
    business_tax_code: str | None = None
    category_code: str | None = None
    category_page: int = 0
    locality_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    text: str | None = None
    description_parts: PendingDescription | None = None
    attachments: tuple[AttachmentIn, ...] = Field(default_factory=tuple)
    contact_phone: str | None = None
    consent_wording: str | None = None
    is_publication_allowed: bool = False
    editing: bool = False  # one field is being changed from the summary: the summary comes back after it

    def with_changes(self, **changes: object) -> SubmitDraft:
        """Return a copy with some fields changed, validated like a loaded draft."""
        return SubmitDraft.model_validate({**self.model_dump(), **changes})
