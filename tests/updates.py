"""Builders of real Telegram Update JSON (as the Bot API delivers it) for offline bot tests."""

from __future__ import annotations

import copy
import itertools
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JSONDict = dict[str, Any]

_MIME_BY_SUFFIX = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "zip": "application/zip",
    "mp4": "video/mp4",
}


@dataclass(frozen=True)
class TgUser:
    """A Telegram user as it appears in updates."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str = "vi"

    def to_dict(self) -> JSONDict:
        """Return the User JSON."""
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def private_chat(self) -> JSONDict:
        """Return the private Chat JSON of a conversation with this user."""
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units (Telegram's entity unit)."""
    return len(text.encode("utf-16-le")) // 2


def group_chat(chat_id: int, title: str = "Nhóm tiếp nhận PAKN") -> JSONDict:
    """Return a group Chat JSON: "supergroup" for -100… ids, "group" for other negative ids."""
    if chat_id >= 0:
        raise ValueError("group chat ids are negative")
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": title}


def _command_entities(text: str) -> list[JSONDict]:
    """Return the bot_command entity Telegram attaches to a message starting with /command."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


def _strip_reply(message: JSONDict) -> JSONDict:
    """Return a replied-to message as Telegram nests it (without its own reply_to_message)."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


class UpdateFactory:
    """Build Update dicts with their own update_id / message_id counters (one factory per test)."""

    def __init__(
        self,
        start_update_id: int = 1000,
        *,
        start_message_id: int = 10_000,
        bot_user_id: int = 123456,
        bot_username: str = "pakn_test_bot",
        bot_first_name: str = "PAKN Test Bot",
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Start counters; bot_* must match the FakeTelegram bot for commands and membership updates."""
        self._update_ids = itertools.count(start_update_id)
        self._message_ids = itertools.count(start_message_id)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.bot_user_id = bot_user_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self._clock = clock
        self._last_message_id: dict[int, int] = {}

    # ----- plumbing --------------------------------------------------------------------------

    def bot_user(self) -> JSONDict:
        """Return the bot's User JSON."""
        return {
            "id": self.bot_user_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _now(self) -> int:
        """Return the current Unix time as Telegram sends it."""
        return int(self._clock())

    def _update(self, key: str, payload: JSONDict) -> JSONDict:
        """Wrap a payload in an Update with the next update_id."""
        return {"update_id": next(self._update_ids), key: payload}

    def _message(self, chat: JSONDict, user: TgUser, reply_to: JSONDict | None = None) -> JSONDict:
        """Return a message skeleton (id, from, chat, date) from user in chat."""
        message_id = next(self._message_ids)
        self._last_message_id[int(chat["id"])] = message_id
        message: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": dict(chat),
            "date": self._now(),
        }
        if reply_to is not None:
            message["reply_to_message"] = _strip_reply(copy.deepcopy(reply_to))
        return message

    def _file(self, prefix: str, file_id: str | None) -> tuple[str, str]:
        """Return (file_id, file_unique_id) for an attachment."""
        number = next(self._file_ids)
        chosen = file_id or f"{prefix}-file-{number}"
        return chosen, f"UQ{zlib.crc32(chosen.encode()):08x}"

    def _private(self, user: TgUser, **content: Any) -> JSONDict:
        """Return a private-chat message update with the given content fields."""
        message = self._message(user.private_chat(), user)
        message.update({k: v for k, v in content.items() if v is not None})
        return self._update("message", message)

    # ----- private chat ----------------------------------------------------------------------

    def private_text(self, user: TgUser, text: str, *, reply_to: JSONDict | None = None) -> JSONDict:
        """Return a text message from user in the private chat (reply_to: a Message JSON)."""
        message = self._message(user.private_chat(), user, reply_to)
        message["text"] = text
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        return self._update("message", message)

    def private_command(self, user: TgUser, command: str, args: str = "") -> JSONDict:
        """Return "/command args" from user in the private chat, with its bot_command entity."""
        text = f"/{command.lstrip('/')}" + (f" {args}" if args else "")
        return self.private_text(user, text)

    def private_contact(self, user: TgUser, phone: str, *, own: bool = True) -> JSONDict:
        """Return a shared contact; own=True shares the user's own number (contact.user_id == user.id)."""
        contact: JSONDict = {"phone_number": phone}
        if own:
            contact["first_name"] = user.first_name
            if user.last_name:
                contact["last_name"] = user.last_name
            contact["user_id"] = user.id
        else:
            contact["first_name"] = "Người khác"
        return self._private(user, contact=contact)

    def private_location(self, user: TgUser, latitude: float, longitude: float) -> JSONDict:
        """Return a location message."""
        return self._private(user, location={"latitude": latitude, "longitude": longitude})

    def private_photo(self, user: TgUser, file_id: str | None = None, caption: str | None = None) -> JSONDict:
        """Return a photo message; photo holds three PhotoSize entries, largest last (its id is file_id)."""
        largest, unique = self._file("photo", file_id)
        sizes = [(90, 68, 1_500), (320, 240, 18_000), (1280, 960, 120_000)]
        photo = [
            {
                "file_id": largest if (w, h, s) == sizes[-1] else f"{largest}-{w}",
                "file_unique_id": f"{unique}{w}",
                "width": w,
                "height": h,
                "file_size": s,
            }
            for w, h, s in sizes
        ]
        return self._private(user, photo=photo, caption=caption)

    def private_document(
        self,
        user: TgUser,
        file_id: str | None = None,
        file_name: str = "a.pdf",
        file_size: int = 1000,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> JSONDict:
        """Return a document message."""
        chosen, unique = self._file("document", file_id)
        suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
        document = {
            "file_id": chosen,
            "file_unique_id": unique,
            "file_name": file_name,
            "mime_type": mime_type or _MIME_BY_SUFFIX.get(suffix, "application/octet-stream"),
            "file_size": file_size,
        }
        return self._private(user, document=document, caption=caption)

    def private_voice(
        self, user: TgUser, file_id: str | None = None, duration: int = 3, file_size: int = 8000
    ) -> JSONDict:
        """Return a voice note message."""
        chosen, unique = self._file("voice", file_id)
        voice = {
            "file_id": chosen,
            "file_unique_id": unique,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": file_size,
        }
        return self._private(user, voice=voice)

    def private_video(
        self,
        user: TgUser,
        file_id: str | None = None,
        duration: int = 5,
        file_size: int = 500_000,
        *,
        caption: str | None = None,
    ) -> JSONDict:
        """Return a video message."""
        chosen, unique = self._file("video", file_id)
        video = {
            "file_id": chosen,
            "file_unique_id": unique,
            "width": 1280,
            "height": 720,
            "duration": duration,
            "mime_type": "video/mp4",
            "file_size": file_size,
        }
        return self._private(user, video=video, caption=caption)

    def private_sticker(self, user: TgUser, file_id: str | None = None, emoji: str = "👍") -> JSONDict:
        """Return a sticker message."""
        chosen, unique = self._file("sticker", file_id)
        sticker = {
            "file_id": chosen,
            "file_unique_id": unique,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "PaknStickers",
            "file_size": 20_000,
        }
        return self._private(user, sticker=sticker)

    def edited_private_text(self, user: TgUser, text: str, *, message_id: int | None = None) -> JSONDict:
        """Return an edited_message update (default: the user's latest private message from this factory)."""
        chosen = message_id or self._last_message_id.get(user.id) or next(self._message_ids)
        now = self._now()
        message: JSONDict = {
            "message_id": chosen,
            "from": user.to_dict(),
            "chat": user.private_chat(),
            "date": now - 1,
            "edit_date": now,
            "text": text,
        }
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        return self._update("edited_message", message)

    # ----- groups ----------------------------------------------------------------------------

    def group_text(
        self,
        chat_id: int,
        user: TgUser,
        text: str,
        *,
        reply_to: JSONDict | None = None,
        chat_title: str = "Nhóm tiếp nhận PAKN",
    ) -> JSONDict:
        """Return a text message from user in a group (reply_to: a Message JSON)."""
        message = self._message(group_chat(chat_id, chat_title), user, reply_to)
        message["text"] = text
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        return self._update("message", message)

    def group_command(
        self,
        chat_id: int,
        user: TgUser,
        command: str,
        args: str = "",
        *,
        mention_bot: bool = False,
        chat_title: str = "Nhóm tiếp nhận PAKN",
    ) -> JSONDict:
        """Return "/command args" in a group; mention_bot=True sends "/command@botusername args"."""
        name = command.lstrip("/")
        if mention_bot:
            name = f"{name}@{self.bot_username}"
        text = f"/{name}" + (f" {args}" if args else "")
        return self.group_text(chat_id, user, text, chat_title=chat_title)

    def my_chat_member_added(
        self,
        chat_id: int,
        by_user: TgUser,
        *,
        status: str = "member",
        chat_title: str = "Nhóm tiếp nhận PAKN",
    ) -> JSONDict:
        """Return the my_chat_member update sent when by_user adds the bot to a group."""
        new_member: JSONDict = {"user": self.bot_user(), "status": status}
        if status == "administrator":
            new_member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": False,
                    "can_restrict_members": False,
                    "can_promote_members": False,
                    "can_change_info": False,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_pin_messages": True,
                }
            )
        elif status != "member":
            raise ValueError("status must be 'member' or 'administrator'")
        payload = {
            "chat": group_chat(chat_id, chat_title),
            "from": by_user.to_dict(),
            "date": self._now(),
            "old_chat_member": {"user": self.bot_user(), "status": "left"},
            "new_chat_member": new_member,
        }
        return self._update("my_chat_member", payload)

    # ----- callbacks -------------------------------------------------------------------------

    def callback(self, user: TgUser, *, chat_id: int, message: JSONDict, data: str) -> JSONDict:
        """Return a callback_query for a button under message (the bot's Message JSON)."""
        if int(message["chat"]["id"]) != chat_id:
            raise ValueError("message belongs to another chat than chat_id")
        query = {
            "id": f"{user.id}{next(self._callback_ids):06d}",
            "from": user.to_dict(),
            "message": copy.deepcopy(message),
            "chat_instance": str(zlib.crc32(f"{chat_id}".encode()) * 1000 + 7),
            "data": data,
        }
        return self._update("callback_query", query)
