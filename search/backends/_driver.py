"""Straight to the SQLite driver (aiosqlite) inside a SQLAlchemy connection's transaction,
for the bulk reads and writes where building a SQLAlchemy row or parameter set per item
costs more than SQLite's own work: rowids of a match, term rows of a rebuild."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
