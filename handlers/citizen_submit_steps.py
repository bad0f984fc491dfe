"""The steps of the submit conversation: one transitions table, and what each step does with an answer.

    TRANSITIONS[step] = (prompt, message parser, buttons, natural next step)

A step's handler records the answer in the typed draft and moves on with `Turn.advance` (to the
natural next step, or back to the summary when the citizen is changing one field) or `Turn.go`.
The prompts are drawn by bot/views/submission.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from typing import Any

from telegram import Update

from bot.context import PaknContext
from bot.texts import text
from bot.views import submission as views
from bot.views.buttons import SubmitAction, SubmitPress
from bot.views.cards import post_card
from bot.views.render import CITIZEN_NOTICE, agency_name, deadline_text, kind_label
from bot.views.submission import SubmitScreen
from handlers.common import answer_callback, attachment_of, reply
from models.descriptions import DescriptionOutcome, DescriptionStep, finish_description, take_description_part
from models.drafts import EDITABLE_STEPS, AttachmentIn, SubmitDraft, SubmitStep
from models.outbox import Message
from models.routing import RouteReason
from models.submission import (
    DuplicateOf,
    RateLimited,
    Submission,
    SubmissionLimits,
    submit_item,
)
from models.tables import ConversationDraft, ItemKind, SenderType
from models.tax_code import normalise_tax_code


@dataclass
class Turn:
    """One answer of the citizen at one step: the update, the draft row and the citizen's language."""

    update: Update
    context: PaknContext
    draft: ConversationDraft
    language: str

    @property
    def data(self) -> SubmitDraft:
        """Return what the draft holds so far."""
        return self.draft.data

    @property
    def step(self) -> SubmitStep:
        """Return the step the citizen is at."""
        return SubmitStep(self.draft.step)

    @property
    def screen(self) -> SubmitScreen:
        """Return what the prompts are drawn with."""
        return screen_for(self.context, self.language)

    def say(self, key: str, /, **values: Any) -> None:
        """Queue a catalogue text to the citizen."""
        self.reply(Message(text(self.language, key, **values)))

    def reply(self, message: Message, **outbox_options: Any) -> None:
        """Queue a message to the citizen."""
        reply(self.context, self.update, message, **outbox_options)

    def keep(self, **changes: Any) -> None:
        """Record answers without leaving the step."""
        self.go(self.step, **changes)

    def go(self, step: SubmitStep, **changes: Any) -> None:
        """Record answers and move to a step (a new draft value, so the change is tracked)."""
        if changes:
            self.draft.data = self.data.with_changes(**changes)
        self.draft.step = step.value
        self.draft.updated_at = self.context.now
        self.context.session.add(self.draft)

    def advance(self, **changes: Any) -> None:
        """Record answers and go to the step's natural next one, or back to the summary when editing."""
        natural = TRANSITIONS[self.step].next_step
        self.go(SubmitStep.CONFIRM if self.data.editing or natural is None else natural, **changes)

    def ask(self) -> None:
        """Queue the question(s) of the step the citizen is at."""
        for message in TRANSITIONS[self.step].prompt(self.screen, self.data):
            self.reply(message)


def screen_for(context: PaknContext, language: str) -> SubmitScreen:
    """Return what the submit conversation's messages are drawn with."""
    services = context.services
    return SubmitScreen(services.signer, services.directory, services.settings, language)


MessageStep = Callable[[Turn], Awaitable[None]]
ButtonStep = Callable[[Turn, SubmitPress], Awaitable[None]]


@dataclass(frozen=True)
class Transition:
    """What a step asks, which answers it takes, and where it leads."""

    prompt: Callable[[SubmitScreen, SubmitDraft], list[Message]]
    next_step: SubmitStep | None = None  # None: the step chooses (or it is the summary)
    on_message: MessageStep | None = None  # None: the step takes buttons only
    buttons: Mapping[SubmitAction, ButtonStep] = field(default_factory=dict)


# --- buttons ---------------------------------------------------------------------------------------


async def chose_kind(turn: Turn, press: SubmitPress) -> None:
    """Record feedback or petition."""
    if press.value in {kind.value for kind in ItemKind}:
        turn.advance(kind=press.value)
        turn.ask()


