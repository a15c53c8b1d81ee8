"""JSON API for accounts, tokens and organisations: parse, call one service, return."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody

from marketplace.accounts import services
from marketplace.accounts.schemas import (
    MemberIn,
    MemberOut,
    MembershipOut,
    MeOut,
    OrganisationIn,
    OrganisationKind,
    OrganisationOut,
    OrganisationUpdate,
    RegisterIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)
from marketplace.accounts.throttle import LoginThrottle
from marketplace.errors import DomainError
from marketplace.schemas import Page
from marketplace.web.deps import AppClock, CurrentActor, DbSession, PageNumber, PerPage, signed_in


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def checked_sign_in(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    email: str,
    password: str,
    clock: AppClock,
) -> str:
    """Authenticate under the sign-in rate limit; shared by the API and the sign-in page."""
    throttle: LoginThrottle = request.app.state.login_throttle
    key = throttle.key(email, client_address(request))
    throttle.check(key, clock.now())
    try:
        user = await services.authenticate(db_session, email, password)
    except DomainError:
        throttle.failed(key, clock.now())
        raise
    throttle.succeeded(key)
    return user.id


class AuthController(Controller):
    path = "/api/v1"
    tags = ["Accounts"]

    @post("/auth/register", status_code=201, summary="Create an account")
    async def register(
        self, db_session: DbSession, data: JSONBody[RegisterIn], clock: AppClock
    ) -> UserOut:
        user = await services.register(db_session, data, clock.now())
        return UserOut.model_validate(user)

    @post("/auth/tokens", status_code=201, summary="Create a personal API token (shown once)")
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        data: JSONBody[TokenIn],
        clock: AppClock,
    ) -> TokenCreatedOut:
        user_id = await checked_sign_in(request, db_session, data.email, data.password, clock)
        new = await services.create_token(db_session, user_id, data.label, clock.now())
        return TokenCreatedOut(id=new.token.id, token=new.raw, label=new.token.label)

    @get("/auth/tokens", summary="Your API tokens (never their secret)")
    async def list_tokens(self, db_session: DbSession, actor: CurrentActor) -> list[TokenOut]:
        tokens = await services.list_tokens(db_session, signed_in(actor))
        return [TokenOut.model_validate(t) for t in tokens]

    @delete("/auth/tokens/{token_id:str}", status_code=204, summary="Revoke a token at once")
    async def revoke_token(
        self, db_session: DbSession, actor: CurrentActor, token_id: str, clock: AppClock
    ) -> None:
        await services.revoke_token(db_session, signed_in(actor), token_id, clock.now())

    @get("/me", summary="The signed-in user and their memberships")
    async def me(self, actor: CurrentActor) -> MeOut:
        me = signed_in(actor)
        return MeOut(
            id=me.user_id,
            email=me.email,
            name=me.name,
            is_admin=me.is_admin,
            memberships=[MembershipOut(organisation_id=o, role=r) for o, r in me.roles.items()],
        )


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["Accounts"]

    @post("/", status_code=201, summary="Create an organisation; you become its owner")
    async def create(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        data: JSONBody[OrganisationIn],
        clock: AppClock,
    ) -> OrganisationOut:
        organisation = await services.create_organisation(
            db_session, signed_in(actor), data, clock.now()
        )
        return OrganisationOut.model_validate(organisation)

    @get("/", summary="Organisations' public profiles")
    async def list_organisations(
        self,
        db_session: DbSession,
        kind: OrganisationKind | None = None,
        q: str | None = None,
        verified: bool | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[OrganisationOut]:
        rows, total = await services.list_organisations(
            db_session, kind=kind, q=q, verified=verified, page=page, per_page=per_page
        )
        items = [OrganisationOut.model_validate(o) for o in rows]
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/{organisation_id:str}", summary="One organisation's public profile")
    async def show(self, db_session: DbSession, organisation_id: str) -> OrganisationOut:
        organisation = await services.get_organisation(db_session, organisation_id)
        return OrganisationOut.model_validate(organisation)

    @patch("/{organisation_id:str}", summary="Edit the profile (owners and editors)")
    async def update(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        data: JSONBody[OrganisationUpdate],
    ) -> OrganisationOut:
        organisation = await services.update_organisation(
            db_session, signed_in(actor), organisation_id, data
        )
        return OrganisationOut.model_validate(organisation)

    @get("/{organisation_id:str}/members", summary="Members (visible to members)")
    async def members(
        self, db_session: DbSession, actor: CurrentActor, organisation_id: str
    ) -> list[MemberOut]:
        rows = await services.list_members(db_session, actor, organisation_id)
        return [_member_out(m, u) for m, u in rows]

    @post("/{organisation_id:str}/members", status_code=201, summary="Add a member by email")
    async def add_member(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        data: JSONBody[MemberIn],
        clock: AppClock,
    ) -> MemberOut:
        membership, user = await services.add_member(
            db_session, signed_in(actor), organisation_id, data, clock.now()
        )
        return _member_out(membership, user)

    @post("/{organisation_id:str}/verify", status_code=200, summary="Verify (platform admins)")
    async def verify(
        self, db_session: DbSession, actor: CurrentActor, organisation_id: str, clock: AppClock
    ) -> OrganisationOut:
        organisation = await services.verify_organisation(
            db_session, signed_in(actor), organisation_id, clock.now()
        )
        return OrganisationOut.model_validate(organisation)


def _member_out(membership: Any, user: Any) -> MemberOut:
    return MemberOut(
        user_id=user.id,
        email=user.email,
        name=user.name,
        organisation_id=membership.organisation_id,
        role=membership.role,
    )


handlers = [AuthController, OrganisationController]
