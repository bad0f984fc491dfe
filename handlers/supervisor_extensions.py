"""The supervisors extend an overdue item's deadline once, from its escalation card (DESIGN §8 step 4).

Flow::

    escalation card ─ 📅 Gia hạn ─► EXTEND ─ reply "21/12/2026 - lý do" ─► new deadline (once only);
                                                 the citizen gets an apology and the new date, the agency is told
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from html import escape
from typing import Any

from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views.dates import format_datetime, format_deadline
from handlers import citizen_notices
from handlers.common import answer_callback, reply
from handlers.group_chat import confirm, group_language, refresh, save, tell_agency
from handlers.supervisor_prompts import Step, SupervisorPrompt, ask_supervisor, refuse_rule
from models.lifecycle import Actor, RefusalReason, Refused
from models.outbox import Message
from models.supervision import check_extend, extend, latest_extension
from models.tables import Item

ATTEMPTED = "extend"
NEW_DATE = re.compile(
    r"^\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2})[:hg](?P<minute>\d{2}))?"
    r"\s*(?:[-–—:,.]\s*)?(?P<reason>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class NewDate:
    """What a supervisor typed for an extension: the new deadline and the reason."""

    due_at: datetime
    reason: str


def parse_new_date(body: str, *, timezone: Any, day_ends_at: time) -> NewDate | None:
    """Read "dd/mm/yyyy [HH:MM] - reason" in local time; a bare date means the end of that working day."""
    match = NEW_DATE.match(body)
    if match is None:
        return None
    hour, minute = match.group("hour"), match.group("minute")
    at = time(int(hour), int(minute)) if hour is not None and minute is not None else day_ends_at
    try:
        due_at = datetime(
            int(match.group("year")),
            int(match.group("month")),
            int(match.group("day")),
            at.hour,
            at.minute,
            tzinfo=timezone,
        )
    except ValueError:
        return None
    return NewDate(due_at=due_at, reason=match.group("reason").strip())


async def pressed_extend(update: Update, context: PaknContext, item: Item, actor: Actor) -> None:
    """Check the item may still be extended, then ask for the new date and the reason."""
    services = context.services
    language = group_language(context)
    try:
        check_extend(item)
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED, refusal)
        return
    latest = latest_extension(item, directory=services.directory, calendar=services.calendar)
    if latest is None or item.answer_due_at is None:  # no answer deadline: nothing to extend
        no_deadline = Refused(RefusalReason.WRONG_STATE, state=item.state.value)
        await refuse_rule(update, context, item, ATTEMPTED, no_deadline)
        return
    await answer_callback(update, language)
    ask_supervisor(
        context,
        update,
        item,
        Step.EXTEND,
        actor,
        example=f"{latest.astimezone(services.calendar.timezone):%d/%m/%Y}",
        deadline=format_deadline(item.answer_due_at, language),
        latest=format_deadline(latest, language),
    )


async def extended(
    update: Update, context: PaknContext, item: Item, actor: Actor, _prompt: SupervisorPrompt, body: str
) -> bool:
    """Set the new deadline once; the citizen gets an apology and the new date, the agency is told."""
    services = context.services
    directory = services.directory
    calendar = services.calendar
    language = group_language(context)
    message = update.effective_message
    new_date = parse_new_date(body, timezone=calendar.timezone, day_ends_at=calendar.periods[-1][1])
    if new_date is None:
        latest = latest_extension(item, directory=directory, calendar=calendar)
        example = f"{(latest or context.now).astimezone(calendar.timezone):%d/%m/%Y}"
        reply(
            context,
            update,
            Message(
                text(language, "extend.bad_format", example=example),
                reply_to_message_id=message.message_id if message else None,
            ),
        )
        return False
    try:
        change = extend(
            item,
            actor=actor,
            now=context.now,
            new_due_at=new_date.due_at,
            reason=new_date.reason,
            directory=directory,
            calendar=calendar,
        )
    except Refused as refusal:
        await refuse_rule(update, context, item, ATTEMPTED, refusal)
        return False
    save(context, item, change)
    await refresh(context, item)
    extended_until = format_datetime(item.answer_due_at, language) if item.answer_due_at else "—"
    await tell_agency(
        context,
        item,
        "extend.told_agency",
        office=escape(directory.supervisors.display_name(language)),
        code=item.code,
        until=extended_until,
        reason=escape(new_date.reason),
    )
    await citizen_notices.tell_citizen(context, item, "followup.extended", reason=escape(new_date.reason))
    confirm(update, context, "extend.done", code=item.code, until=extended_until)
    return True
