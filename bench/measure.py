"""Timing in the engine: full rebuild, query latency, matching latency.

Rebuild goes through `marketplace.searching.cli.reindex` — the registered loaders, then
`backend.rebuild` — which is what `marketplace search reindex` runs, so the figure is what
an operator waits for. Latencies are wall-clock per call (`perf_counter`) of distinct queries, each asked once,
after a warm-up with other queries that fills the page cache and the backends' prepared
statements: a warm server that is asked what people ask, never the same twice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.queries import CATEGORIES, BenchQuery
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.modules import ALL
from marketplace.searching.cli import loaded, long_lived_frozen, reindex
from search import SearchBackend, SearchDocument, SearchQuery

Progress = Callable[[str, int, int], None]


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latency:
    """Seconds per call."""

    samples: tuple[float, ...]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 0.99)

    @property
    def count(self) -> int:
        return len(self.samples)


@dataclass(frozen=True)
class Rebuild:
    documents: int
    seconds: float
    load_seconds: float  # the loaders alone, measured separately: where the time goes

    @property
    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else math.nan

    @property
    def load_rate(self) -> float:
        return self.documents / self.load_seconds if self.load_seconds else math.nan


@dataclass
class QueryRun:
    latency: dict[str, Latency] = field(default_factory=dict)  # by category
    # Other distinct queries, each right after an index write (a reader reloads first).
    after_write: Latency | None = None
    hits: dict[str, float] = field(default_factory=dict)  # mean total per category
    corrected: int = 0  # misspellings answered with a corrected query
    misspelling_found: int = 0  # misspellings that found something
    misspellings: int = 0
    # tantivy only: the part of each query spent in tantivy's own calls (the floor).
    in_engine: Latency | None = None

    @property
    def overall(self) -> Latency:
        return Latency(tuple(s for lat in self.latency.values() for s in lat.samples))


async def rebuild(
    engine: AsyncEngine, backend: SearchBackend, now: datetime, progress: Progress
) -> Rebuild:
    """A full rebuild through the reindex command's code, then the loaders alone: the
    rebuild's own chunks, read and mapped as it reads them, without the index."""
    sessions = session_maker(engine)
    started = time.perf_counter()
    kinds = Modules(ALL).search_kinds
    documents = await reindex(sessions, backend, kinds, lambda: now, progress)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with long_lived_frozen():
        async for _ in loaded(sessions, kinds, progress):
            pass
    return Rebuild(documents, seconds, time.perf_counter() - started)


async def queries(
    backend: SearchBackend, asked: Sequence[BenchQuery], now: datetime, progress: Progress,
    *, warmup: Sequence[BenchQuery] = (), after_a_write: Sequence[BenchQuery] = (),
) -> QueryRun:  # fmt: skip
    """Every query of `asked` once (they are all different: nothing any cache kept from an
    earlier query answers it), after the `warmup` queries (others again) warmed the
    process; then `after_a_write`, each right after an index write."""
    for bench_query in warmup:
        await backend.search(bench_query.search_query(now))
    samples: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    totals: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    run = QueryRun()
    inside: list[float] = []
    for done, bench_query in enumerate(asked, 1):
        query = bench_query.search_query(now)
        started = time.perf_counter()
        result = await backend.search(query)
        samples[bench_query.category].append(time.perf_counter() - started)
        if hasattr(backend, "engine_seconds"):  # tantivy: the time in its own calls
            inside.append(float(backend.engine_seconds))
        totals[bench_query.category].append(result.total)
        if bench_query.category == "misspelling":
            run.misspellings += 1
            run.corrected += result.corrected_text is not None
            run.misspelling_found += result.total > 0
        if done % 50 == 0 or done == len(asked):
            progress("queries", done, len(asked))
    for category in CATEGORIES:
        run.latency[category] = Latency(tuple(samples[category]))
        run.hits[category] = sum(totals[category]) / max(1, len(totals[category]))
    run.in_engine = Latency(tuple(inside)) if inside else None
    run.after_write = await after_write(
        backend, [q.search_query(now) for q in after_a_write], now, progress
    )
    return run


async def after_write(
    backend: SearchBackend, queries: Sequence[SearchQuery], now: datetime, progress: Progress
) -> Latency:
    """Each query once, each right after an index write (one probe document upserted, so
    every cache tied to the index's state is behind); the probe is deleted afterwards."""
    samples = []
    try:
        for done, query in enumerate(queries, 1):
            await backend.upsert([_probe(now, done)])
            started = time.perf_counter()
            await backend.search(query)
            samples.append(time.perf_counter() - started)
            progress("queries after a write", done, len(queries))
    finally:
        await backend.delete([PROBE_ID])
    return Latency(tuple(samples))


PROBE_ID = "bench-write-probe"


def _probe(now: datetime, version: int) -> SearchDocument:
    return SearchDocument(
        id=PROBE_ID, type="listing", title=f"Benchmark probe {version}",
        summary="A document written between queries", status="published", published_at=now,
    )  # fmt: skip


async def calls(call: Callable[[], Awaitable[object]], count: int, warmup: int = 3) -> Latency:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return Latency(tuple(samples))


async def round_trip(engine: AsyncEngine, count: int = 200) -> Latency:
    """The baseline for engine figures: one `SELECT 1` through the same engine and driver."""

    async def ping() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return await calls(ping, count)
