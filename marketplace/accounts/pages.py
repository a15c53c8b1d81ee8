"""HTML pages for signing up and in, the account, organisations and admin verification."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts import services
from marketplace.accounts.api import checked_sign_in
from marketplace.accounts.principal import Actor
from marketplace.accounts.schemas import MemberIn, OrganisationIn, OrganisationUpdate, RegisterIn
from marketplace.errors import DomainError, Forbidden, RateLimited
from marketplace.web.deps import (
    AppClock,
    CurrentActor,
    DbSession,
    flash,
    redirect_to_sign_in,
    render,
)
from marketplace.web.forms import FormData, clean, errors_of, parse


def _safe_next(value: str | None) -> str:
    # Only same-site paths: an open redirect after sign-in helps phishing.
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/account"


@get("/sign-up", name="sign_up", include_in_schema=False)
async def sign_up_form(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return render(request, "accounts/sign_up.html", actor, form={}, errors={})


@post("/sign-up", include_in_schema=False)
async def sign_up(
    request: Request[Any, Any, Any], db_session: DbSession, data: FormData, clock: AppClock
) -> Template | Redirect:
    form = clean(data)
    parsed, errors = parse(RegisterIn, form)
    if parsed is not None:
        try:
            user = await services.register(db_session, parsed, clock.now())
        except DomainError as error:
            errors = errors_of(error)
        else:
            request.set_session({"user_id": user.id})
            flash(request, f"Welcome, {user.name}. Create or join an organisation to start.")
            return Redirect("/account")
    return render(request, "accounts/sign_up.html", None, status_code=422, form=form, errors=errors)


@get("/sign-in", name="sign_in", include_in_schema=False)
async def sign_in_form(
    request: Request[Any, Any, Any], actor: CurrentActor, next: str | None = None
) -> Template:
    return render(request, "accounts/sign_in.html", actor, form={"next": next or ""}, errors={})


@post("/sign-in", include_in_schema=False)
async def sign_in(
    request: Request[Any, Any, Any], db_session: DbSession, data: FormData, clock: AppClock
) -> Template | Redirect:
    form = clean(data)
    try:
        user_id = await checked_sign_in(
            request, db_session, str(form.get("email", "")), str(form.get("password", "")), clock
        )
    except RateLimited as error:
        return render(
            request, "accounts/sign_in.html", None, status_code=429, form=form,
            errors={"form": error.detail},
        )  # fmt: skip
    except DomainError as error:
        return render(
            request, "accounts/sign_in.html", None, status_code=401, form=form,
            errors={"form": error.detail},
        )  # fmt: skip
    request.set_session({"user_id": user_id})
    return Redirect(_safe_next(str(form.get("next", ""))))


@post("/sign-out", include_in_schema=False)
async def sign_out(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect("/")


@get("/account", include_in_schema=False)
async def account(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    return render(
        request,
        "accounts/account.html",
        actor,
        tokens=await services.list_tokens(db_session, actor),
        organisations=await services.organisations_of(db_session, actor),
        new_token=None,
    )


@post("/account/tokens", include_in_schema=False)
async def create_token(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    label = str(clean(data).get("label", "API token"))[:100]
    new = await services.create_token(db_session, actor.user_id, label, clock.now())
    # Shown on this response only: the token is stored hashed and cannot be shown again.
    return render(
        request,
        "accounts/account.html",
        actor,
        status_code=201,
        tokens=await services.list_tokens(db_session, actor),
        organisations=await services.organisations_of(db_session, actor),
        new_token=new.raw,
    )


@post("/account/tokens/{token_id:str}/revoke", include_in_schema=False)
async def revoke_token(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    token_id: str,
    clock: AppClock,
) -> Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    await services.revoke_token(db_session, actor, token_id, clock.now())
    flash(request, "The token was revoked; it no longer works.")
    return Redirect("/account")


@get("/organisations", include_in_schema=False)
async def directory(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    kind: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> Template:
    rows, total = await services.list_organisations(
        db_session, kind=kind or None, q=q or None, page=max(page, 1), per_page=50
    )
    return render(
        request, "accounts/directory.html", actor, organisations=rows, total=total,
        kind=kind or "", q=q or "", page=max(page, 1), per_page=50,
    )  # fmt: skip


@get("/organisations/new", include_in_schema=False)
async def new_organisation_form(
    request: Request[Any, Any, Any], actor: CurrentActor
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    return render(request, "accounts/organisation_form.html", actor, form={}, errors={})


@post("/organisations/new", include_in_schema=False)
async def create_organisation(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    parsed, errors = parse(OrganisationIn, form)
    if parsed is not None:
        try:
            organisation = await services.create_organisation(
                db_session, actor, parsed, clock.now()
            )
        except DomainError as error:
            errors = errors_of(error)
        else:
            flash(request, f"{organisation.name} was created. A platform admin will verify it.")
            return Redirect(f"/organisations/{organisation.id}")
    return render(
        request, "accounts/organisation_form.html", actor, status_code=422, form=form,
        errors=errors,
    )  # fmt: skip


@get("/organisations/{organisation_id:str}", include_in_schema=False)
async def profile(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
) -> Template:
    organisation = await services.get_organisation(db_session, organisation_id)
    return render(
        request,
        "accounts/profile.html",
        actor,
        organisation=organisation,
        sections=await profile_sections(request, db_session, actor, organisation),
    )


async def profile_sections(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, organisation: Any
) -> list[Any]:
    """Other packages add what they show on a profile (listings, tenders, commitments).

    Each provider is `async (session, actor, organisation) -> (template, context) | None`,
    registered on `app.state.profile_sections`.
    """
    sections = []
    for provider in getattr(request.app.state, "profile_sections", []):
        section = await provider(db_session, actor, organisation)
        if section is not None:
            sections.append(section)
    return sections


@get("/organisations/{organisation_id:str}/edit", include_in_schema=False)
async def edit_organisation_form(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    organisation = await services.get_organisation(db_session, organisation_id)
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the organisation's owners and editors may change its profile.")
    form = {
        "name": organisation.name,
        "nuts_code": organisation.nuts_code or "",
        "website": organisation.website or "",
        "description": organisation.description,
    }
    return render(
        request, "accounts/organisation_edit.html", actor, organisation=organisation, form=form,
        errors={},
    )  # fmt: skip


@post("/organisations/{organisation_id:str}/edit", include_in_schema=False)
async def edit_organisation(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
    data: FormData,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = {k: v for k, v in data.items() if k != "_csrf_token"}
    submitted = {k: (v if v != "" or k == "description" else None) for k, v in form.items()}
    parsed, errors = parse(OrganisationUpdate, submitted)
    if parsed is not None:
        try:
            await services.update_organisation(db_session, actor, organisation_id, parsed)
        except DomainError as error:
            if isinstance(error, Forbidden):
                raise
            errors = errors_of(error)
        else:
            flash(request, "The profile was saved.")
            return Redirect(f"/organisations/{organisation_id}")
    organisation = await services.get_organisation(db_session, organisation_id)
    return render(
        request, "accounts/organisation_edit.html", actor, status_code=422,
        organisation=organisation, form=form, errors=errors,
    )  # fmt: skip


@get("/organisations/{organisation_id:str}/members", include_in_schema=False)
async def members_page(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    return await _members(request, db_session, actor, organisation_id, {}, {})


async def _members(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: Actor,
    organisation_id: str,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    organisation = await services.get_organisation(db_session, organisation_id)
    members = await services.list_members(db_session, actor, organisation_id)
    return render(
        request, "accounts/members.html", actor, status_code=status_code,
        organisation=organisation, members=members, form=form, errors=errors,
    )  # fmt: skip


@post("/organisations/{organisation_id:str}/members", include_in_schema=False)
async def add_member(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    parsed, errors = parse(MemberIn, form)
    if parsed is not None:
        try:
            _, user = await services.add_member(
                db_session, actor, organisation_id, parsed, clock.now()
            )
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error)
        else:
            flash(request, f"{user.name} was added as {parsed.role}.")
            return Redirect(f"/organisations/{organisation_id}/members")
    return await _members(request, db_session, actor, organisation_id, form, errors, 422)


@get("/admin/verification", include_in_schema=False)
async def verification_queue(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    if not actor.is_admin:
        raise Forbidden("Only platform admins see the verification queue.")
    rows, total = await services.list_organisations(db_session, verified=False, per_page=100)
    return render(request, "accounts/verification.html", actor, organisations=rows, total=total)


@post("/admin/organisations/{organisation_id:str}/verify", include_in_schema=False)
async def verify(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
    clock: AppClock,
) -> Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    organisation = await services.verify_organisation(
        db_session, actor, organisation_id, clock.now()
    )
    flash(request, f"{organisation.name} is now verified.")
    return Redirect("/admin/verification")


handlers = [
    sign_up_form, sign_up, sign_in_form, sign_in, sign_out, account, create_token, revoke_token,
    directory, new_organisation_form, create_organisation, profile, edit_organisation_form,
    edit_organisation, members_page, add_member, verification_queue, verify,
]  # fmt: skip
