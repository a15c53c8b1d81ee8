"""JSON API for funding calls, interests, funder profiles, fits and shortlists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import JSONBody, Parameter

from marketplace.funding import discovery, exports, funders, interests, services
from marketplace.funding.params import call_filters
from marketplace.funding.schemas import (
    CallSort,
    CallStatus,
    DecisionIn,
    FitOut,
    FunderProfileIn,
    FunderProfileOut,
    FundingCallIn,
    FundingCallOut,
    FundingCallUpdate,
    Instrument,
    InterestIn,
    InterestOut,
    InterestUpdate,
    PartnerIn,
    ShortlistIn,
    ShortlistOut,
)
from marketplace.schemas import Page
from marketplace.web.deps import (
    AppClock,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SearchService,
    signed_in,
)
from marketplace.web.spreadsheet import csv_response


class FundingCallController(Controller):
    path = "/api/v1/funding-calls"
    tags = ["Funding calls"]

    @post("/", status_code=201, summary="Create a funding call (draft) for a city")
    async def create(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        data: JSONBody[FundingCallIn],
        clock: AppClock,
    ) -> FundingCallOut:
        call = await services.create_call(db_session, signed_in(actor), data, clock.now())
        return await services.call_out(db_session, call, clock.now(), actor)

    @get("/", summary="Funding calls (drafts only for their cities' members)")
    async def list_calls(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        clock: AppClock,
        status: CallStatus | None = None,
        theme: list[str] | None = None,
        instrument: Instrument | None = None,
        country: str | None = None,
        amount_min: Decimal | None = None,
        amount_max: Decimal | None = None,
        deadline_after: date | None = None,
        deadline_before: date | None = None,
        organisation_id: str | None = None,
        q: str | None = None,
        sort: CallSort | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[FundingCallOut]:
        """`sort`: `deadline` (open calls closing soonest, then the others), `newest`,
        `title`, `value` (the largest amount sought first); without it, the earliest
        deadline first."""
        filters = call_filters(
            status, theme, instrument, country, amount_min, amount_max, deadline_after,
            deadline_before, organisation_id, q,
        )  # fmt: skip
        rows, total = await services.list_calls(
            db_session, actor, clock.now(), filters, page, per_page, sort=sort
        )
        items = await services.calls_out(db_session, rows, clock.now(), actor)
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/{call_id:str}", summary="One funding call with the amount pledged so far")
    async def show(
        self, db_session: DbSession, actor: CurrentActor, call_id: str, clock: AppClock
    ) -> FundingCallOut:
        call = await services.get_call(db_session, actor, call_id, clock.now())
        return await services.call_out(db_session, call, clock.now(), actor)

    @patch("/{call_id:str}", summary="Edit a draft (lead city editors)")
    async def update(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        data: JSONBody[FundingCallUpdate],
        clock: AppClock,
    ) -> FundingCallOut:
        call = await services.update_call(db_session, signed_in(actor), call_id, data, clock.now())
        return await services.call_out(db_session, call, clock.now(), actor)

    @post("/{call_id:str}/partners", status_code=201, summary="Invite a partner city (draft)")
    async def invite(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        data: JSONBody[PartnerIn],
        clock: AppClock,
    ) -> FundingCallOut:
        call = await services.invite_partner(
            db_session, signed_in(actor), call_id, data.organisation_id, clock.now()
        )
        return await services.call_out(db_session, call, clock.now(), actor)

    @post(
        "/{call_id:str}/partners/{organisation_id:str}/confirm",
        status_code=200,
        summary="The invited city confirms its participation",
    )
    async def confirm(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        organisation_id: str,
        clock: AppClock,
    ) -> FundingCallOut:
        call = await services.confirm_partner(
            db_session, signed_in(actor), call_id, organisation_id, clock.now()
        )
        return await services.call_out(db_session, call, clock.now(), actor)

    @delete(
        "/{call_id:str}/partners/{organisation_id:str}",
        status_code=204,
        summary="Remove a partner (lead city) or withdraw (the partner), while a draft",
    )
    async def remove_partner(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        organisation_id: str,
        clock: AppClock,
    ) -> None:
        await services.remove_partner(
            db_session, signed_in(actor), call_id, organisation_id, clock.now()
        )

    @post("/{call_id:str}/publish", status_code=200, summary="Publish: draft → open")
    async def publish(
        self, db_session: DbSession, actor: CurrentActor, call_id: str, clock: AppClock
    ) -> FundingCallOut:
        call = await services.publish_call(db_session, signed_in(actor), call_id, clock.now())
        return await services.call_out(db_session, call, clock.now(), actor)

    @post("/{call_id:str}/close", status_code=200, summary="Close before the deadline")
    async def close(
        self, db_session: DbSession, actor: CurrentActor, call_id: str, clock: AppClock
    ) -> FundingCallOut:
        call = await services.close_call(db_session, signed_in(actor), call_id, clock.now())
        return await services.call_out(db_session, call, clock.now(), actor)

    @post("/{call_id:str}/interests", status_code=201, summary="A funder expresses interest")
    async def express_interest(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        data: JSONBody[InterestIn],
        clock: AppClock,
    ) -> InterestOut:
        interest = await interests.express_interest(
            db_session, signed_in(actor), call_id, data, clock.now()
        )
        return interests.interest_out(interest)

    @get(
        "/{call_id:str}/interests", summary="Interests: all for the call's cities, own for funders"
    )
    async def interests(
        self, db_session: DbSession, actor: CurrentActor, call_id: str, clock: AppClock
    ) -> list[InterestOut]:
        rows = await interests.call_interests(db_session, signed_in(actor), call_id, clock.now())
        return [interests.interest_out(i) for i in rows]

    @patch(
        "/{call_id:str}/interests/{interest_id:str}",
        summary="The funder changes its pending interest (never above the amount sought)",
    )
    async def revise_interest(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        interest_id: str,
        data: JSONBody[InterestUpdate],
        clock: AppClock,
    ) -> InterestOut:
        interest = await interests.revise_interest(
            db_session, signed_in(actor), call_id, interest_id, data, clock.now()
        )
        return interests.interest_out(interest)

    @post(
        "/{call_id:str}/interests/{interest_id:str}/withdraw",
        status_code=200,
        summary="The funder withdraws its interest (until the city accepts it)",
    )
    async def withdraw_interest(
        self, db_session: DbSession, actor: CurrentActor, call_id: str, interest_id: str,
        clock: AppClock,
    ) -> InterestOut:  # fmt: skip
        interest = await interests.withdraw_interest(
            db_session, signed_in(actor), call_id, interest_id, clock.now()
        )
        return interests.interest_out(interest)

    @post(
        "/{call_id:str}/interests/{interest_id:str}/accept",
        status_code=200,
        summary="Accept an interest (the call's cities)",
    )
    async def accept(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        interest_id: str,
        clock: AppClock,
        data: JSONBody[DecisionIn | None] = None,
    ) -> InterestOut:
        interest = await interests.decide_interest(
            db_session, signed_in(actor), call_id, interest_id, True,
            data.note if data else "", clock.now(),
        )  # fmt: skip
        return interests.interest_out(interest)

    @post(
        "/{call_id:str}/interests/{interest_id:str}/decline",
        status_code=200,
        summary="Decline an interest (the call's cities)",
    )
    async def decline(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        call_id: str,
        interest_id: str,
        clock: AppClock,
        data: JSONBody[DecisionIn | None] = None,
    ) -> InterestOut:
        interest = await interests.decide_interest(
            db_session, signed_in(actor), call_id, interest_id, False,
            data.note if data else "", clock.now(),
        )  # fmt: skip
        return interests.interest_out(interest)


class FunderController(Controller):
    path = "/api/v1/funders"
    tags = ["Funding calls"]

    @get("/{funder_id:str}/profile", summary="A funder's investment focus (public)")
    async def profile(self, db_session: DbSession, funder_id: str) -> FunderProfileOut:
        funder, profile = await funders.get_profile(db_session, funder_id)
        return funders.profile_out(funder, profile)

    @put("/{funder_id:str}/profile", summary="State the investment focus (funder editors)")
    async def save_profile(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        funder_id: str,
        data: JSONBody[FunderProfileIn],
        clock: AppClock,
    ) -> FunderProfileOut:
        funder, profile = await funders.save_profile(
            db_session, signed_in(actor), funder_id, data, clock.now()
        )
        return funders.profile_out(funder, profile)

    @get("/{funder_id:str}/fits", summary="Open calls that fit the focus, best first, with reasons")
    async def fits(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        funder_id: str,
        clock: AppClock,
        search_backend: SearchService,
        q: Annotated[
            str | None,
            Parameter(description="only the calls search finds for these words"),
        ] = None,
    ) -> list[FitOut]:
        return await discovery.fits(
            db_session, signed_in(actor), funder_id, clock.now(), text=q,
            backend=search_backend,
        )  # fmt: skip

    @get("/{funder_id:str}/interests", summary="The funder's own interests and their status")
    async def interests(
        self, db_session: DbSession, actor: CurrentActor, funder_id: str
    ) -> list[InterestOut]:
        rows = await interests.funder_interests(db_session, signed_in(actor), funder_id)
        return [interests.interest_out(i) for i in rows]

    @get("/{funder_id:str}/interests.csv", summary="The funder's interests as CSV")
    async def interests_csv(
        self, db_session: DbSession, actor: CurrentActor, funder_id: str
    ) -> Response[str]:
        rows = await interests.funder_interests(db_session, signed_in(actor), funder_id)
        text = exports.interests_csv([interests.interest_out(i) for i in rows])
        return csv_response(text, "funding-interests.csv", bom=False)

    @get("/{funder_id:str}/shortlist", summary="The funder's private shortlist")
    async def shortlist(
        self, db_session: DbSession, actor: CurrentActor, funder_id: str, clock: AppClock
    ) -> list[ShortlistOut]:
        return await funders.shortlist(db_session, signed_in(actor), funder_id, clock.now())

    @get("/{funder_id:str}/shortlist.csv", summary="The funder's shortlist as CSV")
    async def shortlist_csv(
        self, db_session: DbSession, actor: CurrentActor, funder_id: str, clock: AppClock
    ) -> Response[str]:
        rows = await funders.shortlist(db_session, signed_in(actor), funder_id, clock.now())
        return csv_response(exports.shortlist_csv(rows), "funding-shortlist.csv", bom=False)

    @put(
        "/{funder_id:str}/shortlist/{call_id:str}",
        summary="Shortlist a call or change its note (201 when added, 200 when changed)",
    )
    async def shortlist_call(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        funder_id: str,
        call_id: str,
        data: JSONBody[ShortlistIn],
        clock: AppClock,
    ) -> Response[list[ShortlistOut]]:
        me = signed_in(actor)
        added = await funders.save_shortlist_entry(
            db_session, me, funder_id, call_id, data.note, clock.now()
        )
        rows = await funders.shortlist(db_session, me, funder_id, clock.now())
        return Response(rows, status_code=201 if added else 200)

    @delete("/{funder_id:str}/shortlist/{call_id:str}", status_code=204, summary="Unshortlist")
    async def unshortlist(
        self, db_session: DbSession, actor: CurrentActor, funder_id: str, call_id: str,
        clock: AppClock,
    ) -> None:  # fmt: skip
        await funders.remove_shortlist_entry(
            db_session, signed_in(actor), funder_id, call_id, clock.now()
        )


handlers: list[Any] = [FundingCallController, FunderController]
