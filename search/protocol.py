"""The one interface every search backend implements."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from search.documents import SearchDocument
from search.query import SearchQuery, SearchResult


class BackendUnavailable(Exception):
    """The backend cannot be reached or refused the request; the caller should retry later."""


class IndexOutdated(BackendUnavailable):
    """The index was built with other fields than this code's: a rebuild replaces it (until
    then it is refused, not searched field by field)."""


@runtime_checkable
class SearchBackend(Protocol):
    name: str
    # True when the backend searches by meaning itself (`SearchQuery.vector`, documents'
    # `vector`): Meilisearch with its user-provided embedder. False: it ignores vectors, and
    # a caller that wants the nearest in meaning scans them itself.
    vector_search: bool

    async def ensure_ready(self) -> None:
        """Create the index and its settings if missing (idempotent)."""

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents; returns once the backend has acknowledged them."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (unknown ids are ignored); returns once acknowledged."""

    async def search(self, query: SearchQuery) -> SearchResult: ...

    async def set_vectors(self, vectors: Mapping[str, Sequence[float]]) -> None:
        """Give documents already indexed their (new) embedding, nothing else changed; an id
        not in the index is skipped, never created. A no-op without `vector_search`."""

    async def rebuild(
        self, documents: Iterable[SearchDocument] | AsyncIterable[SearchDocument]
    ) -> int:
        """Build a fresh index from `documents` and swap it in atomically; searches keep
        answering from the old index until the swap. Returns the number indexed."""

    async def health(self) -> bool:
        """True when the backend answers."""

    async def count(self) -> int:
        """Documents in the live index."""

    async def close(self) -> None:
        """Release connections the backend owns (not the ones it was given)."""
