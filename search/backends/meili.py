"""Meilisearch through `meilisearch-python-sdk` (AsyncClient), for production scale-out.

- Settings (searchable, filterable and sortable attributes, ranking rules, typo tolerance,
  faceting and pagination limits) go in ONE `update_settings` call that is waited on before
  any document is added: attributes not declared filterable are silently ignored in filters.
- The primary key (`id`) is passed explicitly when an index is created.
- Filters are built by one function (`filter_expression`) from the typed query; every value
  goes through `quote`, field names come from a fixed list, never from the request.
- Typos, prefixes and diacritics are native (typo budget: 1 from 5 letters, 2 from 9).
- Rebuild: into a randomly named index, then `swap_indexes`, then the old one is deleted:
  searches keep hitting the live name throughout.
- Snippets: highlighted and cropped with control-character marks, escaped, then `<mark>`.
- Meaning (`vectors`, when the app computes embeddings): the settings declare a
  `userProvided` embedder of that name and dimensions; every document carries
  `_vectors: {name: [...]}`, or `{name: null}` when it has no embedding yet (the documented
  way to say "none"; older servers required the key for a user-provided embedder);
  `set_vectors` gives indexed documents a new embedding as a partial update that never
  creates a document (`skipCreation`); a query with a vector is a hybrid search
  (`vector` + `hybrid: {embedder, semanticRatio}`). Written against Meilisearch's
  documented API and the SDK's models; see docs/search.md for what was not run here.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchError
from meilisearch_python_sdk.models.search import Hybrid
from meilisearch_python_sdk.models.settings import (
    Faceting,
    MeilisearchSettings,
    Pagination,
    TypoTolerance,
    UserProvidedEmbedder,
)

from search.documents import SearchDocument
from search.protocol import BackendUnavailable
from search.query import FACETS, Hit, SearchQuery, SearchResult
from search.text import (
    MARK_END,
    MARK_START,
    aiter_documents,
    clean,
    highlight,
    plain_snippet,
)

BATCH = 1000
TASK_TIMEOUT_MS = 120_000
# Sort keys never null, so documents without a deadline/value/date sort last in every order.
NO_DEADLINE = 32_503_680_000.0  # year 3000
SEARCHABLE = ["title", "summary", "organisation", "classification", "outcomes", "body"]
FILTERABLE = ["type", "status", "theme", "country", "standard", "cpv", "cpv_division", "nuts",
              "value", "deadline"]  # fmt: skip
SORTABLE = ["published_sort", "deadline_sort", "value_sort", "id"]
# "sort" first: an explicit sort order wins over relevance; the id settles every tie.
RANKING = ["sort", "words", "typo", "proximity", "attribute", "exactness", "id:asc"]
SORTS = {
    "newest": ["published_sort:desc", "id:asc"],
    "deadline": ["deadline_sort:asc", "id:asc"],
    "value": ["value_sort:desc", "id:asc"],
}


@dataclass(frozen=True, slots=True)
class Vectors:
    """The embedder the app provides vectors for: its name in `_vectors` and the settings,
    and how many numbers each vector has."""

    name: str
    dimensions: int


def settings(vectors: Vectors | None = None) -> MeilisearchSettings:
    return MeilisearchSettings(
        searchable_attributes=SEARCHABLE,
        filterable_attributes=list(FILTERABLE),
        sortable_attributes=SORTABLE,
        ranking_rules=RANKING,
        typo_tolerance=TypoTolerance(enabled=True),
        faceting=Faceting(max_values_per_facet=500),
        pagination=Pagination(max_total_hits=1_000_000),  # totals stay exact
        embedders=(
            {vectors.name: UserProvidedEmbedder(dimensions=vectors.dimensions)}
            if vectors is not None
            else None
        ),
    )


def _vector(values: Sequence[float] | None, vectors: Vectors) -> list[float] | None:
    """A vector as Meilisearch takes it, or None for one it would refuse: a batch with one
    vector of the wrong dimensions fails as a whole, so such a document goes without (and is
    still found by its words)."""
    if values is None or len(values) != vectors.dimensions:
        return None
    out = [float(x) for x in values]
    return out if all(math.isfinite(x) for x in out) else None


def quote(value: str) -> str:
    """The only way a value enters a filter string: a double-quoted, escaped literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    return repr(float(value))


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def filter_expression(query: SearchQuery) -> str | None:
    clauses: list[str] = []
    for field, values in (
        ("type", query.types),
        ("status", query.statuses),
        ("theme", query.themes),
        ("country", tuple(c.upper() for c in query.countries)),
        ("standard", query.standards),
        ("cpv", query.cpv_terms),
        ("nuts", query.nuts_terms),
    ):
        if values:
            clauses.append(f"{field} IN [{', '.join(quote(v) for v in values)}]")
    if query.value_min is not None:
        clauses.append(f"value >= {_number(query.value_min)}")
    if query.value_max is not None:
        clauses.append(f"value <= {_number(query.value_max)}")
    if query.deadline_from is not None:
        clauses.append(f"deadline >= {_number(query.deadline_from.timestamp())}")
    if query.deadline_to is not None:
        clauses.append(f"deadline <= {_number(query.deadline_to.timestamp())}")
    return " AND ".join(clauses) or None


