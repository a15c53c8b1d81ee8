"""Pages for SME solution listings: browse, read, create and edit, publish, "my listings"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, DomainError, Forbidden, NotFound
from marketplace.i18n import gettext as _
from marketplace.listings import downloads, forms, labels, services
from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn, ListingOut, ListingUpdate
from marketplace.reference import vocabularies as vocab
from marketplace.standards import services as standards
from marketplace.web import labels as web_labels
from marketplace.web import pickers, spreadsheet
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SignedIn,
    flash,
    render,
)
from marketplace.web.filters import active_filters, named
from marketplace.web.forms import FormData, errors_of, parse
from marketplace.web.lists import Download, download_url, every_row, pager, sort_labels, sorting
from marketplace.web.messages import full_where

PER_PAGE = 20


def listing_sorts() -> dict[str, str]:
    return sort_labels("updated", "newest", "title", "trl", trl=_("Most mature first (TRL)"))


async def _published(
    session: AsyncSession, q: str, theme: str, cpv: str, sort: str, page: int, per_page: int
) -> tuple[list[Listing], int]:
    """The public list, as the page and its CSV read it: an unknown theme is no filter."""
    return await services.list_listings(
        session, None, status="published", q=q or None,
        theme=theme if theme in vocab.themes() else None, cpv=cpv or None, sort=sort,
        page=page, per_page=per_page,
    )  # fmt: skip


@get("/listings", include_in_schema=False)
async def browse(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: CurrentActor,
    q: str = "",
    theme: str = "",
    cpv: str = "",
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = PER_PAGE,
) -> Template:
    order = sorting(sort, listing_sorts(), "updated")
    theme = theme if theme in vocab.themes() else ""
    rows, total = await _published(db_session, q, theme, cpv, order.chosen, page, per_page)
    themes = web_labels.theme_names()

    def describe(name: str, value: str) -> str:
        if name == "theme":
            return named(_("Theme"), themes.get(value, value))
        return named("CPV", web_labels.cpv_label(value))

    sort_item = [("sort", order.chosen)] if order.chosen != "updated" else []
    chosen = [("q", q), ("theme", theme), ("cpv", cpv), *sort_item]
    query = [(k, v) for k, v in chosen if v]
    sized = query + ([("per_page", str(per_page))] if per_page != PER_PAGE else [])
    return render(
        request, "listings/browse.html", actor, listings=await services.views(db_session, rows),
        total=total, q=q, theme=theme, cpv=cpv, order=order, per_page=per_page,
        filters=active_filters("/listings", chosen, describe),
        pages=pager("/listings", sized, page, per_page, total),
        download=Download(download_url("/listings.csv", query), total),
    )  # fmt: skip


@get("/listings.csv", include_in_schema=False)
async def browse_csv(
    db_session: DbSession, clock: AppClock, settings: AppSettings, q: str = "",
    theme: str = "", cpv: str = "", sort: str | None = None,
) -> Response[str]:  # fmt: skip
    """The published solutions as the list shows them: same filters, same order, every page."""
    order = sorting(sort, listing_sorts(), "updated")

    async def fetch(page: int, per_page: int) -> tuple[list[Listing], int]:
        return await _published(db_session, q, theme, cpv, order.chosen, page, per_page)

    rows = await services.views(db_session, await every_row(fetch))
    now = clock.now()
    return spreadsheet.csv_response(
        downloads.listings_csv(rows, settings.base_url),
        spreadsheet.download_name("solutions", now.date()),
    )


@get("/listings/mine", include_in_schema=False, dependencies=SIGNED_IN)
async def mine(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    sort: str | None = None, page: PageNumber = 1, per_page: PerPage = PER_PAGE,
) -> Template:  # fmt: skip
    order = sorting(sort, listing_sorts(), "updated")
    rows, total = await services.list_listings(
        db_session, actor, mine=True, sort=order.chosen, page=page, per_page=per_page
    )
    query = [("sort", order.chosen)] if order.chosen != "updated" else []
    query += [("per_page", str(per_page))] if per_page != PER_PAGE else []
    return render(
        request, "listings/mine.html", actor, listings=await services.views(db_session, rows),
        total=total, order=order, per_page=per_page,
        pages=pager("/listings/mine", query, page, per_page, total),
        smes=await services.sme_choices(db_session, actor), listing_fields=labels.field_labels(0),
    )  # fmt: skip


async def _form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    actor: Actor,
    form: dict[str, Any],
    errors: dict[str, str],
    *,
    listing: ListingOut | None = None,
    status_code: int = 200,
    add: str = "",
) -> Template:
    """Re-render the form; repeated groups show their filled rows plus blank ones."""
    # A bad item of a multiple choice (`themes.1`) is reported on the whole choice.
    merged: dict[str, str] = {}
    for key, message in errors.items():
        head, _, rest = key.partition(".")
        merged.setdefault(head if head in forms.MULTI and rest.isdigit() else key, message)
    errors = merged
    for group in forms.ROWS:
        shown = str(form.get(f"{group}.blank", "")).strip()
        blank = int(shown) if shown.isdigit() else (2 if group == "outcomes" else 1)
        form[f"{group}.blank"] = min(blank + (1 if add == group else 0), 20)
    catalogue, _ = await standards.list_standards(session, per_page=100)
    return render(
        request, "listings/form.html", actor, status_code=status_code, form=form, errors=errors,
        listing=listing, smes=await services.sme_choices(session, actor), catalogue=catalogue,
        trl=labels.trl_names(), pricing_models=labels.pricing_model_names(),
    )  # fmt: skip


@get("/listings/new", include_in_schema=False, dependencies=SIGNED_IN)
async def new_form(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str = "",
) -> Template:
    form: dict[str, Any] = {"organisation_id": organisation_id, "pricing.currency": "EUR"}
    return await _form(request, db_session, actor, form, {})


def _submitted(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The form as sent: what to redraw, what the schema reads, and the button that asked for
    a redraw instead of saving ("add another row", or a picker's "Find")."""
    form, nested = forms.normalise(data)
    for group in forms.ROWS:
        form[f"{group}.blank"] = data.get(f"{group}.blank", 0)
    picked = pickers.take("cpv", data, "cpv_codes")
    pickers.keep(form, "cpv_codes", picked)
    nested["cpv_codes"] = picked.for_schema
    form["find"] = pickers.finding_in(data)
    return form, nested, str(data.get("add", "")) or form["find"]


