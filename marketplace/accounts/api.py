"""JSON API for accounts, tokens and organisations: parse, call one service, return."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody

from marketplace import i18n
from marketplace.accounts import services
from marketplace.accounts.schemas import (
    AcceptedOut,
    EmailVerificationConfirmIn,
    MemberIn,
    MemberOut,
    MemberRoleIn,
    MembershipOut,
    MeOut,
    MeUpdate,
    OrganisationIn,
    OrganisationKind,
    OrganisationOut,
    OrganisationSort,
    OrganisationUpdate,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)
from marketplace.schemas import Page
from marketplace.web.deps import (
    AppClock,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    sign_in_throttle,
    signed_in,
    user_sessions,
)
from marketplace.web.ratelimit import client_address


class AuthController(Controller):
    path = "/api/v1"
    tags = ["Accounts"]

    @post("/auth/register", status_code=201, summary="Create an account")
    async def register(
        self,
        db_session: DbSession,
        data: JSONBody[RegisterIn],
        clock: AppClock,
        settings: AppSettings,
    ) -> UserOut:
        user = await services.register(
            db_session, data, clock.now(), locale=i18n.current(),
            verification_days=settings.email_verification_days,
        )  # fmt: skip
        return UserOut.model_validate(user)

    @post(
        "/auth/password-reset",
        status_code=202,
        summary="Mail a password reset link (the same answer whether or not the account exists)",
    )
    async def password_reset(
        self,
        db_session: DbSession,
        data: JSONBody[PasswordResetIn],
        clock: AppClock,
        settings: AppSettings,
    ) -> AcceptedOut:
        await services.request_password_reset(
            db_session, settings, data.email, clock.now(), i18n.current()
        )
        return AcceptedOut(detail=RESET_SENT)

    @post(
        "/auth/password-reset/confirm",
        status_code=204,
        summary="Set a new password with a reset link's token (ends every session)",
        description="409 when the link was used already, 410 when it expired, 422 for a "
        "token that is not ours or a weak password.",
    )
    async def password_reset_confirm(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        data: JSONBody[PasswordResetConfirmIn],
        clock: AppClock,
        settings: AppSettings,
    ) -> None:
        user = await services.reset_password(db_session, settings, data, clock.now())
        await user_sessions(request).end_all(user.id)

    @post(
        "/auth/email-verification",
        status_code=202,
        summary="Mail a new link to verify your address (409 when it is verified already)",
    )
    async def send_verification(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        clock: AppClock,
        settings: AppSettings,
    ) -> AcceptedOut:
        me = signed_in(actor)
        await services.send_verification(db_session, settings, me, clock.now(), i18n.current())
        return AcceptedOut(detail=f"A link to verify {me.email} was sent.")

    @post(
        "/auth/email-verification/confirm",
        status_code=204,
        summary="Verify an address with the token of the mailed link",
        description="409 when the link was used already, 410 when it expired.",
    )
    async def verify_email(
        self,
        db_session: DbSession,
        data: JSONBody[EmailVerificationConfirmIn],
        clock: AppClock,
        settings: AppSettings,
    ) -> None:
        await services.verify_email(db_session, settings, data.token, clock.now())

    @post("/auth/tokens", status_code=201, summary="Create a personal API token (shown once)")
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        data: JSONBody[TokenIn],
        clock: AppClock,
    ) -> TokenCreatedOut:
        user = await services.sign_in(
            db_session, sign_in_throttle(request), data.email, data.password,
            client_address(request),
        )  # fmt: skip
        new = await services.create_token(db_session, user.id, data.label, clock.now())
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

    @post("/me/password", status_code=204, summary="Change your password (ends every session)")
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        data: JSONBody[PasswordChangeIn],
        clock: AppClock,
    ) -> None:
        me = signed_in(actor)
        await services.change_password(db_session, me, data, clock.now())
        # A password changed through the API signs out every browser: the caller holds
        # a token, not one of those sessions.
        await user_sessions(request).end_all(me.user_id)

    @get("/me", summary="The signed-in user and their memberships")
    async def me(self, db_session: DbSession, actor: CurrentActor) -> MeOut:
        me = signed_in(actor)
        return _me_out(me, await services.get_user(db_session, me))

    @patch("/me", summary="Change your settings: `locale` (en, fr, de) for pages and e-mail")
    async def update_me(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[MeUpdate]
    ) -> MeOut:
        me = signed_in(actor)
        return _me_out(me, await services.update_me(db_session, me, data))


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
        sort: OrganisationSort | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[OrganisationOut]:
        """`sort`: `name` (the default), `newest`, `country` (then name)."""
        rows, total = await services.list_organisations(
            db_session, kind=kind, q=q, verified=verified, sort=sort, page=page,
            per_page=per_page,
        )  # fmt: skip
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
        clock: AppClock,
    ) -> OrganisationOut:
        organisation = await services.update_organisation(
            db_session, signed_in(actor), organisation_id, data, clock.now()
        )
        return OrganisationOut.model_validate(organisation)

    @get("/{organisation_id:str}/members", summary="Members (visible to members)")
    async def members(
        self, db_session: DbSession, actor: CurrentActor, organisation_id: str
    ) -> list[MemberOut]:
        rows = await services.list_members(db_session, actor, organisation_id)
        return [_member_out(m) for m in rows]

    @post("/{organisation_id:str}/members", status_code=201, summary="Add a member by email")
    async def add_member(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        data: JSONBody[MemberIn],
        clock: AppClock,
    ) -> MemberOut:
        member = await services.add_member(
            db_session, signed_in(actor), organisation_id, data, clock.now()
        )
        return _member_out(member)

    @patch(
        "/{organisation_id:str}/members/{user_id:str}",
        summary="Change a member's role (owners; never the last owner's)",
    )
    async def change_member_role(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        user_id: str,
        data: JSONBody[MemberRoleIn],
        clock: AppClock,
    ) -> MemberOut:
        member = await services.change_member_role(
            db_session, signed_in(actor), organisation_id, user_id, data, clock.now()
        )
        return _member_out(member)

    @delete(
        "/{organisation_id:str}/members/{user_id:str}",
        status_code=204,
        summary="Remove a member, or leave (owners remove anyone but the last owner)",
    )
    async def remove_member(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        user_id: str,
        clock: AppClock,
    ) -> None:
        actor = signed_in(actor)
        await services.remove_member(db_session, actor, organisation_id, user_id, clock.now())
        if user_id != actor.user_id:
            await user_sessions(request).end_all(user_id)

    @post("/{organisation_id:str}/verify", status_code=200, summary="Verify (platform admins)")
    async def verify(
        self, db_session: DbSession, actor: CurrentActor, organisation_id: str, clock: AppClock
    ) -> OrganisationOut:
        organisation = await services.verify_organisation(
            db_session, signed_in(actor), organisation_id, clock.now()
        )
        return OrganisationOut.model_validate(organisation)


RESET_SENT = (
    "If an account uses this address, a link to choose a new password was sent to it. "
    "The link works once, for a limited time."
)


def _me_out(me: Any, user: Any) -> MeOut:
    return MeOut(
        id=me.user_id,
        email=me.email,
        name=me.name,
        is_admin=me.is_admin,
        memberships=[MembershipOut(organisation_id=o, role=r) for o, r in me.roles.items()],
        email_verified=user.email_verified_at is not None,
        email_verified_at=user.email_verified_at,
        locale=user.locale,
    )


def _member_out(member: services.Member) -> MemberOut:
    return MemberOut(
        user_id=member.user.id,
        email=member.user.email,
        name=member.user.name,
        organisation_id=member.membership.organisation_id,
        role=member.membership.role,
        actions=member.actions.names,
    )


handlers = [AuthController, OrganisationController]
