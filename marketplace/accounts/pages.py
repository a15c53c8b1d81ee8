"""HTML pages for signing up and in, the account, organisations and admin verification."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from marketplace import i18n
from marketplace.accounts import downloads, policies, services
from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.accounts.schemas import (
    CONTACT,
    MemberIn,
    MemberRoleIn,
    OrganisationIn,
    OrganisationUpdate,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
)
from marketplace.core.policy import Allowed
from marketplace.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    RateLimited,
)
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.web import confirm, maps, pickers, spreadsheet
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    AppRuntime,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SignedIn,
    flash,
    render,
    sign_in_throttle,
    user_sessions,
)
from marketplace.web.filters import active_filters, named
from marketplace.web.forms import FormData, attempt, clean, errors_of, parse
from marketplace.web.lists import (
    Download,
    Sorting,
    download_url,
    every_row,
    pager,
    sort_labels,
    sorting,
)
from marketplace.web.locale import COOKIE as LANGUAGE_COOKIE
from marketplace.web.locale import language_cookie
from marketplace.web.ratelimit import client_address
from marketplace.web.sessions import current_id


def N_(message: str) -> str:
    return message


# What the services say on sign-in, shown translated on the page.
SIGN_IN_MESSAGES = (N_("The email or password is not correct."),)


def _sign_up_labels() -> dict[str, str]:
    return {"name": _("Your name"), "email": _("Email address"), "password": _("Password")}


def _password_labels() -> dict[str, str]:
    return {"current_password": _("Current password"), "new_password": _("New password")}


def _organisation_labels() -> dict[str, str]:
    return {
        "name": _("Name"), "kind": _("Kind"), "buyer_type": _("Type of public buyer"),
        "country": _("Country"), "nuts_code": _("NUTS region code"), "website": _("Website"),
        "vat_id": _("VAT identification number"), "identifiers": _("Registration number"),
        "identifier_scheme": _("Register"), "identifier_id": _("Registration number"),
        "street_address": _("Street address"), "locality": _("Town"),
        "postal_code": _("Postcode"), "contact_name": _("Contact point"),
        "email": _("Contact e-mail"), "telephone": _("Telephone"),
        "description": _("Description"),
    }  # fmt: skip


def _member_labels() -> dict[str, str]:
    return {"email": _("Their email address"), "role": _("Role")}


def _safe_next(value: str | None) -> str:
    # Only same-site paths: an open redirect after sign-in helps phishing.
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/home"


@get("/sign-up", name="sign_up", include_in_schema=False)
async def sign_up_form(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return render(request, "accounts/sign_up.html", actor, form={}, errors={})


@post("/sign-up", include_in_schema=False)
async def sign_up(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    data: FormData,
    clock: AppClock,
    settings: AppSettings,
) -> Template | Redirect:
    form = clean(data)
    parsed, errors = parse(RegisterIn, form, _sign_up_labels())
    if parsed is not None:
        try:
            user = await services.register(
                db_session, parsed, clock.now(), locale=i18n.current(),
                verification_days=settings.email_verification_days,
            )  # fmt: skip
        except DomainError as error:
            errors = errors_of(error, _sign_up_labels())
        else:
            await user_sessions(request).begin(request, user.id, clock.now())
            flash(
                request,
                _("Welcome, %(name)s. Create or join an organisation to start.", name=user.name),
            )
            flash(request, _("We sent a link to %(email)s: follow it to verify your address.",
                             email=user.email))  # fmt: skip
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
        user = await services.sign_in(
            db_session, sign_in_throttle(request), str(form.get("email", "")),
            str(form.get("password", "")), client_address(request),
        )  # fmt: skip
    except RateLimited as error:
        return render(
            request, "accounts/sign_in.html", None, status_code=429, form=form,
            errors={"form": _(error.detail)},
        )  # fmt: skip
    except DomainError as error:
        return render(
            request, "accounts/sign_in.html", None, status_code=401, form=form,
            errors={"form": _(error.detail)},
        )  # fmt: skip
    await user_sessions(request).begin(request, user.id, clock.now())
    response: Redirect = Redirect(_safe_next(str(form.get("next", ""))))
    if user.locale and not request.cookies.get(LANGUAGE_COOKIE):
        # The language the person chose before, on this browser too (a choice made on this
        # browser, in its cookie, wins).
        response.cookies.append(language_cookie(user.locale))
    return response


@post("/sign-out", include_in_schema=False)
async def sign_out(request: Request[Any, Any, Any]) -> Redirect:
    # Deleted from the store: the cookie is worthless from now on, wherever it was copied.
    await user_sessions(request).end_current(request)
    return Redirect("/")


@get("/account", include_in_schema=False, dependencies=SIGNED_IN)
async def account(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn
) -> Template:
    return await _account_page(request, db_session, actor)


async def _account_page(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: Actor,
    status_code: int = 200,
    new_token: str | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    return render(
        request,
        "accounts/account.html",
        actor,
        status_code=status_code,
        tokens=await services.list_tokens(db_session, actor),
        organisations=await services.organisations_of(db_session, actor),
        new_token=new_token,
        sessions=await user_sessions(request).list(actor.user_id, current_id(request)),
        password_errors=errors or {},
        me=await services.get_user(db_session, actor),
    )


@post("/account/password", include_in_schema=False, dependencies=SIGNED_IN)
async def change_password(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    parsed, errors = parse(PasswordChangeIn, clean(data), _password_labels())
    if parsed is not None:
        try:
            await services.change_password(db_session, actor, parsed, clock.now())
        except DomainError as error:
            errors = errors_of(error, _password_labels())
    if errors:
        return await _account_page(request, db_session, actor, status_code=422, errors=errors)
    ended = await user_sessions(request).end_all(actor.user_id, keep=current_id(request))
    if ended:
        flash(request, ngettext("Your password was changed; %(num)s other session signed out.",
                                "Your password was changed; %(num)s other sessions signed out.",
                                ended))  # fmt: skip
    else:
        flash(request, _("Your password was changed."))
    return Redirect("/account")


@post("/account/sessions/{handle:str}/end", include_in_schema=False, dependencies=SIGNED_IN)
async def end_session(request: Request[Any, Any, Any], actor: SignedIn, handle: str) -> Redirect:
    if await user_sessions(request).end(actor.user_id, handle):
        flash(request, _("That session was signed out."))
    return Redirect("/account#sessions")


@post("/account/tokens", include_in_schema=False, dependencies=SIGNED_IN)
async def create_token(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    data: FormData,
    clock: AppClock,
) -> Template:
    label = str(clean(data).get("label", _("API token")))[:100]
    new = await services.create_token(db_session, actor.user_id, label, clock.now())
    # Shown on this response only: the token is stored hashed and cannot be shown again.
    return await _account_page(request, db_session, actor, status_code=201, new_token=new.raw)


@post("/account/tokens/{token_id:str}/revoke", include_in_schema=False, dependencies=SIGNED_IN)
async def revoke_token(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    token_id: str,
    clock: AppClock,
) -> Redirect:
    await services.revoke_token(db_session, actor, token_id, clock.now())
    flash(request, _("The token was revoked; it no longer works."))
    return Redirect("/account")


ORGANISATION_KINDS = ("city", "sme", "funder", "public_buyer", "large_company")


def organisation_sorts() -> dict[str, str]:
    return sort_labels("name", "newest", "country", country=_("Country"))


def _directory_filters(kind: str | None, sort: str | None) -> tuple[str | None, Sorting]:
    return (kind if kind in ORGANISATION_KINDS else None), sorting(
        sort, organisation_sorts(), "name"
    )


@get("/organisations", include_in_schema=False)
async def directory(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    kind: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> Template:
    chosen_kind, order = _directory_filters(kind, sort)
    rows, total = await services.list_organisations(
        db_session, kind=chosen_kind, q=q or None, sort=order.chosen, page=page,
        per_page=per_page,
    )  # fmt: skip
    kinds = downloads.kind_names()

    def describe(name: str, value: str) -> str | None:
        return named(_("Kind"), kinds.get(value, value)) if name == "kind" else None

    sort_item = [("sort", order.chosen)] if order.chosen != "name" else []
    chosen = [("q", q or ""), ("kind", chosen_kind or ""), *sort_item]
    query = [(k, v) for k, v in chosen if v]
    sized = query + ([("per_page", str(per_page))] if per_page != 50 else [])
    # The network's map: every city, whatever the filters (they narrow the list under it).
    cities = await services.network_cities(db_session)
    network_map = maps.cities_map(
        "network-map", _("The cities of the network"),
        _("The cities of the ICC network on ICC Marketplace, by country:"), cities,
    ) if cities else None  # fmt: skip
    return render(
        request, "accounts/directory.html", actor, organisations=rows, total=total,
        network_map=network_map,
        kind=chosen_kind or "", q=q or "", order=order, per_page=per_page,
        filters=active_filters("/organisations", chosen, describe),
        pages=pager("/organisations", sized, page, per_page, total),
        download=Download(download_url("/organisations.csv", query), total),
    )  # fmt: skip


@get("/organisations.csv", include_in_schema=False)
async def directory_csv(
    db_session: DbSession, clock: AppClock, settings: AppSettings, kind: str | None = None,
    q: str | None = None, sort: str | None = None,
) -> Response[str]:  # fmt: skip
    """The directory as it lists organisations (same filters, same order), every page: the
    public profile's name, kind and place, not its contact details."""
    chosen_kind, order = _directory_filters(kind, sort)

    async def fetch(page: int, per_page: int) -> tuple[list[Organisation], int]:
        return await services.list_organisations(
            db_session, kind=chosen_kind, q=q or None, sort=order.chosen, page=page,
            per_page=per_page,
        )  # fmt: skip

    rows = await every_row(fetch)
    return spreadsheet.csv_response(
        downloads.organisations_csv(rows, settings.base_url),
        spreadsheet.download_name("organisations", clock.now().date()),
    )


