"""Meaning in Meilisearch: a `userProvided` embedder, documents carrying `_vectors`, the
partial update that gives indexed documents their vector, and the hybrid search.

The payloads are pure functions of the documents and queries, unit-tested here on every run
(through the SDK's own request-body builder where it has one). The behaviour against a real
server, `TestAgainstTheServer`, runs only when MARKETPLACE_MEILI_URL points at one: no
server can run here, and a stand-in would only test itself."""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from meilisearch_python_sdk.index._common import process_search_parameters
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.searching.backend import create_backend
from marketplace.settings import Settings
from search import SearchDocument, SearchQuery
from search.backends.meili import (
    MeiliSearch,
    Vectors,
    search_parameters,
    to_meili,
    vector_updates,
)
from search.backends.meili import settings as index_settings

MINILM = Vectors("minilm", 384)
SMALL = Vectors("minilm", 3)  # the server tests' vectors: three numbers say enough


def _unit(*xs: float) -> tuple[float, ...]:
    norm = math.sqrt(sum(x * x for x in xs))
    return tuple(x / norm for x in xs)


class TestSettings:
    def test_the_embedder_is_declared_user_provided_with_its_dimensions(self) -> None:
        sent = index_settings(MINILM).model_dump(by_alias=True, exclude_none=True)
        assert sent["embedders"] == {"minilm": {"source": "userProvided", "dimensions": 384}}
        # The rest of the settings go in the same call.
        assert sent["filterableAttributes"] and sent["rankingRules"]

    def test_without_embeddings_no_embedder_is_declared(self) -> None:
        assert "embedders" not in index_settings().model_dump(by_alias=True, exclude_none=True)


class TestDocuments:
    def test_a_document_carries_its_vector_under_the_embedders_name(self) -> None:
        vector = tuple(float(n) / 384 for n in range(384))
        body = to_meili(SearchDocument(id="d", type="listing", title="t", vector=vector), MINILM)
        assert body["_vectors"] == {"minilm": list(vector)}
        assert body["id"] == "d" and body["title"] == "t"

    def test_a_document_without_a_vector_says_so_with_null(self) -> None:
        body = to_meili(SearchDocument(id="d", type="listing", title="t"), MINILM)
        assert body["_vectors"] == {"minilm": None}

    def test_a_vector_the_server_would_refuse_is_left_out(self) -> None:
        # Wrong dimensions or a non-number fail the whole batch's task: the document goes
        # without a vector (still found by its words).
        short = to_meili(SearchDocument(id="d", type="listing", title="t", vector=(0.1, 0.2)),
                         MINILM)  # fmt: skip
        assert short["_vectors"] == {"minilm": None}
        nan = to_meili(SearchDocument(id="d", type="listing", title="t",
                                      vector=(math.nan, 0.0, 1.0)), SMALL)  # fmt: skip
        assert nan["_vectors"] == {"minilm": None}

    def test_without_embeddings_documents_have_no_vectors_field(self) -> None:
        doc = SearchDocument(id="d", type="listing", title="t", vector=(1.0, 0.0, 0.0))
        assert "_vectors" not in to_meili(doc)

    def test_the_partial_update_is_the_id_and_the_vector_only(self) -> None:
        assert vector_updates(SMALL, {"a": (1.0, 0.0, 0.0), "b": (0.0, 1.0)}) == [
            {"id": "a", "_vectors": {"minilm": [1.0, 0.0, 0.0]}},
            {"id": "b", "_vectors": {"minilm": None}},
        ]

    def test_documents_compare_without_their_vector(self) -> None:
        doc = SearchDocument(id="d", type="listing", title="t")
        assert replace(doc, vector=(1.0,)) == doc


class TestSearchParameters:
    def _body(self, query: SearchQuery, vectors: Vectors | None) -> dict[str, object]:
        """The request body the SDK sends for these parameters (its own builder)."""
        parameters = search_parameters(query, vectors)
        return process_search_parameters(q=parameters.pop("query"), **parameters)

    def test_words_and_a_vector_are_a_hybrid_search(self) -> None:
        query = SearchQuery(text="charging depot", any_word=True, prefix=False,
                            vector=(0.6, 0.8, 0.0), semantic_ratio=0.3, types=("listing",))  # fmt: skip
        body = self._body(query, SMALL)
        assert body["q"] == "charging depot "
        assert body["vector"] == [0.6, 0.8, 0.0]
        assert body["hybrid"] == {"semanticRatio": 0.3, "embedder": "minilm"}
        assert body["filter"] == 'type IN ["listing"]'
        assert body["showRankingScore"] is True

    def test_a_vector_without_words_is_a_search_by_meaning_alone_by_relevance(self) -> None:
        body = self._body(SearchQuery(vector=(0.0, 1.0, 0.0), types=("tender",)), SMALL)
        assert body["q"] is None
        assert body["hybrid"] == {"semanticRatio": 1.0, "embedder": "minilm"}
        assert body["sort"] is None  # not "newest first", as a query without words is

    def test_a_backend_without_the_embedder_sends_no_vector(self) -> None:
        body = self._body(SearchQuery(text="depot", vector=(0.0, 1.0, 0.0)), None)
        assert "vector" not in body and "hybrid" not in body

    def test_words_alone_are_sent_as_before(self) -> None:
        body = self._body(SearchQuery(text="depot"), SMALL)
        assert "vector" not in body and "hybrid" not in body
        assert self._body(SearchQuery(), SMALL)["sort"] == ["published_sort:desc", "id:asc"]

    def test_the_query_refuses_a_ratio_outside_0_to_1_and_empty_or_nan_vectors(self) -> None:
        with pytest.raises(ValueError, match="semantic_ratio"):
            SearchQuery(vector=(1.0,), semantic_ratio=1.5)
        with pytest.raises(ValueError, match="finite"):
            SearchQuery(vector=())
        with pytest.raises(ValueError, match="finite"):
            SearchQuery(vector=(math.inf, 0.0))