async def chose_sender(turn: Turn, press: SubmitPress) -> None:
    """Record individual or business; a business is asked its name and tax code."""
    if press.value in {sender.value for sender in SenderType}:
        is_business = press.value == SenderType.BUSINESS.value
        turn.go(SubmitStep.BUSINESS_NAME if is_business else SubmitStep.CATEGORY, sender_type=press.value)
        turn.ask()


async def skipped(turn: Turn, press: SubmitPress) -> None:
    """Skip the optional business name or tax code."""
    turn.advance()
    turn.ask()


async def turned_category_page(turn: Turn, press: SubmitPress) -> None:
    """Show another page of categories."""
    turn.keep(category_page=press.page)
    turn.ask()


async def chose_category(turn: Turn, press: SubmitPress) -> None:
    """Record the category."""
    if press.value not in turn.context.services.directory.categories_by_code:
        await answer_callback(turn.update, turn.language, "error.button_outdated", alert=True)
        return
    turn.advance(category_code=press.value)
    turn.ask()


async def chose_locality(turn: Turn, press: SubmitPress) -> None:
    """Record the locality picked from the search results."""
    if press.value not in turn.context.services.directory.localities_by_code:
        await answer_callback(turn.update, turn.language, "error.button_outdated", alert=True)
        return
    turn.advance(locality_code=press.value)
    if turn.step is SubmitStep.CONFIRM:
        turn.reply(Message("✔️", remove_keyboard=True))
    turn.ask()


async def finished_description(turn: Turn, press: SubmitPress) -> None:
    """Close a long description made of several messages ("Xong" under the collecting notice)."""
    settings = turn.context.services.settings
    step = finish_description(
        turn.data.description_parts,
        minimum=settings.description_min_chars,
        maximum=settings.description_max_chars,
    )
    settle_description(turn, step)


async def finished_attachments(turn: Turn, press: SubmitPress) -> None:
    """Leave the attachments step."""
    turn.advance()
    turn.ask()


async def chose_edit(turn: Turn, press: SubmitPress) -> None:
    """Ask which part of the summary to change."""
    turn.go(SubmitStep.EDIT_CHOICE)
    turn.ask()


async def chose_field_to_edit(turn: Turn, press: SubmitPress) -> None:
    """Jump back to one step; after it the summary comes back."""
    if press.value not in {step.value for step in EDITABLE_STEPS}:
        return
    step = SubmitStep(press.value)
    cleared: dict[str, Any] = {"attachments": ()} if step is SubmitStep.ATTACHMENTS else {}
    turn.go(step, editing=True, description_parts=None, **cleared)
    turn.ask()


async def chose_publication_step(turn: Turn, press: SubmitPress) -> None:
    """Open the optional publication question from the summary."""
    turn.go(SubmitStep.PUBLICATION)
    turn.ask()


async def chose_publication(turn: Turn, press: SubmitPress) -> None:
    """Record agreement or refusal to publish, then show the summary again."""
    if press.value in {"yes", "no"}:
        turn.advance(is_publication_allowed=press.value == "yes")
        turn.ask()


async def confirmed(turn: Turn, press: SubmitPress) -> None:
    """Create the item, post its card and tell the citizen the code and the deadline."""
    context, data, language = turn.context, turn.data, turn.language
    services = context.services
    settings = services.settings
    if data.category_code is None or data.text is None:  # an old draft that never reached the summary
        turn.go(SubmitStep.CATEGORY if data.category_code is None else SubmitStep.DESCRIPTION)
        turn.ask()
        return
    submission = Submission(
        citizen_telegram_user_id=turn.draft.telegram_user_id,
        kind=data.kind,
        category_code=data.category_code,
        text=data.text,
        sender_type=data.sender_type,
        business_name=data.business_name,
        business_tax_code=data.business_tax_code,
        locality_code=data.locality_code,
        latitude=data.latitude,
        longitude=data.longitude,
        contact_phone=data.contact_phone,
        contact_consent_wording=data.consent_wording,
        language=language,
        attachments=list(data.attachments),
        is_publication_allowed=data.is_publication_allowed,
    )
    outcome = await submit_item(
        session=context.session,
        submission=submission,
        directory=services.directory,
        calendar=services.calendar,
        limits=submission_limits(context),
        now=context.now,
    )
    if isinstance(outcome, DuplicateOf):
        await context.session.delete(turn.draft)
        turn.say("submit.duplicate", code=outcome.item.code)
        return
    if isinstance(outcome, RateLimited):
        turn.reply(views.rate_limited(turn.screen, outcome.free_at, has_draft=True))
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
    await context.session.delete(turn.draft)
    received = text(
        language,
        "submit.received",
        kind_lower=kind_label(item.kind, language).lower(),
        code=item.code,
        agency=escape(agency_name(services.directory, item.agency_code, language)),
        deadline=deadline_text(item, language),
    )
    turn.reply(Message(received, remove_keyboard=True), item_id=item.id, purpose=CITIZEN_NOTICE)


