"""JSON API for SME solution listings: parse, call one service, return."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from marketplace.listings import services
from marketplace.listings.schemas import (
    ListingIn,
    ListingOut,
    ListingSort,
    ListingStatus,
    ListingUpdate,
)
from marketplace.schemas import Page
from marketplace.web.deps import AppClock, CurrentActor, DbSession, PageNumber, PerPage, signed_in


class ListingController(Controller):
    path = "/api/v1/listings"
    tags = ["Listings"]

    @post("/", status_code=201, summary="Create a listing (a draft) for your SME")
    async def create(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[ListingIn], clock: AppClock
    ) -> ListingOut:
        listing = await services.create_listing(db_session, signed_in(actor), data, clock.now())
        return await services.view(db_session, listing)

    @get(
        "/",
        summary="Listings: published ones for everyone, plus your SMEs' drafts and archived ones",
    )
    async def index(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str | None = None,
        theme: str | None = None,
        status: ListingStatus | None = None,
        standard: str | None = None,
        cpv: str | None = None,
        q: str | None = None,
        sort: ListingSort | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[ListingOut]:
        """`sort`: `updated` (the default), `newest` (recently published), `title`, `trl`
        (the most mature first)."""
        rows, total = await services.list_listings(
            db_session, actor, organisation_id=organisation_id, theme=theme, status=status,
            standard=standard, cpv=cpv, q=q, sort=sort, page=page, per_page=per_page,
        )  # fmt: skip
        items = await services.views(db_session, rows)
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/{listing_id:str}", summary="One listing (drafts only for the SME's members)")
    async def show(self, db_session: DbSession, actor: CurrentActor, listing_id: str) -> ListingOut:
        listing = await services.get_listing(db_session, actor, listing_id)
        return await services.view(db_session, listing)

    @patch("/{listing_id:str}", summary="Change some fields (the SME's owners and editors)")
    async def update(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        listing_id: str,
        data: JSONBody[ListingUpdate],
        clock: AppClock,
    ) -> ListingOut:
        listing = await services.update_listing(
            db_session, signed_in(actor), listing_id, data, clock.now()
        )
        return await services.view(db_session, listing)

    @post(
        "/{listing_id:str}/publish",
        status_code=200,
        summary="Publish; 409 listing the missing fields when incomplete",
    )
    async def publish(
        self, db_session: DbSession, actor: CurrentActor, listing_id: str, clock: AppClock
    ) -> ListingOut:
        listing = await services.publish_listing(
            db_session, signed_in(actor), listing_id, clock.now()
        )
        return await services.view(db_session, listing)

    @post("/{listing_id:str}/archive", status_code=200, summary="Archive (no longer offered)")
    async def archive(
        self, db_session: DbSession, actor: CurrentActor, listing_id: str, clock: AppClock
    ) -> ListingOut:
        listing = await services.archive_listing(
            db_session, signed_in(actor), listing_id, clock.now()
        )
        return await services.view(db_session, listing)

    @post(
        "/{listing_id:str}/draft",
        status_code=200,
        summary="Back to draft for a new round of edits (leaves the public view)",
    )
    async def reopen(
        self, db_session: DbSession, actor: CurrentActor, listing_id: str, clock: AppClock
    ) -> ListingOut:
        listing = await services.reopen_listing(
            db_session, signed_in(actor), listing_id, clock.now()
        )
        return await services.view(db_session, listing)


handlers = [ListingController]
