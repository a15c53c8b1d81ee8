"""Timing in the engine: full rebuild, query latency, matching latency.

Rebuild goes through `marketplace.searching.cli.reindex` — the registered loaders, then
`backend.rebuild` — which is what `marketplace search reindex` runs, so the figure is what
an operator waits for. Latencies are wall-clock per call (`perf_counter`), after a warm-up
that fills the database's page cache and the backends' prepared statements, so the
figures describe a warm server, the state it spends its life in.
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
from marketplace.db import session_maker
from marketplace.searching.cli import reindex
from marketplace.searching.outbox import KINDS
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
    # Each query of the mix once, right after an index write: what a backend that keeps
    # per-generation state in memory (the embedded one's postings) answers cold.
    after_write: Latency | None = None
    hits: dict[str, float] = field(default_factory=dict)  # mean total per category
    corrected: int = 0  # misspellings answered with a corrected query
    misspellings: int = 0

    @property
    def overall(self) -> Latency:
        return Latency(tuple(s for lat in self.latency.values() for s in lat.samples))


async def rebuild(
    engine: AsyncEngine, backend: SearchBackend, now: datetime, progress: Progress
) -> Rebuild:
    """A full rebuild through the reindex command's code, then the loaders alone."""
    sessions = session_maker(engine)
    started = time.perf_counter()
    documents = await reindex(sessions, backend, lambda: now, progress)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for kind in sorted(KINDS):
        async with sessions() as session:
            await KINDS[kind].load(session, None)
    return Rebuild(documents, seconds, time.perf_counter() - started)


async def queries(
    backend: SearchBackend, mix: Sequence[BenchQuery], now: datetime, rounds: int,
    progress: Progress, warmup: int = 2,
) -> QueryRun:  # fmt: skip
    """Every query of the mix `rounds` times (interleaved, so a slow phase of the shared
    machine affects every category alike), after `warmup` unmeasured rounds."""
    prepared = [(q, q.search_query(now)) for q in mix]
    for _ in range(warmup):
        for _, query in prepared:
            await backend.search(query)
    samples: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    totals: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    run = QueryRun()
    for done in range(rounds):
        for bench_query, query in prepared:
            started = time.perf_counter()
            result = await backend.search(query)
            samples[bench_query.category].append(time.perf_counter() - started)
            totals[bench_query.category].append(result.total)
            if done == 0 and bench_query.category == "misspelling":
                run.misspellings += 1
                run.corrected += result.corrected_text is not None
        progress("queries", done + 1, rounds)
    for category in CATEGORIES:
        run.latency[category] = Latency(tuple(samples[category]))
        run.hits[category] = sum(totals[category]) / max(1, len(totals[category]))
    run.after_write = await after_write(backend, [q for _, q in prepared], now, progress)
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
