"""Search results as the API returns them."""

from __future__ import annotations

from pydantic import Field

from marketplace.schemas import Schema


class SearchItem(Schema):
    type: str = Field(description="listing, tender or funding_call")
    id: str
    title: str
    snippet: str = Field(description="HTML: text escaped, matched words in <mark>")
    score: float = Field(description="relevance (backend-specific; higher is better)")


class SearchPage(Schema):
    items: list[SearchItem]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = Field(
        description="counts per value for type, theme, country, standard and cpv_division,"
        " over the results of this query with its filters"
    )
    corrected_query: str | None = Field(
        default=None,
        description="when a word was not in the index, the words used (closest spellings)",
    )
    without_filters_total: int | None = Field(
        default=None,
        description="when the filters left nothing: how many results the words find without them",
    )
