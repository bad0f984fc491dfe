"""Tests of the fake Bot API server and the update builders, driven through real python-telegram-bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyParameters,
    TelegramObject,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)
from telegram.request import HTTPXRequest

from models.clock import ManualClock
from tests.fake_telegram import FakeTelegram
from tests.updates import TgUser, UpdateFactory

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"  # raised inside PTB's RetryAfter
)

USER = TgUser(id=501, first_name="Lan", last_name="Nguyễn", username="lan_ng")
OTHER = TgUser(id=502, first_name="Minh")
GROUP_ID = -1001234567890


@pytest_asyncio.fixture
async def fake(clock: ManualClock) -> AsyncIterator[FakeTelegram]:
    """Run a FakeTelegram server for one test, on the test's clock."""
    server = FakeTelegram(clock=clock)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """Return an initialized telegram.Bot talking to the fake."""
    client = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
    async with client:
        yield client


def _seconds(value: int | float | dt.timedelta) -> float:
    """Return a PTB time period (int or timedelta depending on PTB_TIMEDELTA) in seconds."""
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _retry_after_seconds(error: RetryAfter) -> float:
    """Return RetryAfter.retry_after in seconds without PTB's deprecation noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _seconds(error.retry_after)


# ----- sending -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_bot_initialize_calls_get_me(fake: FakeTelegram, bot: Bot) -> None:
    """Bot.initialize() performs getMe and learns the fake bot's identity."""
    assert bot.username == "pakn_test_bot"
    assert bot.id == 123456
    assert [call.method for call in fake.calls] == ["getMe"]


@pytest.mark.asyncio
async def test_send_message_returns_message(fake: FakeTelegram, bot: Bot) -> None:
    """send_message returns a Message echoing the text with per-chat increasing ids."""
    first = await bot.send_message(USER.id, "Xin chào")
    second = await bot.send_message(USER.id, "Lần hai")
    in_group = await bot.send_message(GROUP_ID, "Nhóm")
    assert (first.message_id, second.message_id, in_group.message_id) == (1, 2, 1)
    assert first.text == "Xin chào"
    assert first.chat.id == USER.id and first.chat.type == "private"
    assert in_group.chat.type == "supergroup"
    assert first.from_user is not None and first.from_user.is_bot
    assert fake.texts(USER.id) == ["Xin chào", "Lần hai"]
    assert fake.texts(GROUP_ID) == ["Nhóm"]
    call = fake.sent(USER.id, "sendMessage")[0]
    assert call.params["chat_id"] == USER.id
    assert call.result["text"] == "Xin chào"
    assert fake.message_dict(USER.id, 2)["text"] == "Lần hai"


