"""`GET /api/v1/search`: one search over published listings, tenders and funding calls."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import QueryParameter

from marketplace.searching.runtime import backend_of
from marketplace.searching.schemas import SearchItem, SearchPage
from marketplace.searching.services import SearchParams, build_query, run_search
from marketplace.web.deps import AppClock, PageNumber, PerPage

Many = Annotated[list[str] | None, QueryParameter(required=False)]


def params_of(
    q: str | None, types: list[str] | None, theme: list[str] | None, cpv: list[str] | None,
    country: list[str] | None, nuts: list[str] | None, standard: list[str] | None,
    status: list[str] | None, value_min: str | None, value_max: str | None,
    deadline_from: str | None, deadline_to: str | None, sort: str | None, page: int,
    per_page: int,
) -> SearchParams:  # fmt: skip
    return SearchParams(
        q=q, type=types or [], theme=theme or [], cpv=cpv or [], country=country or [],
        nuts=nuts or [], standard=standard or [], status=status or [], value_min=value_min,
        value_max=value_max, deadline_from=deadline_from, deadline_to=deadline_to, sort=sort,
        page=page, per_page=per_page,
    )  # fmt: skip


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
    request: Request[Any, Any, Any],
    clock: AppClock,
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
    result = await run_search(backend_of(request.app), build_query(params, clock.now()))
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
    )


handlers = [search_api]
