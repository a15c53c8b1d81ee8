"""`GET /api/v1/tenders/{id}/matches` and `GET /api/v1/listings/{id}/matches`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import Parameter

from marketplace.matching import services
from marketplace.matching.schemas import ListingMatches, TenderMatches
from marketplace.searching.runtime import backend_of
from marketplace.web.deps import AppClock, CurrentActor, DbSession

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
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    clock: AppClock,
    tender_id: str,
    limit: Limit = 20,
) -> ListingMatches:
    items = await services.tender_matches(
        db_session, backend_of(request.app), actor, tender_id, clock.now(), limit
    )
    return ListingMatches(items=items)


@get(
    "/api/v1/listings/{listing_id:str}/matches",
    tags=["Search"],
    summary="Tenders open for responses that a listing may answer, best first",
)
async def listing_matches(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    clock: AppClock,
    listing_id: str,
    limit: Limit = 20,
) -> TenderMatches:
    items = await services.listing_matches(
        db_session, backend_of(request.app), actor, listing_id, clock.now(), limit
    )
    return TenderMatches(items=items)


handlers = [tender_matches, listing_matches]