def submission_limits(context: PaknContext) -> SubmissionLimits:
    """Return the duplicate window and hourly limit from the settings."""
    settings = context.services.settings
    return SubmissionLimits(
        duplicate_window=timedelta(minutes=settings.duplicate_window_minutes),
        per_hour=settings.submissions_per_hour,
    )


# --- messages --------------------------------------------------------------------------------------


def message_text(turn: Turn) -> str:
    """Return the text (or caption) of the citizen's message, stripped."""
    message = turn.update.effective_message
    return (message.text or message.caption or "").strip() if message else ""


async def typed_business_name(turn: Turn) -> None:
    """Record the business's name."""
    message = turn.update.effective_message
    value = (message.text or "").strip() if message else ""
    if not value:
        turn.say("submit.use_buttons")
        return
    turn.advance(business_name=value[:200])
    turn.ask()


async def typed_tax_code(turn: Turn) -> None:
    """Record the tax code (10 digits, or 13 for a branch), checked and written the usual way."""
    message = turn.update.effective_message
    value = normalise_tax_code(message.text or "") if message else None
    if value is None:
        turn.reply(views.bad_tax_code(turn.screen))
        return
    turn.advance(business_tax_code=value)
    turn.ask()


async def typed_locality(turn: Turn) -> None:
    """Search localities by name, take a shared location, or accept "unknown"."""
    message = turn.update.effective_message
    if message is None:
        return
    if message.location is not None:
        turn.keep(latitude=message.location.latitude, longitude=message.location.longitude)
        turn.reply(views.location_received(turn.screen))
        return
    query = (message.text or "").strip()
    if not query:
        turn.ask()
        return
    if query in {text(code, "submit.locality_unknown_button") for code in ("vi", "en")}:
        turn.advance(locality_code=None)
        if turn.step is SubmitStep.CONFIRM:
            turn.reply(Message("✔️", remove_keyboard=True))
        turn.ask()
        return
    directory = turn.context.services.directory
    matches = directory.find_localities(query)
    prompt = text(turn.language, "submit.locality_choose")
    if not matches:
        matches = directory.suggest_localities(query)  # typos: ranked, always confirmed with a button
        prompt = text(turn.language, "submit.locality_suggest", query=escape(query[:100]))
    if not matches:
        turn.say("submit.locality_not_found", query=escape(query[:100]))
        return
    found = [(locality.code, locality.full_name) for locality in matches]
    turn.reply(views.locality_choices(turn.screen, prompt, found))


async def typed_description(turn: Turn) -> None:
    """Take the description, joining the parts of a long paste that Telegram sent as several messages."""
    settings = turn.context.services.settings
    value = message_text(turn)
    if not value:
        turn.say("submit.description_needs_text")
        return
    step = take_description_part(
        turn.data.description_parts,
        value,
        now=turn.context.now,
        window=timedelta(seconds=settings.description_parts_window_seconds),
        minimum=settings.description_min_chars,
        maximum=settings.description_max_chars,
    )
    settle_description(turn, step)


def settle_description(turn: Turn, step: DescriptionStep) -> None:
    """Store what the description step decided and tell the citizen; only a whole text moves on."""
    settings = turn.context.services.settings
    outcome = step.outcome
    if outcome is DescriptionOutcome.ACCEPTED:
        turn.advance(text=step.text, description_parts=step.pending)
        turn.ask()
        return
    turn.keep(description_parts=step.pending)  # the step is kept; the parts are saved with it
    if outcome is DescriptionOutcome.IGNORED:
        return  # the rest of a paste already refused as too long: one refusal is enough
    if outcome is DescriptionOutcome.NOTHING:
        turn.ask()
    elif outcome is DescriptionOutcome.COLLECTING:
        turn.reply(views.description_collecting(turn.screen, parts=step.parts, length=step.length))
    elif outcome is DescriptionOutcome.TOO_LONG:
        is_paste = step.parts > 1 or step.pending is not None
        key = "submit.description_too_long_parts" if is_paste else "submit.description_too_long"
        turn.say(key, length=step.length, parts=step.parts, maximum=settings.description_max_chars)
    else:
        turn.say("submit.description_too_short", length=step.length, minimum=settings.description_min_chars)