@post("/listings/new", include_in_schema=False, dependencies=SIGNED_IN)
async def create(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form, nested, add = _submitted(data)
    if add:  # "add another row" or a picker's "Find" without JavaScript: nothing is saved
        return await _form(request, db_session, actor, form, {}, add=add)
    parsed, errors = parse(ListingIn, nested, labels.field_labels(), where=full_where)
    if parsed is not None:
        try:
            listing = await services.create_listing(db_session, actor, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, labels.field_labels(), where=full_where)
        else:
            flash(request, _("The listing was saved as a draft. Publish it when it is complete."))
            return Redirect(f"/listings/{listing.id}")
    return await _form(request, db_session, actor, form, errors, status_code=422)


@get("/listings/{listing_id:str}", include_in_schema=False)
async def show(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, listing_id: str
) -> Template:
    listing = await services.get_listing(db_session, actor, listing_id)
    return await _page(request, db_session, actor, await services.view(db_session, listing))


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    actor: Actor | None,
    listing: ListingOut,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    organisation = await session.get(Organisation, listing.organisation_id)
    return render(
        request, "listings/listing.html", actor, status_code=status_code, listing=listing,
        organisation=organisation, errors=errors or {}, trl=labels.trl_names(),
        pricing_models=labels.pricing_model_names(), listing_fields=labels.field_labels(0),
        cpv=vocab.cpv_codes(), required=services.REQUIRED_FOR_PUBLICATION,
        can_edit=actor is not None and actor.can_edit(listing.organisation_id),
    )  # fmt: skip


@get("/listings/{listing_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, listing_id: str
) -> Template:
    listing = await _editable(db_session, actor, listing_id)
    return await _form(request, db_session, actor, forms.from_listing(listing), {}, listing=listing)


async def _editable(session: AsyncSession, actor: Actor, listing_id: str) -> ListingOut:
    listing = await services.get_listing(session, actor, listing_id)
    if not actor.can_edit(listing.organisation_id):
        raise Forbidden("Only the owners and editors of the SME that offers it may change it.")
    return await services.view(session, listing)


@post("/listings/{listing_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    listing_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    listing = await _editable(db_session, actor, listing_id)
    form, nested, add = _submitted(data)
    form["organisation_id"] = listing.organisation_id
    if add:
        return await _form(request, db_session, actor, form, {}, listing=listing, add=add)
    nested.pop("organisation_id", None)
    # The form holds every field: absent optional ones are cleared.
    nested = {"summary": "", "description": "", "trl": None, "pricing": None, **nested}
    parsed, errors = parse(ListingUpdate, nested, labels.field_labels(), where=full_where)
    if parsed is not None:
        try:
            await services.update_listing(db_session, actor, listing_id, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, labels.field_labels(), where=full_where)
        else:
            flash(request, _("The listing was saved."))
            return Redirect(f"/listings/{listing_id}")
    return await _form(request, db_session, actor, form, errors, listing=listing, status_code=422)


async def _transition(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    actor: Actor,
    listing_id: str,
    action: str,
    clock: AppClock,
) -> Template | Redirect:
    change = {"publish": services.publish_listing, "archive": services.archive_listing,
              "draft": services.reopen_listing}[action]  # fmt: skip
    try:
        listing = await change(session, actor, listing_id, clock.now())
    except Conflict as error:
        # Incomplete: show the listing with what is missing, each linked to the edit form.
        current = await services.get_listing(session, actor, listing_id)
        view = await services.view(session, current)
        needs = labels.publication_needs()
        errors = errors_of(error, labels.field_labels(), where=full_where)
        errors = {field: needs.get(field, message) for field, message in errors.items()}
        return await _page(request, session, actor, view, errors, status_code=409)
    message = {"publish": _("The listing is published: everyone can see it now."),
               "archive": _("The listing is archived: it is no longer shown to the public."),
               "draft": _("The listing is a draft again: edit it, then publish it.")}[action]  # fmt: skip
    flash(request, message)
    return Redirect(f"/listings/{listing.id}")


@post("/listings/{listing_id:str}/{action:str}", include_in_schema=False, dependencies=SIGNED_IN)
async def transition(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    actor: SignedIn,
    listing_id: str,
    action: str,
    clock: AppClock,
) -> Template | Redirect:
    if action not in ("publish", "archive", "draft"):
        raise NotFound("No such page.")
    return await _transition(request, db_session, actor, listing_id, action, clock)


async def solutions_section(
    session: AsyncSession, actor: Actor | None, organisation: Organisation, now: datetime
) -> tuple[str, dict[str, Any]] | None:
    """An SME's profile shows its published solutions (and, to members, a way to add one)."""
    if organisation.kind != "sme":
        return None
    rows, total = await services.list_listings(
        session, None, organisation_id=organisation.id, status="published", per_page=50
    )
    return "listings/_solutions.html", {
        "organisation": organisation,
        "listings": await services.views(session, rows),
        "total": total,
        "can_edit": actor is not None and actor.can_edit(organisation.id),
    }


handlers = [browse, browse_csv, mine, new_form, create, show, edit_form, edit, transition]
