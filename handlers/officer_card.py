"""Officers on the item card: claim it, and open the prompts of the card's other actions (DESIGN §3, §6).

Flow::

    card ─ ✋ Nhận xử lý ─────────────────────────────► claimed (card shows the officer; claim clock stops)
    card ─ ❓ Hỏi thêm ─► prompt ─ reply ─────────────► question to the citizen; answer clock pauses
    card ─ 🕑 Tiến độ / ✅ Trả lời / 🚫 Từ chối ─► prompt (finished in handlers/officer_answer.py)

Which buttons a card shows, and which presses are taken, is one rule: `lifecycle.allowed_actions`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import PaknContext
from bot.texts import text
from bot.views.buttons import CardAction
from handlers import citizen_notices
from handlers.common import answer_callback
from handlers.group_chat import (
    answer_callback_text,
    confirm,
    group_language,
    refresh,
    refuse,
    refuse_rule,
    save,
)
from handlers.officer_common import (
    PromptReply,
    StepHandler,
    ask_officer,
    card_pattern,
    guarded_card_press,
)
from handlers.presses import press_handler
from models.actions import RefusalNote
from models.items import claim_item
from models.lifecycle import Refused, ask_citizen, check_action

# Card actions whose press posts a prompt the officer answers by replying.
PROMPTING_ACTIONS = (CardAction.ASK, CardAction.PROGRESS, CardAction.ANSWER, CardAction.REJECT)


@press_handler
async def on_claim_button(update: Update, context: PaknContext) -> None:
    """Claim the item for the officer who pressed; of two simultaneous presses one wins."""
    press, permit = await guarded_card_press(update, context)
    item = press.item
    try:
        await claim_item(context.session, item_id=press.data.item_id, actor=permit.actor, now=context.now)
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.CLAIM, refusal)
        return
    await answer_callback_text(update, text(group_language(context), "claim.done", code=item.code))
    await refresh(context, item)


@press_handler
async def on_prompting_button(update: Update, context: PaknContext) -> None:
    """Check the state allows the action, then ask the officer for the question, update, answer or reason."""
    press, permit = await guarded_card_press(update, context)
    item, action = press.item, press.data.action
    try:
        check_action(item, action, is_stand_in=permit.is_stand_in)
    except Refused as refusal:
        await refuse_rule(update, context, item, action, refusal)
        return
    if action is CardAction.ASK and item.citizen_telegram_user_id is None:
        await refuse(update, context, item, action, "ask.unreachable", RefusalNote.CITIZEN_UNREACHABLE)
        return
    await answer_callback(update, group_language(context))
    ask_officer(context, update, item, action.value, permit.actor)


async def asked_citizen(replied: PromptReply) -> bool:
    """Relay the officer's question to the citizen; the answer clock pauses."""
    update, context, item, permit, _posted, _prompt, body = replied.parts()
    if item.citizen_telegram_user_id is None:
        await refuse(
            update, context, item, CardAction.ASK, "ask.unreachable", RefusalNote.CITIZEN_UNREACHABLE
        )
        return False
    try:
        change = ask_citizen(item, actor=permit.actor, now=context.now, question=body)
    except Refused as refusal:
        await refuse_rule(update, context, item, CardAction.ASK, refusal)
        return False
    save(context, item, change)
    await citizen_notices.tell_citizen(context, item, "followup.question", text=escape(body))
    await refresh(context, item)
    confirm(update, context, "ask.sent", code=item.code)
    return True


PROMPT_STEPS: dict[str, StepHandler] = {CardAction.ASK.value: asked_citizen}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the card's claim button and the buttons that open a prompt."""
    application.add_handler(CallbackQueryHandler(on_claim_button, pattern=card_pattern(CardAction.CLAIM)))
    application.add_handler(
        CallbackQueryHandler(on_prompting_button, pattern=card_pattern(*PROMPTING_ACTIONS))
    )