@pytest.mark.asyncio
async def test_reply_markup_recorded_and_inline_keyboard_echoed(fake: FakeTelegram, bot: Bot) -> None:
    """reply_markup arrives decoded; only inline keyboards are part of the returned Message."""
    inline = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="ok:1")]])
    message = await bot.send_message(USER.id, "Chọn", reply_markup=inline)
    assert fake.calls[-1].params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Đồng ý", "callback_data": "ok:1"}]]
    }
    assert message.reply_markup == inline
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Gửi số điện thoại", request_contact=True)]])
    plain = await bot.send_message(USER.id, "Chia sẻ", reply_markup=keyboard)
    assert fake.calls[-1].params["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert plain.reply_markup is None


@pytest.mark.asyncio
async def test_reply_to_known_message_gets_stub(fake: FakeTelegram, bot: Bot) -> None:
    """Replies to a known message carry reply_to_message; unknown targets are left out."""
    original = await bot.send_message(USER.id, "Gốc")
    reply = await bot.send_message(USER.id, "Trả lời", reply_parameters=ReplyParameters(original.message_id))
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Gốc"
    assert fake.calls[-1].params["reply_parameters"] == {"message_id": original.message_id}
    orphan = await bot.send_message(USER.id, "Không rõ", reply_to_message_id=999)
    assert orphan.reply_to_message is None


@pytest.mark.asyncio
async def test_pushed_user_message_can_be_replied_to(fake: FakeTelegram, bot: Bot) -> None:
    """Messages seen in pushed updates are known to the fake and share the chat's id sequence."""
    update = UpdateFactory(start_message_id=7).private_text(USER, "Đường hỏng")
    fake.push_update(update)
    reply = await bot.send_message(USER.id, "Đã nhận", reply_to_message_id=7)
    assert reply.message_id == 8
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "Đường hỏng"
    assert reply.chat.first_name == "Lan"


@pytest.mark.asyncio
async def test_html_parse_mode(fake: FakeTelegram, bot: Bot) -> None:
    """parse_mode text is rendered like Telegram does: tags stripped, UTF-16 entities, strict errors."""
    message = await bot.send_message(USER.id, "<b>Mã</b> 😀 <i>A&amp;B</i>", parse_mode="HTML")
    assert message.text == "Mã 😀 A&B"
    assert message.entities == (
        MessageEntity(MessageEntity.BOLD, 0, 2),
        MessageEntity(MessageEntity.ITALIC, 6, 3),
    )
    assert fake.texts(USER.id) == ["Mã 😀 A&B"]
    assert fake.texts(USER.id, raw=True) == ["<b>Mã</b> 😀 <i>A&amp;B</i>"]
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER.id, "<b>chưa đóng", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await bot.send_message(USER.id, "1 < 2 <x>", parse_mode="HTML")
    assert [call.outcome for call in fake.calls[-3:]] == ["ok", "400", "400"]


@pytest.mark.asyncio
async def test_telegram_limits_are_enforced(bot: Bot) -> None:
    """Empty texts, over-long texts and over-long callback_data fail like on Telegram."""
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER.id, "   ")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER.id, "x" * 4097)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER.id, "ok", reply_markup=too_long)
    assert (await bot.send_message(USER.id, "x" * 4096)).text == "x" * 4096
    assert (await bot.send_message(USER.id, "  \n cắt khoảng trắng \n")).text == "cắt khoảng trắng"


# ----- faults --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_surfaces_as_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    """An injected 429 is raised by PTB as RetryAfter carrying retry_after."""
    fake.inject_faults(rate_429=1.0, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER.id, "Nhiều quá")
    assert _retry_after_seconds(caught.value) == 3
    assert fake.calls[-1].outcome == "429"
    assert fake.sent(USER.id) == []
    assert fake.texts(USER.id) == []


@pytest.mark.asyncio
async def test_enforce_retry_after_flags_early_retries(
    fake: FakeTelegram, bot: Bot, clock: ManualClock
) -> None:
    """Retrying before retry_after elapsed is answered with 429 and recorded as a violation."""
    fake.enforce_retry_after()
    fake.inject_faults(rate_429=1.0, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(USER.id, "1")
    fake.inject_faults()
    with pytest.raises(RetryAfter):
        await bot.send_message(USER.id, "2")
    assert fake.calls[-1].outcome == "429_violation"
    other = await bot.send_message(OTHER.id, "chat khác không bị chặn")
    assert other.text
    clock.advance(dt.timedelta(seconds=0.9))
    with pytest.raises(RetryAfter):
        await bot.send_message(USER.id, "2 bis")
    clock.advance(dt.timedelta(seconds=0.15))
    assert (await bot.send_message(USER.id, "3")).text == "3"
    assert [c.outcome for c in fake.calls if c.params.get("chat_id") == USER.id] == [
        "429",
        "429_violation",
        "429_violation",
        "ok",
    ]


@pytest.mark.asyncio
async def test_blocked_user_raises_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    """Sends to a user who blocked the bot raise Forbidden; other chats still work."""
    fake.block_user(USER.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER.id, "Xin chào")
    assert fake.calls[-1].outcome == "403"
    assert (await bot.send_message(OTHER.id, "ok")).text == "ok"
    fake.unblock_user(USER.id)
    assert (await bot.send_message(USER.id, "lại")).text == "lại"


@pytest.mark.asyncio
async def test_bot_removed_from_group_raises_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    """Once the bot left the group (or was kicked) sends to it raise Forbidden."""
    fake.set_member(GROUP_ID, fake.bot_user_id, "left")
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await bot.send_message(GROUP_ID, "còn đó không")
    fake.set_member(GROUP_ID, fake.bot_user_id, "kicked")
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP_ID, "còn đó không")