@get("/organisations/new", include_in_schema=False, dependencies=SIGNED_IN)
async def new_organisation_form(request: Request[Any, Any, Any], actor: SignedIn) -> Template:
    return render(request, "accounts/organisation_form.html", actor, form={}, errors={})


@post("/organisations/new", include_in_schema=False, dependencies=SIGNED_IN)
async def create_organisation(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = clean(data)
    region = pickers.take_one("nuts", data, "nuts_code")
    pickers.keep(form, "nuts_code", region)
    if pickers.finding_in(data):  # the region's "Find" without JavaScript: nothing is saved
        return render(request, "accounts/organisation_form.html", actor, form=form, errors={})
    fields = {k: v for k, v in form.items() if not k.startswith("identifier_")}
    fields["nuts_code"] = region.one
    if form.get("identifier_scheme") or form.get("identifier_id"):
        fields["identifiers"] = [
            {
                "scheme": form.get("identifier_scheme", "").upper(),
                "id": form.get("identifier_id", ""),
            }
        ]
    parsed, errors = parse(OrganisationIn, fields, _organisation_labels())
    if parsed is not None:
        try:
            organisation = await services.create_organisation(
                db_session, actor, parsed, clock.now()
            )
        except DomainError as error:
            errors = errors_of(error, _organisation_labels())
        else:
            flash(
                request,
                _("%(name)s was created. A platform admin will verify it.", name=organisation.name),
            )
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
    runtime: AppRuntime,
    clock: AppClock,
) -> Template:
    organisation = await services.get_organisation(db_session, organisation_id)
    sections = []
    # Other modules add what they show on a profile (listings, calls, commitments): each is
    # `async (session, actor, organisation, now) -> (template, context) | None`.
    for provider in runtime.modules.profile_sections:
        section = await provider(db_session, actor, organisation, clock.now())
        if section is not None:
            sections.append(section)
    return render(
        request, "accounts/profile.html", actor, organisation=organisation, sections=sections,
        actions=policies.organisation_actions(actor, organisation.id),
        identifiers=await services.identifiers_of(db_session, organisation.id),
    )  # fmt: skip


