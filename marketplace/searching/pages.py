"""The `/search` page: works as a plain GET form; with HTMX it updates while typing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from marketplace import i18n
from marketplace.core.inputs import MAX_PAGE
from marketplace.errors import DomainError
from marketplace.i18n import gettext as _
from marketplace.searching.params import Many, params_of
from marketplace.searching.services import (
    SearchParams,
    SearchUnavailable,
    build_query,
    facet_labels,
    run_search,
    without_filters,
)
from marketplace.web import labels
from marketplace.web.deps import (
    AppClock,
    AppRuntime,
    CurrentActor,
    SearchService,
    render,
    wants_fragment,
)
from marketplace.web.filters import Describe, active_filters, named
from marketplace.web.forms import errors_of
from search import SORTS, SearchResult


def _facet_titles() -> dict[str, str]:
    return {
        "type": _("Type"), "theme": _("Theme"), "country": _("Country"),
        "standard": _("Standard"), "cpv_division": _("CPV division"),
    }  # fmt: skip


def _labels(kinds: Any) -> dict[str, Any]:
    """The facet values' names in the reader's language (the services' are English)."""
    names = facet_labels(kinds)
    names["type"] = {name: _(label) for name, label in names["type"].items()}
    names["theme"] = labels.theme_names()
    names["country"] = labels.country_names()
    return names


def _describe(names: dict[str, Any]) -> Describe:
    """Each filter of the search as the reader would say it ("Theme: Mobility")."""
    titles = _facet_titles()
    statuses = {
        **labels.stage_names(), "open": _("Open"), "closed": _("Closed"),
        "published": _("Published"),
    }  # fmt: skip

    def describe(name: str, value: str) -> str | None:
        match name:
            case "type" | "theme" | "country" | "standard":
                return named(titles[name], names[name].get(value, value))
            case "cpv":
                return named("CPV", labels.cpv_label(value))
            case "nuts":
                return named(_("Region"), labels.nuts_label(value))
            case "status":
                return named(_("Status"), statuses.get(value, value))
            case "value_min":
                return _("Value from %(amount)s", amount=_number(value))
            case "value_max":
                return _("Value up to %(amount)s", amount=_number(value))
            case "deadline_from":
                return _("Deadline from %(date)s", date=_date(value))
            case "deadline_to":
                return _("Deadline until %(date)s", date=_date(value))
        return None

    return describe


def _number(value: str) -> str:
    try:
        return i18n.number(value)
    except ArithmeticError:
        return value


def _date(value: str) -> str:
    try:
        return i18n.day(datetime.fromisoformat(value.strip()))
    except ValueError:
        return value


def _page_url(params: SearchParams, page: int) -> str:
    items = params.url_items() + ([("page", str(page))] if page > 1 else [])
    return "/search" + ("?" + urlencode(items) if items else "")


@get("/search", include_in_schema=False, name="search_page")
async def search_page(
    request: Request[Any, Any, Any],
    clock: AppClock,
    actor: CurrentActor,
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
    unfiltered: int | None = None
    errors: dict[str, str] = {}
    limited = False
    status_code = 200
    kinds = runtime.modules.search_kinds
    # Where each kind of result is shown (the modules that own them serve these pages).
    paths = {kind.name: kind.path for kind in kinds}
    try:
        query = build_query(params, clock.now(), list(paths))
        result = await run_search(search_backend, query)
        unfiltered = await without_filters(search_backend, query, result)
    except SearchUnavailable:
        limited = True
    except DomainError as error:
        errors = errors_of(error)
        status_code = 422
    pages = 0
    if result is not None:
        pages = max(1, -(-result.total // result.per_page))
    partial = wants_fragment(request)
    names = _labels(kinds)
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
        unfiltered=unfiltered,
        unfiltered_url=_page_url(SearchParams(q=params.q), 1),
        errors=errors,
        limited=limited,
        pages=pages,
        page_url=lambda n: _page_url(replace(params, page=n), n),
        result_url=lambda hit: paths.get(hit.type, "/").format(id=hit.id),
        labels=names,
        filters=active_filters("/search", params.url_items(), _describe(names)),
        # Each kind's own list ("/tenders" beside "/tenders/{id}"), for a search that finds nothing.
        browse=[
            (
                k.path.removesuffix("/{id}"),
                _("Browse the list: %(kinds)s", kinds=names["type"].get(k.name, k.label)),
            )
            for k in kinds
            if k.path.endswith("/{id}")
        ],
        facet_titles=_facet_titles(),
        sorts=SORTS,
    )


def _int(value: str | None, default: int) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE) if value else default
    except ValueError:
        return default


handlers = [search_page]