@pytest.mark.asyncio
async def test_migrated_group_raises_chat_migrated(fake: FakeTelegram, bot: Bot) -> None:
    """A migrated group answers with migrate_to_chat_id, raised as ChatMigrated."""
    fake.migrate_chat(-4001, GROUP_ID)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4001, "Nhóm cũ")
    assert caught.value.new_chat_id == GROUP_ID
    assert fake.calls[-1].outcome == "migrate"
    moved = await bot.send_message(GROUP_ID, "Nhóm mới")
    assert moved.chat.type == "supergroup"


@pytest.mark.asyncio
async def test_500_surfaces_as_network_error(fake: FakeTelegram, bot: Bot) -> None:
    """An injected 500 is raised as a plain NetworkError."""
    fake.inject_faults(rate_500=1.0)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(USER.id, "x")
    assert not isinstance(caught.value, TimedOut | BadRequest)
    assert fake.calls[-1].outcome == "500"


@pytest.mark.asyncio
async def test_faults_are_seeded_and_limited_to_methods(fake: FakeTelegram, bot: Bot) -> None:
    """The same seed yields the same fault sequence; methods outside the set never fail."""

    async def outcomes(seed: int) -> list[str]:
        fake.clear()
        fake.clear_faults()
        fake.inject_faults(rate_429=0.3, rate_500=0.3, seed=seed, methods={"sendMessage"})
        for n in range(20):
            await bot.get_chat_member(GROUP_ID, OTHER.id)
            with contextlib.suppress(RetryAfter, NetworkError):
                await bot.send_message(USER.id + n, f"#{n}")
        assert {c.outcome for c in fake.calls if c.method == "getChatMember"} == {"ok"}
        return [c.outcome for c in fake.calls if c.method == "sendMessage"]

    first = await outcomes(7)
    assert first == await outcomes(7)
    assert {"ok", "429", "500"} <= set(first)
    assert first != await outcomes(8)


@pytest.mark.asyncio
async def test_timeout_fault_raises_timed_out_with_short_read_timeout(fake: FakeTelegram) -> None:
    """With read_timeout below the fault delay, PTB raises TimedOut and nothing is delivered."""
    fake.inject_faults(rate_timeout=1.0, timeout_delay=1.0)
    client = Bot(fake.token, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.2))
    async with client:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await client.send_message(USER.id, "chậm")
        assert time.monotonic() - started < 0.9
    assert [c.outcome for c in fake.calls if c.method == "sendMessage"] == ["timeout"]
    assert fake.texts(USER.id) == []


@pytest.mark.asyncio
async def test_timeout_fault_drops_connection_with_long_read_timeout(fake: FakeTelegram, bot: Bot) -> None:
    """By default the fake closes the connection at once, unanswered: NetworkError."""
    fake.inject_faults(rate_timeout=1.0)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(USER.id, "đứt")
    assert not isinstance(caught.value, TimedOut)
    assert "disconnected" in str(caught.value).lower()  # no HTTP answer at all, not an error status
    assert fake.calls[-1].outcome == "timeout"


# ----- edits, deletes, callbacks ------------------------------------------------------------


