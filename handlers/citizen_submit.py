"""The citizen's submit conversation, in a private chat, kept in the database so restarts lose nothing.

Flow (each step is a `Step`; /cancel works at every one; "Sửa" on the summary jumps back to a step
and returns to the summary afterwards)::

    /new ─► KIND ─► SENDER ─┬─────────────────────────► CATEGORY ─► LOCALITY ─► DESCRIPTION ◄─┐ long part:
     │                      └► BUSINESS_NAME ► TAX_CODE ┘                           │   └────────┘ join more
     └ over the hourly limit: say when, stop                                         │ whole text
            CONFIRM ◄── CONTACT ◄── ATTACHMENTS ◄───────────────────────────────────┘
               │ Gửi: rate limit and duplicate checks ─► item + event + card, all in one transaction
               ├ Sửa ─► EDIT_CHOICE ─► the chosen step ─► CONFIRM
               ├ Công khai? ─► PUBLICATION (agree / refuse; default refuse) ─► CONFIRM
               └ Huỷ
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import StrEnum
from html import escape
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import CallbackPress
from bot.context import PaknContext
from bot.texts import text
from bot.views.cards import post_card
from bot.views.dates import format_datetime
from bot.views.render import CITIZEN_NOTICE, agency_name, category_name, deadline_text, kind_label
from handlers.common import answer_callback, button, citizen_for, reply
from models.descriptions import (
    DescriptionOutcome,
    DescriptionStep,
    PendingDescription,
    finish_description,
    take_description_part,
)
from models.items import (
    AttachmentIn,
    DuplicateOf,
    RateLimited,
    Submission,
    SubmissionDenied,
    SubmissionLimits,
    submission_allowance,
    submit_item,
)
from models.outbox import Message
from models.routing import RouteReason
from models.tables import Citizen, ConversationDraft, ItemKind, SenderType
from models.tax_code import normalise_tax_code

CATEGORIES_PER_PAGE = 6
MEDIA_TYPES = ("photo", "document", "voice", "video", "audio", "video_note", "animation")


class Step(StrEnum):
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


EDITABLE_STEPS = (Step.KIND, Step.CATEGORY, Step.LOCALITY, Step.DESCRIPTION, Step.ATTACHMENTS, Step.CONTACT)


# --- draft storage -------------------------------------------------------------------------------


async def load_draft(context: PaknContext, telegram_user_id: int) -> ConversationDraft | None:
    """Return the citizen's draft in progress, if any."""
    return await context.session.get(ConversationDraft, telegram_user_id)


def move_to(context: PaknContext, draft: ConversationDraft, step: Step) -> None:
    """Move a draft to a step and mark its data changed (JSON columns do not track in-place edits)."""
    draft.step = step.value
    flag_modified(draft, "data")
    draft.updated_at = context.now
    context.session.add(draft)


def next_or_summary(draft: ConversationDraft, natural_next: Step) -> Step:
    """Go to the natural next step, or back to the summary when the citizen is editing one field."""
    return Step.CONFIRM if draft.data.get("editing") else natural_next


# --- prompts -------------------------------------------------------------------------------------


