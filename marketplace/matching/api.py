"""`GET /api/v1/tenders/{id}/matches` and `GET /api/v1/listings/{id}/matches`."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from marketplace.matching import services
from marketplace.matching.schemas import ListingMatches, TenderMatches
from marketplace.web.deps import AppClock, CurrentActor, DbSession, SearchService

Limit = Annotated[int, Parameter(ge=1, le=50, description="how many matches (default 20)")]


@get(
    "/api/v1/tenders/{tender_id:str}/matches",
    tags=["Search"],
    summary="Listings that may answer a tender, best first, each with its reasons",
    description="Published listings ranked by CPV closeness, the tender's words found in the"
    " listing, shared themes, desirable standards met, buyers' countries served and outcome"
    " metrics in common. A listing lacking a mandatory standard is never a match.",
)
async def tender_matches(
    search_backend: SearchService,
    db_session: DbSession,
    actor: CurrentActor,
    clock: AppClock,
    tender_id: str,
    limit: Limit = 20,
) -> ListingMatches:
    items = await services.tender_matches(
        db_session, search_backend, actor, tender_id, clock.now(), limit
    )
    return ListingMatches(items=items)


@get(
    "/api/v1/listings/{listing_id:str}/matches",
    tags=["Search"],
    summary="Tenders open for responses that a listing may answer, best first",
)
async def listing_matches(
    search_backend: SearchService,
    db_session: DbSession,
    actor: CurrentActor,
    clock: AppClock,
    listing_id: str,
    limit: Limit = 20,
) -> TenderMatches:
    items = await services.listing_matches(
        db_session, search_backend, actor, listing_id, clock.now(), limit
    )
    return TenderMatches(items=items)


handlers = [tender_matches, listing_matches]
