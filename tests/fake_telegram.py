"""Offline fake of the Telegram Bot API: an aiohttp server on 127.0.0.1 recording calls, injecting faults.

It models the methods the bot calls, on the clock it is given (the harness gives it the test's).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from models.clock import Clock

JSONDict = dict[str, Any]

# Methods that create messages in a chat; these are "sends" for texts(), sent() rate helpers and faults.
SEND_METHODS: frozenset[str] = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendVideo",
        "sendAudio",
        "sendAnimation",
        "sendLocation",
    }
)
EDIT_METHODS: frozenset[str] = frozenset({"editMessageText"})
# Methods refused with 403 when the user blocked the bot (or the bot was removed from the group).
WRITE_METHODS: frozenset[str] = SEND_METHODS | EDIT_METHODS

MEMBER_STATUSES: frozenset[str] = frozenset(
    {"creator", "administrator", "member", "restricted", "left", "kicked"}
)
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)

# Parameters whose form value is a plain string and must never be JSON-decoded.
_STRING_PARAMS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "secret_token",
        "url",
        "ip_address",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "title",
        "description",
        "short_description",
        "parse_mode",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "action",
        "address",
        "performer",
        "language_code",
        "name",
        "photo",
        "document",
        "voice",
        "video",
        "audio",
        "animation",
        "sticker",
        "video_note",
        "thumbnail",
        "file_id",
        "custom_title",
        "query",
        "payload",
        "currency",
        "invite_link",
    }
)
_ID_PARAMS: frozenset[str] = frozenset({"chat_id", "from_chat_id", "user_id", "sender_chat_id"})
_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")

# The Bot API methods the bot calls; anything else is answered 404 "method not found", as for a typo.
_METHOD_NAMES: tuple[str, ...] = (
    "getMe",
    "setMyCommands",
    "setWebhook",
    "deleteWebhook",
    "getUpdates",
    "answerCallbackQuery",
    "getChatMember",
    *sorted(SEND_METHODS | EDIT_METHODS),
)
_METHODS_BY_LOWER: dict[str, str] = {name.lower(): name for name in _METHOD_NAMES}
# Media kinds: (field in the Message, MIME type when uploaded without one).
_MEDIA_KINDS: dict[str, str] = {
    "photo": "image/jpeg",
    "document": "application/octet-stream",
    "voice": "audio/ogg",
    "video": "video/mp4",
    "audio": "audio/mpeg",
    "animation": "video/mp4",
}


class TelegramApiError(Exception):
    """An error answer of the fake API, shaped like a real Bot API error."""

    def __init__(
        self, code: int, description: str, parameters: JSONDict | None = None, outcome: str | None = None
    ) -> None:
        """Store the HTTP/error code, description, response parameters and the recorded outcome."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.outcome = outcome or str(code)

    def payload(self) -> JSONDict:
        """Return the JSON body Telegram would send for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(description: str) -> TelegramApiError:
    """Build a 400 error with the "Bad Request: " prefix Telegram uses."""
    return TelegramApiError(400, f"Bad Request: {description}")


@dataclass
class RecordedCall:
    """One request the fake received, with decoded parameters and what it answered."""

    method: str
    params: dict[str, Any]
    at: float
    outcome: str
    result: Any
    messages: list[JSONDict] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Text formatting (parse_mode) as Telegram does it: markup stripped, entities in UTF-16 units.
# ---------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units (Telegram's entity unit)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    """Return the UTF-8 byte offset of a character index (Telegram's error position unit)."""
    return len(text[:index].encode("utf-8"))


def _parse_error(message: str) -> TelegramApiError:
    """Build the 400 "can't parse entities" error."""
    return _bad_request(f"can't parse entities: {message}")


class _Builder:
    """Accumulate plain text and entities while a markup parser walks its input."""

    def __init__(self) -> None:
        """Start with empty text."""
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSONDict] = []

    def emit(self, chunk: str) -> None:
        """Append plain text."""
        self.parts.append(chunk)
        self.pos += utf16_len(chunk)

    def add(self, entity: JSONDict | None, start: int) -> None:
        """Close an entity that started at UTF-16 offset start (empty ones are dropped)."""
        if entity is not None and self.pos > start:
            self.entities.append({**entity, "offset": start, "length": self.pos - start})

    def result(self) -> tuple[str, list[JSONDict]]:
        """Return the plain text and the entities sorted as Telegram sorts them."""
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _unescape_html(text: str) -> str:
    """Decode the HTML entities Telegram supports in attribute values."""
    return _HTML_ENTITY_RE.sub(lambda m: _decode_html_entity(m.group(1)), text)


