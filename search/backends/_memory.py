"""A bounded, least-recently-used memory of values that hold for one index generation.

The embedded backend keeps two of them (`_postings.py`: a word's matches and ranks;
`sqlite.py`: whole result pages). Both stay true the same way: the generation counter of
`_bitmaps.py` moves with every index write, and a newer generation empties the memory
(values read at an older one are refused, so a search that started before a write and
finished after it leaves nothing stale behind).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class GenerationCache(Generic[K, V]):
    """At most `budget` units held, a value weighing `weigh(value)` units (1 by default)."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = lambda _: 1) -> None:
        self.budget = budget
        self.weigh = weigh
        self.generation = -1
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._held = 0

    def __len__(self) -> int:
        return len(self._entries)

    def forget(self) -> None:
        self.generation = -1
        self._entries.clear()
        self._held = 0

    def get(self, generation: int, key: K) -> V | None:
        if generation != self.generation:
            return None
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def put(self, generation: int, key: K, value: V) -> None:
        weight = self.weigh(value)
        if generation < self.generation or weight > self.budget:
            return
        if generation > self.generation:
            self.forget()
            self.generation = generation
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._held -= previous[1]
        self._entries[key] = (value, weight)
        self._held += weight
        while self._held > self.budget:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._held -= dropped