def to_meili(doc: SearchDocument, vectors: Vectors | None = None) -> dict[str, Any]:
    fields = {k: clean(v) for k, v in doc.text_fields.items()}
    embedding = {"_vectors": {vectors.name: _vector(doc.vector, vectors)}} if vectors else {}
    return {
        "id": doc.id,
        "type": doc.type,
        "status": doc.status,
        **fields,
        "theme": list(doc.themes),
        "country": [c.upper() for c in doc.countries],
        "standard": list(doc.standards),
        "cpv": list(doc.cpv_terms),
        "cpv_division": list(doc.cpv_divisions),
        "nuts": list(doc.nuts_terms),
        "value": doc.value,
        "deadline": _epoch(doc.deadline),
        "published_sort": _epoch(doc.published_at) or 0.0,
        "deadline_sort": _epoch(doc.deadline) or NO_DEADLINE,
        "value_sort": doc.value if doc.value is not None else -1.0,
        **embedding,
    }


def vector_updates(vectors: Vectors, given: Mapping[str, Sequence[float]]) -> list[dict[str, Any]]:
    """The partial documents that give indexed documents their new embedding (`set_vectors`):
    the id and `_vectors` only, so nothing else of the document changes."""
    return [{"id": i, "_vectors": {vectors.name: _vector(v, vectors)}} for i, v in given.items()]


def search_parameters(query: SearchQuery, vectors: Vectors | None = None) -> dict[str, Any]:
    """The keyword arguments of the SDK's `search` for `query` (a pure function of it)."""
    text = query.text.strip()
    semantic = query.vector is not None and vectors is not None
    sort = SORTS.get(query.sort) or (None if text or semantic else SORTS["newest"])
    q = query.text if query.prefix else query.text.rstrip() + " "
    parameters: dict[str, Any] = {
        "query": q if text else None,
        "page": query.page,
        "hits_per_page": query.per_page,
        "filter": filter_expression(query),
        "facets": list(FACETS) if query.facets else None,
        "sort": sort,
        # _formatted only carries attributes that are also retrieved.
        "attributes_to_retrieve": ["id", "type", "title", "summary", "body"],
        "attributes_to_highlight": ["title", "summary", "body"] if query.highlight else None,
        "attributes_to_crop": ["summary", "body"] if query.highlight else None,
        "crop_length": 30,
        "crop_marker": "…",
        "highlight_pre_tag": MARK_START,
        "highlight_post_tag": MARK_END,
        # "last" drops words from the end until documents match: the nearest Meilisearch
        # has to "any of the words, more of them first".
        "matching_strategy": "last" if query.any_word else "all",
        "show_ranking_score": True,
    }
    if semantic:
        assert query.vector is not None and vectors is not None
        # Without words the search is by meaning alone, whatever the ratio asked.
        parameters["vector"] = [float(x) for x in query.vector]
        parameters["hybrid"] = Hybrid(
            semantic_ratio=query.semantic_ratio if text else 1.0, embedder=vectors.name
        )
    return parameters


