"""Rows for bulk core inserts: many items at once, with the instant the domain would store."""

from __future__ import annotations

from typing import Any

from models.escalation import EscalationRules, item_next_escalation_at
from models.tables import Item, ItemKind, ItemState, SenderType
from tests.escalation_world import local

RECEIVED_AT = local(2026, 12, 7, 9, 0)  # Monday morning
CLAIM_DUE = local(2026, 12, 8, 9, 0)  # 8 working hours later


def item_row(n: int, **values: Any) -> dict[str, Any]:
    """Return the columns of one road item received Monday morning."""
    row: dict[str, Any] = {
        "code": f"PA-{n:07d}",
        "kind": ItemKind.FEEDBACK,
        "sender_type": SenderType.INDIVIDUAL,
        "category_code": "giao-thong",
        "text": "Đoạn đường trước số nhà 12 bị sụt lún.",
        "text_fingerprint": "",
        "language": "vi",
        "agency_code": "SO-XD",
        "state": ItemState.RECEIVED,
        "state_version": 0,
        "is_urgent": False,
        "received_at": RECEIVED_AT,
        "claim_due_at": CLAIM_DUE,
        "transfer_window_ends_at": local(2026, 12, 9, 17, 0),
        "answer_due_at": local(2026, 12, 21, 17, 0),
        "transfer_count": 0,
        "previous_agency_codes": [],
        "extension_count": 0,
        "is_flagged_for_review": False,
        "is_citizen_unreachable": False,
    }
    row.update(values)
    return row


def with_instant(row: dict[str, Any], rules: EscalationRules) -> dict[str, Any]:
    """Store the instant the domain would store for such an item."""
    prototype = Item(**{key: value for key, value in row.items() if key != "previous_agency_codes"})
    return row | {"next_escalation_at": item_next_escalation_at(prototype, rules=rules)}