@pytest.mark.asyncio
async def test_edits(fake: FakeTelegram, bot: Bot) -> None:
    """Edits update the stored message; unknown or unchanged edits fail like on Telegram."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xem", callback_data="view")]])
    sent = await bot.send_message(USER.id, "Bản nháp", reply_markup=keyboard)
    edited = await bot.edit_message_text("Bản cuối", chat_id=USER.id, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "Bản cuối" and edited.edit_date is not None
    assert edited.reply_markup is None  # editMessageText without reply_markup drops the keyboard
    assert fake.message_dict(USER.id, sent.message_id)["text"] == "Bản cuối"
    assert fake.texts(USER.id) == ["Bản nháp"]
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Bản cuối", chat_id=USER.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("?", chat_id=USER.id, message_id=404)
    marked = await bot.edit_message_text("Bản cuối", USER.id, sent.message_id, reply_markup=keyboard)
    assert not isinstance(marked, bool) and marked.reply_markup == keyboard


@pytest.mark.asyncio
async def test_callback_queries_are_answered_once(fake: FakeTelegram, bot: Bot) -> None:
    """answerCallbackQuery succeeds once per query id."""
    assert await bot.answer_callback_query("q-1", text="Đã ghi nhận")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("q-1")
    assert fake.sent(method="answerCallbackQuery")[0].params == {
        "callback_query_id": "q-1",
        "text": "Đã ghi nhận",
    }


# ----- chats and members ---------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("creator", ChatMemberOwner),
        ("administrator", ChatMemberAdministrator),
        ("member", ChatMemberMember),
        ("restricted", ChatMemberRestricted),
        ("left", ChatMemberLeft),
        ("kicked", ChatMemberBanned),
    ],
)
async def test_get_chat_member_statuses(fake: FakeTelegram, bot: Bot, status: str, expected: type) -> None:
    """getChatMember answers the status set with set_member as the matching ChatMember subclass."""
    fake.set_member(GROUP_ID, USER.id, status)
    member = await bot.get_chat_member(GROUP_ID, USER.id)
    assert type(member) is expected
    assert member.status == status
    assert member.user.id == USER.id


@pytest.mark.asyncio
async def test_unknown_member_is_left(fake: FakeTelegram, bot: Bot) -> None:
    """Users never added are "left"; the bot itself is a member."""
    assert isinstance(await bot.get_chat_member(GROUP_ID, OTHER.id), ChatMemberLeft)
    assert isinstance(await bot.get_chat_member(GROUP_ID, fake.bot_user_id), ChatMemberMember)


# ----- files and other sends -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_media_uploads_and_locations(fake: FakeTelegram, bot: Bot) -> None:
    """Uploaded files are recorded and get file ids; known file ids are sent again as they are."""
    photo = await bot.send_photo(USER.id, b"\x89PNG-bytes", caption="Ảnh hiện trường")
    assert fake.calls[-1].params["photo"]["size"] == len(b"\x89PNG-bytes")
    assert len(photo.photo) == 3 and photo.caption == "Ảnh hiện trường"
    assert photo.photo[-1].file_size == len(b"\x89PNG-bytes")
    document = await bot.send_document(USER.id, b"%PDF", filename="bien-ban.pdf")
    assert document.document is not None and document.document.file_name == "bien-ban.pdf"
    again = await bot.send_photo(GROUP_ID, "known-file-id", caption="Ảnh của dân")
    assert again.photo[-1].file_id == "known-file-id"
    location = await bot.send_location(USER.id, latitude=21.59, longitude=105.85)
    assert location.location is not None and location.location.latitude == pytest.approx(21.59)
    assert fake.texts(USER.id) == ["Ảnh hiện trường"]
    assert fake.texts(GROUP_ID) == ["Ảnh của dân"]


@pytest.mark.asyncio
async def test_my_commands(fake: FakeTelegram, bot: Bot) -> None:
    """setMyCommands stores commands per scope/language and rejects invalid names."""
    assert await bot.set_my_commands([("start", "Bắt đầu"), ("gui", "Gửi phản ánh")])
    [commands] = fake.my_commands.values()
    assert [c["command"] for c in commands] == ["start", "gui"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start", "Hoa")])


@pytest.mark.asyncio
async def test_max_messages_in_window(fake: FakeTelegram, bot: Bot, clock: ManualClock) -> None:
    """max_messages_in_window counts the densest burst of successful sends to a chat."""
    for n in range(5):
        await bot.send_message(USER.id, f"burst {n}")
    clock.advance(dt.timedelta(seconds=0.3))
    await bot.send_message(USER.id, "later")
    await bot.send_message(OTHER.id, "other chat")
    await bot.get_chat_member(GROUP_ID, USER.id)  # not a send
    assert fake.max_messages_in_window(USER.id, 0.25) == 5
    assert fake.max_messages_in_window(USER.id, 60) == 6
    assert fake.max_messages_in_window(None, 60) == 7
    assert fake.max_messages_in_window(-1, 60) == 0


# ----- updates, webhook, raw HTTP --------------------------------------------------------------


@pytest.mark.asyncio
async def test_get_updates_long_poll_and_offset(fake: FakeTelegram, bot: Bot) -> None:
    """getUpdates waits for a pushed update, wakes at once, and offset confirms it."""
    factory = UpdateFactory()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_until(lambda: fake.polls_waiting == 1)
    assert not poll.done()
    started = time.monotonic()
    fake.push_update(factory.private_command(USER, "start"))
    updates = await asyncio.wait_for(poll, timeout=2)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [1000]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [1000]
    assert fake.confirmed_update_ids == set()
    assert await bot.get_updates(offset=1001, timeout=0) == ()
    assert fake.confirmed_update_ids == {1000}
    for text in ("a", "b", "c"):
        fake.push_update(factory.private_text(USER, text))
    batch = await bot.get_updates(offset=1001, limit=2, timeout=0)
    assert [u.update_id for u in batch] == [1001, 1002]


@pytest.mark.asyncio
async def test_get_updates_times_out_empty(bot: Bot) -> None:
    """A long poll without updates returns an empty list after its timeout."""
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


@pytest.mark.asyncio
async def test_webhook_roundtrip(fake: FakeTelegram, bot: Bot) -> None:
    """setWebhook is recorded, blocks getUpdates with Conflict, and deleteWebhook clears it."""
    assert await bot.set_webhook("https://pakn.example.org/telegram", secret_token="s" * 20)
    assert fake.webhook is not None
    assert fake.webhook["url"] == "https://pakn.example.org/telegram"
    assert fake.webhook["secret_token"] == "s" * 20
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    fake.push_update(UpdateFactory().private_text(USER, "cũ"))
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert fake.webhook is None
    assert fake.confirmed_update_ids == {1000}
    assert await bot.get_updates(timeout=0) == ()


@pytest.mark.asyncio
async def test_unknown_method_and_token(fake: FakeTelegram) -> None:
    """Unknown methods answer 404 JSON like Telegram; a wrong token is InvalidToken in PTB."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}{fake.token}/frobnicate") as response,
    ):
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass
    assert fake.calls[-1].outcome == "401"


