"""Straight to the SQLite driver (aiosqlite) inside a SQLAlchemy connection's transaction,
for the bulk reads and writes where building a SQLAlchemy row or parameter set per item
costs more than SQLite's own work: rowids of a match, term rows of a rebuild."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection


async def fetch_all(
    conn: AsyncConnection, sql: str, params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Many small rows straight from the driver (sqlite3 tuples), in the connection's own
    transaction: building a SQLAlchemy row per rowid costs more than the query itself."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    # One trip to aiosqlite's thread (execute, fetch and close there), not three.
    return list(await driver.execute_fetchall(sql, dict(params or {})))


async def execute_many(
    conn: AsyncConnection, sql: str, rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]]
) -> None:
    """Many inserts straight through the driver, in the connection's own transaction: for
    the two million term rows of a large rebuild SQLAlchemy's per-row parameter handling
    costs more than SQLite's insert."""
    if not rows:
        return
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    await driver.executemany(sql, rows)


class Peek:
    """A one-row read in the event loop's own thread, through a plain read-only sqlite3
    connection: it costs microseconds, where a trip to aiosqlite's thread and the pool's
    reset after it cost more than the read. Only for a database file (an in-memory database
    is private to its connection); None whenever it cannot answer, and the caller reads the
    usual way."""

    def __init__(self, url: URL) -> None:
        database = url.database or ""
        in_memory = database in ("", ":memory:") or "mode=memory" in database
        # Query options (a URI filename, say) could name something else than a plain file.
        self.path = None if in_memory or url.query else Path(database)
        self._conn: sqlite3.Connection | None = None

    def scalar(self, sql: str) -> Any | None:
        if self.path is None:
            return None
        try:
            if self._conn is None:
                # mode=rw: never create the file; query_only: never write through it.
                self._conn = sqlite3.connect(
                    f"file:{quote(str(self.path.resolve()))}?mode=rw", uri=True, timeout=0.05,
                    isolation_level=None, check_same_thread=False,
                )  # fmt: skip
                self._conn.execute("PRAGMA query_only = 1")
            row = self._conn.execute(sql).fetchone()
        except sqlite3.Error:
            self.close()
            return None
        return None if row is None else row[0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
