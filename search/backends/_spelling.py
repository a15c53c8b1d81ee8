"""Spelling suggestions of the embedded index, from its vocabulary held in memory.

FTS5's `fts5vocab` counts each term's documents by reading the term's whole doclist, so
listing the terms that start with one letter costs 25 to 60 ms at 100 000 documents, and
the whole vocabulary ~0.6 s: too much for every misspelt query. A suggestion needs
candidates, not up-to-the-second counts, so the vocabulary is read once per index
generation and kept. When the index has moved on, a small vocabulary (one that took under
`RELOAD_NOW` to read) is read again at once; a large one is read again in the background,
at most once a minute, while the previous one keeps answering. A word indexed since is
still found by the search itself: corrections are only tried when a query finds nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from contextlib import suppress

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.backends._driver import fetch_all
from search.text import allowed_typos, best_correction

RELOAD_NOW = 0.05  # seconds: vocabularies read faster than this are re-read in the request
# Seconds between background re-reads of a large vocabulary: while the worker applies a
# change a second, re-reading it after each would keep a core busy.
REFRESH_AT_MOST_EVERY = 60.0


class Spelling:
    """The vocabulary (term, documents) grouped by first letter, and the corrections
    already worked out from it."""

    def __init__(self, engine: AsyncEngine, vocabulary_table: str) -> None:
        self.engine = engine
        self.table = vocabulary_table
        self.generation = -1
        self.version = 0  # counts the vocabularies read: an answer it corrected names one
        self._by_letter: dict[str, list[tuple[str, int]]] | None = None
        self._corrections: dict[str, str | None] = {}
        self._load_seconds = 0.0
        self._loaded_at = 0.0
        self._refresh: asyncio.Task[None] | None = None

    async def correction(self, conn: AsyncConnection, generation: int, word: str) -> str | None:
        """The indexed term closest to `word` within the typo budget (sharing its first
        letter, which keeps this fast on a large vocabulary), or None."""
        if allowed_typos(word) == 0:
            return None
        await self._current(conn, generation)
        if word not in self._corrections:
            candidates = (self._by_letter or {}).get(word[0], [])
            self._corrections[word] = best_correction(
                word, ((t, d) for t, d in candidates if abs(len(t) - len(word)) <= 2)
            )
        return self._corrections[word]

    async def _current(self, conn: AsyncConnection, generation: int) -> None:
        if self._by_letter is not None and generation <= self.generation:
            return
        if self._by_letter is None or self._load_seconds < RELOAD_NOW:
            await self._load(conn, generation)
        elif (self._refresh is None or self._refresh.done()) and (
            time.monotonic() - self._loaded_at >= REFRESH_AT_MOST_EVERY
        ):
            self._refresh = asyncio.create_task(self._load_apart(generation))

    async def _load_apart(self, generation: int) -> None:
        async with self.engine.connect() as conn:
            await self._load(conn, generation)

    async def _load(self, conn: AsyncConnection, generation: int) -> None:
        started = time.perf_counter()
        rows = await fetch_all(conn, f"SELECT term, doc FROM {self.table}")
        by_letter: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for term, documents in rows:
            by_letter[str(term)[:1]].append((str(term), int(documents)))
        self._by_letter, self._corrections = dict(by_letter), {}
        self.version += 1
        self.generation = max(self.generation, generation)
        self._load_seconds = time.perf_counter() - started
        self._loaded_at = time.monotonic()

    async def close(self) -> None:
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
            with suppress(asyncio.CancelledError):
                await self._refresh
