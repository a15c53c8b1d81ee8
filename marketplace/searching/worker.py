"""The search index as one subscriber of the event outbox.

A batch is: the events delivered to `search`, turned into the records they change (an
event's subject, or the records that show it: an organisation's new name is on its
listings, tenders and calls), each kind's loader asked for those records' current
documents, upserts and deletes sent to the backend. The worker in `marketplace.core.delivery`
acknowledges the events only once the backend has acknowledged the writes, so a crash or a
backend failure anywhere before that leaves them to be delivered again, and the repeated
work is idempotent: nothing is lost. The loaders read in a session that ends before the
backend writes (on SQLite the embedded index lives in the same file).

A backend that searches by meaning (`vector_search`: Meilisearch with embeddings on) gets
each document with the record's stored embedding, read in the same session from the service
`VECTORS` (provided by matching); the matching embedder, once it has stored new vectors,
pushes them to the backend as a partial update. Whichever of the two subscribers runs first,
the index ends with the document and its latest vector.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.delivery import DeliveryResult, deliver_once, route
from marketplace.core.events import Event
from marketplace.core.module import SearchKind
from marketplace.db import intent
from marketplace.searching.events import INDEX_REQUESTED
from search import BackendUnavailable, SearchBackend, SearchDocument

log = logging.getLogger(__name__)

SUBSCRIBER = "search"
# The service that reads records' stored embeddings (matching provides it).
VECTORS = "record_vectors"
VectorSource = Callable[[AsyncSession, Sequence[str]], Awaitable[Mapping[str, Sequence[float]]]]


async def with_vectors(
    session: AsyncSession, documents: list[SearchDocument], source: VectorSource | None,
    backend: SearchBackend,
) -> list[SearchDocument]:  # fmt: skip
    """The documents with their records' stored vectors, for a backend that searches by
    meaning; unchanged for one that does not (or without a source)."""
    if source is None or not backend.vector_search or not documents:
        return documents
    found = await source(session, [d.id for d in documents])
    return [replace(d, vector=tuple(v)) if (v := found.get(d.id)) is not None else d
            for d in documents]  # fmt: skip


class SearchIndexer:
    """Keeps `backend` true to the records of `kinds` as their events arrive."""

    name = SUBSCRIBER
    # An unreachable or refusing backend is an outage: retried, never parked.
    transient: tuple[type[BaseException], ...] = (BackendUnavailable, OSError)

    def __init__(
        self, backend: SearchBackend, kinds: Iterable[SearchKind],
        vectors: VectorSource | None = None,
    ) -> None:  # fmt: skip
        self.backend = backend
        self.vectors = vectors
        self.search_kinds: dict[str, SearchKind] = {k.name: k for k in kinds}
        self.kinds: frozenset[str] | None = frozenset({INDEX_REQUESTED.kind}).union(
            *(k.kinds for k in self.search_kinds.values())
        )
        self.upserted = 0
        self.deleted = 0

    async def records(self, session: AsyncSession, events: Sequence[Event]) -> dict[str, list[str]]:
        """The records, by search kind, whose documents the events change (in order, once)."""
        return await records_of(session, self.search_kinds, events)

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        async with sessions() as session:
            targets = await self.records(session, events)
            documents, gone = await current_documents(session, self.search_kinds, targets)
            documents = await with_vectors(session, documents, self.vectors, self.backend)
        # The read is over: the backend may now write (on SQLite, to this very file, in
        # its turn with this process's other writers).
        with intent("write"):
            await self.backend.upsert(documents)
            await self.backend.delete(gone)
        self.upserted += len(documents)
        self.deleted += len(gone)


async def records_of(
    session: AsyncSession, search_kinds: Mapping[str, SearchKind], events: Sequence[Event]
) -> dict[str, list[str]]:
    """The records, by search kind, whose documents the events change (in order, once); also
    what the matching embedder re-embeds."""
    wanted: dict[str, dict[str, None]] = defaultdict(dict)
    for event in events:
        if event.kind == INDEX_REQUESTED.kind:
            kind = str(event.data.get("kind", ""))
            if kind in search_kinds:
                wanted[kind][event.subject_id] = None
            continue
        for name, kind_ in search_kinds.items():
            if event.kind in kind_.changed_by:
                wanted[name][event.subject_id] = None
            finder = kind_.shows.get(event.kind)
            if finder is not None:
                for record_id in await finder(session, event):
                    wanted[name][record_id] = None
    return {kind: list(ids) for kind, ids in wanted.items() if ids}


async def current_documents(
    session: AsyncSession, kinds: Mapping[str, SearchKind], targets: Mapping[str, Sequence[str]]
) -> tuple[list[SearchDocument], list[str]]:
    """What the index should hold for `targets` now: documents to upsert, ids to delete
    (records gone or no longer public)."""
    documents: list[SearchDocument] = []
    gone: list[str] = []
    for kind, ids in targets.items():
        found = {doc.id: doc for doc in await kinds[kind].load(session, ids)}
        documents += [found[i] for i in ids if i in found]
        gone += [i for i in ids if i not in found]
    return documents, gone


# --- draining search alone (tests, tools) --------------------------------------------------


@dataclass
class BatchResult:
    acknowledged: int = 0  # events delivered to search and acknowledged
    upserted: int = 0
    deleted: int = 0
    paused: bool = False  # a full rebuild is running
    error: str | None = None


async def drain_once(
    sessions: async_sessionmaker[AsyncSession],
    indexer: SearchIndexer,
    now: datetime,
    batch_size: int = 200,
    *,
    lease: timedelta = timedelta(seconds=30),
) -> BatchResult:
    """One batch with search as the only subscriber. New events are routed to search alone,
    so this is for tests and tools that run search by itself; a deployment runs
    `marketplace.core.delivery.EventWorker` with every module's subscribers."""
    await route(sessions, [indexer], now)
    upserted, deleted = indexer.upserted, indexer.deleted
    result: DeliveryResult = await deliver_once(
        sessions, indexer, now, batch_size=batch_size, lease=lease
    )
    return BatchResult(
        result.delivered, indexer.upserted - upserted, indexer.deleted - deleted, result.paused,
        result.error,
    )  # fmt: skip


async def drain(
    sessions: async_sessionmaker[AsyncSession],
    indexer: SearchIndexer,
    now: datetime,
    batch_size: int = 200,
) -> BatchResult:
    """Drain until nothing is due, paused, or a batch fails; totals of the run."""
    total = BatchResult()
    while True:
        batch = await drain_once(sessions, indexer, now, batch_size)
        total.acknowledged += batch.acknowledged
        total.upserted += batch.upserted
        total.deleted += batch.deleted
        if batch.error or batch.paused or batch.acknowledged == 0:
            total.error, total.paused = batch.error, batch.paused
            return total
