"""What the two SQL backends share: the term rows a document is filtered by, and the WHERE
clause a query's filters become. Values always travel as bound parameters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.documents import SearchDocument
from search.protocol import BackendUnavailable
from search.query import SearchQuery, SearchResult

# Facet name (as reported) → term field (as stored).
FACET_FIELDS = {
    "type": "type",
    "theme": "theme",
    "country": "country",
    "standard": "standard",
    "cpv_division": "cpv_division",
}
# Index tables all start with this prefix so that schema comparisons can leave them alone.
PREFIX = "searchidx_"


Searcher = Callable[[AsyncConnection, SearchQuery], Awaitable[SearchResult]]
Corrector = Callable[[AsyncConnection, SearchQuery], Awaitable[str | None]]


async def search_or_correct(
    engine: AsyncEngine, query: SearchQuery, search: Searcher, correct: Corrector, name: str
) -> SearchResult:
    """Run the query; when its words find nothing, run the closest spelling that does (the
    fallback both SQL backends share, each with its own way of finding that spelling).
    Any failure is `BackendUnavailable` naming the index."""
    try:
        async with engine.connect() as conn:
            result = await search(conn, query)
            if result.total == 0 and may_be_corrected(query):
                corrected = await correct(conn, query)
                if corrected:
                    again = await search(conn, query.with_text(corrected))
                    if again.total:
                        return SearchResult(
                            again.hits, again.total, again.page, again.per_page,
                            again.facets, corrected_text=corrected,
                        )  # fmt: skip
            return result
    except BackendUnavailable:
        raise
    except Exception as error:
        raise BackendUnavailable(f"{name} search index: {error}") from error


def may_be_corrected(query: SearchQuery) -> bool:
    """Whether an empty answer is worth trying the closest spelling for."""
    return query.suggest and bool(query.text.strip())


async def count_documents(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(
            (await conn.execute(text(f"SELECT count(*) FROM {PREFIX}documents"))).scalar_one()
        )


def term_rows(doc: SearchDocument) -> list[tuple[str, str]]:
    rows = {("type", doc.type)}
    if doc.status:
        rows.add(("status", doc.status))
    rows |= {("theme", v) for v in doc.themes}
    rows |= {("country", v.upper()) for v in doc.countries}
    rows |= {("standard", v) for v in doc.standards}
    rows |= {("cpv", v) for v in doc.cpv_terms}
    rows |= {("cpv_division", v) for v in doc.cpv_divisions}
    rows |= {("nuts", v) for v in doc.nuts_terms}
    return sorted(rows)


def term_filters(query: SearchQuery) -> dict[str, tuple[str, ...]]:
    """Term field → the values it may have (alternatives), for each filter the query sets."""
    return {
        "type": query.types,
        "status": query.statuses,
        "theme": query.themes,
        "country": tuple(c.upper() for c in query.countries),
        "standard": query.standards,
        "cpv": query.cpv_terms,
        "nuts": query.nuts_terms,
    }


def range_conditions(
    query: SearchQuery, params: dict[str, Any], moment: Callable[[datetime], Any]
) -> list[str]:
    """SQL conditions (on alias `d` for documents) for the value and deadline ranges."""
    conditions: list[str] = []
    if query.value_min is not None:
        params["value_min"] = float(query.value_min)
        conditions.append("d.value >= :value_min")
    if query.value_max is not None:
        params["value_max"] = float(query.value_max)
        conditions.append("d.value <= :value_max")
    if query.deadline_from is not None:
        params["deadline_from"] = moment(query.deadline_from)
        conditions.append("d.deadline >= :deadline_from")
    if query.deadline_to is not None:
        params["deadline_to"] = moment(query.deadline_to)
        conditions.append("d.deadline <= :deadline_to")
    return conditions


def filter_conditions(
    query: SearchQuery,
    key: str,
    terms_key: str,
    params: dict[str, Any],
    moment: Callable[[datetime], Any],
) -> list[str]:
    """SQL conditions (on alias `d` for documents) for every filter of the query."""
    conditions: list[str] = []
    for n, (field, values) in enumerate(term_filters(query).items()):
        if not values:
            continue
        names = []
        for i, value in enumerate(values):
            params[f"f{n}_{i}"] = value
            names.append(f":f{n}_{i}")
        params[f"field{n}"] = field
        conditions.append(
            f"{key} IN (SELECT {terms_key} FROM {PREFIX}terms"
            f" WHERE field = :field{n} AND value IN ({', '.join(names)}))"
        )
    return conditions + range_conditions(query, params, moment)


def order_by(query: SearchQuery, has_text: bool) -> str:
    """Every order ends with the document id, so equal keys never shuffle between pages."""
    if query.sort == "relevance" and has_text:
        return "score DESC, d.doc_id ASC"
    if query.sort == "deadline":
        return "d.deadline ASC NULLS LAST, d.doc_id ASC"
    if query.sort == "value":
        return "d.value DESC NULLS LAST, d.doc_id ASC"
    # newest, and relevance without words to rank by
    return "d.published_at DESC NULLS LAST, d.doc_id ASC"
