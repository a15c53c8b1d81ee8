"""Finding open calls for a funder: ranked by fit with its focus (`fit`), and, with words,
narrowed by the search engine everyone uses. Kept out of `services` (the rules) because it
orchestrates search, a layer above the funding rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.errors import Invalid
from marketplace.funding import fit, funders, interests, services
from marketplace.funding.models import CALL_LOAD, FundingCall
from marketplace.funding.schemas import FitOut, FitReasonOut, money
from marketplace.funding.search import KIND as SEARCH_KIND
from marketplace.searching.services import MAX_TEXT, SearchUnavailable
from search import BackendUnavailable, SearchBackend, SearchQuery
from search.query import MAX_PER_PAGE

# Calls considered when a funder narrows the fits by words: more than any ranking shows.
FIT_TEXT_CANDIDATES = 500


async def _calls_about(backend: SearchBackend, text: str, now: datetime) -> list[str]:
    """Open calls whose words match, through the search engine (folding, prefixes, typos)."""
    query = SearchQuery(text=text, types=(SEARCH_KIND,), statuses=("open",), deadline_from=now,
                        per_page=MAX_PER_PAGE, facets=False)  # fmt: skip
    ids: list[str] = []
    try:
        while True:
            result = await backend.search(query)
            ids += [h.id for h in result.hits]
            if len(ids) >= result.total or not result.hits or len(ids) >= FIT_TEXT_CANDIDATES:
                return ids
            query = replace(query, page=query.page + 1)
    except BackendUnavailable as error:
        raise SearchUnavailable(
            "Searching the calls by words is temporarily unavailable; try without words."
        ) from error


async def fits(
    session: AsyncSession,
    actor: Actor,
    funder_id: str,
    now: datetime,
    limit: int = 50,
    *,
    text: str | None = None,
    backend: SearchBackend | None = None,
) -> list[FitOut]:
    """Open calls ranked by fit with the funder's focus; with `text`, only the calls the
    search engine finds for those words (the same search everyone uses)."""
    funder, profile = await funders.get_profile(session, funder_id)
    interests.require_funder_member(actor, funder)
    statement = (
        select(FundingCall)
        .where(services.open_clause(now))
        .options(*CALL_LOAD)
        .order_by(FundingCall.deadline, FundingCall.id)
    )
    if text and text.strip():
        if backend is None:
            raise ValueError("searching calls by words needs the search backend")
        if len(text) > MAX_TEXT:
            raise Invalid.field("q", f"must be at most {MAX_TEXT} characters")
        statement = statement.where(FundingCall.id.in_(await _calls_about(backend, text, now)))
    calls = list(await session.scalars(statement))
    by_id = {c.id: c for c in calls}
    ranked = fit.rank(funders.focus_of(profile), [funders.facts_of(c) for c in calls])[:limit]
    return [
        FitOut(
            call_id=f.call_id,
            title=by_id[f.call_id].title,
            organisation_name=by_id[f.call_id].organisation.name,
            amount_sought=money(by_id[f.call_id].amount_sought, by_id[f.call_id].currency),
            deadline=by_id[f.call_id].deadline,
            score=f.score,
            reasons=[
                FitReasonOut(
                    criterion=r.criterion,
                    matched=r.matched,
                    points=r.points,
                    detail=r.detail,
                )
                for r in f.reasons
            ],
        )
        for f in ranked
    ]
