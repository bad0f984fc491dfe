"""What the citizen sees during the submit conversation: each step's question, its buttons, the summary.

Pure rendering: a `SubmitScreen` (signer, directory, settings, language) and the draft in, messages out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from html import escape

from bot.callbacks import CallbackSigner
from bot.settings import Settings
from bot.texts import text
from bot.views.buttons import SubmitAction, SubmitPress
from bot.views.dates import format_datetime
from bot.views.render import category_name, kind_label
from models.directory import Directory
from models.drafts import EDITABLE_STEPS, SubmitDraft
from models.outbox import Button, Message
from models.tables import SenderType

CATEGORIES_PER_PAGE = 6
SUMMARY_TEXT_CHARS = 1500  # what the summary shows of a long description


@dataclass(frozen=True)
class SubmitScreen:
    """What every prompt of the submit conversation is drawn with."""

    signer: CallbackSigner
    directory: Directory
    settings: Settings
    language: str

    def say(self, key: str, /, **values: object) -> str:
        """Return a catalogue text in the citizen's language."""
        return text(self.language, key, **values)

    def button(self, key: str, action: SubmitAction, value: str = "", *, page: int = 0) -> Button:
        """Return a signed inline button labelled with a catalogue text."""
        return self.button_labelled(self.say(key), action, value, page=page)

    def button_labelled(self, label: str, action: SubmitAction, value: str = "", *, page: int = 0) -> Button:
        """Return a signed inline button with a label of its own (a category, a locality)."""
        return Button(label=label, callback_data=self.signer.pack(SubmitPress(action, value, page)))


def rate_limited(screen: SubmitScreen, free_at: datetime, *, has_draft: bool) -> Message:
    """Say from when the citizen may submit again (and that an unfinished draft is kept)."""
    notice = screen.say(
        "submit.rate_limited",
        limit=screen.settings.submissions_per_hour,
        at=format_datetime(free_at, screen.language),
    )
    if has_draft:
        notice += "\n\n" + screen.say("submit.rate_limited_draft_kept")
    return Message(notice)