def _decode_html_entity(name: str) -> str:
    """Decode one supported HTML entity name (without & and ;)."""
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED_ENTITIES[name]


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into plain text and entities, raising 400 errors like Telegram."""
    out = _Builder()
    stack: list[tuple[str, JSONDict | None, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "&":
            em = _HTML_ENTITY_RE.match(text, i)
            if em:
                out.emit(_decode_html_entity(em.group(1)))
                i = em.end()
                continue
        if ch != "<":
            out.emit(ch)
            i += 1
            continue
        tm = _TAG_RE.match(text, i)
        offset = _byte_offset(text, i)
        if tm is None:
            bad = re.match(r"</?([^\s<>]*)", text[i:])
            name = bad.group(1) if bad else ""
            raise _parse_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        closing, name = tm.group(1) == "/", tm.group(2).lower()
        i = tm.end()
        if closing:
            if not stack:
                raise _parse_error(f"Unexpected end tag at byte offset {offset}")
            open_name, entity, start = stack.pop()
            if open_name != name:
                raise _parse_error(
                    f'Unmatched end tag at byte offset {offset}, expected "</{open_name}>", found "</{name}>"'
                )
            if name == "code" and stack and stack[-1][0] == "pre":
                language = entity.get("language") if entity else None
                parent = stack[-1][1]
                if language and parent is not None:
                    parent["language"] = language
                continue
            if entity is not None and entity["type"] == "code":
                entity.pop("language", None)
            out.add(entity, start)
            continue
        attrs = {
            am.group(1).lower(): _unescape_html(next((g for g in am.groups()[1:] if g is not None), ""))
            for am in _ATTR_RE.finditer(tm.group(3))
        }
        if name not in _HTML_TAGS or (name == "span" and attrs.get("class") != "tg-spoiler"):
            raise _parse_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        new_entity: JSONDict | None = {"type": _HTML_TAGS[name]}
        if name == "a":
            href = attrs.get("href")
            new_entity = {"type": "text_link", "url": href} if href else None
        elif name == "tg-emoji":
            new_entity = {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
        elif name == "blockquote" and "expandable" in attrs:
            new_entity = {"type": "expandable_blockquote"}
        elif name == "code" and attrs.get("class", "").startswith("language-"):
            new_entity = {"type": "code", "language": attrs["class"][len("language-") :]}
        stack.append((name, new_entity, out.pos))
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _strip_with_entities(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace the way Telegram does, clipping entities to the kept text."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None
) -> tuple[str, list[JSONDict] | None]:
    """Return (visible text, entities) for text sent with parse_mode or explicit entities."""
    if entities:
        return _strip_with_entities(text, [dict(e) for e in entities])[0], entities
    mode = (parse_mode or "").lower()
    if not mode:
        return text.strip(), None
    if mode != "html":  # the bot sends HTML only; Markdown is not modelled
        raise _bad_request(f"unsupported parse_mode {parse_mode}")
    plain, found = _strip_with_entities(*parse_html(text))
    return plain, found or None


# ---------------------------------------------------------------------------------------------
# Request decoding
# ---------------------------------------------------------------------------------------------


def decode_param(key: str, value: Any) -> Any:
    """Decode one request parameter the way the Bot API interprets it."""
    if not isinstance(value, str):
        return value
    if key in _ID_PARAMS:
        return int(value) if _INT_RE.fullmatch(value) else value
    if key in _STRING_PARAMS:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return value if isinstance(decoded, str) else decoded


@dataclass
class _Upload:
    """A file part of a multipart request."""

    field_name: str
    file_name: str | None
    content_type: str | None
    content: bytes

    def describe(self) -> JSONDict:
        """Return the JSON-friendly description recorded in RecordedCall.params."""
        return {"file_name": self.file_name, "content_type": self.content_type, "size": len(self.content)}


@dataclass
class _Poller:
    """Wake-up handle for one waiting long-poll getUpdates request."""

    event: asyncio.Event = field(default_factory=asyncio.Event)


class Gate:
    """Holds every call to some Bot API methods until the test opens it (a slow Telegram, without sleeping)."""

    def __init__(self, methods: frozenset[str], journal: list[str]) -> None:
        self.methods = methods
        self.arrivals: list[JSONDict] = []  # params of each held call, in the order they arrived
        self._journal = journal
        self._opened = asyncio.Event()
        self._arrived = asyncio.Condition()

    async def pass_through(self, method: str, params: JSONDict) -> None:
        """Wait here until the gate is open; note the arrival first."""
        async with self._arrived:
            self.arrivals.append(params)
            self._journal.append(
                f"arrived {method} {params.get('callback_query_id') or params.get('user_id')}"
            )
            self._arrived.notify_all()
        await self._opened.wait()

    async def wait_for(self, count: int) -> None:
        """Return once `count` calls are held (or have passed) here."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.arrivals) >= count)

    def open(self) -> None:
        """Let every held call and every later one through."""
        self._journal.append("opened")
        self._opened.set()


