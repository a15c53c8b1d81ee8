"""JSON API for the standards catalogue and cities' commitments."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from marketplace.schemas import Page
from marketplace.standards import services
from marketplace.standards.schemas import (
    CommitmentIn,
    CommitmentOut,
    StandardDetailOut,
    StandardIn,
    StandardOut,
    StandardUpdate,
)
from marketplace.web.deps import AppClock, CurrentActor, DbSession, PageNumber, PerPage, signed_in

# Provided by the listings module (`listings.services.standard_claimants`).
StandardClaimants = NamedDependency[services.ClaimantsOf]


class StandardController(Controller):
    path = "/api/v1/standards"
    tags = ["Standards"]

    @get("/", summary="The standards catalogue; search by words, filter by category")
    async def index(
        self,
        db_session: DbSession,
        q: str | None = None,
        category: str | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 100,
    ) -> Page[StandardOut]:
        rows, total = await services.list_standards(
            db_session, q=q, category=category, page=page, per_page=per_page
        )
        items = [StandardOut.model_validate(s) for s in rows]
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/{code:str}", summary="One standard, with the cities that adopted it")
    async def show(
        self, db_session: DbSession, code: str, standard_claimants: StandardClaimants
    ) -> StandardDetailOut:
        return await services.standard_detail(db_session, code, standard_claimants)

    @post("/", status_code=201, summary="Add a standard (platform admins)")
    async def create(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[StandardIn],
        clock: AppClock,
    ) -> StandardOut:  # fmt: skip
        standard = await services.create_standard(db_session, signed_in(actor), data, clock.now())
        return StandardOut.model_validate(standard)

    @patch("/{code:str}", summary="Edit a standard, e.g. a new version (platform admins)")
    async def update(
        self, db_session: DbSession, actor: CurrentActor, code: str,
        data: JSONBody[StandardUpdate], clock: AppClock,
    ) -> StandardOut:  # fmt: skip
        standard = await services.update_standard(
            db_session, signed_in(actor), code, data, clock.now()
        )
        return StandardOut.model_validate(standard)


class CommitmentController(Controller):
    path = "/api/v1/organisations/{organisation_id:str}/standards"
    tags = ["Standards"]

    @get("/", summary="A city's commitments to standards")
    async def index(self, db_session: DbSession, organisation_id: str) -> list[CommitmentOut]:
        return [c.out() for c in await services.commitments_of(db_session, organisation_id)]

    @post(
        "/",
        status_code=201,
        summary="Commit the city to a standard (city editors); 200 when it changes one",
    )
    async def commit(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        data: JSONBody[CommitmentIn],
        clock: AppClock,
    ) -> Response[CommitmentOut]:
        commitment, created = await services.commit_city(
            db_session, signed_in(actor), organisation_id, data, clock.now()
        )
        return Response(commitment.out(), status_code=201 if created else 200)

    @delete("/{code:str}", status_code=204, summary="Withdraw a commitment (city editors)")
    async def withdraw(
        self, db_session: DbSession, actor: CurrentActor, organisation_id: str, code: str,
        clock: AppClock,
    ) -> None:  # fmt: skip
        await services.withdraw_commitment(
            db_session, signed_in(actor), organisation_id, code, clock.now()
        )


handlers = [StandardController, CommitmentController]
