"""Ranked postings of the embedded index, held in memory: for each word, phrase or prefix a
search asks for, the documents it matches and FTS5's relevance of each.

Why: at 100 000 documents FTS5 spends 10 to 60 ms finding and ranking the matches of a common
word (most of it computing bm25 for every match), and a search did it twice (once for the
matching set that totals and facets are counted on, once to rank the page). FTS5's bm25 is
a sum over the query's phrases, each part depending only on that phrase and the row
(`sum IDF(p) * f(p, row) * (k1 + 1) / (f(p, row) + k1 * (1 - b + b * len(row) / avglen))`),
so over the rows matching `a b` the rank of `a b` is exactly rank(a) + rank(b), and over
the rows matching `a OR b` the sum of the ranks of the parts each row matches. One read per
part therefore gives both the matching set and the ranking of every query it is part of:
the words typed one letter at a time, the same word with other filters, the candidates of
matching. Reading a part is the cold cost; combining parts in memory is well under 1 ms.

Held in a `GenerationCache` (`_memory.py`) weighed by postings: any index write starts a
new generation and drops them all, since a write changes every part's IDF and the average
length, so every rank moves.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pyroaring import BitMap

# Postings held per backend object (~14 bytes each: rowid, rank and the bitmap): ~40 MB.
BUDGET = 3_000_000

Rowids = NDArray[np.uint32]
Ranks = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Postings:
    """One part's matches: rowids ascending, FTS5's rank of each (negative bm25: lower ranks
    first), and the same rowids as a bitmap for set operations and facet counts."""

    rowids: Rowids
    ranks: Ranks
    members: BitMap

    @classmethod
    def of(cls, rows: Sequence[tuple[Any, Any]]) -> Postings:
        """From (rowid, rank) rows in any order."""
        pairs = np.array(rows, dtype=np.float64).reshape(-1, 2)
        rowids = pairs[:, 0].astype(np.uint32)
        ranks = np.ascontiguousarray(pairs[:, 1])
        if len(rowids) > 1 and not bool(np.all(rowids[1:] > rowids[:-1])):
            order = np.argsort(rowids, kind="stable")
            rowids, ranks = rowids[order], ranks[order]
        return cls(rowids, ranks, bitmap_of(rowids))

    def __len__(self) -> int:
        return len(self.rowids)

    def ranks_of(self, rowids: Rowids) -> Ranks:
        """The rank of each of `rowids`, all of which this part matches."""
        return self.ranks[np.searchsorted(self.rowids, rowids)]

    def ranks_or_zero(self, rowids: Rowids) -> Ranks:
        """The rank of each of `rowids`, 0 where this part does not match (an OR query)."""
        if not len(self.rowids):
            return np.zeros(len(rowids))
        at = np.minimum(np.searchsorted(self.rowids, rowids), len(self.rowids) - 1)
        return np.where(self.rowids[at] == rowids, self.ranks[at], 0.0)


def bitmap_of(rowids: Rowids) -> BitMap:
    """A bitmap from a numpy array without a Python object per rowid."""
    values = array("I")
    values.frombytes(np.ascontiguousarray(rowids, dtype=np.uint32).tobytes())
    return BitMap(values)


def rowids_of(members: BitMap) -> Rowids:
    return np.frombuffer(members.to_array(), dtype=np.uint32)


def matching(parts: Sequence[Postings], *, any_word: bool) -> BitMap:
    """Documents matching every part (or, for `any_word`, at least one)."""
    if any_word:
        return BitMap.union(BitMap(), *(p.members for p in parts))
    if len(parts) == 1:
        return parts[0].members
    return BitMap.intersection(*(p.members for p in parts))


def ranks(parts: Sequence[Postings], rowids: Rowids, *, any_word: bool) -> Ranks:
    """FTS5's rank of the whole query for each of `rowids` (which match it): the sum of the
    parts' ranks."""
    total = np.zeros(len(rowids))
    for part in parts:
        total += part.ranks_or_zero(rowids) if any_word else part.ranks_of(rowids)
    return total


def page_region(ranked: Ranks, offset: int, end: int) -> tuple[NDArray[np.intp], int]:
    """Where the page [offset, end) of the rows ordered by rank lies, before equal ranks are
    put in document-id order: the indexes of every row whose rank lies between the page's
    first and last rank, and how many rows rank strictly before them. Linear in the rows;
    only the region (usually the page itself) needs sorting."""
    count = len(ranked)
    end = min(end, count)
    if offset >= end:
        return np.empty(0, dtype=np.intp), 0
    bounds = np.partition(ranked, [offset, end - 1]) if count > 1 else ranked
    first, last = bounds[offset], bounds[end - 1]
    before = int(np.count_nonzero(ranked < first))
    region = np.flatnonzero((ranked >= first) & (ranked <= last))
    return region, before
