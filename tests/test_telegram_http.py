"""The bot's aiohttp client for the Bot API: what it sends, and how each failure is told apart.

The sender resends a call only when its answer may have been lost; a call that never left is simply
retried. These tests make each failure happen for real against a server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.delivery_failures import answer_may_be_lost
from bot.telegram_http import AiohttpRequest

TOKEN = "123456:HTTP"


class SlowBotApi:
    """A Bot API that records each call's form and files, and can hold its answers back."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str], dict[str, tuple[str | None, bytes]]]] = []
        self.hold = asyncio.Event()
        self.hold.set()
        self.arrived = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/bot"

    async def stop(self) -> None:
        self.hold.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        fields: dict[str, str] = {}
        files: dict[str, tuple[str | None, bytes]] = {}
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[name] = (value.filename, value.file.read())
            else:
                fields[name] = str(value)
        self.calls.append((request.match_info["method"], fields, files))
        self.arrived.set()
        await self.hold.wait()
        result: Any = True
        if request.match_info["method"] in {"sendMessage", "sendDocument"}:
            result = {"message_id": 7, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "ok"}
        return web.json_response({"ok": True, "result": result})


@pytest.fixture
async def api() -> AsyncIterator[SlowBotApi]:
    server = SlowBotApi()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def started_bot(base_url: str, request: AiohttpRequest) -> Bot:
    bot = Bot(TOKEN, base_url=base_url, request=request, get_updates_request=AiohttpRequest())
    await request.initialize()
    return bot


async def test_a_call_sends_its_parameters_and_reads_the_answer(api: SlowBotApi) -> None:
    request = AiohttpRequest()
    bot = await started_bot(api.base_url, request)
    try:
        message = await bot.send_message(42, "Xin chào, công dân", reply_markup=None)
        assert message.message_id == 7
        method, fields, files = api.calls[-1]
        assert method == "sendMessage"
        assert fields == {"chat_id": "42", "text": "Xin chào, công dân"}
        assert files == {}
    finally:
        await request.shutdown()


async def test_an_upload_goes_as_multipart_with_its_file_name(api: SlowBotApi) -> None:
    request = AiohttpRequest()
    bot = await started_bot(api.base_url, request)
    try:
        workbook = InputFile(b"PK\x03\x04 bao cao", filename="bao-cao-thang-11.xlsx")
        await bot.send_document(42, workbook, caption="Báo cáo tháng 11")
        method, fields, files = api.calls[-1]
        assert method == "sendDocument"
        assert fields["caption"] == "Báo cáo tháng 11" and fields["chat_id"] == "42"
        assert list(files.values()) == [("bao-cao-thang-11.xlsx", b"PK\x03\x04 bao cao")]
    finally:
        await request.shutdown()


async def test_a_refused_connection_sent_nothing() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2)
    bot = await started_bot(f"http://127.0.0.1:{port}/bot", request)
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(42, "không tới")
        assert not isinstance(raised.value, TimedOut)
        assert not answer_may_be_lost(raised.value)  # retried freely, never counted as a lost answer
    finally:
        await request.shutdown()


async def test_an_answer_that_does_not_come_may_be_lost(api: SlowBotApi) -> None:
    request = AiohttpRequest(read_timeout=0.2)
    bot = await started_bot(api.base_url, request)
    api.hold.clear()
    try:
        with pytest.raises(TimedOut) as raised:
            await bot.send_message(42, "Telegram có thể đã nhận")
        assert api.calls, "the call reached the server"
        assert answer_may_be_lost(raised.value)
    finally:
        await request.shutdown()


async def test_a_full_pool_times_out_without_sending(api: SlowBotApi) -> None:
    # aiohttp bounds the wait for a pooled connection by the connect and pool timeouts together
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.1, connect_timeout=0.1, read_timeout=10)
    bot = await started_bot(api.base_url, request)
    api.hold.clear()
    try:
        first = asyncio.ensure_future(bot.send_message(42, "đang chờ"))
        await asyncio.wait_for(api.arrived.wait(), timeout=5)
        with pytest.raises(TimedOut) as raised:
            await bot.send_message(42, "không có kết nối rảnh")
        assert "not sent" in str(raised.value)
        assert not answer_may_be_lost(raised.value)
        assert len(api.calls) == 1
        api.hold.set()
        assert (await first).message_id == 7
    finally:
        await request.shutdown()


async def test_it_must_be_initialized_and_can_be_again_after_shutdown(api: SlowBotApi) -> None:
    request = AiohttpRequest()
    bot = Bot(TOKEN, base_url=api.base_url, request=request)
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{api.base_url}{TOKEN}/getMe")
    await request.initialize()
    await request.shutdown()
    await request.initialize()
    try:
        assert await bot.send_message(42, "lại được")
    finally:
        await request.shutdown()