def prompt_for(context: PaknContext, draft: ConversationDraft, language: str) -> list[Message]:
    """Return the message(s) that ask for the draft's current step."""
    step = Step(draft.step)
    settings = context.services.settings
    skip = text(language, "submit.skip_button")
    if step is Step.KIND:
        return [
            Message(
                text(language, "submit.ask_kind"),
                buttons=[
                    [button(context, text(language, "kind.feedback.hint"), "s.kind", argument="feedback")],
                    [button(context, text(language, "kind.petition.hint"), "s.kind", argument="petition")],
                    [button(context, text(language, "submit.cancel_button"), "s.cancel")],
                ],
                remove_keyboard=True,
            )
        ]
    if step is Step.SENDER:
        return [
            Message(
                text(language, "submit.ask_sender"),
                buttons=[
                    [
                        button(
                            context, text(language, "sender.individual"), "s.sender", argument="individual"
                        ),
                        button(context, text(language, "sender.business"), "s.sender", argument="business"),
                    ]
                ],
            )
        ]
    if step is Step.BUSINESS_NAME:
        return [
            Message(text(language, "submit.ask_business_name"), buttons=[[button(context, skip, "s.skip")]])
        ]
    if step is Step.TAX_CODE:
        return [Message(text(language, "submit.ask_tax_code"), buttons=[[button(context, skip, "s.skip")]])]
    if step is Step.CATEGORY:
        return [category_page(context, language, int(draft.data.get("category_page", 0)))]
    if step is Step.LOCALITY:
        example = context.services.directory.example_locality_query()
        return [
            Message(
                text(
                    language,
                    "submit.ask_locality",
                    example=text(language, "submit.locality_example", example=escape(example))
                    if example
                    else "",
                ),
                reply_keyboard=[
                    [{"text": text(language, "submit.share_location_button"), "request_location": True}],
                    [{"text": text(language, "submit.locality_unknown_button")}],
                ],
            )
        ]
    if step is Step.DESCRIPTION:
        return [
            Message(
                text(
                    language,
                    "submit.ask_description",
                    minimum=settings.description_min_chars,
                    maximum=settings.description_max_chars,
                ),
                remove_keyboard=True,
            )
        ]
    if step is Step.ATTACHMENTS:
        return [
            Message(
                text(language, "submit.ask_attachments", maximum=settings.max_attachments),
                buttons=[
                    [
                        button(context, text(language, "submit.done_button"), "s.done"),
                        button(context, skip, "s.done"),
                    ]
                ],
            )
        ]
    if step is Step.CONTACT:
        return [
            Message(
                text(language, "submit.ask_contact", consent=text(language, "submit.consent_wording")),
                reply_keyboard=[
                    [{"text": text(language, "submit.share_contact_button"), "request_contact": True}],
                    [{"text": skip}],
                ],
            )
        ]
    if step is Step.PUBLICATION:
        return [publication_prompt(context, language)]
    if step is Step.EDIT_CHOICE:
        return [
            Message(
                text(language, "submit.edit_what"),
                buttons=[
                    [
                        button(
                            context,
                            text(language, f"submit.edit_{field.value}"),
                            "s.editf",
                            argument=field.value,
                        )
                        for field in EDITABLE_STEPS[index : index + 3]
                    ]
                    for index in (0, 3)
                ],
            )
        ]
    return [summary(context, draft, language)]


