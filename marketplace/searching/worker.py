"""Draining the outbox into the search backend.

A batch is: read the oldest rows, ask each kind's loader for the current documents, send
upserts and deletes to the backend, and delete exactly the rows read once the backend has
acknowledged. A crash or a backend failure anywhere before that last step leaves the rows
in place, so the next run repeats the (idempotent) work: nothing is lost.

On PostgreSQL the rows are claimed with `FOR UPDATE SKIP LOCKED` in a transaction held
across the batch, so several workers share the queue without doing a row twice. SQLite has
one writer anyway: rows are read in a short transaction and deleted by id afterwards (a
long read transaction there could not be upgraded to a write once the index was written).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.searching.models import SearchOutbox
from marketplace.searching.outbox import KINDS, reindex_in_progress
from search import BackendUnavailable, SearchBackend, SearchDocument

log = logging.getLogger(__name__)


@dataclass
class BatchResult:
    acknowledged: int = 0  # outbox rows done and deleted
    upserted: int = 0
    deleted: int = 0
    paused: bool = False  # a full rebuild is running
    error: str | None = None


async def drain_once(
    sessions: async_sessionmaker[AsyncSession],
    backend: SearchBackend,
    now: datetime,
    batch_size: int = 200,
) -> BatchResult:
    async with sessions() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if await reindex_in_progress(session, now):
            return BatchResult(paused=True)
        statement = (
            select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.record_id)
            .where(SearchOutbox.op != "reindex", SearchOutbox.kind.in_(list(KINDS)))
            .order_by(SearchOutbox.id)
            .limit(batch_size)
        )
        if postgres:
            statement = statement.with_for_update(skip_locked=True)
        rows = (await session.execute(statement)).all()
        if not rows:
            await session.commit()
            return BatchResult()
        row_ids = [r.id for r in rows]
        try:
            documents, gone = await _current_documents(session, rows)
            if not postgres:
                await session.commit()  # end the read; the backend may write this file
            await backend.upsert(documents)
            await backend.delete(gone)
        except Exception as error:  # loader or backend: the rows stay, the count goes up
            await session.rollback()
            await _count_attempt(sessions, row_ids)
            log.warning("search outbox batch failed, will retry: %s", error)
            return BatchResult(error=str(error) or type(error).__name__)
        await session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))
        await session.commit()
        return BatchResult(len(row_ids), len(documents), len(gone))


async def _current_documents(
    session: AsyncSession, rows: Any
) -> tuple[list[SearchDocument], list[str]]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.record_id not in by_kind[row.kind]:
            by_kind[row.kind].append(row.record_id)
    documents: list[SearchDocument] = []
    gone: list[str] = []
    for kind, ids in by_kind.items():
        found = {doc.id: doc for doc in await KINDS[kind].load(session, ids)}
        documents += [found[i] for i in ids if i in found]
        gone += [i for i in ids if i not in found]
    return documents, gone


async def _count_attempt(sessions: async_sessionmaker[AsyncSession], row_ids: list[int]) -> None:
    try:
        async with sessions() as session, session.begin():
            await session.execute(
                update(SearchOutbox)
                .where(SearchOutbox.id.in_(row_ids))
                .values(attempts=SearchOutbox.attempts + 1)
            )
    except Exception as error:  # the database itself is in trouble; the rows are still there
        log.warning("could not count the failed attempt: %s", error)


async def drain(
    sessions: async_sessionmaker[AsyncSession],
    backend: SearchBackend,
    now: datetime,
    batch_size: int = 200,
) -> BatchResult:
    """Drain until the outbox is empty, paused, or a batch fails; totals of the run."""
    total = BatchResult()
    while True:
        batch = await drain_once(sessions, backend, now, batch_size)
        total.acknowledged += batch.acknowledged
        total.upserted += batch.upserted
        total.deleted += batch.deleted
        if batch.error or batch.paused or batch.acknowledged == 0:
            total.error, total.paused = batch.error, batch.paused
            return total


class SearchWorker:
    """The outbox drain as a background task: in-process for the embedded default, or the
    body of `marketplace search worker`. Backs off while the backend is down."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        backend: SearchBackend,
        now: Callable[[], datetime],
        *,
        interval: float = 1.0,
        batch_size: int = 200,
        max_backoff: float = 60.0,
    ) -> None:
        self.sessions = sessions
        self.backend = backend
        self.now = now
        self.interval = interval
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self.run(), name="search-outbox-worker")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                result = await drain(self.sessions, self.backend, self.now(), self.batch_size)
            except (BackendUnavailable, OSError) as error:
                result = BatchResult(error=str(error))
            except Exception:  # a bug must not kill the worker silently: log, back off
                log.exception("search outbox worker failed")
                result = BatchResult(error="unexpected error")
            delay = min(delay * 2, self.max_backoff) if result.error else self.interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=delay)