@get("/organisations/{organisation_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_organisation_form(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
) -> Template:
    organisation = await services.get_organisation(db_session, organisation_id)
    policies.organisation_actions(actor, organisation_id).require("edit")
    identifiers = await services.identifiers_of(db_session, organisation_id)
    scheme, number = identifiers[0] if identifiers else ("", "")
    form = {
        "name": organisation.name,
        "nuts_code": organisation.nuts_code or "",
        "website": organisation.website or "",
        "description": organisation.description,
        "buyer_type": organisation.buyer_type or "",
        "identifier_scheme": scheme, "identifier_id": number,
        **{k: getattr(organisation, k) or "" for k in CONTACT},
    }  # fmt: skip
    return render(
        request, "accounts/organisation_edit.html", actor, organisation=organisation, form=form,
        errors={}, more_identifiers=identifiers[1:],
    )  # fmt: skip


@post("/organisations/{organisation_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_organisation(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = {k: v for k, v in data.items() if k != "_csrf_token"}
    region = pickers.take_one("nuts", data, "nuts_code")
    pickers.keep(form, "nuts_code", region)
    submitted = {k: (v if v != "" or k == "description" else None)
                 for k, v in form.items() if not k.startswith("identifier_")}  # fmt: skip
    if "nuts_code" in data or "nuts_code_q" in data:
        submitted["nuts_code"] = region.one
    submitted.pop("nuts_code_q", None)
    if submitted.get("buyer_type") is None:
        submitted.pop("buyer_type", None)  # a city's, an SME's: not asked
    held = await services.identifiers_of(db_session, organisation_id)
    if "identifier_scheme" in form or "identifier_id" in form:
        # The form shows the first identifier; the others are kept as they are.
        first = ([{"scheme": str(form.get("identifier_scheme", "")).upper(),
                   "id": form.get("identifier_id", "")}]
                 if form.get("identifier_scheme") or form.get("identifier_id") else [])  # fmt: skip
        submitted["identifiers"] = first + [{"scheme": s, "id": i} for s, i in held[1:]]
    finding = pickers.finding_in(data)  # the region's "Find" without JavaScript: not saved
    parsed, errors = parse(OrganisationUpdate, submitted, _organisation_labels())
    if parsed is not None and not finding:
        try:
            await services.update_organisation(
                db_session, actor, organisation_id, parsed, clock.now()
            )
        except DomainError as error:
            if isinstance(error, Forbidden):
                raise
            errors = errors_of(error, _organisation_labels())
        else:
            flash(request, _("The profile was saved."))
            return Redirect(f"/organisations/{organisation_id}")
    organisation = await services.get_organisation(db_session, organisation_id)
    return render(
        request, "accounts/organisation_edit.html", actor, status_code=200 if finding else 422,
        organisation=organisation, form=form, errors={} if finding else errors,
        more_identifiers=held[1:],
    )  # fmt: skip


@get(
    "/organisations/{organisation_id:str}/members", include_in_schema=False, dependencies=SIGNED_IN
)
async def members_page(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
) -> Template:
    return await _members(request, db_session, actor, organisation_id, {}, {})


def _role_labels() -> list[tuple[str, str]]:
    return [("owner", _("Owner")), ("editor", _("Editor")), ("viewer", _("Viewer"))]


@dataclass(frozen=True)
class MemberRow:
    """One line of the members page: who, their role, and what the reader may do there."""

    user_id: str
    name: str
    email: str
    role: str
    role_label: str
    actions: Allowed
    is_self: bool
    # Why an owner sees no Remove or role select on this line (the last owner), if so.
    note: str | None


def _member_rows(actor: Actor, members: list[services.Member]) -> list[MemberRow]:
    labels = dict(_role_labels())
    rows = []
    for m in members:
        refusal = m.actions.refusal("remove")
        note = _(refusal.reason) if refusal and refusal.error is Conflict else None
        rows.append(
            MemberRow(
                user_id=m.user.id, name=m.user.name, email=m.user.email, role=m.membership.role,
                role_label=labels.get(m.membership.role, m.membership.role), actions=m.actions,
                is_self=m.user.id == actor.user_id, note=note,
            )
        )  # fmt: skip
    return rows


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
        organisation=organisation, members=_member_rows(actor, members), form=form,
        errors=errors, roles=_role_labels(),
        actions=policies.organisation_actions(actor, organisation.id),
    )  # fmt: skip


