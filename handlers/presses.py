"""One way to take a button press on an item: verify it, lock the item, authorise the presser, check the version.

A handler asks for a guarded press and gets either a `GuardedPress` (typed data, locked item, authorised
actor) or a `PressRefused`, which `press_handler` renders in one place: a short alert where the press was
made, plus an audit event when the refusal concerns a known item. Nothing else changes on a refusal.

    @press_handler
    async def on_card_button(update, context):
        press = await guarded_press(update, context, CardPress, attempted=..., authorise=...)
        ...
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Protocol

from telegram import Update

from bot.callbacks import Data
from bot.context import PaknContext
from bot.texts import text
from handlers.authorization import Authorisation, Denied, record_refusal
from handlers.common import answer_press, language_for
from models.items import get_item_for_update
from models.lifecycle import Actor
from models.tables import Item

logger = logging.getLogger(__name__)

STALE_BUTTON = "stale_button"  # the refusal recorded for a press on a card that has changed since


class ItemButton(Protocol):
    """A button family about one item; `version` is the item's state version when the button was made."""

    item_id: int
    version: int


class PressRefused(Exception):
    """A press that may not act: `key` is the catalogue text shown, `reason` the audit event's reason.

    Without an item or a reason nothing is recorded (a forged or unreadable press has no item to record on).
    """

    def __init__(
        self,
        key: str,
        *,
        reason: str | None = None,
        item: Item | None = None,
        attempted: str = "",
        **values: Any,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.reason = reason
        self.item = item
        self.attempted = attempted
        self.values = values


@dataclass(frozen=True)
class GuardedPress(Generic[Data]):
    """A press that passed every check: its typed data, its item (locked) and who pressed."""

    data: Data
    item: Item
    actor: Actor


Authorise = Callable[[Item, Any], Awaitable[Authorisation]]


def read_press(update: Update, context: PaknContext, family: type[Data]) -> Data:
    """Return the verified, typed data of a press, or raise a refusal for forged or unreadable data."""
    query = update.callback_query
    raw = query.data if query is not None else None
    data = context.services.signer.unpack(raw, family)
    if data is None:
        logger.warning("Refused a forged or unreadable %s press: %r", family.__name__, raw)
        raise PressRefused("error.button_invalid")
    return data


async def guarded_press(
    update: Update,
    context: PaknContext,
    family: type[Data],
    *,
    attempted: str | Callable[[Data], str],
    authorise: Authorise,
    check_version: bool = True,
    lock: bool = True,
) -> GuardedPress[Data]:
    """Verify a press on an item's button, lock the item, authorise the presser and check the version.

    `family` must have `item_id` and `version` fields (see ItemButton). `lock=False` reads the item
    without a row lock, for presses that only show something.
    """
    data = read_press(update, context, family)
    item_id = getattr(data, "item_id", None)
    if not isinstance(item_id, int):
        raise TypeError(f"{family.__name__} has no item_id field; use read_press")
    session = context.session
    item = await get_item_for_update(session, item_id) if lock else await session.get(Item, item_id)
    if item is None:
        raise PressRefused("error.button_invalid")
    action = attempted(data) if callable(attempted) else attempted
    authorisation = await authorise(item, data)
    if isinstance(authorisation, Denied):
        raise PressRefused(
            f"auth.{authorisation.reason.value}",
            reason=authorisation.refusal_reason,
            item=item,
            attempted=action,
        )
    if check_version and getattr(data, "version", None) != item.state_version:
        raise PressRefused("error.button_outdated", reason=STALE_BUTTON, item=item, attempted=action)
    return GuardedPress(data=data, item=item, actor=authorisation.actor)


async def refuse_press(update: Update, context: PaknContext, refusal: PressRefused) -> None:
    """Show a refusal where the press was made and record it on the item, if there is one."""
    if refusal.item is not None and refusal.reason is not None:
        record_refusal(context, update, refusal.item, attempted=refusal.attempted, reason=refusal.reason)
    language = await language_for(context, update)
    await answer_press(update, text(language, refusal.key, **refusal.values), alert=True)


PressHandler = Callable[[Update, PaknContext], Coroutine[Any, Any, None]]


def press_handler(handle: PressHandler) -> PressHandler:
    """Wrap a CallbackQueryHandler callback so that every `PressRefused` is rendered the same way."""

    @functools.wraps(handle)
    async def guarded(update: Update, context: PaknContext) -> None:
        try:
            await handle(update, context)
        except PressRefused as refusal:
            await refuse_press(update, context, refusal)

    return guarded
