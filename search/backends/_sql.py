"""The SQL side of the PostgreSQL backend: the terms a document is filtered and counted by,
and the WHERE clause a query's filters become. Values always travel as bound parameters.

A document's terms are one `text[]` column of `field:value` strings (`theme:mobility`,
`cpv:45000000`, every CPV and NUTS ancestor included) under a GIN index, so a filter is an
array overlap on the document row itself, not a join to a term table; the facet terms are
a second, smaller array counted over the matching rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
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


def term(field: str, value: str) -> str:
    return f"{field}:{value}"


def terms_of(doc: SearchDocument) -> tuple[list[str], list[str]]:
    """The document's filter terms and, among them, the ones its facets count."""
    rows = term_rows(doc)
    counted = set(FACET_FIELDS.values())
    return [term(f, v) for f, v in rows], [term(f, v) for f, v in rows if f in counted]


def facet_counts(rows: Iterable[tuple[str, int]]) -> tuple[dict[str, dict[str, int]], int]:
    """Counted facet terms as the API reports them, and the total (every document has one
    type, so the type counts add up to the matches)."""
    facets: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
    names = {v: k for k, v in FACET_FIELDS.items()}
    total = 0
    for counted, n in rows:
        field, _, value = counted.partition(":")
        facets[names[field]][value] = int(n)
        if field == "type":
            total += int(n)
    return facets, total


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
    query: SearchQuery, params: dict[str, Any], moment: Callable[[datetime], Any]
) -> list[str]:
    """SQL conditions (on alias `d` for documents) for every filter of the query: one array
    overlap per filter (its values are alternatives), all of them together."""
    conditions: list[str] = []
    for n, (field, values) in enumerate(term_filters(query).items()):
        if values:
            params[f"terms{n}"] = [term(field, v) for v in values]
            conditions.append(f"d.terms && CAST(:terms{n} AS TEXT[])")
    return conditions + range_conditions(query, params, moment)


def order_by(query: SearchQuery, relevance: str | None) -> str:
    """Every order ends with the document id, so equal keys never shuffle between pages.
    `relevance`: the ORDER BY term that ranks by the words (None: no words to rank by)."""
    if query.sort == "relevance" and relevance:
        return f"{relevance}, d.doc_id ASC"
    if query.sort == "deadline":
        return "d.deadline ASC NULLS LAST, d.doc_id ASC"
    if query.sort == "value":
        return "d.value DESC NULLS LAST, d.doc_id ASC"
    # newest, and relevance without words to rank by
    return "d.published_at DESC NULLS LAST, d.doc_id ASC"
