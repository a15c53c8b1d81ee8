"""Matches as pages: "Suppliers that may answer" a tender and "Tenders for this solution".

The tender and listing pages load these as fragments with HTMX once they are shown (so the
record's own page never waits for matching); without JavaScript, a link leads to the same
list as a page of its own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from marketplace.listings import services as listings
from marketplace.matching import services
from marketplace.matching.scoring import WEIGHTS
from marketplace.searching.runtime import backend_of
from marketplace.searching.services import SearchUnavailable
from marketplace.tenders import services as tenders
from marketplace.web.deps import AppClock, CurrentActor, DbSession, render, wants_fragment

CRITERIA = {"cpv": "CPV", "text": "Description", "themes": "Themes", "standards": "Standards",
            "countries": "Countries", "outcomes": "Outcomes"}  # fmt: skip


@get("/tenders/{tender_id:str}/matches", include_in_schema=False)
async def tender_matches_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    clock: AppClock, tender_id: str,
) -> Template:  # fmt: skip
    tender = await tenders.get_tender(db_session, actor, tender_id)
    items: list[Any] = []
    limited = False
    try:
        items = await services.tender_matches(
            db_session, backend_of(request.app), actor, tender_id, clock.now()
        )
    except SearchUnavailable:
        limited = True
    return render(
        request,
        "matching/_matches.html" if wants_fragment(request) else "matching/tender_matches.html",
        actor, record=tender, items=items, limited=limited, side="listings",
        criteria=CRITERIA, weights=WEIGHTS,
    )  # fmt: skip


@get("/listings/{listing_id:str}/matches", include_in_schema=False)
async def listing_matches_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    clock: AppClock, listing_id: str,
) -> Template:  # fmt: skip
    listing = await listings.get_listing(db_session, actor, listing_id)
    items: list[Any] = []
    limited = False
    try:
        items = await services.listing_matches(
            db_session, backend_of(request.app), actor, listing_id, clock.now()
        )
    except SearchUnavailable:
        limited = True
    return render(
        request,
        "matching/_matches.html" if wants_fragment(request) else "matching/listing_matches.html",
        actor, record=listing, items=items, limited=limited, side="tenders",
        criteria=CRITERIA, weights=WEIGHTS,
    )  # fmt: skip


handlers = [tender_matches_page, listing_matches_page]
