"""The buttons and keyboards of a queued message, as python-telegram-bot markup for its Bot API call."""

from __future__ import annotations

from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)


def inline_markup(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """Return the payload's inline buttons (callback or link) as Telegram markup, or None."""
    rows = payload.get("buttons") or []
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(button["label"], url=button["url"])
                if button.get("url")
                else InlineKeyboardButton(button["label"], callback_data=button["callback_data"])
                for button in row
            ]
            for row in rows
        ]
    )


def reply_markup(
    payload: dict[str, Any],
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None:
    """Return the payload's markup: inline buttons, a reply keyboard, its removal, or a forced reply."""
    if payload.get("buttons"):
        return inline_markup(payload)
    if payload.get("reply_keyboard"):
        return ReplyKeyboardMarkup(
            [
                [
                    KeyboardButton(
                        button["text"],
                        request_contact=button.get("request_contact") or None,
                        request_location=button.get("request_location") or None,
                    )
                    for button in row
                ]
                for row in payload["reply_keyboard"]
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if payload.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    if payload.get("force_reply"):
        return ForceReply(selective=True)
    return None
