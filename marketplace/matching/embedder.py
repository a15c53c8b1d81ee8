"""Keeping `record_vectors` true: a subscriber of the event outbox, and the command that fills
the table for existing records.

The subscriber listens to the events that change search documents of listings, tenders and
funding calls (the same `SearchKind`s search uses, so a record is embedded exactly when its
document changes), loads the records' current documents and embeds those whose text changed;
a record gone or no longer public loses its vector. Idempotent: an event delivered again
finds the hash unchanged and embeds nothing. With embeddings off it wants no events.

With a search backend that searches by meaning (Meilisearch, `vector_search`), the batch's
vectors are then pushed to it as a partial update (`SearchBackend.set_vectors`, which skips
documents not indexed yet: the search subscriber adds those with their stored vector). All
the batch's stored vectors are pushed, not only the new ones, so a push that failed is made
again when the events are delivered again (an unreachable backend is transient).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.core.module import Runtime, SearchKind
from marketplace.db import intent
from marketplace.matching import embeddings
from marketplace.searching.runtime import SERVICE as SEARCH_BACKEND
from marketplace.searching.worker import current_documents, records_of
from search import BackendUnavailable, SearchBackend

SUBSCRIBER = "embeddings"
CHUNK = 256  # records embedded per transaction by `marketplace matching embed`


def _kinds(search_kinds: Sequence[SearchKind]) -> dict[str, SearchKind]:
    return {k.name: k for k in search_kinds if k.name in embeddings.KINDS}


class Embedder:
    name = SUBSCRIBER
    transient: tuple[type[BaseException], ...] = (BackendUnavailable, OSError)

    def __init__(
        self, search_kinds: Sequence[SearchKind], on: bool, backend: SearchBackend | None = None
    ) -> None:
        self.search_kinds = _kinds(search_kinds)
        # Only a backend that takes vectors is told of them.
        self.backend = backend if backend is not None and backend.vector_search else None
        self.kinds: frozenset[str] | None = (
            frozenset().union(*(k.kinds for k in self.search_kinds.values())) if on else frozenset()
        )
        self.embedded = 0

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        if not embeddings.active():
            return
        async with sessions() as session:
            targets = await records_of(session, self.search_kinds, events)
            documents, gone = await current_documents(session, self.search_kinds, targets)
        with intent("write"):
            async with sessions() as session, session.begin():
                self.embedded += len(await embeddings.store(session, documents, now))
                await embeddings.forget(session, gone)
        if self.backend is not None and documents:
            async with sessions() as session:
                stored = await embeddings.stored_vectors(session, [d.id for d in documents])
            await self.backend.set_vectors(stored)


def embedder(runtime: Runtime) -> Embedder:
    on = embeddings.configure(runtime.settings.embeddings, runtime.settings.env)
    backend = runtime.services.get(SEARCH_BACKEND)
    return Embedder(runtime.modules.search_kinds, on, backend)


async def embed_all(
    sessions: async_sessionmaker[AsyncSession],
    search_kinds: Sequence[SearchKind],
    now: Callable[[], datetime],
    progress: Callable[[str, int, int, int], None] = lambda kind, done, total, new: None,
    backend: SearchBackend | None = None,
) -> int:
    """Embed every published record whose vector is missing or stale, in chunks; vectors of
    records no longer published are removed. Returns how many were embedded. A backend that
    searches by meaning is given each chunk's new vectors."""
    embedded = 0
    for name, kind in sorted(_kinds(search_kinds).items()):
        async with sessions() as session:
            if kind.key is None:
                ids = [d.id for d in await kind.load(session, None)]
            else:
                ids = list(await session.scalars(select(kind.key).order_by(kind.key)))
            stored = set(
                await session.scalars(
                    select(embeddings.RecordVector.record_id).where(
                        embeddings.RecordVector.kind == name
                    )
                )
            )
        found_ids: set[str] = set()
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            async with sessions() as session:
                documents, _ = await current_documents(session, {name: kind}, {name: part})
            found_ids.update(d.id for d in documents)
            with intent("write"):
                async with sessions() as session, session.begin():
                    made = await embeddings.store(session, documents, now())
            if backend is not None and backend.vector_search and made:
                await backend.set_vectors(made)
            embedded += len(made)
            progress(name, start + len(part), len(ids), embedded)
        with intent("write"):
            async with sessions() as session, session.begin():
                await embeddings.forget(session, sorted(stored - found_ids))
        if not ids:
            progress(name, 0, 0, embedded)
    return embedded
