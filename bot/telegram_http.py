"""The bot's HTTP client for the Bot API: aiohttp, which already serves the webhook, in place of httpx.

python-telegram-bot talks to Telegram through a `BaseRequest`; its default, `HTTPXRequest`, spends
about 2 ms of CPU on each call (measured on this project's 2-core machine: 2.6 ms per call through
httpx against 0.47 ms through aiohttp, server side included). Every button press is answered and every
outbox message is one call, so that was the largest single cost of an update. This class is a drop-in
`BaseRequest`: the same timeouts, proxies from the environment, multipart uploads, and the same
`TimedOut` / `NetworkError` for python-telegram-bot to raise, each chained to the aiohttp error, so
that the sender can tell a call that never left from one whose answer was lost (`may_have_reached_telegram`).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Transport errors raised before any byte of the request could reach Telegram, for this client and for
# python-telegram-bot's default httpx one (getUpdates, or a request given to build_application).
AIOHTTP_NOTHING_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, aiohttp.InvalidURL)
HTTPX_NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session with a bounded connection pool."""

    __slots__ = ("_connect", "_media_write", "_pool", "_pool_size", "_read", "_session", "_write")

    def __init__(
        self,
        *,
        connection_pool_size: int = 16,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None  # made in initialize(), inside the event loop

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout in seconds."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=True,  # HTTPS_PROXY and friends, as httpx honours them
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,  # a float, None, or DEFAULT_NONE: this class's own
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; return the HTTP status and the body, which python-telegram-bot reads."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = _given(read_timeout, self._read)
        connect = _given(connect_timeout, self._connect)
        pool = _given(pool_timeout, self._pool)
        write = _given(write_timeout, self._media_write if files else self._write)
        try:
            async with session.request(
                method,
                url,
                data=_body(fields, files),
                timeout=_timeout(read=read, write=write, connect=connect, pool=pool),
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(
                "Timed out waiting for a connection to Telegram; the request was not sent"
            ) from error
        except TimeoutError as error:  # aiohttp's socket and total timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def may_have_reached_telegram(cause: BaseException | None) -> bool:
    """Tell whether a failed call's cause leaves open that Telegram got it (a timeout, a cut): its answer was lost.

    False for Telegram's own answers and for transport errors raised before anything was sent.
    """
    if isinstance(cause, httpx.TransportError):
        return not isinstance(cause, HTTPX_NOTHING_SENT)
    return isinstance(cause, aiohttp.ClientError | TimeoutError) and not isinstance(
        cause, AIOHTTP_NOTHING_SENT
    )


def _given(timeout: Any, default: float | None) -> float | None:
    """Return a call's own timeout, or the default when python-telegram-bot passes none."""
    return default if timeout is BaseRequest.DEFAULT_NONE else timeout


def _body(fields: dict[str, str] | None, files: dict[str, Any] | None) -> Any:
    """Return the request body: form fields, or multipart with the files (as httpx would send them)."""
    if not files:
        return fields or None
    form = aiohttp.FormData()
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (file_name, content, content_type) in files.items():
        form.add_field(name, content, filename=file_name, content_type=content_type)
    return form


def _timeout(
    *, read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """Map python-telegram-bot's four timeouts onto aiohttp's.

    aiohttp's `connect` covers the wait for a pooled connection and the connection itself; it has no
    write timeout, so the whole call is bounded by the sum of the four instead.
    """
    parts = (read, write, connect, pool)
    total = None if any(part is None for part in parts) else sum(part for part in parts if part is not None)
    acquire = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect, sock_read=read)