async def _member_change(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, organisation_id: str,
    work: Awaitable[Any],
) -> Template | None:  # fmt: skip
    """Run one change of the members list; a refusal shows the members page again with its
    reason (None: it was done)."""
    error = await attempt(db_session, work, let_through=(Forbidden, NotFound))
    if error is None:
        return None
    return await _members(
        request, db_session, actor, organisation_id, {}, errors_of(error), error.status
    )


@post(
    "/organisations/{organisation_id:str}/members/{user_id:str}/role",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def change_member_role(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    user_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    parsed, errors = parse(MemberRoleIn, clean(data))
    if parsed is None:
        return await _members(request, db_session, actor, organisation_id, {}, errors, 422)
    back = f"/organisations/{organisation_id}/members"
    # An owner who gives up being an owner can no longer undo it: ask first.
    demotes_self = (
        user_id == actor.user_id
        and actor.role_in(organisation_id) == "owner"
        and parsed.role != "owner"
    )
    if demotes_self and not confirm.confirmed(data):
        organisation = await services.get_organisation(db_session, organisation_id)
        return confirm.ask(
            request, actor, data, title=_("Stop being an owner of %(name)s?",
                                          name=organisation.name),
            consequences=[
                _("You will no longer be able to add or remove members or change roles."),
                _("Only another owner can make you an owner again."),
            ],
            button=_("Yes, give up ownership"), back=back,
        )  # fmt: skip
    refused = await _member_change(
        request, db_session, actor, organisation_id,
        services.change_member_role(db_session, actor, organisation_id, user_id, parsed,
                                    clock.now()),
    )  # fmt: skip
    if refused is not None:
        return refused
    flash(request, _("The role was changed."))
    return Redirect(back)


@post(
    "/organisations/{organisation_id:str}/members/{user_id:str}/remove",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def remove_member(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    user_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    back = f"/organisations/{organisation_id}/members"
    leaving = user_id == actor.user_id
    if not confirm.confirmed(data):
        try:
            member = await services.removal(db_session, actor, organisation_id, user_id)
        except Conflict as conflict:
            return await _members(
                request, db_session, actor, organisation_id, {}, errors_of(conflict),
                conflict.status,
            )  # fmt: skip
        organisation = await services.get_organisation(db_session, organisation_id)
        if leaving:
            return confirm.ask(
                request, actor, data, title=_("Leave %(name)s?", name=organisation.name),
                consequences=[
                    _("You lose access to %(name)s's drafts, responses and workspaces at once.",
                      name=organisation.name),
                    _("Only an owner can add you again."),
                ],
                button=_("Yes, leave %(name)s", name=organisation.name), back=back,
            )  # fmt: skip
        return confirm.ask(
            request, actor, data,
            title=_("Remove %(person)s from %(name)s?", person=member.user.name,
                    name=organisation.name),
            consequences=[
                _("%(person)s loses access to %(name)s's drafts, responses and workspaces at "
                  "once, on every device.", person=member.user.name, name=organisation.name),
                _("They are told that they were removed."),
            ],
            button=_("Yes, remove %(person)s", person=member.user.name), back=back,
        )  # fmt: skip
    removed: list[str] = []

    async def work() -> None:
        user = await services.remove_member(
            db_session, actor, organisation_id, user_id, clock.now()
        )
        removed.append(user.name)

    refused = await _member_change(request, db_session, actor, organisation_id, work())
    if refused is not None:
        return refused
    if leaving:
        flash(request, _("You left the organisation."))
        return Redirect("/account")
    await user_sessions(request).end_all(user_id)
    flash(request, _("%(person)s was removed.", person=removed[0]))
    return Redirect(back)


@post(
    "/organisations/{organisation_id:str}/members", include_in_schema=False, dependencies=SIGNED_IN
)
async def add_member(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = clean(data)
    parsed, errors = parse(MemberIn, form, _member_labels())
    if parsed is not None:
        try:
            user = (
                await services.add_member(db_session, actor, organisation_id, parsed, clock.now())
            ).user
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, _member_labels())
        else:
            flash(
                request,
                _(
                    "%(person)s was added as %(role)s.",
                    person=user.name,
                    role=dict(_role_labels()).get(parsed.role, parsed.role),
                ),
            )
            return Redirect(f"/organisations/{organisation_id}/members")
    return await _members(request, db_session, actor, organisation_id, form, errors, 422)


QUEUE_PER_PAGE = 50


def queue_sorts() -> dict[str, str]:
    return sort_labels("oldest", "newest", "name", "country", oldest=_("Waiting longest"),
                       country=_("Country"))  # fmt: skip


@get("/admin/verification", include_in_schema=False, dependencies=SIGNED_IN)
async def verification_queue(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    page: PageNumber = 1, per_page: PerPage = QUEUE_PER_PAGE, sort: str | None = None,
) -> Template:  # fmt: skip
    order = sorting(sort, queue_sorts(), "oldest")
    rows, total = await services.verification_queue(
        db_session, actor, page, per_page, sort=order.chosen
    )
    query = [("sort", order.chosen)] if order.chosen != "oldest" else []
    query += [("per_page", str(per_page))] if per_page != QUEUE_PER_PAGE else []
    return render(
        request, "accounts/verification.html", actor, organisations=rows, total=total,
        order=order, per_page=per_page,
        pages=pager("/admin/verification", query, page, per_page, total),
    )  # fmt: skip


@post(
    "/admin/organisations/{organisation_id:str}/verify",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def verify(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    if not confirm.confirmed(data):
        target = await services.get_organisation(db_session, organisation_id)
        return confirm.ask(
            request, actor, data, title=_("Verify %(name)s?", name=target.name),
            consequences=[
                _("%(name)s is shown as verified to everyone.", name=target.name),
                _("A verified city may publish tenders and funding calls in its name."),
            ],
            button=_("Yes, verify %(name)s", name=target.name), back="/admin/verification",
            danger=False,
        )  # fmt: skip
    organisation = await services.verify_organisation(
        db_session, actor, organisation_id, clock.now()
    )
    flash(request, _("%(name)s is now verified.", name=organisation.name))
    return Redirect("/admin/verification")


# --- password reset and address verification --------------------------------------------


@get("/password-reset", include_in_schema=False)
async def password_reset_form(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return render(request, "accounts/password_reset_request.html", actor, form={}, errors={},
                  sent=False)  # fmt: skip


@post("/password-reset", include_in_schema=False)
async def password_reset(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    data: FormData,
    clock: AppClock,
    settings: AppSettings,
) -> Template:
    form = clean(data)
    parsed, errors = parse(PasswordResetIn, form)
    if parsed is None:
        return render(request, "accounts/password_reset_request.html", actor, status_code=422,
                      form=form, errors=errors, sent=False)  # fmt: skip
    await services.request_password_reset(
        db_session, settings, parsed.email, clock.now(), i18n.current()
    )
    # The same page whether or not an account uses the address: it reveals nothing.
    return render(request, "accounts/password_reset_request.html", actor, form=form, errors={},
                  sent=True)  # fmt: skip


def _link_problem(
    request: Request[Any, Any, Any], actor: Actor | None, error: DomainError, purpose: str
) -> Template:
    """A clear page for a link that cannot be used, with what to do next."""
    if isinstance(error, Conflict):
        reason = _("This link was used already: each link works once.")
    elif isinstance(error, Gone):
        reason = _("This link has expired.")
    else:
        reason = _("This link is not valid: it may have been copied incompletely.")
    return render(request, "accounts/link_problem.html", actor, status_code=error.status,
                  reason=reason, purpose=purpose)  # fmt: skip


@get("/password-reset/{token:str}", include_in_schema=False)
async def new_password_form(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    token: str,
    clock: AppClock,
    settings: AppSettings,
) -> Template:
    try:
        await services.usable_link(
            db_session, settings.secret_bytes, "password_reset", token, clock.now()
        )
    except DomainError as error:
        return _link_problem(request, actor, error, "password_reset")
    return render(request, "accounts/password_reset.html", actor, token=token, errors={})


@post("/password-reset/{token:str}", include_in_schema=False)
async def new_password(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    token: str,
    data: FormData,
    clock: AppClock,
    settings: AppSettings,
) -> Template | Redirect:
    form = clean(data)
    parsed, errors = parse(PasswordResetConfirmIn, {"token": token, **form})
    if parsed is not None:
        try:
            user = await services.reset_password(db_session, settings, parsed, clock.now())
        except (Conflict, Gone) as error:
            return _link_problem(request, actor, error, "password_reset")
        except Invalid as error:
            if any(e.field == "token" for e in error.errors):
                return _link_problem(request, actor, error, "password_reset")
            errors = errors_of(error)
        else:
            # Every session of the account ends, this browser's too if it was signed in.
            await user_sessions(request).end_all(user.id)
            if actor is not None and actor.user_id == user.id:
                request.clear_session()
            flash(request, _("Your password was changed. Sign in with your new password."))
            return Redirect("/sign-in")
    return render(request, "accounts/password_reset.html", actor, status_code=422, token=token,
                  errors=errors)  # fmt: skip


@get("/verify-email/{token:str}", include_in_schema=False)
async def verify_email_form(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    token: str,
    clock: AppClock,
    settings: AppSettings,
) -> Template:
    # A button to press, not a GET that verifies: mail scanners open links on their own.
    try:
        found = await services.usable_link(
            db_session, settings.secret_bytes, "email_verification", token, clock.now()
        )
    except DomainError as error:
        return _link_problem(request, actor, error, "email_verification")
    return render(request, "accounts/verify_email.html", actor, token=token, email=found.email)


@post("/verify-email/{token:str}", include_in_schema=False)
async def verify_email(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    token: str,
    clock: AppClock,
    settings: AppSettings,
) -> Template | Redirect:
    try:
        user = await services.verify_email(db_session, settings, token, clock.now())
    except DomainError as error:
        return _link_problem(request, actor, error, "email_verification")
    flash(request, _("Thank you: %(email)s is verified.", email=user.email))
    return Redirect("/account" if actor is not None else "/sign-in")


@post("/account/verification", include_in_schema=False, dependencies=SIGNED_IN)
async def send_verification(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    clock: AppClock,
    settings: AppSettings,
) -> Template | Redirect:
    try:
        await services.send_verification(db_session, settings, actor, clock.now(), i18n.current())
    except Conflict:
        flash(request, _("Your address is verified already."))
    except RateLimited:
        flash(request, _("A link was sent several times in the last hour: look for it in your "
                         "mailbox, or try again later."), "error")  # fmt: skip
    else:
        flash(request, _("We sent a new link to %(email)s.", email=actor.email))
    return Redirect("/account#email")


@post("/account/language", include_in_schema=False, dependencies=SIGNED_IN)
async def save_language(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    data: FormData,
) -> Redirect:
    code = str(clean(data).get("locale", ""))
    response: Redirect = Redirect("/account#language")
    if code in i18n.LOCALES:
        await services.set_locale(db_session, actor.user_id, code)
        response.cookies.append(language_cookie(code))
        with i18n.using(code):
            flash(request, _("Pages and e-mail are now in %(language)s.",
                             language=i18n.LOCALES[code]))  # fmt: skip
    return response


handlers = [
    password_reset_form, password_reset, new_password_form, new_password, verify_email_form,
    verify_email, send_verification, save_language,
    sign_up_form, sign_up, sign_in_form, sign_in, sign_out, account, create_token, revoke_token,
    directory, directory_csv, new_organisation_form, create_organisation, profile, edit_organisation_form,
    edit_organisation, members_page, add_member, change_member_role, remove_member,
    verification_queue, verify,
    change_password, end_session,
]  # fmt: skip