def ask_kind(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask: feedback or petition."""
    return [
        Message(
            screen.say("submit.ask_kind"),
            buttons=[
                [screen.button("kind.feedback.hint", SubmitAction.KIND, "feedback")],
                [screen.button("kind.petition.hint", SubmitAction.KIND, "petition")],
                [screen.button("submit.cancel_button", SubmitAction.CANCEL)],
            ],
            remove_keyboard=True,
        )
    ]


def ask_sender(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask: an individual or a business."""
    return [
        Message(
            screen.say("submit.ask_sender"),
            buttons=[
                [
                    screen.button("sender.individual", SubmitAction.SENDER, "individual"),
                    screen.button("sender.business", SubmitAction.SENDER, "business"),
                ]
            ],
        )
    ]


def ask_business_name(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask for the business's name (optional)."""
    return [
        Message(
            screen.say("submit.ask_business_name"),
            buttons=[[screen.button("submit.skip_button", SubmitAction.SKIP)]],
        )
    ]


def ask_tax_code(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask for the business's tax code (optional)."""
    return [
        Message(
            screen.say("submit.ask_tax_code"),
            buttons=[[screen.button("submit.skip_button", SubmitAction.SKIP)]],
        )
    ]


def bad_tax_code(screen: SubmitScreen) -> Message:
    """Say the tax code is not one, offering to skip it."""
    return Message(
        screen.say("submit.bad_tax_code"), buttons=[[screen.button("submit.skip_button", SubmitAction.SKIP)]]
    )


def ask_category(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Show the page of categories the citizen is at."""
    return [category_page(screen, draft.category_page)]


def category_page(screen: SubmitScreen, page: int) -> Message:
    """Return one page of category buttons with paging arrows."""
    categories = screen.directory.categories
    pages = max(1, math.ceil(len(categories) / CATEGORIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = categories[page * CATEGORIES_PER_PAGE : (page + 1) * CATEGORIES_PER_PAGE]
    rows = [
        [screen.button_labelled(category.display_name(screen.language), SubmitAction.CATEGORY, category.code)]
        for category in shown
    ]
    arrows = []
    if page > 0:
        arrows.append(screen.button("paging.previous", SubmitAction.CATEGORY_PAGE, page=page - 1))
    if page < pages - 1:
        arrows.append(screen.button("paging.next", SubmitAction.CATEGORY_PAGE, page=page + 1))
    if arrows:
        rows.append(arrows)
    return Message(
        screen.say("submit.ask_category", page=page + 1, pages=pages), buttons=rows, remove_keyboard=False
    )


def ask_locality(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask where it is: a name to search, a shared location, or "unknown"."""
    example = screen.directory.example_locality_query()
    example_text = screen.say("submit.locality_example", example=escape(example)) if example else ""
    return [
        Message(
            screen.say("submit.ask_locality", example=example_text),
            reply_keyboard=[
                [{"text": screen.say("submit.share_location_button"), "request_location": True}],
                [{"text": screen.say("submit.locality_unknown_button")}],
            ],
        )
    ]


def location_received(screen: SubmitScreen) -> Message:
    """Thank for the location and offer "unknown" for the locality name."""
    return Message(
        screen.say("submit.location_received"),
        reply_keyboard=[[{"text": screen.say("submit.locality_unknown_button")}]],
    )


def locality_choices(screen: SubmitScreen, prompt: str, localities: list[tuple[str, str]]) -> Message:
    """Offer the localities found for a search, as (code, full name) pairs."""
    return Message(
        prompt,
        buttons=[[screen.button_labelled(name, SubmitAction.LOCALITY, code)] for code, name in localities],
    )


def ask_description(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask for the description, with its length limits."""
    settings = screen.settings
    return [
        Message(
            screen.say(
                "submit.ask_description",
                minimum=settings.description_min_chars,
                maximum=settings.description_max_chars,
            ),
            remove_keyboard=True,
        )
    ]


def description_collecting(screen: SubmitScreen, *, parts: int, length: int) -> Message:
    """Say how much of a long description has arrived, with "Xong" to close it."""
    return Message(
        screen.say(
            "submit.description_collecting",
            parts=parts,
            length=length,
            maximum=screen.settings.description_max_chars,
        ),
        buttons=[[screen.button("submit.description_done_button", SubmitAction.DESCRIPTION_DONE)]],
    )


def ask_attachments(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask for photos, files or a location (optional)."""
    return [
        Message(
            screen.say("submit.ask_attachments", maximum=screen.settings.max_attachments),
            buttons=[
                [
                    screen.button("submit.done_button", SubmitAction.ATTACHMENTS_DONE),
                    screen.button("submit.skip_button", SubmitAction.ATTACHMENTS_DONE),
                ]
            ],
        )
    ]


def attachment_added(screen: SubmitScreen, count: int) -> Message:
    """Count the attachments received so far."""
    return Message(
        screen.say("submit.attachment_added", count=count, maximum=screen.settings.max_attachments),
        buttons=[[screen.button("submit.done_button", SubmitAction.ATTACHMENTS_DONE)]],
    )


def ask_contact(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask for the citizen's own phone number, with the consent wording (optional)."""
    return [
        Message(
            screen.say("submit.ask_contact", consent=screen.say("submit.consent_wording")),
            reply_keyboard=[
                [{"text": screen.say("submit.share_contact_button"), "request_contact": True}],
                [{"text": screen.say("submit.skip_button")}],
            ],
        )
    ]


def ask_publication(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask, in one clear sentence, whether the item and its answer may be published anonymised."""
    return [
        Message(
            screen.say("submit.ask_publication"),
            buttons=[
                [screen.button("submit.publication_agree_button", SubmitAction.PUBLICATION_SET, "yes")],
                [screen.button("submit.publication_refuse_button", SubmitAction.PUBLICATION_SET, "no")],
            ],
        )
    ]


def ask_field_to_edit(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Ask which part of the summary to change."""
    return [
        Message(
            screen.say("submit.edit_what"),
            buttons=[
                [
                    screen.button(f"submit.edit_{step.value}", SubmitAction.EDIT_FIELD, step.value)
                    for step in EDITABLE_STEPS[index : index + 3]
                ]
                for index in (0, 3)
            ],
        )
    ]


def summary(screen: SubmitScreen, draft: SubmitDraft) -> list[Message]:
    """Show the summary with Send / Edit / Cancel and the publication choice."""
    directory = screen.directory
    not_given = screen.say("submit.not_given")
    if draft.sender_type is SenderType.BUSINESS:
        sender = screen.say("sender.business")
        if draft.business_name:
            sender += f" – {escape(draft.business_name)}"
        if draft.business_tax_code:
            sender += f" (MST {escape(draft.business_tax_code)})"
    else:
        sender = screen.say("sender.individual")
    locality = directory.localities_by_code.get(draft.locality_code or "")
    if locality is not None:
        locality_text = locality.full_name
    elif draft.latitude is not None:
        locality_text = screen.say("submit.location_only")
    else:
        locality_text = screen.say("submit.locality_unknown")
    description = draft.text or ""
    shown = description if len(description) <= SUMMARY_TEXT_CHARS else description[:SUMMARY_TEXT_CHARS] + "…"
    body = screen.say(
        "submit.summary",
        kind=kind_label(draft.kind, screen.language),
        sender=sender,
        category=escape(category_name(directory, draft.category_code or "", screen.language)),
        locality=escape(locality_text),
        text=escape(shown),
        attachments=len(draft.attachments) or not_given,
        contact=escape(draft.contact_phone) if draft.contact_phone else not_given,
    )
    choice = "submit.publication_yes" if draft.is_publication_allowed else "submit.publication_no"
    body += screen.say("submit.publication_line", choice=screen.say(choice))
    return [
        Message(
            body,
            buttons=[
                [
                    screen.button("submit.confirm_button", SubmitAction.SEND),
                    screen.button("submit.edit_button", SubmitAction.EDIT),
                    screen.button("submit.cancel_button", SubmitAction.CANCEL),
                ],
                [screen.button("submit.publication_button", SubmitAction.PUBLICATION)],
            ],
        )
    ]
