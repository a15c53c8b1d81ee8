"""The `/search` page: works as a plain GET form; with HTMX it updates while typing."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from marketplace.errors import DomainError
from marketplace.searching.api import Many, params_of
from marketplace.searching.runtime import backend_of
from marketplace.searching.services import (
    SearchParams,
    SearchUnavailable,
    build_query,
    facet_labels,
    run_search,
)
from marketplace.web.deps import AppClock, CurrentActor, render, wants_fragment
from marketplace.web.forms import errors_of
from search import SORTS, SearchResult

# Where each kind of result is shown (the packages that own them serve these pages).
RESULT_PATHS = {
    "listing": "/listings/{id}",
    "tender": "/tenders/{id}",
    "funding_call": "/funding-calls/{id}",
}
FACET_TITLES = {
    "type": "Type", "theme": "Theme", "country": "Country", "standard": "Standard",
    "cpv_division": "CPV division",
}  # fmt: skip


def _page_url(params: SearchParams, page: int) -> str:
    items = params.url_items() + ([("page", str(page))] if page > 1 else [])
    return "/search" + ("?" + urlencode(items) if items else "")


@get("/search", include_in_schema=False, name="search_page")
async def search_page(
    request: Request[Any, Any, Any],
    clock: AppClock,
    actor: CurrentActor,
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
    sort: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
) -> Template:
    # Page numbers arrive from links people edit: anything odd is page 1, not an error page.
    params = params_of(
        q, types, theme, cpv, country, nuts, standard, status, value_min, value_max,
        deadline_from, deadline_to, sort, _int(page, 1), min(100, _int(per_page, 20)),
    )  # fmt: skip
    result: SearchResult | None = None
    errors: dict[str, str] = {}
    limited = False
    status_code = 200
    try:
        result = await run_search(backend_of(request.app), build_query(params, clock.now()))
    except SearchUnavailable:
        limited = True
    except DomainError as error:
        errors = errors_of(error)
        status_code = 422
    pages = 0
    if result is not None:
        pages = max(1, -(-result.total // result.per_page))
    partial = wants_fragment(request)
    return render(
        request,
        "searching/_results.html" if partial else "searching/search.html",
        actor,
        status_code=status_code,
        params=params,
        selected={
            "type": set(params.type),
            "theme": set(params.theme),
            "country": set(params.country),
            "standard": set(params.standard),
            "cpv_division": set(params.cpv),
        },
        result=result,
        errors=errors,
        limited=limited,
        pages=pages,
        page_url=lambda n: _page_url(replace(params, page=n), n),
        result_url=lambda hit: RESULT_PATHS.get(hit.type, "/").format(id=hit.id),
        labels=facet_labels(),
        facet_titles=FACET_TITLES,
        sorts=SORTS,
    )


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        return default


handlers = [search_page]
