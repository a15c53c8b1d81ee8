"""`marketplace search reindex | status | worker`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.cli import EXTENSIONS, command, console
from marketplace.searching.backend import create_backend
from marketplace.searching.models import SearchOutbox
from marketplace.searching.outbox import KINDS, backlog
from marketplace.searching.worker import SearchWorker
from marketplace.settings import Settings
from search import SearchBackend, SearchDocument

LOAD_CHUNK = 2000  # ids per loader call during a rebuild


def _load_kinds() -> None:
    """The kinds are registered by the packages the app is assembled from."""
    import marketplace.app  # noqa: F401


async def reindex(
    sessions: async_sessionmaker[AsyncSession],
    backend: SearchBackend,
    now: Callable[[], datetime],
    progress: Callable[[str, int, int], None] = lambda kind, done, total: None,
) -> int:
    """Rebuild the whole index from the registered loaders, swapped in at the end.

    While it runs, a `reindex` marker row pauses the outbox worker: a change committed
    after a kind was read stays in the outbox and is applied to the new index after the
    swap (drained earlier, it would have gone into the index being replaced).
    """
    await backend.ensure_ready()
    marker = f"reindex-{uuid4()}"
    async with sessions() as session, session.begin():
        session.add(
            SearchOutbox(kind="*", record_id=marker, op="reindex", enqueued_at=now(), attempts=0)
        )

    try:
        return await backend.rebuild(_loaded(sessions, progress))
    finally:
        async with sessions() as session, session.begin():
            await session.execute(delete(SearchOutbox).where(SearchOutbox.record_id == marker))


async def _loaded(
    sessions: async_sessionmaker[AsyncSession], progress: Callable[[str, int, int], None]
) -> AsyncIterator[SearchDocument]:
    """Every kind's documents, loaded by a task of its own in chunks of LOAD_CHUNK ids, at
    most two chunks ahead: the loaders' Python work goes on while the index writes the
    previous chunk in SQLite's thread (one after the other, a 100 000-record rebuild took
    the sum of both). A loader's error ends the rebuild with that error."""
    chunks: asyncio.Queue[tuple[str, list[SearchDocument], int, int] | None] = asyncio.Queue(2)

    async def produce() -> None:
        try:
            for name in sorted(KINDS):
                kind = KINDS[name]
                async with sessions() as session:
                    if kind.key is None:
                        found = list(await kind.load(session, None))
                        await chunks.put((name, found, len(found), len(found)))
                        continue
                    ids = list(await session.scalars(select(kind.key).order_by(kind.key)))
                if not ids:
                    await chunks.put((name, [], 0, 0))
                for start in range(0, len(ids), LOAD_CHUNK):
                    part = ids[start : start + LOAD_CHUNK]
                    async with sessions() as session:
                        found = list(await kind.load(session, part))
                    await chunks.put((name, found, start + len(part), len(ids)))
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


async def _with_backend(settings: Settings, work: Callable[..., Any]) -> Any:
    from marketplace.db import create_engine, session_maker

    engine = create_engine(settings.database_url)
    backend = create_backend(settings, engine)
    try:
        return await work(session_maker(engine), backend)
    finally:
        await backend.close()
        await engine.dispose()


@command("search reindex")
def search_reindex(args: argparse.Namespace, settings: Settings) -> int:
    _load_kinds()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def advance(kind: str, done: int, total: int) -> None:
            if kind not in tasks:
                tasks[kind] = bar.add_task(f"indexing {kind}", total=total or 1)
            bar.update(tasks[kind], completed=done if total else 1, total=total or 1)

        async def work(sessions: Any, backend: SearchBackend) -> int:
            return await reindex(sessions, backend, lambda: datetime.now(UTC), advance)

        indexed = asyncio.run(_with_backend(settings, work))
    console.print(f"[green]Search index rebuilt:[/green] {indexed} documents, swapped in.")
    return 0


@command("search status")
def search_status(args: argparse.Namespace, settings: Settings) -> int:
    async def work(sessions: Any, backend: SearchBackend) -> tuple[Any, bool, int | None]:
        async with sessions() as session:
            pending = await backlog(session, datetime.now(UTC))
        healthy = await backend.health()
        count = await backend.count() if healthy else None
        return pending, healthy, count

    pending, healthy, count = asyncio.run(_with_backend(settings, work))
    age = pending.age_seconds(datetime.now(UTC))
    console.print(
        f"backend:          {settings.search_backend} → {'ok' if healthy else 'UNREACHABLE'}"
    )
    console.print(f"documents:        {count if count is not None else 'unknown'}")
    console.print(f"outbox backlog:   {pending.pending} row(s)")
    console.print(f"oldest pending:   {f'{age:.0f} s ago' if pending.oldest else '-'}")
    console.print(f"most attempts:    {pending.max_attempts}")
    console.print(f"reindex running:  {'yes' if pending.reindexing else 'no'}")
    late = age > settings.search_backlog_alert_seconds
    return 1 if (not healthy or late) else 0


@command("search worker")
def search_worker(args: argparse.Namespace, settings: Settings) -> int:
    _load_kinds()

    async def work(sessions: Any, backend: SearchBackend) -> None:
        with contextlib.suppress(Exception):
            await backend.ensure_ready()
        worker = SearchWorker(
            sessions, backend, lambda: datetime.now(UTC),
            interval=settings.search_worker_interval_seconds,
            batch_size=settings.search_batch_size,
        )  # fmt: skip
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        worker.start()
        console.print("Draining the search outbox (Ctrl-C to stop)…")
        await stop.wait()
        await worker.stop()

    asyncio.run(_with_backend(settings, work))
    return 0


def _add_parser(groups: Any) -> None:
    search = groups.add_parser("search", help="search index").add_subparsers(
        dest="action", required=True
    )
    search.add_parser("reindex", help="rebuild the index from the database (zero downtime)")
    search.add_parser("status", help="backend health and the outbox backlog")
    search.add_parser("worker", help="drain the outbox into the backend until stopped")


EXTENSIONS.append(_add_parser)
