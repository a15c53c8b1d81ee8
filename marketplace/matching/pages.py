"""Matches as pages: "Suppliers that may answer" a tender and "Tenders for this solution".

The tender and listing pages load these as fragments with HTMX once they are shown (so the
record's own page never waits for matching); without JavaScript, a link leads to the same
list as a page of its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from litestar import Request, get
from litestar.response import Template

from marketplace.accounts.principal import Actor
from marketplace.i18n import gettext as _
from marketplace.listings import services as listings
from marketplace.matching import embeddings, services
from marketplace.matching.scoring import weights
from marketplace.searching.services import SearchUnavailable
from marketplace.tenders import services as tenders
from marketplace.web.deps import (
    AppClock,
    CurrentActor,
    DbSession,
    SearchService,
    render,
    wants_fragment,
)


def _criteria() -> dict[str, str]:
    return {"text": _("What it says"), "cpv": _("CPV"), "themes": _("Themes"),
            "standards": _("Standards"), "outcomes": _("Outcomes"),
            **({"meaning": _("Close in meaning")} if embeddings.active() else {})}  # fmt: skip


def _cpv_levels() -> dict[str, str]:
    """How close a CPV code is to the one asked for (scoring's names), as a sentence."""
    return {
        "same code": _("same code as %(code)s"),
        "within the code asked for": _("within %(code)s, the code asked for"),
        "same category": _("same category as %(code)s"),
        "same class": _("same class as %(code)s"),
        "same group": _("same group as %(code)s"),
        "same division": _("same division as %(code)s"),
    }


async def _matches_page(
    request: Request[Any, Any, Any], actor: Actor | None, record: Any,
    find: Callable[[], Awaitable[Sequence[Any]]], page: str, side: str,
) -> Template:  # fmt: skip
    """The list of matches, whole or as the fragment HTMX asks for; search down, a notice."""
    items: Sequence[Any] = []
    limited = False
    try:
        items = await find()
    except SearchUnavailable:
        limited = True
    return render(
        request, "matching/_matches.html" if wants_fragment(request) else page, actor,
        record=record, items=items, limited=limited, side=side, criteria=_criteria(), cpv_levels=_cpv_levels(),
        weights=weights(embeddings.active()),
    )  # fmt: skip


@get("/tenders/{tender_id:str}/matches", include_in_schema=False)
async def tender_matches_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    clock: AppClock, search_backend: SearchService, tender_id: str,
) -> Template:  # fmt: skip
    tender = await tenders.get_tender(db_session, actor, tender_id)
    backend = search_backend
    return await _matches_page(
        request, actor, tender,
        lambda: services.tender_matches(db_session, backend, actor, tender_id, clock.now()),
        "matching/tender_matches.html", "listings",
    )  # fmt: skip


@get("/listings/{listing_id:str}/matches", include_in_schema=False)
async def listing_matches_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    clock: AppClock, search_backend: SearchService, listing_id: str,
) -> Template:  # fmt: skip
    listing = await listings.get_listing(db_session, actor, listing_id)
    backend = search_backend
    return await _matches_page(
        request, actor, listing,
        lambda: services.listing_matches(db_session, backend, actor, listing_id, clock.now()),
        "matching/listing_matches.html", "tenders",
    )  # fmt: skip


handlers = [tender_matches_page, listing_matches_page]
