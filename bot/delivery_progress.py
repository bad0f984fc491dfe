"""How far delivery got: a row's progress, kept in its payload, and what one delivery pass did.

The claim, the settling of a call and the handling of a failed one (bot/delivery.py,
bot/delivery_failures.py) all record the row's progress (parts sent, lost answers, failures in a
row) and count the pass's outcomes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from models.tables import OutboxMessage

PROGRESS_KEY = "delivery"  # delivery progress kept beside the message in the row's JSON payload


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    waiting_for_limits: int = 0
    next_ready_seconds: float | None = None  # the shortest wait of a chat held back by the limits

    @property
    def did_anything(self) -> bool:
        """Tell whether the pass sent or settled at least one message."""
        return bool(self.sent or self.undeliverable or self.retried)

    def note_wait(self, seconds: float) -> None:
        """Remember that a chat with messages due must wait this long for the limits."""
        self.waiting_for_limits += 1
        if self.next_ready_seconds is None or seconds < self.next_ready_seconds:
            self.next_ready_seconds = seconds


def set_progress(message: OutboxMessage, progress: dict[str, Any]) -> None:
    """Keep the row's delivery progress in its payload (a JSON column: flagged as changed)."""
    message.payload = {**message.payload, PROGRESS_KEY: progress}
    flag_modified(message, "payload")
