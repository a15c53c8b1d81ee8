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
from marketplace.matching.keywords import spelled, terms
from marketplace.searching.services import MAX_TEXT, SearchUnavailable
from search import BackendUnavailable, SearchBackend, SearchQuery
from search.query import MAX_PER_PAGE

# Calls considered when a funder narrows the fits by words: more than any ranking shows.
FIT_TEXT_CANDIDATES = 500
# Calls far less relevant to the words than the best one touch them only in passing (a word
# in a partner's name, a close spelling): they are not what the funder asked about.
MIN_WORDS_SHARE = 0.15


async def _calls_about(backend: SearchBackend, text: str, now: datetime) -> dict[str, float]:
    """Open calls with any of the words, through the search engine (folding, prefixes,
    typos), each with its relevance: more of the words, and rarer ones, rank higher."""
    query = SearchQuery(text=text, types=(SEARCH_KIND,), statuses=("open",), deadline_from=now,
                        per_page=MAX_PER_PAGE, facets=False, any_word=True)  # fmt: skip
    try:
        # Any word first; misspelt words are corrected only by the all-words search.
        return await _all_pages(backend, query) or await _all_pages(
            backend, replace(query, any_word=False)
        )
    except BackendUnavailable as error:
        raise SearchUnavailable(
            "Searching the calls by words is temporarily unavailable; try without words."
        ) from error


async def _all_pages(backend: SearchBackend, query: SearchQuery) -> dict[str, float]:
    found: dict[str, float] = {}
    while True:
        result = await backend.search(query)
        # Nothing scores when none of the words is in the index (every call would match).
        found.update((h.id, h.score) for h in result.hits if h.score > 0)
        if len(found) >= result.total or not result.hits or len(found) >= FIT_TEXT_CANDIDATES:
            return found
        query = replace(query, page=query.page + 1)


def _words_found(text: str, calls: list[FundingCall], found: dict[str, float]
                 ) -> dict[str, fit.WordsMatch]:  # fmt: skip
    """Each call's share of the best relevance, and which of the funder's words it uses
    (as the funder wrote them; stems compared, so "pumps" finds "pump")."""
    spelling = spelled([text])
    asked = list(dict.fromkeys(terms(text)))
    best = max((found.get(c.id, 0.0) for c in calls), default=0.0) or 1.0
    matches = {}
    for call in calls:
        share = found.get(call.id, 0.0) / best
        if share < MIN_WORDS_SHARE:
            continue
        said = set(terms(" ".join((call.title, call.summary, call.description))))
        words = tuple(spelling.get(t, t) for t in asked if t in said)
        matches[call.id] = fit.WordsMatch(share, words)
    return matches


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
            raise Invalid.field("q", "must be at most %(max)s characters", max=MAX_TEXT)
        found = await _calls_about(backend, text, now)
        statement = statement.where(FundingCall.id.in_(list(found)))
    calls = list(await session.scalars(statement))
    by_id = {c.id: c for c in calls}
    words = _words_found(text, calls, found) if text and text.strip() else None
    facts = [funders.facts_of(c) for c in calls]
    ranked = fit.rank(funders.focus_of(profile), facts, words)[:limit]
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
