"""SQLAlchemy's aiosqlite driver, with each statement run in one trip to the database thread.

aiosqlite keeps the SQLite connection in a thread of its own, and every call on it is one trip there
and back: a queue, a future, and a wake-up of the event loop. SQLAlchemy's adapter makes four such
trips for a statement (open a cursor, execute, fetch the rows, close the cursor). Measured on this
project's machine, a one-row SELECT took 316 µs that way and 87 µs as one trip; an update runs about
ten statements, so the trips were a good part of its cost.

This driver is the same dialect with two changes. A cursor runs its statement, reads every row and
closes in a single function on the database thread, and keeps what SQLAlchemy asks of it afterwards
(the description, the row count, the last row id). And the connection remembers, from each trip,
whether a transaction is open: SQLAlchemy's pool rolls back every connection it takes back, even
right after a commit, and with nothing open that rollback now costs no trip. Nothing else changes:
the same SQLite connection, the same transactions, the same errors. `models.db.make_engine` uses it
for `sqlite+aiosqlite` URLs.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT, await_only

DRIVER = "pakn_aiosqlite"


@dataclass(frozen=True)
class _Executed:
    """What SQLAlchemy reads from a cursor once its statement has run (the sqlite3 cursor is closed)."""

    description: Any = None
    rowcount: int = -1
    lastrowid: int | None = None

    def close(self) -> None:
        """Nothing to close: the statement's sqlite3 cursor was closed on the database thread."""


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any
) -> tuple[_Executed, list[Any] | None, bool]:
    """On the database thread: execute, read every row, close; one trip from the event loop.

    Also says whether a transaction is open afterwards, so that a rollback with nothing to undo
    costs no trip.
    """
    cursor = connection.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else None
        return (
            _Executed(cursor.description, cursor.rowcount, cursor.lastrowid),
            rows,
            connection.in_transaction,
        )
    finally:
        cursor.close()


def _run_many(
    connection: sqlite3.Connection, operation: str, parameters: Sequence[Any]
) -> tuple[_Executed, bool]:
    """On the database thread: execute for each set of parameters, then close."""
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return _Executed(cursor.description, cursor.rowcount, cursor.lastrowid), connection.in_transaction
    finally:
        cursor.close()


def _end(connection: sqlite3.Connection, how: str) -> bool:
    """On the database thread: commit or roll back; say whether a transaction is still open."""
    if how == "commit":
        connection.commit()
    else:
        connection.rollback()
    return connection.in_transaction


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement makes one trip to the database thread instead of four."""

    __slots__ = ()
    _awaitable_cursor_close = False  # closed on the database thread already

    def __init__(self, adapt_connection: Any) -> None:
        # No trip to open a sqlite3 cursor here: the statement's function opens its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _Executed()  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        connection = self._connection
        adapted = cast(OneTripConnection, self._adapt_connection)
        async with adapted._execute_mutex:
            executed, rows, adapted.in_transaction = await connection._execute(
                _run, connection._conn, operation, parameters
            )
        self._cursor = executed
        if rows is not None:
            self._rows = collections.deque(rows)
        return executed

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        connection = self._connection
        adapted = cast(OneTripConnection, self._adapt_connection)
        async with adapted._execute_mutex:
            executed, adapted.in_transaction = await connection._execute(
                _run_many, connection._conn, operation, seq_of_parameters
            )
        self._cursor = executed
        return executed


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite's adapted connection, handing out one-trip cursors.

    It knows whether a transaction is open, as of its last trip. The pool rolls back every
    connection it takes back, also after a commit; with nothing open, that rollback makes no trip.
    """

    __slots__ = ("in_transaction",)
    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.in_transaction = True  # not known until the first trip: a rollback then runs

    def commit(self) -> None:
        self._end("commit")

    def rollback(self) -> None:
        if self.in_transaction:
            self._end("rollback")

    def _end(self, how: str) -> None:
        connection = self._connection
        if not connection._connection:
            return  # closed: as the stock adapter, nothing to end
        self.in_transaction = True  # if ending fails, what is open stays open
        try:
            self.in_transaction = await_only(connection._execute(_end, connection._conn, how))
        except Exception as error:
            self._handle_exception(error)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """aiosqlite's adapted DBAPI module, whose connections hand out one-trip cursors."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


class OneTripSQLiteDialect(SQLiteDialect_aiosqlite):
    """The aiosqlite dialect with one-trip cursors (`sqlite+pakn_aiosqlite://`)."""

    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneTripDBAPI:
        return OneTripDBAPI(aiosqlite, sqlite3)


def register() -> None:
    """Make `sqlite+pakn_aiosqlite://` URLs use this dialect (safe to call more than once)."""
    registry.register(f"sqlite.{DRIVER}", __name__, OneTripSQLiteDialect.__name__)
