"""`GET /api/v1/search`: one search over published listings, tenders and funding calls."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import QueryParameter

from marketplace.searching.params import Many, params_of
from marketplace.searching.schemas import SearchItem, SearchPage
from marketplace.searching.services import (
    build_query,
    run_search,
    without_filters,
)
from marketplace.web.deps import AppClock, AppRuntime, PageNumber, PerPage, SearchService


@get(
    "/api/v1/search",
    tags=["Search"],
    summary="Search published listings, tenders and funding calls",
    description="Free text (diacritics folded, the last word matched as a prefix, a misspelt"
    " word corrected when nothing matches) with filters; several values of one filter are"
    " alternatives. `cpv` matches every code below it (`45000000` = the whole division) and"
    " `nuts` every sub-region.",
)
async def search_api(
    clock: AppClock,
    runtime: AppRuntime,
    search_backend: SearchService,
    q: str | None = None,
    types: Annotated[list[str] | None, QueryParameter(name="type", required=False)] = None,
    theme: Many = None,
    cpv: Many = None,
    country: Many = None,
    nuts: Many = None,
    standard: Many = None,
    status: Many = None,
    value_min: str | None = None,
    value_max: str | None = None,
    deadline_from: str | None = None,
    deadline_to: str | None = None,
    sort: Annotated[
        str | None, QueryParameter(description="relevance (default), newest, deadline, value")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> SearchPage:
    params = params_of(
        q, types, theme, cpv, country, nuts, standard, status, value_min, value_max,
        deadline_from, deadline_to, sort, page, per_page,
    )  # fmt: skip
    known = [kind.name for kind in runtime.modules.search_kinds]
    query = build_query(params, clock.now(), known)
    result = await run_search(search_backend, query)
    return SearchPage(
        items=[
            SearchItem(type=h.type, id=h.id, title=h.title, snippet=h.snippet, score=h.score)
            for h in result.hits
        ],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        facets=result.facets,
        corrected_query=result.corrected_text,
        without_filters_total=await without_filters(search_backend, query, result),
    )


handlers = [search_api]
