"""Registering searchable kinds of record, and the outbox rows their changes write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import SQLCoreOperations

from marketplace.searching.models import SearchOutbox
from search import SearchDocument

# async (session, ids) -> the public documents among ids; ids=None -> every public document.
Loader = Callable[[AsyncSession, Sequence[str] | None], Awaitable[Sequence[SearchDocument]]]
# A rebuild marker older than this is from a reindex that died; the worker ignores it.
REINDEX_LEASE = timedelta(hours=1)


@dataclass(frozen=True)
class Kind:
    name: str
    load: Loader
    # The records' id column: a rebuild lists the ids and loads them in chunks, so loading
    # the next chunk overlaps with the index writing the last one. None: loaded in one go.
    key: SQLCoreOperations[str] | None = None


KINDS: dict[str, Kind] = {}


def register_kind(kind: str, loader: Loader, key: SQLCoreOperations[str] | None = None) -> None:
    """Make a kind of record searchable (idempotent: the last registration wins)."""
    if not kind or len(kind) > 40:
        raise ValueError("kind must be 1 to 40 characters")
    KINDS[kind] = Kind(kind, loader, key)


def unregister_kind(kind: str) -> None:
    KINDS.pop(kind, None)
    for finders in DEPENDENTS.values():
        finders[:] = [(k, f) for k, f in finders if k != kind]


# async (session, key) -> ids of a kind's records whose documents show something of `key`
Finder = Callable[[AsyncSession, str], Awaitable[Sequence[str]]]
# What documents borrow from other records ("organisation": names and places, "standard":
# titles) → the kinds that borrow it and how to find their records.
DEPENDENTS: dict[str, list[tuple[str, Finder]]] = {}


def register_dependents(kind: str, on: str, finder: Finder) -> None:
    """Records of `kind` show something of `on` records (an organisation's name, a
    standard's title): when one of those changes, `enqueue_dependents` re-sends them."""
    finders = DEPENDENTS.setdefault(on, [])
    finders[:] = [(k, f) for k, f in finders if k != kind] + [(kind, finder)]


async def enqueue_dependents(
    session: AsyncSession, on: str, key: str, *, now: datetime | None = None
) -> int:
    """In the caller's transaction, like `enqueue`: the records showing `key` are re-sent."""
    count = 0
    for kind, finder in DEPENDENTS.get(on, []):
        for record_id in await finder(session, key):
            await enqueue(session, kind, record_id, now=now)
            count += 1
    return count


async def enqueue(
    session: AsyncSession,
    kind: str,
    record_id: str,
    *,
    op: str = "upsert",
    now: datetime | None = None,
) -> None:
    """Record that a searchable record changed, in the caller's transaction (never commits).

    Call it for every change, whatever it is (published, edited, archived, deleted): the
    worker asks the kind's loader what the record looks like now.
    """
    if op not in ("upsert", "delete"):
        raise ValueError("op must be 'upsert' or 'delete'")
    session.add(
        SearchOutbox(
            kind=kind, record_id=record_id, op=op, enqueued_at=now or datetime.now(UTC),
            attempts=0,
        )
    )  # fmt: skip


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest: datetime | None
    max_attempts: int
    reindexing: bool

    def age_seconds(self, now: datetime) -> float:
        return max(0.0, (now - self.oldest).total_seconds()) if self.oldest else 0.0


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    pending, oldest, attempts = (
        await session.execute(
            select(
                func.count(SearchOutbox.id),
                func.min(SearchOutbox.enqueued_at),
                func.coalesce(func.max(SearchOutbox.attempts), 0),
            ).where(SearchOutbox.op != "reindex")
        )
    ).one()
    return Backlog(int(pending), oldest, int(attempts), await reindex_in_progress(session, now))


async def reindex_in_progress(session: AsyncSession, now: datetime) -> bool:
    marker = await session.scalar(
        select(SearchOutbox.id)
        .where(SearchOutbox.op == "reindex", SearchOutbox.enqueued_at > now - REINDEX_LEASE)
        .limit(1)
    )
    return marker is not None
