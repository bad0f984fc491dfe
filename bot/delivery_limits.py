"""Telegram's sending limits, kept by design: per private chat, per group, and overall.

The sender asks the limiter how long a chat must wait before each call, and tells it about every
call it makes and every pause Telegram asks for (retry_after). After a restart, or when another
instance takes the sending over, `restore` rebuilds the state from what the database recorded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from models.clock import Clock, SystemClock


@dataclass
class RateLimits:
    """Telegram's published limits (DESIGN §11); tests may scale them down."""

    private_chat_interval_seconds: float = 1.0
    group_messages_per_minute: int = 20
    group_window_seconds: float = 60.0
    overall_per_second: int = 30
    safety_margin_seconds: float = 0.05  # network jitter must not push two calls into one window

    @property
    def longest_window_seconds(self) -> float:
        """Return how far back a call can still hold the next one back."""
        return (
            max(self.group_window_seconds, self.private_chat_interval_seconds, 1.0)
            + self.safety_margin_seconds
        )

    def keep_recent(self, chat_id: int, attempts: Iterable[float], now: float) -> list[float]:
        """Return the calls to a chat that can still hold the next one back, oldest first."""
        window = self.longest_window_seconds
        recent = sorted(stamp for stamp in attempts if now - stamp < window)
        keep = 1 if chat_id > 0 else max(1, self.group_messages_per_minute)
        return recent[-keep:]


@dataclass
class DeliveryLimiter:
    """Keep the sender inside Telegram's limits by design, on the injected clock.

    Every Bot API call that may create or change a message is counted, whether it succeeds or not.
    The same calls are recorded per chat in the database (ChatDelivery.recent_attempts) when they are
    claimed, and `restore` rebuilds this state from there: after a restart, or when another instance
    takes the sending over, the limits hold as if one process had sent everything.
    """

    limits: RateLimits = field(default_factory=RateLimits)
    clock: Clock | None = None  # None: the services' clock, bound by OutboxDelivery
    _sent_by_chat: dict[int, deque[float]] = field(default_factory=dict)
    _sent_overall: deque[float] = field(default_factory=deque)
    _paused_until: dict[int, float] = field(default_factory=dict)

    def now(self) -> float:
        """Return the limiter's current instant in seconds."""
        return (self.clock or SystemClock()).now().timestamp()

    def wait_seconds(self, chat_id: int) -> float:
        """Return how long to wait before this chat may get another message."""
        now = self.now()
        limits = self.limits
        margin = limits.safety_margin_seconds
        waits = [0.0]
        overall_window = 1.0 + margin
        overall = self._sent_overall
        while overall and now - overall[0] >= overall_window:
            overall.popleft()
        if len(overall) >= limits.overall_per_second:
            waits.append(overall_window - (now - overall[-limits.overall_per_second]))
        paused_until = self._paused_until.get(chat_id)
        if paused_until is not None:
            if paused_until > now:
                waits.append(paused_until - now)
            else:
                del self._paused_until[chat_id]
        history = self._sent_by_chat.get(chat_id)
        if history:
            if chat_id > 0 and limits.private_chat_interval_seconds > 0:
                waits.append(limits.private_chat_interval_seconds + margin - (now - history[-1]))
            elif chat_id <= 0:
                window = limits.group_window_seconds + margin
                while history and now - history[0] >= window:
                    history.popleft()
                if len(history) >= limits.group_messages_per_minute:
                    waits.append(window - (now - history[-limits.group_messages_per_minute]))
        return max(waits)

    def note_sent(self, chat_id: int, at: float | None = None) -> None:
        """Remember that a call to a chat is being made now (or was made at `at`)."""
        stamp = self.now() if at is None else at
        self._sent_overall.append(stamp)
        history = self._sent_by_chat.setdefault(chat_id, deque())
        history.append(stamp)
        if chat_id > 0:
            while len(history) > 1:
                history.popleft()

    def pause(self, chat_id: int, seconds: float) -> None:
        """Send nothing to a chat for a while (Telegram's retry_after)."""
        until = self.now() + seconds + self.limits.safety_margin_seconds
        self._paused_until[chat_id] = max(until, self._paused_until.get(chat_id, 0.0))

    def restore(self, chats: Iterable[tuple[int, list[float], datetime | None]]) -> None:
        """Replace the state with the recorded calls and pauses of (chat_id, attempts, paused_until)."""
        now = self.now()
        self._sent_by_chat.clear()
        self._paused_until.clear()
        overall: list[float] = []
        for chat_id, attempts, paused_until in chats:
            recent = self.limits.keep_recent(chat_id, attempts, now)
            if recent:
                self._sent_by_chat[chat_id] = deque(recent)
                overall.extend(recent)
            if paused_until is not None and paused_until.timestamp() > now:
                self._paused_until[chat_id] = paused_until.timestamp() + self.limits.safety_margin_seconds
        self._sent_overall = deque(sorted(overall))
