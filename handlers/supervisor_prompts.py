"""What the supervisors' escalation actions share: who may press, the prompts they answer, polite refusals.

A multi-step action posts a prompt (ForceReply, selective) that only the supervisor who started it may
answer; what the prompt is for is stored with it (`PostedMessage.purpose_data`) and read back through
`SupervisorPrompt`, so a handler never reads the raw JSON.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError
from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views.render import state_label
from handlers.authorization import Authorisation, authorise_supervisor
from handlers.common import reply
from handlers.group_chat import group_language, mention_actor, refusal_values, refuse
from handlers.presses import Authorise
from models.lifecycle import Actor, RefusalReason, Refused
from models.outbox import Message
from models.purposes import Purpose
from models.tables import Item, PostedMessage

logger = logging.getLogger(__name__)


class Step(StrEnum):
    """The prompts a supervisor meets, in order; each is recorded on the prompt message."""

    CHOOSE_AGENCY = "choose_agency"
    REASSIGN = "reassign"
    EXTEND = "extend"
    FLAG = "flag"


# The action a refusal at each step is recorded against (the history's names for them).
ATTEMPTED = {
    Step.CHOOSE_AGENCY: "reassign",
    Step.REASSIGN: "reassign",
    Step.EXTEND: "extend",
    Step.FLAG: "flag_for_review",
}


class SupervisorPrompt(BaseModel):
    """The purpose data of a supervisor's prompt (Purpose.SUPERVISOR_PROMPT)."""

    step: Step
    supervisor: int | None = None  # the Telegram user who started the step; only they may answer
    target_agency: str | None = None  # the agency chosen, on the REASSIGN prompt
    used: bool = False  # set by handlers.group_chat.mark_used once the prompt has acted

    @classmethod
    def of(cls, posted: PostedMessage) -> SupervisorPrompt | None:
        """Return the prompt a posted message is, or None if it is not a (well-formed) supervisor prompt."""
        if posted.purpose != Purpose.SUPERVISOR_PROMPT:
            return None
        try:
            return cls.model_validate(posted.purpose_data)
        except ValidationError:
            logger.warning("A supervisor prompt in chat %s has unreadable data", posted.chat_id)
            return None

    def stored(self) -> dict[str, Any]:
        """Return the data stored with the prompt message."""
        return self.model_dump(mode="json", exclude_defaults=True, exclude={"used"})


def authorise_supervisor_for(context: PaknContext, update: Update) -> Authorise:
    """Return the authoriser of supervisors' presses: a member of the supervisors' group, in that group."""

    async def authorise(_item: Item, _data: object) -> Authorisation:
        return await authorise_supervisor(context, update)

    return authorise


async def refuse_rule(
    update: Update, context: PaknContext, item: Item, attempted: str, refusal: Refused
) -> None:
    """Refuse an action the item's current state or history does not allow."""
    language = group_language(context)
    if refusal.reason is RefusalReason.WRONG_STATE:
        await refuse(
            update,
            context,
            item,
            attempted,
            "escalation.not_open",
            refusal.reason.value,
            code=item.code,
            state=state_label(item.state, language),
        )
        return
    await refuse(
        update,
        context,
        item,
        attempted,
        f"refused.{refusal.reason.value}",
        refusal.reason.value,
        **refusal_values(refusal, language),
    )


def ask_supervisor(
    context: PaknContext,
    update: Update,
    item: Item,
    step: Step,
    actor: Actor,
    *,
    target_agency: str | None = None,
    **values: Any,
) -> None:
    """Post a prompt the supervisor answers by replying; it remembers who asked and for what."""
    prompt = SupervisorPrompt(step=step, supervisor=actor.telegram_user_id, target_agency=target_agency)
    reply(
        context,
        update,
        Message(
            text(
                group_language(context),
                f"supervision.prompt.{step.value}",
                supervisor=mention_actor(actor),
                code=item.code,
                **values,
            ),
            force_reply=True,
        ),
        item_id=item.id,
        purpose=Purpose.SUPERVISOR_PROMPT,
        purpose_data=prompt.stored(),
    )