def category_page(context: PaknContext, language: str, page: int) -> Message:
    """Return one page of category buttons with paging arrows."""
    categories = context.services.directory.categories
    pages = max(1, math.ceil(len(categories) / CATEGORIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = categories[page * CATEGORIES_PER_PAGE : (page + 1) * CATEGORIES_PER_PAGE]
    rows = [
        [button(context, category.display_name(language), "s.cat", argument=category.code)]
        for category in shown
    ]
    arrows = []
    if page > 0:
        arrows.append(button(context, text(language, "paging.previous"), "s.page", argument=str(page - 1)))
    if page < pages - 1:
        arrows.append(button(context, text(language, "paging.next"), "s.page", argument=str(page + 1)))
    if arrows:
        rows.append(arrows)
    return Message(
        text(language, "submit.ask_category", page=page + 1, pages=pages), buttons=rows, remove_keyboard=False
    )


def summary(context: PaknContext, draft: ConversationDraft, language: str) -> Message:
    """Return the summary with Send / Edit / Cancel."""
    directory = context.services.directory
    data = draft.data
    not_given = text(language, "submit.not_given")
    if data.get("sender_type") == SenderType.BUSINESS.value:
        sender = text(language, "sender.business")
        if data.get("business_name"):
            sender += f" – {escape(data['business_name'])}"
        if data.get("business_tax_code"):
            sender += f" (MST {escape(data['business_tax_code'])})"
    else:
        sender = text(language, "sender.individual")
    locality = directory.localities_by_code.get(data.get("locality_code") or "")
    if locality is not None:
        locality_text = locality.full_name
    elif data.get("latitude") is not None:
        locality_text = text(language, "submit.location_only")
    else:
        locality_text = text(language, "submit.locality_unknown")
    description = data.get("text", "")
    shown = description if len(description) <= 1500 else description[:1500] + "…"
    body = text(
        language,
        "submit.summary",
        kind=kind_label(data.get("kind", ItemKind.FEEDBACK.value), language),
        sender=sender,
        category=escape(category_name(directory, data.get("category_code", ""), language)),
        locality=escape(locality_text),
        text=escape(shown),
        attachments=len(data.get("attachments", [])) or not_given,
        contact=escape(data["contact_phone"]) if data.get("contact_phone") else not_given,
    )
    body += publication_line(data, language)
    return Message(
        body,
        buttons=[
            [
                button(context, text(language, "submit.confirm_button"), "s.send"),
                button(context, text(language, "submit.edit_button"), "s.edit"),
                button(context, text(language, "submit.cancel_button"), "s.cancel"),
            ],
            [button(context, text(language, "submit.publication_button"), "s.pub")],
        ],
    )


# --- the optional publication step (DESIGN §15: only items whose sender agreed are shown publicly) ---


def publication_line(data: dict[str, Any], language: str) -> str:
    """Return the summary line that says whether the item will be published."""
    choice = "submit.publication_yes" if data.get("is_publication_allowed") else "submit.publication_no"
    return text(language, "submit.publication_line", choice=text(language, choice))


def publication_prompt(context: PaknContext, language: str) -> Message:
    """Ask, in one clear sentence, whether the item and its answer may be published anonymised."""
    return Message(
        text(language, "submit.ask_publication"),
        buttons=[
            [button(context, text(language, "submit.publication_agree_button"), "s.pubset", argument="yes")],
            [button(context, text(language, "submit.publication_refuse_button"), "s.pubset", argument="no")],
        ],
    )


async def chose_publication_step(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Open the optional publication question from the summary."""
    move_to(context, draft, Step.PUBLICATION)
    ask(context, update, draft, citizen.language)


async def chose_publication(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Record agreement or refusal to publish, then show the summary again."""
    if press.argument not in {"yes", "no"}:
        return
    draft.data["is_publication_allowed"] = press.argument == "yes"
    move_to(context, draft, Step.CONFIRM)
    ask(context, update, draft, citizen.language)


def ask(context: PaknContext, update: Update, draft: ConversationDraft, language: str) -> None:
    """Queue the prompt(s) of the draft's current step."""
    for message in prompt_for(context, draft, language):
        reply(context, update, message)


# --- entry points --------------------------------------------------------------------------------


async def start_submission(update: Update, context: PaknContext) -> None:
    """Begin a new item (/new or the menu button), or resume one in progress."""
    user = update.effective_user
    if user is None:
        return
    citizen = await citizen_for(context, user)
    await answer_callback(update, citizen.language)
    draft = await load_draft(context, user.id)
    if await refused_by_hourly_limit(context, update, user.id, citizen.language, has_draft=draft is not None):
        return
    if draft is not None:
        reply(context, update, Message(text(citizen.language, "submit.resume")))
    else:
        draft = ConversationDraft(
            telegram_user_id=user.id, step=Step.KIND.value, data={}, updated_at=context.now
        )
        context.session.add(draft)
    ask(context, update, draft, citizen.language)


async def refused_by_hourly_limit(
    context: PaknContext, update: Update, telegram_user_id: int, language: str, *, has_draft: bool
) -> bool:
    """Tell the citizen when they may submit again if they reached the hourly limit; return True then."""
    allowance = await submission_allowance(
        context.session,
        telegram_user_id=telegram_user_id,
        now=context.now,
        per_hour=context.services.settings.submissions_per_hour,
    )
    if not isinstance(allowance, SubmissionDenied):
        return False
    tell_rate_limited(context, update, language, allowance.free_at, has_draft=has_draft)
    return True


def tell_rate_limited(
    context: PaknContext, update: Update, language: str, free_at: datetime, *, has_draft: bool
) -> None:
    """Tell the citizen from when they may submit again (and that an unfinished draft is kept)."""
    notice = text(
        language,
        "submit.rate_limited",
        limit=context.services.settings.submissions_per_hour,
        at=format_datetime(free_at, language),
    )
    if has_draft:
        notice += "\n\n" + text(language, "submit.rate_limited_draft_kept")
    reply(context, update, Message(notice))


async def cancel(update: Update, context: PaknContext) -> None:
    """Drop the draft in progress (/cancel or the Cancel button)."""
    user = update.effective_user
    if user is None:
        return
    citizen = await citizen_for(context, user)
    await answer_callback(update, citizen.language)
    draft = await load_draft(context, user.id)
    if draft is None:
        reply(
            context, update, Message(text(citizen.language, "submit.nothing_to_cancel"), remove_keyboard=True)
        )
        return
    await context.session.delete(draft)
    reply(context, update, Message(text(citizen.language, "submit.cancelled"), remove_keyboard=True))


# --- button presses ------------------------------------------------------------------------------


async def on_button(update: Update, context: PaknContext) -> None:
    """Handle a press on any submit-conversation button, checking it belongs to the current step."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    citizen = await citizen_for(context, user)
    language = citizen.language
    press = context.services.signer.verify(query.data)
    if press is None:
        await answer_callback(update, language, "error.button_invalid", alert=True)
        return
    if press.action == "s.cancel":
        await cancel(update, context)
        return
    draft = await load_draft(context, user.id)
    expected_step = BUTTON_STEPS.get(press.action)
    if draft is None or expected_step is None or draft.step not in expected_step:
        await answer_callback(update, language, "error.button_outdated", alert=True)
        return
    await answer_callback(update, language)
    await BUTTON_ACTIONS[press.action](update, context, draft, press, citizen)


async def chose_kind(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Record feedback or petition."""
    if press.argument not in {kind.value for kind in ItemKind}:
        return
    draft.data["kind"] = press.argument
    move_to(context, draft, next_or_summary(draft, Step.SENDER))
    ask(context, update, draft, citizen.language)


async def chose_sender(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Record individual or business."""
    if press.argument not in {sender.value for sender in SenderType}:
        return
    draft.data["sender_type"] = press.argument
    move_to(
        context, draft, Step.BUSINESS_NAME if press.argument == SenderType.BUSINESS.value else Step.CATEGORY
    )
    ask(context, update, draft, citizen.language)


async def skipped(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Skip the optional business name or tax code."""
    move_to(context, draft, Step.TAX_CODE if draft.step == Step.BUSINESS_NAME.value else Step.CATEGORY)
    ask(context, update, draft, citizen.language)


async def turned_category_page(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Show another page of categories."""
    draft.data["category_page"] = int(press.argument) if press.argument.isdigit() else 0
    move_to(context, draft, Step.CATEGORY)
    ask(context, update, draft, citizen.language)


async def chose_category(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Record the category."""
    if press.argument not in context.services.directory.categories_by_code:
        await answer_callback(update, citizen.language, "error.button_outdated", alert=True)
        return
    draft.data["category_code"] = press.argument
    move_to(context, draft, next_or_summary(draft, Step.LOCALITY))
    ask(context, update, draft, citizen.language)


async def chose_locality(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Record the locality picked from the search results."""
    if press.argument not in context.services.directory.localities_by_code:
        await answer_callback(update, citizen.language, "error.button_outdated", alert=True)
        return
    draft.data["locality_code"] = press.argument
    move_to(context, draft, next_or_summary(draft, Step.DESCRIPTION))
    if draft.step == Step.CONFIRM.value:
        reply(context, update, Message("✔️", remove_keyboard=True))
    ask(context, update, draft, citizen.language)


async def finished_description(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Close a long description made of several messages ("Xong" under the collecting notice)."""
    settings = context.services.settings
    step = finish_description(
        pending_description(draft),
        minimum=settings.description_min_chars,
        maximum=settings.description_max_chars,
    )
    settle_description(context, update, draft, citizen.language, step)


async def finished_attachments(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Leave the attachments step."""
    move_to(context, draft, next_or_summary(draft, Step.CONTACT))
    ask(context, update, draft, citizen.language)


async def chose_edit(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Ask which part of the summary to change."""
    move_to(context, draft, Step.EDIT_CHOICE)
    ask(context, update, draft, citizen.language)


async def chose_field_to_edit(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Jump back to one step; after it the summary comes back."""
    if press.argument not in {step.value for step in EDITABLE_STEPS}:
        return
    draft.data["editing"] = True
    if press.argument == Step.ATTACHMENTS.value:
        draft.data["attachments"] = []
    draft.data.pop("description_parts", None)
    move_to(context, draft, Step(press.argument))
    ask(context, update, draft, citizen.language)


async def confirmed(
    update: Update, context: PaknContext, draft: ConversationDraft, press: CallbackPress, citizen: Citizen
) -> None:
    """Create the item, post its card and tell the citizen the code and the deadline."""
    services = context.services
    settings = services.settings
    language = citizen.language
    data = draft.data
    user_id = draft.telegram_user_id
    now = context.now
    submission = Submission(
        citizen_telegram_user_id=user_id,
        kind=ItemKind(data.get("kind", ItemKind.FEEDBACK.value)),
        category_code=data["category_code"],
        text=data["text"],
        sender_type=SenderType(data.get("sender_type", SenderType.INDIVIDUAL.value)),
        business_name=data.get("business_name"),
        business_tax_code=data.get("business_tax_code"),
        locality_code=data.get("locality_code"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        contact_phone=data.get("contact_phone"),
        contact_consent_wording=data.get("consent_wording"),
        language=language,
        attachments=[AttachmentIn(**attachment) for attachment in data.get("attachments", [])],
        is_publication_allowed=bool(data.get("is_publication_allowed")),
    )
    outcome = await submit_item(
        session=context.session,
        submission=submission,
        directory=services.directory,
        calendar=services.calendar,
        limits=SubmissionLimits(
            duplicate_window=timedelta(minutes=settings.duplicate_window_minutes),
            per_hour=settings.submissions_per_hour,
        ),
        now=now,
    )
    if isinstance(outcome, DuplicateOf):
        await context.session.delete(draft)
        reply(context, update, Message(text(language, "submit.duplicate", code=outcome.item.code)))
        return
    if isinstance(outcome, RateLimited):
        tell_rate_limited(context, update, language, outcome.free_at, has_draft=True)
        return
    item, route = outcome.item, outcome.route
    await post_card(
        session=context.session,
        outbox=context.outbox,
        directory=services.directory,
        signer=services.signer,
        item=item,
        language=settings.default_language,
        route_is_triage=route.reason is RouteReason.TRIAGE,
    )
    await context.session.delete(draft)
    reply(
        context,
        update,
        Message(
            text(
                language,
                "submit.received",
                kind_lower=kind_label(item.kind, language).lower(),
                code=item.code,
                agency=escape(agency_name(services.directory, item.agency_code, language)),
                deadline=deadline_text(item, language),
            ),
            remove_keyboard=True,
        ),
        item_id=item.id,
        purpose=CITIZEN_NOTICE,
    )


BUTTON_STEPS: dict[str, set[str]] = {
    "s.kind": {Step.KIND.value},
    "s.sender": {Step.SENDER.value},
    "s.skip": {Step.BUSINESS_NAME.value, Step.TAX_CODE.value},
    "s.page": {Step.CATEGORY.value},
    "s.cat": {Step.CATEGORY.value},
    "s.loc": {Step.LOCALITY.value},
    "s.descdone": {Step.DESCRIPTION.value},
    "s.done": {Step.ATTACHMENTS.value},
    "s.edit": {Step.CONFIRM.value},
    "s.editf": {Step.EDIT_CHOICE.value},
    "s.send": {Step.CONFIRM.value},
    "s.pub": {Step.CONFIRM.value},
    "s.pubset": {Step.PUBLICATION.value},
}
BUTTON_ACTIONS: dict[str, Any] = {
    "s.kind": chose_kind,
    "s.sender": chose_sender,
    "s.skip": skipped,
    "s.page": turned_category_page,
    "s.cat": chose_category,
    "s.loc": chose_locality,
    "s.descdone": finished_description,
    "s.done": finished_attachments,
    "s.edit": chose_edit,
    "s.editf": chose_field_to_edit,
    "s.send": confirmed,
    "s.pub": chose_publication_step,
    "s.pubset": chose_publication,
}


# --- messages during the conversation -------------------------------------------------------------


async def on_message(update: Update, context: PaknContext) -> bool:
    """Handle a private message while a draft is open; return False when there is no draft."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    draft = await load_draft(context, user.id)
    if draft is None:
        return False
    citizen = await citizen_for(context, user)
    language = citizen.language
    if message.sticker is not None:  # never an answer to a step: say so and keep the step
        reply(context, update, Message(text(language, "sticker.ignored")))
        return True
    step = Step(draft.step)
    handler = MESSAGE_STEPS.get(step)
    if handler is None:
        reply(context, update, Message(text(language, "submit.use_buttons")))
        return True
    await handler(update, context, draft, language)
    return True


async def typed_business_name(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Record the business's name."""
    value = (update.effective_message.text or "").strip() if update.effective_message else ""
    if not value:
        reply(context, update, Message(text(language, "submit.use_buttons")))
        return
    draft.data["business_name"] = value[:200]
    move_to(context, draft, Step.TAX_CODE)
    ask(context, update, draft, language)


async def typed_tax_code(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Record the tax code (10 digits, or 13 for a branch), checked and written the usual way."""
    value = normalise_tax_code(update.effective_message.text or "") if update.effective_message else None
    if value is None:
        reply(
            context,
            update,
            Message(
                text(language, "submit.bad_tax_code"),
                buttons=[[button(context, text(language, "submit.skip_button"), "s.skip")]],
            ),
        )
        return
    draft.data["business_tax_code"] = value
    move_to(context, draft, Step.CATEGORY)
    ask(context, update, draft, language)


async def typed_locality(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Search localities by name, take a shared location, or accept "unknown"."""
    message = update.effective_message
    assert message is not None
    if message.location is not None:
        draft.data["latitude"] = message.location.latitude
        draft.data["longitude"] = message.location.longitude
        move_to(context, draft, Step.LOCALITY)
        reply(
            context,
            update,
            Message(
                text(language, "submit.location_received"),
                reply_keyboard=[[{"text": text(language, "submit.locality_unknown_button")}]],
            ),
        )
        return
    query = (message.text or "").strip()
    if not query:
        ask(context, update, draft, language)
        return
    if query in {text(code, "submit.locality_unknown_button") for code in ("vi", "en")}:
        draft.data["locality_code"] = None
        move_to(context, draft, next_or_summary(draft, Step.DESCRIPTION))
        reply(
            context, update, Message("✔️", remove_keyboard=True)
        ) if draft.step == Step.CONFIRM.value else None
        ask(context, update, draft, language)
        return
    directory = context.services.directory
    matches = directory.find_localities(query)
    prompt = text(language, "submit.locality_choose")
    if not matches:
        matches = directory.suggest_localities(query)  # typos: ranked, always confirmed with a button
        prompt = text(language, "submit.locality_suggest", query=escape(query[:100]))
    if not matches:
        reply(
            context, update, Message(text(language, "submit.locality_not_found", query=escape(query[:100])))
        )
        return
    reply(
        context,
        update,
        Message(
            prompt,
            buttons=[
                [button(context, locality.full_name, "s.loc", argument=locality.code)] for locality in matches
            ],
        ),
    )


async def typed_description(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Take the description, joining the parts of a long paste that Telegram sent as several messages."""
    settings = context.services.settings
    message = update.effective_message
    value = (message.text or message.caption or "").strip() if message else ""
    if not value:
        reply(context, update, Message(text(language, "submit.description_needs_text")))
        return
    step = take_description_part(
        pending_description(draft),
        value,
        now=context.now,
        window=timedelta(seconds=settings.description_parts_window_seconds),
        minimum=settings.description_min_chars,
        maximum=settings.description_max_chars,
    )
    settle_description(context, update, draft, language, step)


def pending_description(draft: ConversationDraft) -> PendingDescription | None:
    """Return the parts of a long description stored in the draft, if any."""
    stored = draft.data.get("description_parts")
    return PendingDescription.model_validate(stored) if stored else None


def settle_description(
    context: PaknContext, update: Update, draft: ConversationDraft, language: str, step: DescriptionStep
) -> None:
    """Store what the description step decided and tell the citizen; only a whole text moves on."""
    settings = context.services.settings
    if step.pending is None:
        draft.data.pop("description_parts", None)
    else:
        draft.data["description_parts"] = step.pending.model_dump(mode="json")
    outcome = step.outcome
    if outcome is DescriptionOutcome.ACCEPTED:
        draft.data["text"] = step.text
        move_to(context, draft, next_or_summary(draft, Step.ATTACHMENTS))
        ask(context, update, draft, language)
        return
    move_to(context, draft, Step.DESCRIPTION)  # the step is kept; the parts are saved with it
    if outcome is DescriptionOutcome.IGNORED:
        return  # the rest of a paste already refused as too long: one refusal is enough
    if outcome is DescriptionOutcome.NOTHING:
        ask(context, update, draft, language)
        return
    if outcome is DescriptionOutcome.COLLECTING:
        notice = Message(
            text(
                language,
                "submit.description_collecting",
                parts=step.parts,
                length=step.length,
                maximum=settings.description_max_chars,
            ),
            buttons=[[button(context, text(language, "submit.description_done_button"), "s.descdone")]],
        )
    elif outcome is DescriptionOutcome.TOO_LONG:
        is_paste = step.parts > 1 or step.pending is not None
        key = "submit.description_too_long_parts" if is_paste else "submit.description_too_long"
        notice = Message(
            text(language, key, length=step.length, parts=step.parts, maximum=settings.description_max_chars)
        )
    else:
        notice = Message(
            text(
                language,
                "submit.description_too_short",
                length=step.length,
                minimum=settings.description_min_chars,
            )
        )
    reply(context, update, notice)


async def sent_attachment(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Collect a photo, file, voice note, video or location, within the count and size limits."""
    settings = context.services.settings
    message = update.effective_message
    assert message is not None
    attachments: list[dict[str, Any]] = list(draft.data.get("attachments", []))
    attachment = attachment_of(message)
    if attachment is None:
        reply(context, update, Message(text(language, "submit.attachment_expected")))
        return
    if len(attachments) >= settings.max_attachments:
        reply(
            context,
            update,
            Message(text(language, "submit.attachment_limit", maximum=settings.max_attachments)),
        )
        return
    if (attachment.get("file_size") or 0) > settings.max_attachment_bytes:
        reply(
            context,
            update,
            Message(
                text(
                    language,
                    "submit.attachment_too_big",
                    megabytes=settings.max_attachment_bytes // (1024 * 1024),
                )
            ),
        )
        return
    attachments.append(attachment)
    draft.data["attachments"] = attachments
    move_to(context, draft, Step.ATTACHMENTS)
    reply(
        context,
        update,
        Message(
            text(
                language, "submit.attachment_added", count=len(attachments), maximum=settings.max_attachments
            ),
            buttons=[[button(context, text(language, "submit.done_button"), "s.done")]],
        ),
    )


async def shared_contact(
    update: Update, context: PaknContext, draft: ConversationDraft, language: str
) -> None:
    """Take the citizen's own phone number with consent, or skip."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if message.contact is not None:
        if message.contact.user_id != user.id:
            reply(context, update, Message(text(language, "submit.contact_not_own")))
            return
        draft.data["contact_phone"] = message.contact.phone_number
        draft.data["consent_wording"] = text(language, "submit.consent_wording")
        reply(context, update, Message(text(language, "submit.contact_received"), remove_keyboard=True))
    elif (message.text or "").strip() in {text(code, "submit.skip_button") for code in ("vi", "en")}:
        draft.data.pop("contact_phone", None)
        draft.data.pop("consent_wording", None)
        reply(context, update, Message("✔️", remove_keyboard=True))
    else:
        ask(context, update, draft, language)
        return
    move_to(context, draft, Step.CONFIRM)
    ask(context, update, draft, language)


def attachment_of(message: Any) -> dict[str, Any] | None:
    """Describe a message's attachment by file_id (or coordinates), or None if it has none."""
    if message.location is not None:
        return {
            "media_type": "location",
            "latitude": message.location.latitude,
            "longitude": message.location.longitude,
        }
    if message.photo:
        largest = message.photo[-1]
        return {"media_type": "photo", "file_id": largest.file_id, "file_size": largest.file_size}
    for media_type in MEDIA_TYPES[1:]:
        media = getattr(message, media_type, None)
        if media is not None:
            return {
                "media_type": media_type,
                "file_id": media.file_id,
                "file_size": getattr(media, "file_size", None),
                "file_name": getattr(media, "file_name", None),
            }
    return None


MESSAGE_STEPS: dict[Step, Any] = {
    Step.BUSINESS_NAME: typed_business_name,
    Step.TAX_CODE: typed_tax_code,
    Step.LOCALITY: typed_locality,
    Step.DESCRIPTION: typed_description,
    Step.ATTACHMENTS: sent_attachment,
    Step.CONTACT: shared_contact,
}


# --- wiring --------------------------------------------------------------------------------------


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the submit conversation's handlers (private chats only)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(["new", "submit"], start_submission, filters=private))
    application.add_handler(CommandHandler("cancel", cancel, filters=private))
    application.add_handler(CallbackQueryHandler(start_submission, pattern=r"^m\.new\|"))
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^s\."))
