"""Turning request parameters into a search query (422 naming the field on bad input), and
running it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from marketplace.core.inputs import MAX_PAGE, MAX_PER_PAGE
from marketplace.core.module import SearchKind
from marketplace.errors import DomainError, Invalid
from marketplace.reference import vocabularies as vocab
from search import SORTS, BackendUnavailable, SearchBackend, SearchQuery, SearchResult
from search.documents import cpv_digits

MAX_TEXT = 200
MAX_VALUES = 50  # per filter: more alternatives than any page offers
# Statuses that mean "accepting now": a tender open for responses, a call open for funders.
# The index keeps lifecycle statuses that only events change; the deadline is a bound added
# at query time, so a deadline passing needs no reindexing.
ACCEPTING = frozenset({"active", "open"})


class SearchUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
    code = "unavailable"


@dataclass
class SearchParams:
    """What the search API and page accept, as strings straight from the URL."""

    q: str | None = None
    type: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    cpv: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    nuts: list[str] = field(default_factory=list)
    standard: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    value_min: str | None = None
    value_max: str | None = None
    deadline_from: str | None = None
    deadline_to: str | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = 20

    def url_items(self) -> list[tuple[str, str]]:
        """The parameters as they go back into a URL (for links that keep the search)."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        for name in ("type", "theme", "cpv", "country", "nuts", "standard", "status"):
            items += [(name, v) for v in getattr(self, name)]
        for name in ("value_min", "value_max", "deadline_from", "deadline_to", "sort"):
            if getattr(self, name):
                items.append((name, getattr(self, name)))
        if self.per_page != 20:
            items.append(("per_page", str(self.per_page)))
        return items


def _clean(values: list[str] | None) -> list[str]:
    return [v.strip() for v in values or [] if v and v.strip()]


def _amount(value: str | None, name: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise Invalid.field(name, "must be a number") from None
    if not amount.is_finite() or amount < 0:
        raise Invalid.field(name, "must be a number of at least 0")
    return float(amount)


def _moment(value: str | None, name: str, *, end_of_day: bool) -> datetime | None:
    if value is None or not value.strip():
        return None
    raw = value.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid.field(name, "must be a date (YYYY-MM-DD) or an RFC 3339 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_query(params: SearchParams, now: datetime, known_types: Sequence[str]) -> SearchQuery:
    """`known_types`: the search kinds the app was assembled with (what `?type=` may name)."""
    for name in ("type", "theme", "cpv", "country", "nuts", "standard", "status"):
        if len(getattr(params, name)) > MAX_VALUES:
            raise Invalid.field(name, f"at most {MAX_VALUES} values")
    text = (params.q or "").replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise Invalid.field("q", "must be at most %(max)s characters", max=MAX_TEXT)
    types = _clean(params.type)
    for t in types:
        if t not in known_types:
            raise Invalid.field("type", f"must be one of {', '.join(known_types)}")
    themes = [vocab.check_theme(t, "theme") for t in _clean(params.theme)]
    cpv = []
    for code in _clean(params.cpv):
        try:
            cpv.append(cpv_digits(code))
        except ValueError:
            raise Invalid.field("cpv", f"{code!r} is not a CPV code (8 digits)") from None
    countries = [vocab.check_country(c, "country") for c in _clean(params.country)]
    nuts = [vocab.check_nuts(n, "nuts") for n in _clean(params.nuts)]
    standards = _clean(params.standard)
    statuses = _clean(params.status)
    for name, values in (("standard", standards), ("status", statuses)):
        if any(len(v) > 60 for v in values):
            raise Invalid.field(name, "is too long")
    sort = params.sort or "relevance"
    if sort not in SORTS:
        raise Invalid.field("sort", f"must be one of {', '.join(SORTS)}")
    if not 1 <= params.page <= MAX_PAGE:
        raise Invalid.field("page", f"must be between 1 and {MAX_PAGE}")
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise Invalid.field("per_page", f"must be between 1 and {MAX_PER_PAGE}")
    value_min = _amount(params.value_min, "value_min")
    value_max = _amount(params.value_max, "value_max")
    if value_min is not None and value_max is not None and value_min > value_max:
        raise Invalid.field("value_max", "must not be below value_min")
    deadline_from = _moment(params.deadline_from, "deadline_from", end_of_day=False)
    deadline_to = _moment(params.deadline_to, "deadline_to", end_of_day=True)
    if statuses and ACCEPTING.issuperset(statuses):
        deadline_from = max(deadline_from, now) if deadline_from else now
    return SearchQuery(
        text=text,
        types=tuple(types),
        themes=tuple(themes),
        cpv=tuple(cpv),
        countries=tuple(countries),
        nuts=tuple(nuts),
        standards=tuple(standards),
        statuses=tuple(statuses),
        value_min=value_min,
        value_max=value_max,
        deadline_from=deadline_from,
        deadline_to=deadline_to,
        sort=sort,  # type: ignore[arg-type]  # checked against SORTS above
        page=params.page,
        per_page=params.per_page,
    )


async def run_search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    try:
        return await backend.search(query)
    except BackendUnavailable as error:
        raise SearchUnavailable(
            "Search is temporarily unavailable; please try again in a moment."
        ) from error


def filtered(query: SearchQuery) -> bool:
    return bool(
        query.types or query.themes or query.cpv or query.countries or query.nuts
        or query.standards or query.statuses or query.value_min is not None
        or query.value_max is not None or query.deadline_from is not None
        or query.deadline_to is not None
    )  # fmt: skip


async def without_filters(
    backend: SearchBackend, query: SearchQuery, result: SearchResult
) -> int | None:
    """When a filtered search finds nothing: how many results its words find with no filter
    (None when that is nothing too, or there were no filters), so the page can offer to
    drop them. One more search, only for empty answers."""
    if result.total or not filtered(query) or not query.text.strip():
        return None
    bare = replace(
        query, types=(), themes=(), cpv=(), countries=(), nuts=(), standards=(), statuses=(),
        value_min=None, value_max=None, deadline_from=None, deadline_to=None, page=1,
        per_page=1, facets=False, highlight=False,
    )  # fmt: skip
    try:
        found = await backend.search(bare)
    except BackendUnavailable:
        return None
    return found.total or None


def facet_labels(kinds: Sequence[SearchKind]) -> dict[str, Any]:
    """Readable names for facet values, for the page."""
    divisions = {
        c.digits: c.label for c in vocab.cpv_codes().values() if c.digits.endswith("000000")
    }
    return {
        "type": {kind.name: kind.label for kind in kinds},
        "theme": vocab.themes(),
        "country": vocab.countries(),
        "cpv_division": divisions,
        "standard": {r["code"]: r["title"] for r in vocab.standards_rows()},
    }
