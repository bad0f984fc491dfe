"""What a citizen sends and who sends it: plain enums that the tables and the draft state share."""

from __future__ import annotations

from enum import StrEnum


class ItemKind(StrEnum):
    """What the citizen sends."""

    FEEDBACK = "feedback"  # phản ánh
    PETITION = "petition"  # kiến nghị


class SenderType(StrEnum):
    """Who sends it."""

    INDIVIDUAL = "individual"
    BUSINESS = "business"