class MeiliSearch:
    name = "meilisearch"

    def __init__(
        self, url: str, api_key: str | None = None, index: str = "marketplace",
        vectors: Vectors | None = None,
    ) -> None:  # fmt: skip
        self.uid = index
        self.client = AsyncClient(url, api_key, timeout=10)
        self.vectors = vectors
        self.vector_search = vectors is not None

    async def _wait(self, task_uid: int) -> None:
        await self.client.wait_for_task(
            task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True
        )

    async def _prepare(self, uid: str) -> None:
        if await self.client.get_raw_index(uid) is None:
            await self.client.create_index(uid, primary_key="id")
        task = await self.client.index(uid).update_settings(settings(self.vectors))
        await self._wait(task.task_uid)

    async def ensure_ready(self) -> None:
        try:
            await self._prepare(self.uid)
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        try:
            task = await self.client.index(self.uid).add_documents(
                [to_meili(d, self.vectors) for d in documents], primary_key="id"
            )
            await self._wait(task.task_uid)
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error

    async def set_vectors(self, vectors: Mapping[str, Sequence[float]]) -> None:
        if self.vectors is None or not vectors:
            return
        try:
            # A partial update (PUT) that skips ids not in the index: the search subscriber
            # adds those later, with the vector it then reads from the table.
            task = await self.client.index(self.uid).update_documents(
                vector_updates(self.vectors, vectors), primary_key="id", skip_creation=True
            )
            await self._wait(task.task_uid)
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        try:
            task = await self.client.index(self.uid).delete_documents(list(ids))
            await self._wait(task.task_uid)
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error

    async def rebuild(
        self, documents: Iterable[SearchDocument] | AsyncIterable[SearchDocument]
    ) -> int:
        # A randomly named index, filled while the live one keeps answering, then swapped in.
        fresh = f"{self.uid}_{secrets.token_hex(6)}"
        indexed = 0
        try:
            await self._prepare(self.uid)
            await self._prepare(fresh)
            index = self.client.index(fresh)
            batch: list[dict[str, Any]] = []
            async for doc in aiter_documents(documents):
                batch.append(to_meili(doc, self.vectors))
                if len(batch) >= BATCH:
                    await self._wait((await index.add_documents(batch, primary_key="id")).task_uid)
                    indexed += len(batch)
                    batch = []
            if batch:
                await self._wait((await index.add_documents(batch, primary_key="id")).task_uid)
                indexed += len(batch)
            await self._wait((await self.client.swap_indexes([(self.uid, fresh)])).task_uid)
        except MeilisearchError as error:
            await self._drop(fresh)
            raise BackendUnavailable(f"Meilisearch: {error}") from error
        await self._drop(fresh)  # now holds the previous generation
        return indexed

    async def _drop(self, uid: str) -> None:
        try:
            await self.client.delete_index_if_exists(uid)
        except MeilisearchError:
            pass  # a leftover index costs disk, not correctness

    async def search(self, query: SearchQuery) -> SearchResult:
        text = query.text.strip()
        semantic = query.vector is not None and self.vectors is not None
        parameters = search_parameters(query, self.vectors)
        try:
            result = await self.client.index(self.uid).search(**parameters)
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error
        hits = []
        for hit in result.hits:
            formatted = hit.get("_formatted") or {}
            marked = next(
                (
                    formatted[f]
                    for f in ("summary", "body", "title")
                    if isinstance(formatted.get(f), str) and MARK_START in formatted[f]
                ),
                None,
            )
            hits.append(
                Hit(
                    id=str(hit["id"]),
                    type=str(hit["type"]),
                    title=str(hit["title"]),
                    snippet=highlight(marked) if marked else plain_snippet(hit.get("summary", "")),
                    score=float(hit.get("_rankingScore", 0.0)) if text or semantic else 0.0,
                )
            )
        distribution = result.facet_distribution or {}
        facets = (
            {name: {k: int(v) for k, v in distribution.get(name, {}).items()} for name in FACETS}
            if query.facets
            else {}
        )
        return SearchResult(hits, int(result.total_hits or 0), query.page, query.per_page, facets)

    async def health(self) -> bool:
        try:
            return (await self.client.health()).status == "available"
        except Exception:
            return False

    async def count(self) -> int:
        try:
            return (await self.client.index(self.uid).get_stats()).number_of_documents
        except MeilisearchError as error:
            raise BackendUnavailable(f"Meilisearch: {error}") from error

    async def close(self) -> None:
        await self.client.aclose()
