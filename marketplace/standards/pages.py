"""Pages of the standards catalogue, admins' curation and cities' commitments."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import DomainError, Forbidden
from marketplace.standards import services
from marketplace.standards.schemas import CommitmentIn, StandardIn, StandardUpdate
from marketplace.web.deps import (
    AppClock,
    CurrentActor,
    DbSession,
    flash,
    redirect_to_sign_in,
    render,
)
from marketplace.web.forms import FormData, clean, errors_of, parse

FIELDS = ("code", "title", "issuer", "version", "category", "url", "summary")


@get("/standards", include_in_schema=False)
async def catalogue(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    q: str = "",
    category: str = "",
) -> Template:
    rows, total = await services.list_standards(
        db_session, q=q or None, category=category or None, per_page=100
    )
    return render(
        request, "standards/catalogue.html", actor, standards=rows, total=total, q=q,
        category=category, categories=await services.categories(db_session),
    )  # fmt: skip


@get("/standards/new", include_in_schema=False)
async def new_standard_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    if not actor.is_admin:
        raise Forbidden("Only platform admins curate the standards catalogue.")
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


@post("/standards/new", include_in_schema=False)
async def create_standard(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, data: FormData
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    parsed, errors = parse(StandardIn, form)
    if parsed is not None:
        try:
            standard = await services.create_standard(db_session, actor, parsed)
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error)
        else:
            flash(request, f"{standard.code} was added to the catalogue.")
            return Redirect(f"/standards/{standard.code}")
    return await _form(request, db_session, actor, None, form, errors, 422)


@get("/standards/{code:str}", include_in_schema=False)
async def standard_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, code: str
) -> Template:
    detail = await services.standard_detail(db_session, code)
    commit_to: list[Organisation] = []
    if actor is not None:
        commit_to = [o for o, _ in await accounts.organisations_of(db_session, actor)
                     if o.kind == "city" and actor.can_edit(o.id)]  # fmt: skip
    return render(request, "standards/standard.html", actor, standard=detail, commit_to=commit_to)


@get("/standards/{code:str}/edit", include_in_schema=False)
async def edit_standard_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, code: str
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    if not actor.is_admin:
        raise Forbidden("Only platform admins curate the standards catalogue.")
    standard = await services.get_standard(db_session, code)
    form = {name: getattr(standard, name) for name in FIELDS}
    return await _form(request, db_session, actor, code, form, {})


@post("/standards/{code:str}/edit", include_in_schema=False)
async def edit_standard(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    code: str,
    data: FormData,
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = {k: v for k, v in data.items() if k in FIELDS and k != "code"}
    parsed, errors = parse(StandardUpdate, {k: (v if v != "" else None) for k, v in form.items()})
    if parsed is not None:
        try:
            await services.update_standard(db_session, actor, code, parsed)
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error)
        else:
            flash(request, f"{code} was saved. Earlier conformance claims stay valid.")
            return Redirect(f"/standards/{code}")
    return await _form(request, db_session, actor, code, {**form, "code": code}, errors, 422)


@post("/organisations/{organisation_id:str}/standards", include_in_schema=False)
async def commit(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    back = str(form.pop("next", "")) or f"/organisations/{organisation_id}"
    back = back if back.startswith("/") and not back.startswith("//") else "/"
    parsed, errors = parse(CommitmentIn, form)
    if parsed is None:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors.items()), "error")
        return Redirect(back)
    try:
        commitment, _ = await services.commit_city(
            db_session, actor, organisation_id, parsed, clock.now()
        )
    except Forbidden:
        raise
    except DomainError as error:
        flash(request, error.detail, "error")
        return Redirect(back)
    flash(request, f"The city's commitment to {commitment.standard.code} is recorded as "
                   f"{commitment.record.status}.")  # fmt: skip
    return Redirect(back)


@post("/organisations/{organisation_id:str}/standards/{code:str}/withdraw", include_in_schema=False)
async def withdraw(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    organisation_id: str,
    code: str,
) -> Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    await services.withdraw_commitment(db_session, actor, organisation_id, code)
    flash(request, f"The commitment to {code} was withdrawn.")
    return Redirect(f"/organisations/{organisation_id}")


async def commitments_section(
    session: AsyncSession, actor: Actor | None, organisation: Organisation
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
