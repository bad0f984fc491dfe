"""Hypothesis-generated updates, well-formed and not: the bot never crashes and outsiders change nothing."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.webhook import MalformedUpdate, parse_update
from models.inbox_queue import store_update
from models.tables import AgencyChat, BindCode, InboxUpdate, Item, ItemEvent, RoutingRule
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness

GROUPS = [-1001000, -1002000, -1003000, -1009000, -100777]
COMMANDS = [
    "/start",
    "/new",
    "/cancel",
    "/status",
    "/my",
    "/mydata",
    "/bind",
    "/agency",
    "/history",
    "/overdue",
    "/add",
]
JUNK_IDS_FROM = 2**32  # junk shapes get ids of their own, to tell their failures apart
OUTSIDERS = st.integers(min_value=900_000, max_value=999_999)  # never members of any agency group


def user_json(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Người lạ"}


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    """A text, often a command with junk arguments (the entity marks it as a command, as Telegram does)."""
    body = draw(st.text(max_size=80))
    if draw(st.booleans()):
        command = draw(st.sampled_from(COMMANDS))
        text = f"{command} {body}".strip()
        return text, [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return body, []


@st.composite
def messages(draw: st.DrawFn, sender_id: int) -> dict[str, Any]:
    """A message in the sender's private chat or in a group, with text, a sticker, a contact or nothing."""
    chat = (
        {"id": sender_id, "type": "private", "first_name": "Người lạ"}
        if draw(st.booleans())
        else {"id": draw(st.sampled_from(GROUPS)), "type": "supergroup", "title": "Nhóm"}
    )
    message: dict[str, Any] = {
        "message_id": draw(st.integers(1, 10_000)),
        "date": 1_765_000_000,
        "chat": chat,
        "from": user_json(sender_id),
    }
    content = draw(st.sampled_from(["text", "sticker", "contact", "location", "empty", "reply"]))
    if content in ("text", "reply"):
        message["text"], entities = draw(texts())
        if entities:
            message["entities"] = entities
        if content == "reply":
            message["reply_to_message"] = {
                "message_id": draw(st.integers(1, 50)),
                "date": 1_765_000_000,
                "chat": chat,
                "from": {
                    "id": 123456,
                    "is_bot": True,
                    "first_name": "PAKN Test Bot",
                    "username": "pakn_test_bot",
                },
                "text": "thẻ hồ sơ",
            }
    elif content == "sticker":
        message["sticker"] = {
            "file_id": "S1",
            "file_unique_id": "S1u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    elif content == "contact":
        message["contact"] = {
            "phone_number": draw(st.from_regex(r"\+?[0-9]{6,12}", fullmatch=True)),
            "first_name": "X",
            "user_id": draw(OUTSIDERS),
        }
    elif content == "location":
        message["location"] = {"latitude": draw(st.floats(-90, 90)), "longitude": draw(st.floats(-180, 180))}
    return message


@st.composite
def updates(draw: st.DrawFn, card_messages: list[dict[str, Any]], button_data: list[str]) -> dict[str, Any]:
    """A whole update from an outsider: messages, edits, forged or replayed button presses, junk shapes."""
    sender_id = draw(OUTSIDERS)
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query", "my_chat_member", "junk"]))
    update: dict[str, Any] = {"update_id": draw(st.integers(10_000, 2**31))}
    if kind in ("message", "edited_message"):
        message = draw(messages(sender_id))
        if kind == "edited_message":
            message["edit_date"] = 1_765_000_100
        update[kind] = message
    elif kind == "callback_query":
        data = draw(
            st.one_of(
                st.sampled_from(button_data),  # a real button, pressed by someone who may not press it
                st.text(max_size=64),
                st.builds(
                    lambda real, tail: real[: -len(tail) or None] + tail,
                    st.sampled_from(button_data),
                    st.text(min_size=1, max_size=4),
                ),
            )
        )
        update["callback_query"] = {
            "id": str(draw(st.integers(1, 10**9))),
            "from": user_json(sender_id),
            "chat_instance": "1",
            "data": data,
            "message": draw(st.sampled_from(card_messages)),
        }
    elif kind == "my_chat_member":
        group = draw(st.sampled_from(GROUPS))
        status = draw(st.sampled_from(["member", "administrator", "left", "kicked"]))
        update["my_chat_member"] = {
            "chat": {"id": group, "type": "supergroup", "title": "Nhóm"},
            "from": user_json(sender_id),
            "date": 1_765_000_000,
            "old_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "Bot"},
                "status": "left",
            },
            "new_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "Bot"},
                "status": status,
                **({"until_date": 0} if status == "kicked" else {}),
            },
        }
    else:
        junk = st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda children: (
                st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
            ),
            max_leaves=8,
        )
        update["update_id"] = draw(st.integers(JUNK_IDS_FROM, 2 * JUNK_IDS_FROM))
        update[
            draw(st.sampled_from(["message", "callback_query", "edited_message", "poll", "chat_member"]))
        ] = draw(junk)
    return update


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """Draw `count` examples reproducibly (the async harness cannot live inside @given)."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def draw(example: Any) -> None:
        found.append(example)

    draw()
    return found


async def snapshot(harness: Harness) -> list[str]:
    """Everything an outsider must not be able to change, as comparable text."""
    rows: list[str] = []
    async with harness.session() as session:
        for table in (Item, ItemEvent, AgencyChat, BindCode, RoutingRule):
            for row in (await session.exec(select(table))).all():
                if isinstance(row, ItemEvent) and row.action == "refused":
                    continue  # refusals are audited on purpose; they change nothing else
                rows.append(json.dumps(row.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))
    return sorted(rows)


async def test_generated_updates_never_crash_the_bot_and_outsiders_change_nothing(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    cards = [message for message in harness.bot_messages(-1003000) if code in (message.get("text") or "")]
    citizen_messages = harness.bot_messages(CITIZEN.id)
    buttons = [
        button["callback_data"]
        for message in cards + citizen_messages
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]
    assert buttons
    before = await snapshot(harness)
    generated = collect(updates(cards + citizen_messages[-3:], buttons), 150)
    for update in generated:
        async with harness.session() as session:  # as the intake stores it, whatever its shape
            await store_update(session, update, harness.clock.now())
        await harness.runtime.inbox.process_pending()  # raises if anything escapes the inbox
        await harness.deliver()
    await harness.deliver_everything()
    assert await snapshot(harness) == before
    async with harness.session() as session:
        failed = [row for row in (await session.exec(select(InboxUpdate))).all() if row.last_error]
    # Junk shapes may fail to parse (they are dead-lettered after three tries); nothing well-formed fails.
    assert [row.update_id for row in failed if row.update_id < JUNK_IDS_FROM] == []
    item = await harness.item(code)
    assert item.state.value == "received" and item.claimed_by_telegram_user_id is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_webhook_body_parser_accepts_only_updates(body: bytes) -> None:
    try:
        payload = parse_update(body)
    except MalformedUpdate:
        return
    assert isinstance(payload, dict) and isinstance(payload["update_id"], int)
