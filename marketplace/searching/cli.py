"""`marketplace search reindex | status | worker`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.delivery import backlog, pause, resume
from marketplace.core.module import Argument, Command, CommandContext, SearchKind, open_runtime
from marketplace.core.progress import per_kind
from marketplace.core.worker import run_worker
from marketplace.db import intent
from marketplace.searching.runtime import backend_of
from marketplace.searching.worker import (
    SUBSCRIBER,
    VECTORS,
    SearchIndexer,
    VectorSource,
    with_vectors,
)
from search import IndexOutdated, SearchBackend, SearchDocument

LOAD_CHUNK = 2000  # ids per loader call during a rebuild
REBUILD_GC_THRESHOLD = 50_000  # allocations between young collections during a rebuild


async def reindex(
    sessions: async_sessionmaker[AsyncSession],
    backend: SearchBackend,
    kinds: Sequence[SearchKind],
    now: Callable[[], datetime],
    progress: Callable[[str, int, int], None] = lambda kind, done, total: None,
    vectors: VectorSource | None = None,
) -> int:
    """Rebuild the whole index from the kinds' loaders, swapped in at the end (each document
    with its stored vector, for a backend that searches by meaning).

    While it runs, search's event deliveries are paused: a change committed after a kind
    was read waits as an event and is applied to the new index after the swap (delivered
    earlier, it would have gone into the index being replaced).
    """
    with contextlib.suppress(IndexOutdated):  # what the rebuild is for
        await backend.ensure_ready()
    marker = await pause(sessions, SUBSCRIBER, now())
    try:
        with long_lived_frozen():
            return await backend.rebuild(loaded(sessions, kinds, progress, vectors, backend))
    finally:
        await resume(sessions, marker)


@contextlib.contextmanager
def long_lived_frozen() -> Iterator[None]:
    """The objects that exist before the rebuild (modules, vocabularies, mappers) left out
    of the cycle collector's full passes while it runs, and young collections less often:
    the rebuild makes millions of short-lived rows and documents, and each full pass walked
    the whole process again (a quarter of a 100 000-document rebuild). Restored after."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], REBUILD_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


async def loaded(
    sessions: async_sessionmaker[AsyncSession],
    kinds: Sequence[SearchKind],
    progress: Callable[[str, int, int], None],
    vectors: VectorSource | None = None,
    backend: SearchBackend | None = None,
) -> AsyncIterator[SearchDocument]:
    """Every kind's documents, loaded by a task of its own in chunks of LOAD_CHUNK ids, at
    most two chunks ahead: the loaders' Python work goes on while the index writes the
    previous chunk in SQLite's thread (one after the other, a 100 000-record rebuild took
    the sum of both). A loader's error ends the rebuild with that error."""
    chunks: asyncio.Queue[tuple[str, list[SearchDocument], int, int] | None] = asyncio.Queue(2)

    async def produce() -> None:
        # The loaders only read: read transactions take no write lock on SQLite, so the
        # edits people make while the rebuild runs are not held up by it (nor it by them).
        with intent("read"):
            await load_every_kind()

    async def attach(session: AsyncSession, found: list[SearchDocument]) -> list[SearchDocument]:
        if backend is None:
            return found
        return await with_vectors(session, found, vectors, backend)

    async def load_every_kind() -> None:
        try:
            for kind in sorted(kinds, key=lambda k: k.name):
                async with sessions() as session:
                    if kind.key is None:
                        found = await attach(session, list(await kind.load(session, None)))
                        await chunks.put((kind.name, found, len(found), len(found)))
                        continue
                    ids = list(await session.scalars(select(kind.key).order_by(kind.key)))
                if not ids:
                    await chunks.put((kind.name, [], 0, 0))
                for start in range(0, len(ids), LOAD_CHUNK):
                    part = ids[start : start + LOAD_CHUNK]
                    async with sessions() as session:
                        found = await attach(session, list(await kind.load(session, part)))
                    await chunks.put((kind.name, found, start + len(part), len(ids)))
        finally:
            await chunks.put(None)

    producer = asyncio.create_task(produce())
    try:
        while (chunk := await chunks.get()) is not None:
            name, found, done, total = chunk
            for doc in found:
                yield doc
            progress(name, done, total)
        await producer  # a loader's error, if any
    finally:
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer


