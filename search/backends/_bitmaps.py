"""Filters and facet counts of the SQLite index from compressed bitmaps held in memory.

Counting facets in SQL costs time in proportion to the matching documents times their term
rows: ~300 ms for a common word at 100 000 documents. Here each (field, value) of
`searchidx_terms` is a bitmap of document rowids; a query's filters are unions and
intersections of bitmaps and its facet counts are intersection cardinalities, a few
milliseconds whatever the size of the result.

The bitmaps are a cache of the tables, kept true across processes (the web server, the
worker, `search reindex`) by a generation counter and a change log written in the same
transaction as every index write: a search reads the generation; if the cache is behind,
it re-reads only the term rows of the rowids changed since, or everything after a rebuild
or when the log no longer reaches back far enough. A change committed between reading the
generation and reading the rows is simply re-applied next time (re-applying is idempotent).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from pyroaring import BitMap
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from search.backends._driver import fetch_all
from search.backends._postings import bitmap_of, rowids_of
from search.backends._sql import FACET_FIELDS, PREFIX

META = f"{PREFIX}meta"
CHANGES = f"{PREFIX}changes"
# Generations of the change log kept: a cache further behind reloads everything.
KEEP_GENERATIONS = 2000
CHUNK = 900  # rowids per IN (...) list, well under SQLite's variable limit

DDL = [
    f"CREATE TABLE IF NOT EXISTS {META} (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " generation INTEGER NOT NULL, reset_generation INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {META} (id, generation, reset_generation) VALUES (1, 0, 0)",
    f"CREATE TABLE IF NOT EXISTS {CHANGES} (generation INTEGER NOT NULL,"
    " doc_rowid INTEGER NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{CHANGES}_generation ON {CHANGES} (generation)",
]


async def record_change(conn: AsyncConnection, rowids: Iterable[int]) -> None:
    """In the writing transaction: the next generation, and which documents it touched."""
    changed = sorted(set(rowids))
    if not changed:
        return
    generation = (
        await conn.execute(
            text(f"UPDATE {META} SET generation = generation + 1 RETURNING generation")
        )
    ).scalar_one()
    await conn.execute(
        text(f"INSERT INTO {CHANGES} (generation, doc_rowid) VALUES (:g, :r)"),
        [{"g": generation, "r": r} for r in changed],
    )
    await conn.execute(
        text(f"DELETE FROM {CHANGES} WHERE generation <= :old"),
        {"old": generation - KEEP_GENERATIONS},
    )


async def record_reset(conn: AsyncConnection) -> None:
    """In the transaction that swaps a rebuilt index in: every cache reloads."""
    await conn.execute(
        text(f"UPDATE {META} SET generation = generation + 1, reset_generation = generation + 1")
    )
    await conn.execute(text(f"DELETE FROM {CHANGES}"))


# Document columns a query asks ranges of or is sorted by.
NUMBERS = ("value", "deadline", "published_at")
GENERATION = f"SELECT generation FROM {META}"


@dataclass
class Numbers:
    """One numeric column of the documents, sorted (numpy arrays: keys ascending, the rowids
    beside them), for range filters and sorted pages without SQL. Immutable once published:
    a change makes new arrays (linear, well under a millisecond at 100 000 documents)."""

    keys: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    rowids: NDArray[np.uint32] = field(default_factory=lambda: np.empty(0, dtype=np.uint32))

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, float]]) -> Numbers:
        """From (rowid, key) pairs in any order."""
        found = list(pairs)
        rowids = np.fromiter((r for r, _ in found), dtype=np.uint32, count=len(found))
        keys = np.fromiter((k for _, k in found), dtype=np.float64, count=len(found))
        order = np.lexsort((rowids, keys))
        return cls(keys[order], rowids[order])

    def changed(self, removed: BitMap, added: Iterable[tuple[int, float]]) -> Numbers:
        """A copy without the `removed` rowids and with the `added` (rowid, key) pairs; equal
        keys keep no particular order (ranges are sets; sorted pages order ties by id)."""
        keys, rowids = self.keys, self.rowids
        gone = rowids_of(removed)
        if len(gone) and len(rowids):
            mask = np.zeros(int(max(gone.max(), rowids.max())) + 1, dtype=bool)
            mask[gone] = True
            kept = ~mask[rowids]
            keys, rowids = keys[kept], rowids[kept]
        extra = Numbers.of(added)
        if len(extra.keys):
            at = np.searchsorted(keys, extra.keys, side="right")
            keys, rowids = np.insert(keys, at, extra.keys), np.insert(rowids, at, extra.rowids)
        return Numbers(keys, rowids)

    def span(self, low: float | None, high: float | None) -> tuple[int, int]:
        """Where the keys in [low, high] lie: for one generation, equal spans are equal sets
        (a result cached for a deadline bound of now serves until the next deadline)."""
        start = 0 if low is None else int(np.searchsorted(self.keys, low, side="left"))
        end = len(self.keys) if high is None else int(np.searchsorted(self.keys, high, "right"))
        return start, end

    def between(self, low: float | None, high: float | None) -> BitMap:
        start, end = self.span(low, high)
        return bitmap_of(self.rowids[start:end])

    def ordered(
        self, within: BitMap, *, descending: bool
    ) -> tuple[NDArray[np.float64], NDArray[np.uint32]]:
        """The keys and rowids of the documents of `within` that have a key, in key order
        (descending: largest first; the keys are then negated, so they always ascend);
        equal keys in no particular order. Linear in the documents, without SQL."""
        keys, rowids = self.keys, self.rowids
        members = rowids_of(within)
        if not len(members) or not len(rowids):
            return keys[:0], rowids[:0]
        mask = np.zeros(int(max(members.max(), rowids.max())) + 1, dtype=bool)
        mask[members] = True
        kept = mask[rowids]
        keys, rowids = keys[kept], rowids[kept]
        if descending:
            return -keys[::-1], rowids[::-1]
        return keys, rowids


@dataclass
class Bitmaps:
    generation: int
    documents: BitMap = field(default_factory=BitMap)
    terms: dict[tuple[str, str], BitMap] = field(default_factory=dict)
    numbers: dict[str, Numbers] = field(default_factory=lambda: {n: Numbers() for n in NUMBERS})
    # (facet name, value, members), taken from `terms` once the set is complete: the facet
    # fields are a few hundred of the tens of thousands of terms (every CPV code and region).
    _facet_terms: list[tuple[str, str, BitMap]] | None = field(default=None, init=False, repr=False)

    def copy(self) -> Bitmaps:
        """A new set sharing this one's bitmaps and arrays: whoever changes the copy replaces
        what it changes (copying every term's bitmap cost ~30 ms a write at 100 000)."""
        return Bitmaps(self.generation, self.documents, dict(self.terms), dict(self.numbers))

    def between(self, column: str, low: float | None, high: float | None) -> BitMap:
        """Documents whose `column` lies in [low, high] (documents without one never do)."""
        return self.numbers[column].between(low, high)

    def matching(self, filters: Mapping[str, Iterable[str]]) -> BitMap | None:
        """Documents passing every term filter (values of one filter are alternatives);
        None when there is no term filter (every document passes)."""
        result: BitMap | None = None
        for name, values in filters.items():
            wanted = list(values)
            if not wanted:
                continue
            union = BitMap.union(BitMap(), *(self.terms.get((name, v), BitMap()) for v in wanted))
            result = union if result is None else result & union
        return result

    def facets(self, within: BitMap | None) -> dict[str, dict[str, int]]:
        """Facet name → value → documents among `within` (None: among all)."""
        counts: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        if self._facet_terms is None:
            stored = {f: name for name, f in FACET_FIELDS.items()}
            self._facet_terms = [
                (stored[term_field], value, members)
                for (term_field, value), members in self.terms.items()
                if term_field in stored
            ]
        for name, value, members in self._facet_terms:
            n = len(members) if within is None else members.intersection_cardinality(within)
            if n:
                counts[name][value] = n
        return counts


class BitmapCache:
    """One per backend object (so per process); refreshes are serialised, readers never
    see a half-updated set because a refresh builds a new one and swaps it in."""

    def __init__(self) -> None:
        self._current: Bitmaps | None = None
        self._lock = asyncio.Lock()

    def forget(self) -> None:
        self._current = None

    @property
    def current(self) -> Bitmaps | None:
        """The set as last read (it may be behind the index: compare generations)."""
        return self._current

    async def get(self, conn: AsyncConnection) -> Bitmaps:
        generation, reset = (
            await conn.execute(text(f"SELECT generation, reset_generation FROM {META}"))
        ).one()
        current = self._current
        if current is not None and current.generation == generation:
            return current
        async with self._lock:
            current = self._current
            if current is not None and current.generation == generation:
                return current
            if current is None or current.generation < reset:
                fresh = await _load(conn, generation)
            else:
                fresh = await _catch_up(conn, current, generation)
            self._current = fresh
            return fresh


async def _load(conn: AsyncConnection, generation: int) -> Bitmaps:
    bitmaps = Bitmaps(generation)
    await _add_documents(conn, bitmaps, None)
    await _add_terms(conn, bitmaps, None)
    return bitmaps


async def _add_documents(conn: AsyncConnection, bitmaps: Bitmaps, rowids: str | None) -> None:
    """Documents and their numbers into `bitmaps` (a full load when `rowids` is None, else
    added to a copy: its documents bitmap and arrays are replaced, never changed)."""
    where = f" WHERE rowid IN ({rowids})" if rowids is not None else ""
    rows = await fetch_all(
        conn, f"SELECT rowid, {', '.join(NUMBERS)} FROM {PREFIX}documents{where}"
    )
    bitmaps.documents = bitmaps.documents | BitMap(r[0] for r in rows)
    for n, column in enumerate(NUMBERS, 1):
        pairs = ((r[0], r[n]) for r in rows if r[n] is not None)
        if rowids is None:
            bitmaps.numbers[column] = Numbers.of(pairs)
        else:
            bitmaps.numbers[column] = bitmaps.numbers[column].changed(BitMap(), pairs)


async def _catch_up(conn: AsyncConnection, current: Bitmaps, generation: int) -> Bitmaps:
    oldest = (
        await conn.execute(text(f"SELECT min(generation) FROM {CHANGES}"))
    ).scalar_one_or_none()
    if oldest is None or oldest > current.generation + 1:
        return await _load(conn, generation)  # the log no longer reaches back that far
    changed = BitMap(
        r
        for (r,) in await conn.execute(
            text(f"SELECT DISTINCT doc_rowid FROM {CHANGES} WHERE generation > :g"),
            {"g": current.generation},
        )
    )
    fresh = current.copy()
    fresh.generation = generation
    fresh.documents = fresh.documents - changed
    for key, members in fresh.terms.items():
        if members.intersect(changed):
            fresh.terms[key] = members - changed
    ids = list(changed)
    for column, numbers in fresh.numbers.items():
        fresh.numbers[column] = numbers.changed(changed, ())
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names = ", ".join(str(int(r)) for r in chunk)  # integers from the index itself
        await _add_documents(conn, fresh, names)
        await _add_terms(conn, fresh, names)
    return fresh


async def _add_terms(conn: AsyncConnection, bitmaps: Bitmaps, rowids: str | None) -> None:
    where = f" WHERE doc_rowid IN ({rowids})" if rowids is not None else ""
    rows = await fetch_all(
        conn, f"SELECT field, value, doc_rowid FROM {PREFIX}terms{where} ORDER BY field, value"
    )
    key: tuple[str, str] | None = None
    batch: list[int] = []

    def add() -> None:  # a new bitmap: a copy's bitmaps are shared with the live set
        if key is not None:
            bitmaps.terms[key] = bitmaps.terms.get(key, BitMap()) | BitMap(batch)

    for term_field, value, rowid in rows:
        if (term_field, value) != key:
            add()
            key, batch = (term_field, value), []
        batch.append(rowid)
    add()
