"""People and helpers for the officer, dispute and follow-up tests: who sits in which group."""

from __future__ import annotations

from typing import Any

# The groups are re-exported: many tests import them from here.
from tests.constants import NNMT_GROUP, PDP_GROUP, SUPERVISORS_GROUP, TC_GROUP, TRIAGE_GROUP, XD_GROUP  # noqa: F401
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.updates import TgUser

OFFICER_XD = TgUser(id=8101, first_name="Hùng", last_name="Trần")
OTHER_OFFICER_XD = TgUser(id=8102, first_name="Mai", last_name="Lê")
OFFICER_NNMT = TgUser(id=8201, first_name="Tuấn", last_name="Phạm")
OFFICER_PDP = TgUser(id=8401, first_name="Thảo", last_name="Võ")
OFFICER_VP = TgUser(id=8301, first_name="Hà", last_name="Đỗ")
SUPERVISOR = TgUser(id=8901, first_name="Bình", last_name="Hoàng")
OUTSIDER = TgUser(id=8999, first_name="Khách")

ANSWER_TEXT = (
    "Sở Xây dựng đã cử cán bộ kiểm tra hiện trường ngày 08/12/2026 và yêu cầu đơn vị thi công "
    "vá lại mặt đường trước ngày 15/12/2026."
)


def seat_everyone(harness: Harness) -> None:
    """Make each officer a member of their own agency's group, and the supervisor of theirs."""
    fake = harness.fake
    fake.set_member(XD_GROUP, OFFICER_XD.id)
    fake.set_member(XD_GROUP, OTHER_OFFICER_XD.id)
    fake.set_member(NNMT_GROUP, OFFICER_NNMT.id)
    fake.set_member(PDP_GROUP, OFFICER_PDP.id)
    fake.set_member(TRIAGE_GROUP, OFFICER_VP.id)
    fake.set_member(SUPERVISORS_GROUP, SUPERVISOR.id)


async def submit_road_item(harness: Harness, citizen: TgUser = CITIZEN) -> str:
    """Submit a road item (it goes to the Department of Construction) and return its code."""
    code = await submit_item(harness, citizen, category="Giao thông")
    assert code is not None
    return code


def card_of(harness: Harness, chat_id: int, code: str) -> dict[str, Any]:
    """Return the newest item card for a code in a group, as it reads now."""
    for message in reversed(harness.bot_messages(chat_id)):
        if code in message.get("text", "") and message.get("text", "").startswith(
            ("🆕", "🤝 XIN", "🤝 CONSULT")
        ):
            return message
    raise AssertionError(f"no card for {code} in {chat_id}")


def buttons_of(message: dict[str, Any]) -> list[str]:
    """Return the labels of a message's inline buttons."""
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button["text"] for row in keyboard for button in row]


async def press_on(harness: Harness, user: TgUser, message: dict[str, Any], label: str) -> None:
    """Press a button with that label on one given message."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
        for button in row:
            if label.lower() in button["text"].lower():
                await harness.feed(
                    harness.updates.callback(
                        user, chat_id=message["chat"]["id"], message=message, data=button["callback_data"]
                    )
                )
                return
    raise AssertionError(f"no button {label!r} on message {message.get('text', '')[:80]!r}")


async def reply_in_group(harness: Harness, user: TgUser, message: dict[str, Any], text: str) -> None:
    """Reply to a bot message in a group, as a user."""
    await harness.say_in_group(message["chat"]["id"], user, text, reply_to=message)


def last_bot_message(harness: Harness, chat_id: int) -> dict[str, Any]:
    """Return the bot's newest message in a chat."""
    return harness.bot_messages(chat_id)[-1]


def alerts(harness: Harness) -> list[str]:
    """Return the texts of every callback answer the bot gave, in order."""
    return [str(call.params.get("text") or "") for call in harness.fake.sent(method="answerCallbackQuery")]


async def claim(harness: Harness, code: str, officer: TgUser = OFFICER_XD, chat_id: int = XD_GROUP) -> None:
    """Press "Nhận xử lý" on an item's card."""
    await press_on(harness, officer, card_of(harness, chat_id, code), "Nhận xử lý")


async def start_prompt(
    harness: Harness, code: str, label: str, officer: TgUser = OFFICER_XD, chat_id: int = XD_GROUP
) -> dict[str, Any]:
    """Press a card button that opens a prompt, and return the prompt."""
    await press_on(harness, officer, card_of(harness, chat_id, code), label)
    return last_bot_message(harness, chat_id)


async def choose_agency(
    harness: Harness,
    code: str,
    card_label: str,
    agency_label: str,
    officer: TgUser = OFFICER_XD,
    chat_id: int = XD_GROUP,
) -> dict[str, Any]:
    """Open the agency chooser from a card, pick an agency, and return the reason/question prompt."""
    chooser = await start_prompt(harness, code, card_label, officer, chat_id)
    await press_on(harness, officer, chooser, agency_label)
    return last_bot_message(harness, chat_id)


async def transfer_item(
    harness: Harness,
    code: str,
    agency_label: str,
    reason: str = "Nội dung thuộc thẩm quyền quản lý của cơ quan khác.",
    officer: TgUser = OFFICER_XD,
    chat_id: int = XD_GROUP,
) -> None:
    """Transfer an item from its card: choose the agency, then give the reason."""
    prompt = await choose_agency(harness, code, "Không thuộc thẩm quyền", agency_label, officer, chat_id)
    await reply_in_group(harness, officer, prompt, reason)


async def answer_item(
    harness: Harness,
    code: str,
    text: str = ANSWER_TEXT,
    officer: TgUser = OFFICER_XD,
    chat_id: int = XD_GROUP,
) -> dict[str, Any]:
    """Reply to the card with an answer and confirm the preview; return the preview as it reads after."""
    await reply_in_group(harness, officer, card_of(harness, chat_id, code), text)
    preview = last_bot_message(harness, chat_id)
    await press_on(harness, officer, preview, "Gửi trả lời")
    return harness.fake.message_dict(chat_id, preview["message_id"])