@pytest.mark.asyncio
async def test_json_and_form_bodies_decode_alike(fake: FakeTelegram) -> None:
    """JSON bodies and urlencoded forms (JSON-string objects) decode to the same params."""
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    url = f"{fake.base_url}{fake.token}/sendMessage"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"chat_id": "42", "text": "12", "reply_markup": markup}) as r1:
            assert (await r1.json())["result"]["text"] == "12"
        form = {"chat_id": "42", "text": "12", "reply_markup": json.dumps(markup)}
        async with session.post(url, data=form) as r2:
            assert (await r2.json())["result"]["message_id"] == 2
    first, second = fake.sent(42)
    assert first.params == second.params == {"chat_id": 42, "text": "12", "reply_markup": markup}


# ----- UpdateFactory --------------------------------------------------------------------------

_SAMPLE_BOT_MESSAGE: dict[str, Any] = {
    "message_id": 3,
    "from": {"id": 123456, "is_bot": True, "first_name": "PAKN Test Bot", "username": "pakn_test_bot"},
    "chat": {"id": USER.id, "type": "private", "first_name": USER.first_name},
    "date": 1_700_000_000,
    "text": "Chọn lĩnh vực",
    "reply_markup": {"inline_keyboard": [[{"text": "Môi trường", "callback_data": "cat:env"}]]},
}