async def needs_rebuild(backend: SearchBackend) -> str | None:
    """Why the index should be rebuilt before serving (`search reindex --if-needed`): it was
    built with other fields (an upgrade), or it is empty (a new index directory beside an
    existing database). None when it is fine."""
    try:
        await backend.ensure_ready()
    except IndexOutdated:
        return "it was built with other fields"
    return "it is empty" if await backend.count() == 0 else None


def search_reindex(args: argparse.Namespace, context: CommandContext) -> int:
    with per_kind(context.console, "indexing") as advance:

        async def work() -> int | None:
            async with open_runtime(context.settings, context.modules) as runtime:
                backend = backend_of(runtime)
                if args.if_needed:
                    reason = await needs_rebuild(backend)
                    if reason is None:
                        return None
                    context.console.print(f"Rebuilding the search index: {reason}.")
                return await reindex(
                    runtime.sessions, backend, runtime.modules.search_kinds,
                    lambda: datetime.now(UTC), advance, runtime.services.get(VECTORS),
                )  # fmt: skip

        indexed = asyncio.run(work())
    if indexed is None:
        context.console.print("Search index is up to date: not rebuilt.")
    else:
        context.console.print(
            f"[green]Search index rebuilt:[/green] {indexed} documents, swapped in."
        )
    return 0


def search_status(args: argparse.Namespace, context: CommandContext) -> int:
    settings, console = context.settings, context.console

    async def work() -> tuple[Any, bool, int | None, str]:
        async with open_runtime(settings, context.modules) as runtime:
            backend = backend_of(runtime)
            wanted = SearchIndexer(backend, runtime.modules.search_kinds).kinds
            async with runtime.sessions() as session:
                pending = await backlog(session, SUBSCRIBER, wanted, datetime.now(UTC))
            healthy = await backend.health()
            count = await backend.count() if healthy else None
            return pending, healthy, count, backend.name

    pending, healthy, count, name = asyncio.run(work())
    age = pending.age_seconds(datetime.now(UTC))
    where = f" in {settings.search_index_dir}" if name == "tantivy" else ""
    console.print(
        f"backend:          {settings.search_backend} = {name}{where}"
        f" → {'ok' if healthy else 'UNREACHABLE'}"
    )
    console.print(f"documents:        {count if count is not None else 'unknown'}")
    console.print(f"outbox backlog:   {pending.pending} row(s)")
    console.print(f"oldest pending:   {f'{age:.0f} s ago' if pending.oldest else '-'}")
    console.print(f"most attempts:    {pending.max_attempts}")
    console.print(f"failed for good:  {pending.failed} (see `marketplace events failed`)")
    console.print(f"reindex running:  {'yes' if pending.paused else 'no'}")
    late = age > settings.search_backlog_alert_seconds
    return 1 if (not healthy or late or pending.failed) else 0


def search_worker(args: argparse.Namespace, context: CommandContext) -> int:
    """Kept from before the event outbox: the event worker, which delivers to search and
    to every other subscriber (a worker that skipped them would leave their events
    undelivered)."""
    return run_worker(context)


COMMANDS = (
    Command("search reindex", "rebuild the index from the database (zero downtime)",
            search_reindex, (Argument(("--if-needed",), {"action": "store_true",
                "help": "only when the index is empty or was built with other fields"}),)),
    Command("search status", "backend health and search's events backlog", search_status),
    Command("search worker", "the same as `events worker` (delivers every event, search's "
            "included, until stopped)", search_worker),
)  # fmt: skip
