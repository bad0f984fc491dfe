"""`pakn api-key create|revoke` and `pakn web`, run as an administrator would; the webhook app serves the site."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.webhook import init_web_app
from models.api_keys import channel_of_key
from models.db import make_engine, make_session_factory, transaction
from tests.cli_helpers import ROOT, run_pakn
from tests.constants import TEST_DIRECTORY
from tests.harness import Harness


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def active_channel(url: str, plaintext: str) -> str | None:
    engine = make_engine(url)
    try:
        async with transaction(make_session_factory(engine)) as session:
            return await channel_of_key(session=session, plaintext=plaintext)
    finally:
        await engine.dispose()


@pytest.mark.slow  # runs `pakn` in a new process
def test_api_keys_are_created_once_per_channel_and_revoked(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'keys.sqlite3'}"
    env = {"DATABASE_URL": url, "DIRECTORY_FILE": str(TEST_DIRECTORY)}
    created = run_pakn("api-key", "create", "Cong-Thong-Tin", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    plaintext = created.stdout.strip().splitlines()[-1]
    assert plaintext.startswith("pakn_") and len(plaintext) > 40
    assert asyncio.run(active_channel(url, plaintext)) == "cong-thong-tin"
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("keys.sqlite3*"))
    assert plaintext.encode() not in stored and b"cong-thong-tin" in stored  # only the hash is kept

    again = run_pakn("api-key", "create", "cong-thong-tin", cwd=tmp_path, env=env)
    assert again.returncode == 2 and "already has a key" in again.stderr and "Traceback" not in again.stderr
    bad = run_pakn("api-key", "create", "telegram", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "channel name" in bad.stderr

    revoked = run_pakn("api-key", "revoke", "cong-thong-tin", cwd=tmp_path, env=env)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert asyncio.run(active_channel(url, plaintext)) is None
    assert run_pakn("api-key", "revoke", "cong-thong-tin", cwd=tmp_path, env=env).returncode == 2
    renewed = run_pakn("api-key", "create", "cong-thong-tin", cwd=tmp_path, env=env)
    assert renewed.returncode == 0 and renewed.stdout.strip().splitlines()[-1] != plaintext


@pytest.mark.slow  # runs `pakn` in a new process
def test_pakn_web_serves_the_site_and_the_api_without_a_bot_token(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'web.sqlite3'}",
        "DIRECTORY_FILE": str(TEST_DIRECTORY),
        "WEB_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:  # the server logs this line once it listens
            if "Public site and Open311 API on" in line:
                break
        else:
            raise AssertionError("pakn web stopped before listening")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode()
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "Tỉnh Thử Nghiệm" in page
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/open311/v2/services.json", timeout=10
        ) as response:
            assert b"giao-thong" in response.read()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


async def test_the_webhook_app_serves_the_public_site_too(harness: Harness) -> None:
    client: TestClient[Any, Any] = TestClient(TestServer(init_web_app(harness.services, harness.application)))
    await client.start_server()
    try:
        home = await client.get("/")
        assert home.status == 200 and "Tỉnh Thử Nghiệm" in await home.text()
        assert (await client.get("/open311/v2/discovery.json")).status == 200
        assert (await client.get("/healthz")).status == 200
        assert (await client.get(harness.services.settings.webhook_path)).status == 405
    finally:
        await client.close()