_BUILDERS: dict[str, Callable[[UpdateFactory], dict[str, Any]]] = {
    "private_text": lambda f: f.private_text(USER, "Xin chào"),
    "private_text_reply": lambda f: f.private_text(USER, "Đây", reply_to=_SAMPLE_BOT_MESSAGE),
    "private_command": lambda f: f.private_command(USER, "start", "ref123"),
    "private_contact": lambda f: f.private_contact(USER, "+84912345678"),
    "private_contact_other": lambda f: f.private_contact(USER, "+84900000000", own=False),
    "private_location": lambda f: f.private_location(USER, 21.5942, 105.8482),
    "private_photo": lambda f: f.private_photo(USER, "photo-1", caption="Ổ gà"),
    "private_document": lambda f: f.private_document(USER, "doc-1", "don.pdf", 2048),
    "private_voice": lambda f: f.private_voice(USER),
    "private_video": lambda f: f.private_video(USER),
    "private_sticker": lambda f: f.private_sticker(USER),
    "group_text": lambda f: f.group_text(GROUP_ID, USER, "Đã xử lý", reply_to=_SAMPLE_BOT_MESSAGE),
    "group_command": lambda f: f.group_command(GROUP_ID, USER, "bind", "ABC123"),
    "group_command_mention": lambda f: f.group_command(-4001, USER, "bind", mention_bot=True),
    "callback": lambda f: f.callback(USER, chat_id=USER.id, message=_SAMPLE_BOT_MESSAGE, data="cat:env"),
    "edited_private_text": lambda f: f.edited_private_text(USER, "sửa"),
    "my_chat_member_added": lambda f: f.my_chat_member_added(GROUP_ID, USER),
    "my_chat_member_admin": lambda f: f.my_chat_member_added(-4001, USER, status="administrator"),
}


def _unknown_fields(value: object) -> list[str]:
    """Return fields PTB did not recognise (kept in api_kwargs) anywhere in a parsed object."""
    if isinstance(value, TelegramObject):
        found = [f"{type(value).__name__}.{key}" for key in value.api_kwargs]
        for child in value._get_attrs(recursive=False).values():
            found.extend(_unknown_fields(child))
        return found
    if isinstance(value, list | tuple):
        return [name for item in value for name in _unknown_fields(item)]
    return []