class TestCapability:
    async def test_only_meilisearch_with_an_embedder_searches_by_meaning(
        self, tmp_path: Path
    ) -> None:
        from search.backends.postgres import PostgresSearch
        from search.backends.tantivy import TantivySearch

        assert TantivySearch(tmp_path / "idx").vector_search is False
        assert PostgresSearch.vector_search is False
        for vectors, searches in ((None, False), (MINILM, True)):
            backend = MeiliSearch("http://127.0.0.1:9", vectors=vectors)  # never contacted
            assert backend.vector_search is searches
            await backend.close()

    @pytest.mark.parametrize(("mode", "declared"), [("minilm", MINILM), ("auto", MINILM),
                                                     ("off", None)])  # fmt: skip
    async def test_the_app_declares_the_embedder_unless_embeddings_are_off(
        self, settings: Settings, engine: AsyncEngine, mode: str, declared: Vectors | None
    ) -> None:
        chosen = settings.model_copy(update={"search_backend": "meilisearch", "embeddings": mode,
                                             "meili_url": "http://127.0.0.1:9"})  # fmt: skip
        backend = create_backend(chosen, engine)
        assert isinstance(backend, MeiliSearch)
        assert backend.vectors == declared
        await backend.close()


# --- against a real server --------------------------------------------------------------


@pytest.fixture
async def meili() -> AsyncIterator[MeiliSearch]:
    url = os.environ.get("MARKETPLACE_MEILI_URL")
    if not url:
        pytest.skip("Meilisearch runs when MARKETPLACE_MEILI_URL is set (hybrid search cases)")
    backend = MeiliSearch(url, os.environ.get("MARKETPLACE_MEILI_API_KEY"),
                          index=f"test_{secrets.token_hex(4)}", vectors=SMALL)  # fmt: skip
    await backend.ensure_ready()
    yield backend
    await backend.client.delete_index_if_exists(backend.uid)
    await backend.close()


CHARGERS = SearchDocument(id="chargers", type="listing", title="Depot charging for e-buses",
                          summary="Overnight charging points at bus depots.",
                          vector=_unit(1.0, 0.1, 0.0))  # fmt: skip
LIGHTS = SearchDocument(id="lights", type="listing", title="Street luminaires",
                        summary="LED lighting with dimming.", vector=_unit(0.0, 1.0, 0.1))  # fmt: skip
DATA = SearchDocument(id="data", type="tender", title="Open data toolkit",
                      summary="Publishing city datasets.", vector=_unit(0.1, 0.0, 1.0))  # fmt: skip
BARE = SearchDocument(id="bare", type="listing", title="Charging cables",
                      summary="Cables for charging points.")  # fmt: skip


def _ids(result: object) -> list[str]:
    return [h.id for h in result.hits]  # type: ignore[attr-defined]


class TestAgainstTheServer:
    async def test_the_index_declares_the_embedder(self, meili: MeiliSearch) -> None:
        found = await meili.client.index(meili.uid).get_settings()
        assert found.embedders is not None
        embedder = found.embedders["minilm"]
        assert embedder.source == "userProvided" and embedder.dimensions == 3  # type: ignore[union-attr]

    async def test_the_nearest_in_meaning_come_first_with_filters_applied(
        self, meili: MeiliSearch
    ) -> None:
        await meili.upsert([CHARGERS, LIGHTS, DATA, BARE])
        near_chargers = _unit(0.9, 0.2, 0.0)
        found = await meili.search(SearchQuery(vector=near_chargers, types=("listing",)))
        assert _ids(found)[0] == "chargers"
        assert "data" not in _ids(found)  # a tender, filtered out
        assert "bare" not in _ids(found)  # no vector: nothing to be near
        assert found.hits[0].score > 0.0

    async def test_hybrid_blends_words_and_meaning(self, meili: MeiliSearch) -> None:
        await meili.upsert([CHARGERS, LIGHTS, DATA, BARE])
        query = SearchQuery(text="cables", prefix=False, vector=_unit(0.0, 1.0, 0.0),
                            semantic_ratio=0.5)  # fmt: skip
        found = _ids(await meili.search(query))
        assert "bare" in found  # by its words, though it has no vector
        assert "lights" in found  # by meaning, though no word matches

    async def test_set_vectors_updates_indexed_documents_and_creates_none(
        self, meili: MeiliSearch
    ) -> None:
        await meili.upsert([BARE, LIGHTS])
        await meili.set_vectors({"bare": _unit(0.0, 0.0, 1.0), "not-indexed": _unit(1.0, 0, 0)})
        assert await meili.count() == 2  # the unknown id was skipped, not created
        found = await meili.search(SearchQuery(vector=_unit(0.0, 0.1, 1.0)))
        assert _ids(found)[0] == "bare"
        # Nothing but the vector changed.
        assert (await meili.search(SearchQuery(text="cables"))).hits[0].title == "Charging cables"

    async def test_a_rebuild_keeps_the_vectors_it_is_given(self, meili: MeiliSearch) -> None:
        assert await meili.rebuild([CHARGERS, LIGHTS]) == 2
        found = await meili.search(SearchQuery(vector=_unit(0.0, 1.0, 0.0)))
        assert _ids(found)[0] == "lights"
