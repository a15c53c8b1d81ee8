"""Keeping the index true: the outbox, the worker, crashes, outages and full rebuilds."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import String, and_, column, func, or_, select, table
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.core.delivery import backlog
from marketplace.core.models import EventDelivery, EventRecord
from marketplace.db import intent, session_maker
from marketplace.searching import cli
from marketplace.searching.cli import reindex
from marketplace.searching.worker import SearchIndexer, drain, drain_once
from search import SearchBackend, SearchDocument, SearchQuery
from search.backends.meili import MeiliSearch
from tests.searching.conftest import GADGETS, Gadgets, changed, load_gadgets

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: a real outage


async def titles(backend: SearchBackend, **query: object) -> list[str]:
    found = await backend.search(SearchQuery(**query))  # type: ignore[arg-type]
    return [h.title for h in found.hits]


def gadgets_index(backend: SearchBackend) -> SearchIndexer:
    return SearchIndexer(backend, [GADGETS])


async def pending(engine: AsyncEngine) -> list[tuple[str, int]]:
    """The events search has still to handle (subject, attempts so far), oldest first."""
    search = and_(EventDelivery.event_id == EventRecord.id, EventDelivery.subscriber == "search")
    async with session_maker(engine)() as session:
        rows = await session.execute(
            select(EventRecord.subject_id, func.coalesce(EventDelivery.attempts, 0))
            .outerjoin(EventDelivery, search)
            .where(or_(EventDelivery.id.is_(None), EventDelivery.status != "delivered"))
            .order_by(EventRecord.id)
        )
        return [(subject, attempts) for subject, attempts in rows.tuples()]


class TestEnqueue:
    async def test_the_outbox_row_shares_the_changes_transaction(
        self, gadgets: Gadgets, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session:
            await gadgets.put(session, "g1", "Solar bench")
            await changed(session, "g1", clock.now())
            await session.rollback()
        assert await pending(engine) == []
        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g1", "Solar bench")
            await changed(session, "g1", clock.now())
        assert await pending(engine) == [("g1", 0)]


class TestWorker:
    async def test_public_records_are_indexed_and_hidden_ones_removed(
        self, gadgets: Gadgets, index: SearchBackend, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g1", "Solar bench")
            await gadgets.put(session, "g2", "Solar draft idea", public=False)
            for gid in ("g1", "g2"):
                await changed(session, gid, clock.now())
        result = await drain(gadgets.sessions, gadgets_index(index), clock.now())
        assert (result.acknowledged, result.upserted, result.deleted) == (2, 1, 1)
        assert await titles(index, text="solar") == ["Solar bench"]
        assert await pending(engine) == []

        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g1", "Solar bench", public=False)  # unpublished
            await changed(session, "g1", clock.now())
        await drain(gadgets.sessions, gadgets_index(index), clock.now())
        assert await titles(index, text="solar") == []

    async def test_batches_drain_in_order_until_empty(
        self, gadgets: Gadgets, index: SearchBackend, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session, session.begin():
            for n in range(7):
                await gadgets.put(session, f"g{n}", f"Kiosk {n}")
                await changed(session, f"g{n}", clock.now())
        first = await drain_once(gadgets.sessions, gadgets_index(index), clock.now(), batch_size=3)
        assert first.acknowledged == 3 and len(await pending(engine)) == 4
        rest = await drain(gadgets.sessions, gadgets_index(index), clock.now(), batch_size=3)
        assert rest.acknowledged == 4 and await pending(engine) == []
        assert (await index.search(SearchQuery(text="kiosk"))).total == 7

    async def test_backend_down_loses_nothing_and_catches_up(
        self, gadgets: Gadgets, index: SearchBackend, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g1", "Noise sensor")
            await changed(session, "g1", clock.now())
        down = MeiliSearch(UNREACHABLE)
        try:
            for attempt in (1, 2):
                result = await drain(gadgets.sessions, gadgets_index(down), clock.now())
                assert result.error and result.acknowledged == 0
                assert await pending(engine) == [("g1", attempt)]
        finally:
            await down.close()
        # Back up (here: the real backend): the same rows go through.
        result = await drain(gadgets.sessions, gadgets_index(index), clock.now())
        assert result.acknowledged == 1 and await pending(engine) == []
        assert await titles(index, text="noise") == ["Noise sensor"]

    async def test_a_worker_killed_mid_batch_loses_nothing(
        self, gadgets: Gadgets, index: SearchBackend, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session, session.begin():
            for n in range(3):
                await gadgets.put(session, f"g{n}", f"Air quality station {n}")
                await changed(session, f"g{n}", clock.now())

        class StallsAfterWriting:
            """The real backend, but the process dies before the acknowledgement returns."""

            name = "stalls"
            entered = asyncio.Event()

            async def upsert(self, documents: Sequence[SearchDocument]) -> None:
                await index.upsert(documents)
                self.entered.set()
                await asyncio.Event().wait()  # never acknowledged

            async def delete(self, ids: Sequence[str]) -> None:
                await index.delete(ids)

        stalling = StallsAfterWriting()
        task = asyncio.create_task(
            drain_once(gadgets.sessions, gadgets_index(stalling), clock.now())  # type: ignore[arg-type]
        )
        await stalling.entered.wait()
        task.cancel()  # the kill
        await asyncio.gather(task, return_exceptions=True)
        assert [r for r, _ in await pending(engine)] == ["g0", "g1", "g2"]

        result = await drain(gadgets.sessions, gadgets_index(index), clock.now())
        assert result.acknowledged == 3 and await pending(engine) == []
        assert (await index.search(SearchQuery(text="station"))).total == 3


class TestReindex:
    async def _changes(self, gadgets: Gadgets, now: object) -> None:
        """A history of creates, edits, unpublishing and deletions, each enqueued."""
        async with gadgets.sessions() as session, session.begin():
            for n in range(12):
                theme = ("mobility", "open-data", "e-government")[n % 3]
                await gadgets.put(session, f"g{n:02d}", f"Smart pole {n}", theme=theme,
                                  country=("FI", "SE")[n % 2])  # fmt: skip
                await changed(session, f"g{n:02d}", now)  # type: ignore[arg-type]
        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g03", "Smart bench 3", theme="open-data")
            await gadgets.put(session, "g04", "Smart pole 4", public=False)
            await gadgets.remove(session, "g05")
            for gid in ("g03", "g04", "g05"):
                await changed(session, gid, now)  # type: ignore[arg-type]

    async def _answers(self, backend: SearchBackend) -> list[object]:
        queries = [
            SearchQuery(),
            SearchQuery(text="smart"),
            SearchQuery(text="bench"),
            SearchQuery(themes=("open-data",)),
            SearchQuery(countries=("SE",), sort="newest", per_page=3, page=2),
        ]
        out: list[object] = []
        for query in queries:
            found = await backend.search(query)
            out.append((found.total, [(h.id, h.title) for h in found.hits], found.facets))
        return out

    async def test_incremental_sync_and_full_rebuild_give_the_same_results(
        self, gadgets: Gadgets, index: SearchBackend, clock: FrozenClock
    ) -> None:
        await self._changes(gadgets, clock.now())
        await drain(gadgets.sessions, gadgets_index(index), clock.now(), batch_size=5)
        incremental = await self._answers(index)
        assert incremental[0][0] == 10  # type: ignore[index]  # 12 made, 1 hidden, 1 deleted

        assert await reindex(gadgets.sessions, index, [GADGETS], clock.now) == 10
        assert await self._answers(index) == incremental

    async def test_changes_during_a_rebuild_wait_and_land_in_the_new_index(
        self, gadgets: Gadgets, index: SearchBackend, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with gadgets.sessions() as session, session.begin():
            await gadgets.put(session, "g1", "Tram shelter")
        original = GADGETS.load
        paused: list[bool] = []

        async def load_then_someone_edits(session: object, ids: object) -> object:
            docs = await original(session, ids)  # type: ignore[arg-type]
            if ids is None:  # the rebuild has read its snapshot; now an edit commits
                with intent("write"):  # someone else's edit and the worker, not the rebuild
                    async with gadgets.sessions() as other, other.begin():
                        await gadgets.put(other, "g1", "Tram shelter with solar roof")
                        await changed(other, "g1", clock.now())
                    worker = gadgets_index(index)
                    paused.append((await drain_once(gadgets.sessions, worker, clock.now())).paused)
            return docs

        edited = replace(GADGETS, load=load_then_someone_edits)  # type: ignore[arg-type]
        assert await reindex(gadgets.sessions, index, [edited], clock.now) == 1
        assert paused == [True]  # the worker held back during the rebuild
        assert await titles(index, text="solar") == []  # the snapshot had the old title
        await drain(gadgets.sessions, gadgets_index(index), clock.now())
        assert await titles(index, text="solar") == ["Tram shelter with solar roof"]
        assert await pending(engine) == []


class TestChunkedReindex:
    """A kind registered with its id column is loaded in chunks by a task of its own."""

    GADGET_ID = table("test_gadgets", column("id", String)).c.id

    async def test_chunks_give_what_one_load_gives(
        self, gadgets: Gadgets, index: SearchBackend, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        await TestReindex()._changes(gadgets, clock.now())
        assert await reindex(gadgets.sessions, index, [GADGETS], clock.now) == 10
        whole = await TestReindex()._answers(index)
        monkeypatch.setattr(cli, "LOAD_CHUNK", 3)
        chunked = replace(GADGETS, load=load_gadgets, key=self.GADGET_ID)
        seen: list[tuple[str, int, int]] = []
        found = await reindex(
            gadgets.sessions, index, [chunked], clock.now, lambda *p: seen.append(p)
        )
        assert found == 10 and await TestReindex()._answers(index) == whole
        progress = [(done, total) for kind, done, total in seen if kind == "gadget"]
        assert progress == [(3, 11), (6, 11), (9, 11), (11, 11)]  # 11 rows, 10 public

    async def test_a_failing_loader_stops_the_rebuild_and_the_index_stays(
        self, gadgets: Gadgets, index: SearchBackend, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        await TestReindex()._changes(gadgets, clock.now())
        await reindex(gadgets.sessions, index, [GADGETS], clock.now)
        before = await TestReindex()._answers(index)
        calls: list[int] = []

        async def breaks_on_the_second_chunk(session: object, ids: object) -> object:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("database went away")
            return await load_gadgets(session, ids)  # type: ignore[arg-type]

        monkeypatch.setattr(cli, "LOAD_CHUNK", 3)
        breaking = replace(GADGETS, load=breaks_on_the_second_chunk, key=self.GADGET_ID)  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="database went away"):
            await reindex(gadgets.sessions, index, [breaking], clock.now)
        assert await TestReindex()._answers(index) == before


class TestBacklog:
    async def test_backlog_counts_rows_and_ages_the_oldest(
        self, gadgets: Gadgets, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        start = clock.now()
        async with gadgets.sessions() as session, session.begin():
            await changed(session, "g1", start)
            await changed(session, "g2", start + timedelta(minutes=5))
        wanted = gadgets_index(None).kinds  # type: ignore[arg-type]
        async with gadgets.sessions() as session:
            state = await backlog(session, "search", wanted, start + timedelta(minutes=10))
        assert state.pending == 2 and not state.paused
        assert state.age_seconds(start + timedelta(minutes=10)) == 600
        async with gadgets.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(EventRecord)) == 2