def _is_subset(expected: object, actual: object) -> bool:
    """Tell whether every key/value of expected survives in actual (PTB adds defaulted fields)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _is_subset(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_is_subset(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


@pytest.mark.parametrize("name", sorted(_BUILDERS))
def test_update_factory_output_parses(name: str) -> None:
    """Every UpdateFactory product parses with Update.de_json into the expected shape."""
    data = _BUILDERS[name](UpdateFactory())
    update = Update.de_json(data, Bot("123456:TEST"))
    assert update.update_id == 1000
    assert update.effective_user is not None and update.effective_user.id == USER.id
    assert update.effective_chat is not None
    assert _unknown_fields(update) == []
    assert _is_subset(data, update.to_dict())


def test_update_factory_content_details() -> None:
    """Builder outputs carry the fields handlers and filters rely on."""
    factory = UpdateFactory()
    bot = Bot("123456:TEST")
    command = Update.de_json(factory.private_command(USER, "start", "x"), bot)
    assert filters.COMMAND.check_update(command)
    assert command.message is not None and command.message.text == "/start x"
    mention = Update.de_json(factory.group_command(GROUP_ID, USER, "bind", "7", mention_bot=True), bot)
    assert mention.message is not None and mention.message.text == "/bind@pakn_test_bot 7"
    assert mention.message.entities[0].length == len("/bind@pakn_test_bot")
    contact = Update.de_json(factory.private_contact(USER, "+84912345678"), bot)
    assert contact.message is not None and contact.message.contact is not None
    assert contact.message.contact.user_id == USER.id
    other = Update.de_json(factory.private_contact(USER, "+84900000000", own=False), bot)
    assert other.message is not None and other.message.contact is not None
    assert other.message.contact.user_id is None
    photo = Update.de_json(factory.private_photo(USER, "big-id"), bot)
    assert photo.message is not None and photo.message.photo[-1].file_id == "big-id"
    assert filters.PHOTO.check_update(photo)
    reply = Update.de_json(factory.private_text(USER, "trả lời", reply_to=_SAMPLE_BOT_MESSAGE), bot)
    assert reply.message is not None and reply.message.reply_to_message is not None
    assert reply.message.reply_to_message.message_id == 3
    query = Update.de_json(
        factory.callback(USER, chat_id=USER.id, message=_SAMPLE_BOT_MESSAGE, data="d"), bot
    )
    assert query.callback_query is not None and query.callback_query.data == "d"
    assert query.callback_query.message is not None and query.callback_query.message.message_id == 3
    sent = factory.private_text(USER, "gốc")
    edited = Update.de_json(factory.edited_private_text(USER, "đã sửa"), bot)
    assert edited.edited_message is not None
    assert edited.edited_message.message_id == sent["message"]["message_id"]
    added = Update.de_json(factory.my_chat_member_added(GROUP_ID, USER), bot)
    assert added.my_chat_member is not None and added.my_chat_member.new_chat_member.status == "member"
    assert added.my_chat_member.chat.type == "supergroup"
    assert Update.de_json(factory.group_text(-4001, USER, "hi"), bot).effective_chat.type == "group"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        factory.callback(USER, chat_id=OTHER.id, message=_SAMPLE_BOT_MESSAGE, data="d")


def test_update_factories_count_independently() -> None:
    """Each factory has its own counters."""
    first, second = UpdateFactory(), UpdateFactory(start_update_id=5)
    assert first.private_text(USER, "a")["update_id"] == 1000
    assert first.private_text(USER, "b")["update_id"] == 1001
    assert second.private_text(USER, "c")["update_id"] == 5
    assert UpdateFactory().private_text(USER, "d")["message"]["message_id"] == 10_000


# ----- the real Application ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_application_polls_and_handles_updates(fake: FakeTelegram) -> None:
    """A real PTB Application polls the fake, answers a command and a button, and confirms updates."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Gửi phản ánh", callback_data="new")]])
        await update.effective_message.reply_text("Xin chào!", reply_markup=keyboard, do_quote=True)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Mời nhập nội dung")

    application = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    factory = UpdateFactory()
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=dt.timedelta(seconds=1))
        try:
            command = factory.private_command(USER, "start")
            fake.push_update(command)
            await fake.wait_until(lambda: fake.texts(USER.id) == ["Xin chào!"])
            reply = fake.sent(USER.id, "sendMessage")[0]
            assert reply.params["reply_parameters"]["message_id"] == command["message"]["message_id"]
            assert reply.result["reply_to_message"]["text"] == "/start"
            bot_message = fake.last_message(USER.id)
            fake.push_update(factory.callback(USER, chat_id=USER.id, message=bot_message, data="new"))
            await fake.wait_until(lambda: bool(fake.sent(method="editMessageText")))
        finally:
            await application.updater.stop()
            await application.stop()
    assert fake.message_dict(USER.id, bot_message["message_id"])["text"] == "Mời nhập nội dung"
    assert len(fake.sent(method="answerCallbackQuery")) == 1
    assert fake.confirmed_update_ids == {1000, 1001}
    assert fake.pending_updates == []