class FakeTelegram:
    """An aiohttp Bot API server on 127.0.0.1 that records calls and can inject faults."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST",
        bot_user_id: int = 123456,
        bot_username: str = "pakn_test_bot",
        bot_first_name: str = "PAKN Test Bot",
        fault_timeout_delay: float = 0.0,
        clock: Clock | None = None,
    ) -> None:
        """Configure the fake bot identity (and the clock, see use_clock); call start() to serve."""
        self.token = token
        self.bot_user_id = bot_user_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.fault_timeout_delay = fault_timeout_delay
        self.calls: list[RecordedCall] = []
        self.confirmed_update_ids: set[int] = set()
        self.webhook: JSONDict | None = None
        self.my_commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._closing = asyncio.Event()
        self._pollers: list[_Poller] = []
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._raw_texts: dict[tuple[int, int], str | None] = {}
        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._members: dict[tuple[int, int], str] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._retry_deadlines: dict[int, float] = {}
        self._enforce_retry_after = False
        self._fault_rates = (0.0, 0.0, 0.0)
        self._fault_retry_after = 1
        self._fault_methods: frozenset[str] = SEND_METHODS
        self._rng = random.Random(0)
        self._answered_callbacks: set[str] = set()
        self._file_counter = itertools.count(1)
        self._gates: list[Gate] = []
        self.observer: Callable[[str], None] | None = None  # called with each method as it arrives
        self.journal: list[str] = []  # gate arrivals and openings, in order
        # Without a clock: calls are stamped on the monotonic clock, messages dated on the wall clock.
        self._monotonic: Callable[[], float] = time.monotonic
        self._wall_time: Callable[[], float] = time.time
        self._answers_to_lose: dict[tuple[str, int | None], int] = {}
        self._changed = asyncio.Event()  # set (and replaced) after each recorded call and confirmation
        if clock is not None:
            self.use_clock(clock)

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving."""
        if self._runner is not None:
            raise RuntimeError("FakeTelegram already started")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        if not runner.addresses:
            await runner.cleanup()
            raise RuntimeError("FakeTelegram could not determine its port")
        self._port = int(runner.addresses[0][1])
        self._runner = runner

    async def stop(self) -> None:
        """Wake pending long polls and delayed faults, then shut the server down."""
        self._closing.set()
        self._wake_pollers()
        for gate in self._gates:
            gate.open()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        """Start the server for use as an async context manager."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def url(self) -> str:
        """Return the server root, e.g. http://127.0.0.1:PORT."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Return the Bot API base URL to give PTB (token is appended by PTB)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the file download base URL to give PTB."""
        return f"{self.url}/file/bot"

    # ----- inspection ------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[RecordedCall]:
        """Return calls Telegram carried out (lost answers too), optionally to chat_id and/or of one method."""
        return [
            call
            for call in self.calls
            if call.outcome in ("ok", "lost_answer")
            and (chat_id is None or call.params.get("chat_id") == chat_id)
            and (method is None or call.method == method)
        ]

    def texts(self, chat_id: int, *, raw: bool = False) -> list[str]:
        """Return visible texts/captions of messages successfully sent to chat_id, in order (raw: as sent)."""
        found: list[str] = []
        for call in self.sent(chat_id):
            if call.method not in SEND_METHODS:
                continue
            for message in call.messages:
                key = (message["chat"]["id"], message["message_id"])
                text = self._raw_texts.get(key) if raw else message.get("text", message.get("caption"))
                if text is not None:
                    found.append(text)
        return found

    def message_dict(self, chat_id: int, message_id: int) -> JSONDict:
        """Return the current Message JSON of a message the fake knows (KeyError when unknown)."""
        return copy.deepcopy(self._messages[(chat_id, message_id)])

    def last_message(self, chat_id: int) -> JSONDict:
        """Return the Message JSON of the newest bot message in chat_id (KeyError when none)."""
        ids = [
            mid for (cid, mid), msg in self._messages.items() if cid == chat_id and self._is_bot_message(msg)
        ]
        if not ids:
            raise KeyError(chat_id)
        return self.message_dict(chat_id, max(ids))

    def max_messages_in_window(self, chat_id: int | None, window_seconds: float) -> int:
        """Return the most successful send-like calls to chat_id (None: all chats) within any window."""
        times = sorted(call.at for call in self.sent(chat_id) if call.method in SEND_METHODS)
        best = 0
        left = 0
        for right, stamp in enumerate(times):
            while stamp - times[left] >= window_seconds:
                left += 1
            best = max(best, right - left + 1)
        return best

    async def wait_until(self, predicate: Callable[[], bool], *, within: float = 5.0) -> None:
        """Return once predicate holds; it is checked after each call and confirmation, never polled."""
        async with asyncio.timeout(within):
            while not predicate():
                await self._changed.wait()

    @property
    def polls_waiting(self) -> int:
        """Return how many getUpdates long polls are waiting for an update."""
        return len(self._pollers)

    def _note_change(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def clear(self) -> None:
        """Forget recorded calls (state such as messages, members and faults is kept)."""
        self.calls.clear()

    # ----- state set-up ----------------------------------------------------------------------

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """Set the getChatMember status of user_id in chat_id."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        self._members[(chat_id, user_id)] = status

    def remember_message(self, message: JSONDict) -> None:
        """Record a user's Message JSON so replies, copies and forwards can refer to it."""
        chat_id = int(message["chat"]["id"])
        message_id = int(message["message_id"])
        self._messages[(chat_id, message_id)] = copy.deepcopy(message)
        self._raw_texts[(chat_id, message_id)] = message.get("text", message.get("caption"))
        self._next_message_id[chat_id] = max(self._next_message_id.get(chat_id, 1), message_id + 1)
        self._chats.setdefault(chat_id, dict(message["chat"]))
        sender = message.get("from")
        if isinstance(sender, dict) and not sender.get("is_bot"):
            self._users.setdefault(int(sender["id"]), dict(sender))

    def observe_update(self, update: JSONDict) -> None:
        """Learn users, chats and messages from an Update JSON (also done by push_update)."""
        for key in ("message", "edited_message", "channel_post"):
            message = update.get(key)
            if isinstance(message, dict):
                self.remember_message(message)
        query = update.get("callback_query")
        if isinstance(query, dict):
            self._users.setdefault(int(query["from"]["id"]), dict(query["from"]))
        member = update.get("my_chat_member")
        if isinstance(member, dict):
            chat = member["chat"]
            self._chats.setdefault(int(chat["id"]), dict(chat))
            self._members[(int(chat["id"]), self.bot_user_id)] = member["new_chat_member"]["status"]

    # ----- fault injection -------------------------------------------------------------------

    def block_user(self, chat_id: int) -> None:
        """Answer sends and edits to chat_id with 403 "bot was blocked by the user"."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        """Undo block_user."""
        self._blocked.discard(chat_id)

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """Answer every request to chat_id with 400 and parameters.migrate_to_chat_id."""
        self._migrated[chat_id] = new_chat_id
        old = self._chats.get(chat_id, {})
        self._chats[new_chat_id] = {
            "id": new_chat_id,
            "type": "supergroup",
            "title": old.get("title", "Group"),
        }

    def inject_faults(
        self,
        *,
        rate_429: float = 0,
        retry_after: int = 1,
        rate_500: float = 0,
        rate_timeout: float = 0,
        seed: int = 0,
        methods: set[str] | None = None,
        timeout_delay: float | None = None,
    ) -> None:
        """Fail a random share of calls to methods (default SEND_METHODS) with 429, 500 or a timeout."""
        if rate_429 + rate_500 + rate_timeout > 1:
            raise ValueError("fault rates add up to more than 1")
        self._fault_rates = (rate_429, rate_500, rate_timeout)
        self._fault_retry_after = retry_after
        self._fault_methods = frozenset(methods) if methods is not None else SEND_METHODS
        self._rng = random.Random(seed)
        if timeout_delay is not None:
            self.fault_timeout_delay = timeout_delay

    def hold(self, *methods: str) -> Gate:
        """Hold calls to these methods until the returned gate is opened (opened by stop() too)."""
        gate = Gate(frozenset(methods), self.journal)
        self._gates.append(gate)
        return gate

    def clear_faults(self) -> None:
        """Stop random faults, blocks, migrations and retry_after enforcement."""
        self._fault_rates = (0.0, 0.0, 0.0)
        self._answers_to_lose.clear()
        self._blocked.clear()
        self._migrated.clear()
        self._retry_deadlines.clear()
        self._enforce_retry_after = False

    def lose_answers(self, method: str, count: int = 1, *, chat_id: int | None = None) -> None:
        """Carry out the next `count` calls of a method (to one chat), then cut the connection unanswered."""
        key = (method, chat_id)
        self._answers_to_lose[key] = self._answers_to_lose.get(key, 0) + count

    def use_clock(self, clock: Clock) -> None:
        """Stamp calls, date messages and time retry_after on this clock (a test's: nothing waits)."""
        self._monotonic = self._wall_time = lambda: clock.now().timestamp()

    def enforce_retry_after(self) -> None:
        """Answer requests to a chat still inside a 429 retry_after with 429 and outcome "429_violation"."""
        self._enforce_retry_after = True

    # ----- updates ---------------------------------------------------------------------------

    def push_update(self, update: JSONDict) -> None:
        """Queue an Update JSON for getUpdates, waking a waiting long poll."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self.observe_update(update)
        self._updates.append(update)
        if self._loop is not None and self._loop_thread != threading.get_ident():
            self._loop.call_soon_threadsafe(self._wake_pollers)
        else:
            self._wake_pollers()

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Return queued updates not yet confirmed by an offset."""
        return copy.deepcopy(self._updates)

    def _wake_pollers(self) -> None:
        """Wake every waiting getUpdates."""
        for poller in self._pollers:
            poller.event.set()

    def _confirm_updates(self, offset: int) -> None:
        """Drop updates confirmed by offset (negative offsets keep only the last -offset updates)."""
        if offset < 0:
            keep = self._updates[offset:]
            dropped = self._updates[: len(self._updates) - len(keep)]
        else:
            keep = [u for u in self._updates if u["update_id"] >= offset]
            dropped = [u for u in self._updates if u["update_id"] < offset]
        self.confirmed_update_ids.update(int(u["update_id"]) for u in dropped)
        self._updates = keep
        self._note_change()

    # ----- HTTP handlers ---------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
        """Decode query string, JSON, urlencoded or multipart parameters and file parts."""
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, _Upload] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        uploads[key] = _Upload(key, value.filename, value.content_type, content)
                        raw[key] = uploads[key].describe()
                    else:
                        raw[key] = value
        return {key: decode_param(key, value) for key, value in raw.items()}, uploads

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API call and record it."""
        at = self._monotonic()
        token = request.match_info["token"]
        method = _METHODS_BY_LOWER.get(request.match_info["method"].lower())
        try:
            params, uploads = await self._read_params(request)
        except (ValueError, UnicodeDecodeError):
            params, uploads = {}, {}
        call = RecordedCall(
            method=method or request.match_info["method"], params=params, at=at, outcome="ok", result=None
        )
        try:
            if token != self.token:
                if re.fullmatch(r"\d+:[\w-]+", token):
                    raise TelegramApiError(401, "Unauthorized")
                raise TelegramApiError(404, "Not Found")
            if method is None:
                raise TelegramApiError(404, "Not Found: method not found")
            if self.observer is not None:
                self.observer(method)
            for gate in self._gates:
                if method in gate.methods:
                    await gate.pass_through(method, params)
            if await self._apply_faults(method, params, call, request):
                return web.Response(status=504)
            result = await self._dispatch(method, params, uploads, call)
            chat_id = params.get("chat_id")
            key = next(
                (k for k in ((method, chat_id), (method, None)) if self._answers_to_lose.get(k, 0) > 0), None
            )
            if key is not None:
                self._answers_to_lose[key] -= 1
                call.outcome = "lost_answer"  # done, as Telegram would, but the client never hears
                call.result = copy.deepcopy(result)
                self._record(call)
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=504)
        except TelegramApiError as error:
            call.outcome = error.outcome
            self._record(call)
            return web.json_response(error.payload(), status=error.code)
        call.result = copy.deepcopy(result)
        self._record(call)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: RecordedCall) -> None:
        self.calls.append(call)
        self._note_change()

    async def _apply_faults(
        self, method: str, params: JSONDict, call: RecordedCall, request: web.Request
    ) -> bool:
        """Raise the configured or random fault for this call; return True after simulating a timeout."""
        chat_id = params.get("chat_id")
        now = self._monotonic()
        if isinstance(chat_id, int) and chat_id in self._retry_deadlines:
            deadline = self._retry_deadlines[chat_id]
            if now >= deadline:
                del self._retry_deadlines[chat_id]
            elif self._enforce_retry_after:
                wait = max(1, math.ceil(deadline - now))
                raise TelegramApiError(
                    429,
                    f"Too Many Requests: retry after {wait}",
                    {"retry_after": wait},
                    outcome="429_violation",
                )
        if isinstance(chat_id, int) and chat_id in self._migrated:
            raise TelegramApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
                outcome="migrate",
            )
        if isinstance(chat_id, int) and method in WRITE_METHODS:
            if chat_id in self._blocked:
                raise TelegramApiError(403, "Forbidden: bot was blocked by the user", outcome="403")
            bot_status = self._members.get((chat_id, self.bot_user_id))
            if chat_id < 0 and bot_status in {"left", "kicked"}:
                kind = self._chat(chat_id)["type"]
                verb = "was kicked from" if bot_status == "kicked" else "is not a member of"
                raise TelegramApiError(403, f"Forbidden: bot {verb} the {kind} chat", outcome="403")
        rate_429, rate_500, rate_timeout = self._fault_rates
        if method not in self._fault_methods or rate_429 + rate_500 + rate_timeout <= 0:
            return False
        draw = self._rng.random()
        if draw < rate_429:
            wait = self._fault_retry_after
            if isinstance(chat_id, int):
                self._retry_deadlines[chat_id] = now + wait
            raise TelegramApiError(
                429, f"Too Many Requests: retry after {wait}", {"retry_after": wait}, outcome="429"
            )
        if draw < rate_429 + rate_500:
            raise TelegramApiError(500, "Internal Server Error", outcome="500")
        if draw < rate_429 + rate_500 + rate_timeout:
            call.outcome = "timeout"
            self._record(call)  # recorded on arrival: the client gives up before any answer
            if self.fault_timeout_delay > 0:  # only a client with a shorter read timeout notices it
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), timeout=self.fault_timeout_delay)
            transport = request.transport
            if transport is not None:
                transport.abort()
            return True
        return False

    async def _dispatch(
        self, method: str, params: JSONDict, uploads: dict[str, _Upload], call: RecordedCall
    ) -> Any:
        """Run the handler of one known method."""
        handlers: dict[str, Callable[[], Any]] = {
            "getMe": self._bot_user_full,
            "setMyCommands": lambda: self._set_my_commands(params),
            "setWebhook": lambda: self._set_webhook(params),
            "deleteWebhook": lambda: self._delete_webhook(params),
            "sendMessage": lambda: self._send_message(params, call),
            "editMessageText": lambda: self._edit_text(params),
            "answerCallbackQuery": lambda: self._answer_callback(params),
            "sendLocation": lambda: self._send_location(params, call),
            "getChatMember": lambda: self._get_chat_member(params),
        }
        if method == "getUpdates":
            return await self._get_updates(params)
        if method.startswith("send") and method[4:].lower() in _MEDIA_KINDS:
            return self._send_media(method[4:].lower(), params, uploads, call)
        return handlers[method]()

    # ----- chats, users, messages --------------------------------------------------------------

    def _bot_user(self) -> JSONDict:
        """Return the bot's User JSON as it appears in messages."""
        return {
            "id": self.bot_user_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _bot_user_full(self) -> JSONDict:
        """Return the getMe result."""
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _user(self, user_id: int) -> JSONDict:
        """Return a User JSON for user_id (registered names or a placeholder)."""
        if user_id == self.bot_user_id:
            return self._bot_user()
        return dict(
            self._users.get(user_id, {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"})
        )

    def _chat(self, chat_id: int) -> JSONDict:
        """Return the Chat JSON for chat_id."""
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            user = self._user(chat_id)
            chat: JSONDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if user.get(key):
                    chat[key] = user[key]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}

    def _is_bot_message(self, message: JSONDict) -> bool:
        """Tell whether a stored message was sent by the bot."""
        return bool(message.get("from", {}).get("id") == self.bot_user_id)

    @staticmethod
    def _chat_id(params: JSONDict, key: str = "chat_id") -> int:
        """Return a numeric chat id parameter or raise Telegram's 400."""
        value = params.get(key)
        if value is None or value == "":
            raise _bad_request(f"{key} is empty")
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad_request("chat not found")
        return value

    def _allocate_message_id(self, chat_id: int) -> int:
        """Return the next message_id of chat_id (per chat, starting at 1)."""
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _reply_stub(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        """Return the replied-to message stub when the reply target is known."""
        reply = params.get("reply_parameters")
        target: Any = None
        if isinstance(reply, dict):
            if reply.get("chat_id") not in (None, chat_id):
                return None
            target = reply.get("message_id")
        elif params.get("reply_to_message_id") is not None:
            target = params["reply_to_message_id"]
        if not isinstance(target, int):
            return None
        original = self._messages.get((chat_id, target))
        if original is None:
            return None
        stub = copy.deepcopy(original)
        stub.pop("reply_to_message", None)
        return stub

    @staticmethod
    def _validate_markup(markup: Any) -> None:
        """Reject inline keyboards Telegram would reject."""
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list):
            raise _bad_request(
                'can\'t parse inline keyboard markup: field "inline_keyboard" must be an Array'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad_request("can't parse inline keyboard button: Text must be non-empty")
                if len(button) < 2:
                    raise _bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise _bad_request("BUTTON_DATA_INVALID")

    def _new_message(
        self, chat_id: int, params: JSONDict, content: JSONDict, raw_text: str | None, call: RecordedCall
    ) -> JSONDict:
        """Store a new bot message in chat_id and return a copy of its JSON."""
        markup = params.get("reply_markup")
        self._validate_markup(markup)
        message_id = self._allocate_message_id(chat_id)
        message: JSONDict = {
            "message_id": message_id,
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(self._wall_time()),
        }
        stub = self._reply_stub(chat_id, params)
        if stub is not None:
            message["reply_to_message"] = stub
        message.update(content)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if params.get("protect_content"):
            message["has_protected_content"] = True
        self._messages[(chat_id, message_id)] = message
        self._raw_texts[(chat_id, message_id)] = raw_text
        snapshot = copy.deepcopy(message)
        call.messages.append(snapshot)
        return copy.deepcopy(snapshot)

    def _formatted(self, text: Any, params: JSONDict, *, caption: bool) -> JSONDict:
        """Return text/caption and their entities for a message body (validated like Telegram)."""
        if text is None or (caption and text == ""):
            return {}
        entities_key = "caption_entities" if caption else "entities"
        entities = params.get(entities_key)
        plain, found = format_text(str(text), params.get("parse_mode"), entities if entities else None)
        if caption:
            if utf16_len(plain) > MAX_CAPTION_LENGTH:
                raise _bad_request("message caption is too long")
        else:
            if not plain:
                raise _bad_request("message text is empty")
            if utf16_len(plain) > MAX_TEXT_LENGTH:
                raise _bad_request("message is too long")
        body: JSONDict = {"caption" if caption else "text": plain}
        if found:
            body[entities_key] = found
        return body

    def _send_message(self, params: JSONDict, call: RecordedCall) -> JSONDict:
        """Handle sendMessage."""
        chat_id = self._chat_id(params)
        text = params.get("text")
        if text is None or str(text).strip() == "":
            raise _bad_request("message text is empty")
        content = self._formatted(text, params, caption=False)
        preview = params.get("link_preview_options")
        if isinstance(preview, dict):
            content["link_preview_options"] = preview
        return self._new_message(chat_id, params, content, str(text), call)

    def _media_object(self, kind: str, value: Any, uploads: dict[str, _Upload], params: JSONDict) -> Any:
        """Build the Message media field (PhotoSize list, Document, Voice...) for a sent file."""
        upload: _Upload | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise _bad_request(f"wrong HTTP URL specified: file {value} not found in the request")
        elif isinstance(value, dict):
            upload = uploads.get(kind) or next(iter(uploads.values()), None)
        elif not isinstance(value, str) or not value:
            raise _bad_request(f"there is no {kind} in the request")
        if upload is not None or (isinstance(value, str) and value.startswith(("http://", "https://"))):
            file_id = f"FAKE_{kind.upper()}_{next(self._file_counter)}"
        else:
            file_id = str(value)
        base: JSONDict = {"file_id": file_id, "file_unique_id": f"U{abs(hash(file_id)) % 10**8:08d}"}
        if upload is not None:
            base["file_size"] = len(upload.content)
        if kind == "photo":
            sizes = [(90, 67), (320, 240), (800, 600)]
            return [
                {
                    **base,
                    "file_id": file_id if (w, h) == sizes[-1] else f"{file_id}_{w}",
                    "width": w,
                    "height": h,
                }
                for w, h in sizes
            ]
        mime = (upload.content_type if upload else None) or _MEDIA_KINDS[kind]
        duration = params.get("duration") if isinstance(params.get("duration"), int) else 1
        if kind == "document":
            name = (upload.file_name if upload else None) or "document"
            return {**base, "file_name": name, "mime_type": mime}
        if kind in {"voice", "audio"}:
            return {**base, "duration": duration, "mime_type": mime}
        return {**base, "width": 640, "height": 360, "duration": duration, "mime_type": mime}

    def _send_media(
        self, kind: str, params: JSONDict, uploads: dict[str, _Upload], call: RecordedCall
    ) -> JSONDict:
        """Handle sendPhoto/sendDocument/sendVoice/sendVideo/sendAudio/sendAnimation."""
        chat_id = self._chat_id(params)
        content: JSONDict = {kind: self._media_object(kind, params.get(kind), uploads, params)}
        caption = params.get("caption")
        content.update(self._formatted(caption, params, caption=True))
        return self._new_message(chat_id, params, content, caption, call)

    def _send_location(self, params: JSONDict, call: RecordedCall) -> JSONDict:
        """Handle sendLocation."""
        chat_id = self._chat_id(params)
        latitude, longitude = params.get("latitude"), params.get("longitude")
        if not isinstance(latitude, int | float) or not isinstance(longitude, int | float):
            raise _bad_request("wrong latitude or longitude specified")
        content = {"location": {"latitude": float(latitude), "longitude": float(longitude)}}
        return self._new_message(chat_id, params, content, None, call)

    def _edit_target(self, params: JSONDict) -> JSONDict | None:
        """Return the stored message an edit refers to, None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise _bad_request("message to edit not found")
        if not self._is_bot_message(message):
            raise _bad_request("message can't be edited")
        return message

    def _apply_edit(self, message: JSONDict, changes: JSONDict, remove: Iterable[str]) -> JSONDict:
        """Apply an edit, enforcing "message is not modified", and return the edited message."""
        removed = set(remove)
        updated = {k: v for k, v in message.items() if k not in removed}
        updated.update(changes)
        if all(updated.get(k) == message.get(k) for k in set(updated) | set(message) if k != "edit_date"):
            raise _bad_request(NOT_MODIFIED)
        message.clear()
        message.update(updated)
        message["edit_date"] = int(self._wall_time())
        return copy.deepcopy(message)

    def _new_markup(self, params: JSONDict) -> JSONDict:
        """Return the reply_markup change of an edit (absent markup removes the keyboard)."""
        markup = params.get("reply_markup")
        self._validate_markup(markup)
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            return {"reply_markup": markup}
        return {}

    def _edit_text(self, params: JSONDict) -> JSONDict | bool:
        """Handle editMessageText."""
        message = self._edit_target(params)
        if params.get("text") is None or str(params["text"]).strip() == "":
            raise _bad_request("message text is empty")
        changes = self._formatted(params["text"], params, caption=False)
        changes.update(self._new_markup(params))
        preview = params.get("link_preview_options")
        if isinstance(preview, dict):
            changes["link_preview_options"] = preview
        if message is None:
            return True
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        return self._apply_edit(message, changes, ("entities", "reply_markup", "link_preview_options"))

    def _answer_callback(self, params: JSONDict) -> bool:
        """Handle answerCallbackQuery (each query can be answered once)."""
        query_id = params.get("callback_query_id")
        if not query_id:
            raise _bad_request("query_id is empty")
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        if query_id in self._answered_callbacks:
            raise _bad_request("query is too old and response timeout expired or query ID is invalid")
        self._answered_callbacks.add(str(query_id))
        return True

    # ----- chats and members -----------------------------------------------------------------

    def _member_status(self, chat_id: int, user_id: int) -> str:
        """Return the membership status of user_id in chat_id."""
        status = self._members.get((chat_id, user_id))
        if status is not None:
            return status
        if user_id == self.bot_user_id or (chat_id > 0 and user_id == chat_id):
            return "member"
        return "left"

    def _member_json(self, chat_id: int, user_id: int) -> JSONDict:
        """Return the ChatMember JSON for user_id in chat_id."""
        status = self._member_status(chat_id, user_id)
        member: JSONDict = {"status": status, "user": self._user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                dict.fromkeys(
                    (
                        "is_anonymous",
                        "can_be_edited",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    ),
                    False,
                )
            )
            member.update(dict.fromkeys(("can_manage_chat", "can_delete_messages", "can_change_info"), True))
            member.update(dict.fromkeys(("can_invite_users", "can_pin_messages"), True))
        elif status == "restricted":
            member.update(
                dict.fromkeys(
                    (
                        "can_change_info",
                        "can_invite_users",
                        "can_pin_messages",
                        "can_send_messages",
                        "can_send_polls",
                        "can_send_other_messages",
                        "can_add_web_page_previews",
                        "can_manage_topics",
                        "can_send_audios",
                        "can_send_documents",
                        "can_send_photos",
                        "can_send_videos",
                        "can_send_video_notes",
                        "can_send_voice_notes",
                        "can_edit_tag",
                        "can_react_to_messages",
                    ),
                    False,
                )
            )
            member.update({"is_member": True, "until_date": 0})
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        """Handle getChatMember."""
        chat_id = self._chat_id(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise _bad_request("invalid user_id specified")
        return self._member_json(chat_id, user_id)

    # ----- commands, webhook, updates ------------------------------------------------------------

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        """Return the (scope, language) key of a command list."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, params: JSONDict) -> bool:
        """Handle setMyCommands, validating commands like Telegram."""
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.my_commands[self._commands_key(params)] = commands
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        """Handle setWebhook (an empty url removes it)."""
        if params.get("drop_pending_updates"):
            self._confirm_updates(self._next_update_id)
        if not params.get("url"):
            self.webhook = None
            return True
        if not str(params["url"]).startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {k: v for k, v in params.items() if k != "certificate"}
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        """Handle deleteWebhook."""
        if params.get("drop_pending_updates"):
            self._confirm_updates(self._next_update_id)
        self.webhook = None
        return True

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Handle getUpdates: confirm by offset, long-poll up to timeout, return at most limit."""
        if self.webhook is not None:
            raise TelegramApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
                "the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            self._confirm_updates(offset)
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) and limit > 0 else 100
        timeout = params.get("timeout")
        wait = float(timeout) if isinstance(timeout, int | float) and not isinstance(timeout, bool) else 0.0
        deadline = time.monotonic() + max(wait, 0.0)
        while not self._updates and not self._closing.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            poller = _Poller()
            self._pollers.append(poller)
            self._note_change()
            try:
                await asyncio.wait_for(poller.event.wait(), timeout=remaining)
            except TimeoutError:
                pass
            finally:
                self._pollers.remove(poller)
            if self._closing.is_set():
                break
        return copy.deepcopy(self._updates[:limit])
