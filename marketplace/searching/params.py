"""Query parameters of a search, as the API and the search page both read them (so the page
need not import the API, nor the API the page)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from marketplace.searching.services import SearchParams

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