async def sent_attachment(turn: Turn) -> None:
    """Collect a photo, file, voice note, video or location, within the count and size limits."""
    settings = turn.context.services.settings
    message = turn.update.effective_message
    attachment = attachment_of(message) if message is not None else None
    if attachment is None:
        turn.say("submit.attachment_expected")
        return
    attachments = turn.data.attachments
    if len(attachments) >= settings.max_attachments:
        turn.say("submit.attachment_limit", maximum=settings.max_attachments)
        return
    if (attachment.get("file_size") or 0) > settings.max_attachment_bytes:
        turn.say("submit.attachment_too_big", megabytes=settings.max_attachment_bytes // (1024 * 1024))
        return
    attachments = (*attachments, AttachmentIn.model_validate(attachment))
    turn.keep(attachments=attachments)
    turn.reply(views.attachment_added(turn.screen, len(attachments)))


async def shared_contact(turn: Turn) -> None:
    """Take the citizen's own phone number with consent, or skip."""
    message = turn.update.effective_message
    user = turn.update.effective_user
    if message is None or user is None:
        return
    if message.contact is not None:
        if message.contact.user_id != user.id:
            turn.say("submit.contact_not_own")
            return
        consent = text(turn.language, "submit.consent_wording")
        turn.advance(contact_phone=message.contact.phone_number, consent_wording=consent)
        turn.reply(Message(text(turn.language, "submit.contact_received"), remove_keyboard=True))
    elif (message.text or "").strip() in {text(code, "submit.skip_button") for code in ("vi", "en")}:
        turn.advance(contact_phone=None, consent_wording=None)
        turn.reply(Message("✔️", remove_keyboard=True))
    else:
        turn.ask()
        return
    turn.ask()


# --- the transitions table -------------------------------------------------------------------------

TRANSITIONS: dict[SubmitStep, Transition] = {
    SubmitStep.KIND: Transition(views.ask_kind, SubmitStep.SENDER, buttons={SubmitAction.KIND: chose_kind}),
    SubmitStep.SENDER: Transition(views.ask_sender, buttons={SubmitAction.SENDER: chose_sender}),
    SubmitStep.BUSINESS_NAME: Transition(
        views.ask_business_name, SubmitStep.TAX_CODE, typed_business_name, {SubmitAction.SKIP: skipped}
    ),
    SubmitStep.TAX_CODE: Transition(
        views.ask_tax_code, SubmitStep.CATEGORY, typed_tax_code, {SubmitAction.SKIP: skipped}
    ),
    SubmitStep.CATEGORY: Transition(
        views.ask_category,
        SubmitStep.LOCALITY,
        buttons={SubmitAction.CATEGORY_PAGE: turned_category_page, SubmitAction.CATEGORY: chose_category},
    ),
    SubmitStep.LOCALITY: Transition(
        views.ask_locality, SubmitStep.DESCRIPTION, typed_locality, {SubmitAction.LOCALITY: chose_locality}
    ),
    SubmitStep.DESCRIPTION: Transition(
        views.ask_description,
        SubmitStep.ATTACHMENTS,
        typed_description,
        {SubmitAction.DESCRIPTION_DONE: finished_description},
    ),
    SubmitStep.ATTACHMENTS: Transition(
        views.ask_attachments,
        SubmitStep.CONTACT,
        sent_attachment,
        {SubmitAction.ATTACHMENTS_DONE: finished_attachments},
    ),
    SubmitStep.CONTACT: Transition(views.ask_contact, SubmitStep.CONFIRM, shared_contact),
    SubmitStep.CONFIRM: Transition(
        views.summary,
        buttons={
            SubmitAction.SEND: confirmed,
            SubmitAction.EDIT: chose_edit,
            SubmitAction.PUBLICATION: chose_publication_step,
        },
    ),
    SubmitStep.PUBLICATION: Transition(
        views.ask_publication, SubmitStep.CONFIRM, buttons={SubmitAction.PUBLICATION_SET: chose_publication}
    ),
    SubmitStep.EDIT_CHOICE: Transition(
        views.ask_field_to_edit, buttons={SubmitAction.EDIT_FIELD: chose_field_to_edit}
    ),
}
