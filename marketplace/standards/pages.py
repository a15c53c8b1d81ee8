"""Pages of the standards catalogue, admins' curation and cities' commitments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation
from marketplace.accounts.policies import platform_actions
from marketplace.accounts.principal import Actor
from marketplace.errors import DomainError, Forbidden
from marketplace.i18n import gettext as _
from marketplace.standards import services
from marketplace.standards.schemas import CommitmentIn, StandardIn, StandardUpdate
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SignedIn,
    flash,
    render,
)
from marketplace.web.filters import active_filters, named
from marketplace.web.forms import FormData, clean, errors_of, parse
from marketplace.web.lists import pager, sort_labels, sorting

# Provided by the listings module (`listings.services.standard_claimants`).
StandardClaimants = NamedDependency[services.ClaimantsOf]

FIELDS = ("code", "title", "issuer", "version", "category", "url", "summary")


def _labels() -> dict[str, str]:
    return {
        "code": _("Code"), "title": _("Title"), "issuer": _("Issuer"), "version": _("Version"),
        "category": _("Category"), "url": _("Reference URL"), "summary": _("Summary"),
    }  # fmt: skip


def category_names() -> dict[str, str]:
    """The catalogue's categories as people name them, in the reader's language."""
    return {
        "accessibility": _("Accessibility"),
        "classification": _("Classification"),
        "data-api": _("Data APIs"),
        "data-model": _("Data models"),
        "e-invoicing": _("E-invoicing"),
        "geospatial": _("Geospatial data"),
        "indicators": _("Indicators"),
        "interoperability-mim": _("Interoperability (MIMs)"),
        "management-system": _("Management systems"),
        "metadata": _("Metadata"),
        "mobility": _("Mobility"),
        "procurement": _("Procurement"),
        "security-privacy": _("Security and privacy"),
    }


CATALOGUE_PER_PAGE = 50


@get("/standards", include_in_schema=False)
async def catalogue(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    q: str = "",
    category: str = "",
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = CATALOGUE_PER_PAGE,
) -> Template:
    order = sorting(sort, standard_sorts(), "category")
    rows, total = await services.list_standards(
        db_session, q=q or None, category=category or None, sort=order.chosen, page=page,
        per_page=per_page,
    )  # fmt: skip
    names = category_names()

    def describe(name: str, value: str) -> str | None:
        return named(_("Category"), names.get(value, value)) if name == "category" else None

    chosen = [("q", q), ("category", category)]
    chosen += [("sort", order.chosen)] if order.chosen != "category" else []
    sized = [(k, v) for k, v in chosen if v]
    sized += [("per_page", str(per_page))] if per_page != CATALOGUE_PER_PAGE else []
    return render(
        request, "standards/catalogue.html", actor, standards=rows, total=total, q=q,
        category=category, categories=await services.categories(db_session),
        category_names=names, order=order, per_page=per_page,
        filters=active_filters("/standards", chosen, describe),
        pages=pager("/standards", sized, page, per_page, total),
    )  # fmt: skip


def standard_sorts() -> dict[str, str]:
    return sort_labels("category", "title", "code", category=_("Category"), code=_("Code"))


@get("/standards/new", include_in_schema=False, dependencies=SIGNED_IN)
async def new_standard_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn
) -> Template:
    platform_actions(actor).require("curate_standards")
    return await _form(request, db_session, actor, None, {}, {})


async def _form(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    actor: Actor,
    code: str | None,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    return render(
        request, "standards/form.html", actor, status_code=status_code, code=code, form=form,
        errors=errors, categories=await services.categories(db_session),
    )  # fmt: skip


@post("/standards/new", include_in_schema=False, dependencies=SIGNED_IN)
async def create_standard(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, data: FormData,
    clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    parsed, errors = parse(StandardIn, form, _labels())
    if parsed is not None:
        try:
            standard = await services.create_standard(db_session, actor, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, _labels())
        else:
            flash(request, _("%(code)s was added to the catalogue.", code=standard.code))
            return Redirect(f"/standards/{standard.code}")
    return await _form(request, db_session, actor, None, form, errors, 422)


@get("/standards/{code:str}", include_in_schema=False)
async def standard_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, code: str,
    standard_claimants: StandardClaimants,
) -> Template:  # fmt: skip
    detail = await services.standard_detail(db_session, code, standard_claimants)
    commit_to: list[Organisation] = []
    if actor is not None:
        commit_to = [o for o, _ in await accounts.organisations_of(db_session, actor)
                     if o.kind == "city" and actor.can_edit(o.id)]  # fmt: skip
    return render(
        request, "standards/standard.html", actor, standard=detail, commit_to=commit_to,
        category_names=category_names(),
    )  # fmt: skip


@get("/standards/{code:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_standard_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, code: str
) -> Template:
    platform_actions(actor).require("curate_standards")
    standard = await services.get_standard(db_session, code)
    form = {name: getattr(standard, name) for name in FIELDS}
    return await _form(request, db_session, actor, code, form, {})


@post("/standards/{code:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_standard(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    code: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = {k: v for k, v in data.items() if k in FIELDS and k != "code"}
    parsed, errors = parse(
        StandardUpdate, {k: (v if v != "" else None) for k, v in form.items()}, _labels()
    )
    if parsed is not None:
        try:
            await services.update_standard(db_session, actor, code, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, _labels())
        else:
            flash(
                request, _("%(code)s was saved. Earlier conformance claims stay valid.", code=code)
            )
            return Redirect(f"/standards/{code}")
    return await _form(request, db_session, actor, code, {**form, "code": code}, errors, 422)


@post(
    "/organisations/{organisation_id:str}/standards",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def commit(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    form = clean(data)
    back = str(form.pop("next", "")) or f"/organisations/{organisation_id}"
    back = back if back.startswith("/") and not back.startswith("//") else "/"
    labels = {"code": _("Standard"), "status": _("Commitment"), "date": _("Date")}
    parsed, errors = parse(CommitmentIn, form, labels)
    if parsed is None:
        # Each sentence names its field as the form labels it.
        flash(request, " ".join(errors.values()), "error")
        return Redirect(back)
    try:
        commitment, _created = await services.commit_city(
            db_session, actor, organisation_id, parsed, clock.now()
        )
    except Forbidden:
        raise
    except DomainError as error:
        flash(request, _(error.detail), "error")
        return Redirect(back)
    recorded = {
        "adopted": _("The city's commitment to %(code)s is recorded as adopted."),
        "planned": _("The city's commitment to %(code)s is recorded as planned."),
    }.get(commitment.record.status, _("The city's commitment to %(code)s is recorded."))
    flash(request, recorded % {"code": commitment.standard.code})
    return Redirect(back)


@post(
    "/organisations/{organisation_id:str}/standards/{code:str}/withdraw",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def withdraw(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    code: str,
    clock: AppClock,
) -> Redirect:
    await services.withdraw_commitment(db_session, actor, organisation_id, code, clock.now())
    flash(request, _("The commitment to %(code)s was withdrawn.", code=code))
    return Redirect(f"/organisations/{organisation_id}")


async def commitments_section(
    session: AsyncSession, actor: Actor | None, organisation: Organisation, now: datetime
) -> tuple[str, dict[str, Any]] | None:
    """A city's profile lists its commitments; its editors add and change them there."""
    if organisation.kind != "city":
        return None
    commitments = await services.commitments_of(session, organisation.id)
    can_edit = actor is not None and actor.can_edit(organisation.id)
    catalogue: list[Any] = []
    if can_edit:
        catalogue, _ = await services.list_standards(session, per_page=100)
    return "standards/_commitments.html", {
        "organisation": organisation,
        "commitments": commitments,
        "can_edit": can_edit,
        "catalogue": catalogue,
    }


handlers = [
    catalogue, new_standard_form, create_standard, standard_page, edit_standard_form,
    edit_standard, commit, withdraw,
]  # fmt: skip
