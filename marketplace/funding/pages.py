"""HTML pages: browse calls, a call's page, the cities' workspace and the funder's dashboard."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from marketplace import i18n
from marketplace.accounts.principal import Actor
from marketplace.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)
from marketplace.funding import (
    discovery,
    downloads,
    exports,
    lookups,
    params,
    pictures,
    policies,
    services,
)
from marketplace.funding import funders as funder_rules
from marketplace.funding import interests as interest_rules
from marketplace.funding.models import INSTRUMENTS, FundingCall
from marketplace.funding.schemas import (
    FunderProfileIn,
    FundingCallIn,
    FundingCallOut,
    FundingCallUpdate,
    InterestIn,
    InterestUpdate,
)
from marketplace.i18n import gettext as _
from marketplace.searching.services import SearchUnavailable
from marketplace.tenders import reads as tender_reads
from marketplace.web import confirm, labels, pickers, spreadsheet
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SearchService,
    SignedIn,
    flash,
    render,
    signed_in,
)
from marketplace.web.filters import active_filters, named
from marketplace.web.forms import FormData, as_list, attempt, clean, errors_of, parse, read_numbers
from marketplace.web.lists import (
    Download,
    Sorting,
    download_url,
    every_row,
    pager,
    sort_labels,
    sorting,
)  # fmt: skip
from marketplace.web.messages import domain_messages
from search import SearchBackend

AnyRequest = Request[Any, Any, Any]
OUTCOME_ROWS = 3


# --- form <-> schema -------------------------------------------------------------------


def _deadline(value: str | None) -> str | None:
    # <input type="datetime-local"> sends "2026-05-01T12:00" without a zone: it is UTC here.
    if not value:
        return None
    return value if ("+" in value[10:] or value.endswith("Z")) else f"{value}:00+00:00"


def _call_payload(form: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    outcomes = []
    for i in range(OUTCOME_ROWS):
        row = {
            k: form.get(f"outcomes.{i}.{k}")
            for k in ("metric", "unit", "baseline", "target", "timeframe_months")
        }
        if any(row.values()):
            outcomes.append({k: v for k, v in row.items() if v is not None})
    payload: dict[str, Any] = {
        "title": form.get("title", ""),
        "summary": form.get("summary", ""),
        "description": form.get("description", ""),
        "themes": as_list(raw.get("themes")),
        "instruments": as_list(raw.get("instruments")),
        "standards": as_list(raw.get("standards")),
        "amount_sought": {
            "amount": form.get("amount_sought.amount", ""),
            "currency": form.get("amount_sought.currency", "EUR"),
        },
        "co_financing_percent": form.get("co_financing_percent"),
        "outcomes": outcomes,
        # Ticked by title on the page; a list of ids (or one per line) as the API takes them.
        "tender_ids": pickers.values(raw.get("tender_ids")),
        "deadline": _deadline(form.get("deadline")),
    }
    return payload


def _call_form(call: FundingCallOut) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": call.title,
        "summary": call.summary,
        "description": call.description,
        "themes": call.themes,
        "instruments": call.instruments,
        "standards": call.standards,
        "amount_sought.amount": i18n.number(call.amount_sought.amount),
        "amount_sought.currency": call.amount_sought.currency,
        "co_financing_percent": str(call.co_financing_percent or ""),
        "tender_ids": list(call.tender_ids),
        "deadline": call.deadline.strftime("%Y-%m-%dT%H:%M"),
    }
    for i, outcome in enumerate(call.outcomes):
        for key, value in outcome.model_dump().items():
            form[f"outcomes.{i}.{key}"] = "" if value is None else str(value)
    return form


_GROUPS = ("themes", "instruments", "standards", "partner_ids", "countries", "nuts_codes",
           "tender_ids")  # fmt: skip


def _where(loc: tuple[Any, ...]) -> str:
    """Funding forms name their inputs by schema path (`amount_sought.amount`); a checkbox
    group (`themes.2`) shows one message, next to its legend."""
    if loc and str(loc[0]) in _GROUPS:
        return str(loc[0])
    return ".".join(str(p) for p in loc) or "form"


_NUMBERS = ("amount_sought.amount", "co_financing_percent", "amount.amount",
            *(f"outcomes.{i}.{k}" for i in range(OUTCOME_ROWS) for k in ("baseline", "target")))  # fmt: skip


def _read(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A copy of the form with its numbers read in the reader's locale, and what is not one."""
    converted = dict(form)
    return converted, read_numbers(converted, _NUMBERS, _call_labels())


def _collapse(errors: dict[str, str]) -> dict[str, str]:
    """`themes.2` -> `themes`: a checkbox group shows one message, next to its legend."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        head, _, rest = key.partition(".")
        if (
            head
            in (
                "themes",
                "instruments",
                "standards",
                "partner_ids",
                "countries",
                "nuts_codes",
                "tender_ids",
            )
            and rest
        ):
            key = head
        out.setdefault(key, message)
    return out


def _form_with_lists(data: dict[str, Any]) -> dict[str, Any]:
    form = clean(data)
    for key in ("themes", "instruments", "standards", "partner_ids"):
        form[key] = as_list(data.get(key))
    form["tender_ids"] = pickers.values(data.get("tender_ids"))
    return form


async def _call_form_context(
    db_session: DbSession, actor: Actor, now: datetime, form: dict[str, Any],
    city_ids: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The form's choices. Related tenders are offered by title: those of the call's cities
    (for a new call, the reader's cities and the partners chosen) the reader may see."""
    my_cities = [c for c in await lookups.cities_of(db_session, actor) if actor.can_edit(c.id)]
    if city_ids is None:
        city_ids = [c.id for c in my_cities] + list(form.get("partner_ids", []))
    named = list(form.get("tender_ids", []))
    all_cities = await lookups.all_cities(db_session)
    return {
        "my_cities": my_cities,
        "all_cities": all_cities,
        "city_choices": [(c.id, c.name) for c in all_cities],
        "standard_options": await lookups.standard_codes(db_session),
        "instruments": INSTRUMENTS,
        "outcome_rows": OUTCOME_ROWS,
        "tender_options": await tender_reads.tender_choices(
            db_session, actor, city_ids, now, named
        ),
    }


# --- browse and read -------------------------------------------------------------------


def _decimal(value: str | None, name: str, errors: dict[str, str]) -> Decimal | None:
    if not value:
        return None
    try:
        return i18n.read_number(value)
    except i18n.NotANumber:
        errors[name] = _("must be a number, such as %(example)s", example=i18n.number(250000))
        return None


def _date(value: str | None, name: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = "must be a date, e.g. 2026-06-30"
        return None


def call_sorts() -> dict[str, str]:
    return sort_labels("deadline", "newest", "title", "value", value=_("Largest amount sought"))


@dataclass(frozen=True)
class BrowseForm:
    """The browse form as the page and its CSV read it from the query: the filters, each
    field's problem, the form as the reader filled it in, and the order."""

    filters: services.CallFilters
    errors: dict[str, str]
    form: dict[str, Any]
    order: Sorting


def browse_form(
    q: str | None = None, theme: list[str] | None = None, instrument: str | None = None,
    country: str | None = None, amount_min: str | None = None, amount_max: str | None = None,
    deadline_before: str | None = None, status: str | None = None, sort: str | None = None,
) -> BrowseForm:  # fmt: skip
    """A dependency of both handlers: the query parameters are named once, here."""
    errors: dict[str, str] = {}
    status = status if status in ("open", "closed", "all") else "open"
    chosen_instrument = instrument if instrument in INSTRUMENTS else None
    low = _decimal(amount_min, "amount_min", errors)
    high = _decimal(amount_max, "amount_max", errors)
    before = _date(deadline_before, "deadline_before", errors)
    try:
        filters = params.call_filters(
            None if status == "all" else status, theme, chosen_instrument, country or None,
            low, high, None, before, None, q,
        )  # fmt: skip
    except Invalid as error:
        errors.update(errors_of(error, _call_labels(), _where))
        filters = services.CallFilters(status=None if status == "all" else status)
    form = {
        "q": q or "", "theme": theme or [], "instrument": chosen_instrument or "",
        "country": country or "", "amount_min": amount_min or "", "amount_max": amount_max or "",
        "deadline_before": deadline_before or "", "status": status,
    }  # fmt: skip
    return BrowseForm(filters, errors, form, sorting(sort, call_sorts(), "deadline"))


BROWSE = {"browse": Provide(browse_form, sync_to_thread=False)}


@get("/funding-calls", include_in_schema=False, dependencies=BROWSE)
async def browse(
    request: AnyRequest, db_session: DbSession, actor: CurrentActor, clock: AppClock,
    browse: BrowseForm, page: PageNumber = 1, per_page: PerPage = 20,
) -> Template:  # fmt: skip
    form, errors, order = browse.form, browse.errors, browse.order
    now = clock.now()
    rows, total = await services.list_calls(
        db_session, actor, now, browse.filters, page, per_page, sort=order.chosen
    )
    calls = await services.calls_out(db_session, rows, now)
    sort_item = [("sort", order.chosen)] if order.chosen != "deadline" else []
    chosen = _chosen_filters(form) + sort_item
    query = [(k, v) for k, v in chosen if v]
    sized = query + ([("per_page", str(per_page))] if per_page != 20 else [])
    return render(
        request, "funding/browse.html", actor, status_code=422 if errors else 200, calls=calls,
        total=total, per_page=per_page, form=form, errors=errors, order=order,
        instruments=INSTRUMENTS, pages=pager("/funding-calls", sized, page, per_page, total),
        download=Download(download_url("/funding-calls.csv", query), 0 if errors else total),
        filters=active_filters("/funding-calls", chosen, _describe_filter),
        with_closed="/funding-calls?" + urlencode(
            [(k, v) for k, v in chosen if k != "status" and v] + [("status", "all")]
        ),
    )  # fmt: skip


@get("/funding-calls.csv", include_in_schema=False, dependencies=BROWSE)
async def browse_csv(
    db_session: DbSession, actor: CurrentActor, clock: AppClock, settings: AppSettings,
    browse: BrowseForm,
) -> Response[str]:  # fmt: skip
    """The calls as the browse page lists them (same filters, same order), every page; what
    the public list shows of each (the amounts sought and accepted, not who offered)."""
    if browse.errors:
        raise Invalid(
            "The filters are not valid.", [FieldError(k, v) for k, v in browse.errors.items()]
        )
    now = clock.now()

    async def fetch(page: int, per_page: int) -> tuple[list[FundingCall], int]:
        return await services.list_calls(
            db_session, actor, now, browse.filters, page, per_page, sort=browse.order.chosen
        )

    calls = await services.calls_out(db_session, await every_row(fetch), now)
    return spreadsheet.csv_response(
        downloads.calls_csv(calls, settings.base_url),
        spreadsheet.download_name("funding-calls", now.date()),
    )


def _chosen_filters(form: dict[str, Any]) -> list[tuple[str, str]]:
    """The browse form's filters as query items; open calls are the default, not a filter."""
    items = [("q", form["q"]), *(("theme", t) for t in form["theme"])]
    for name in ("instrument", "country", "amount_min", "amount_max", "deadline_before"):
        items.append((name, form[name]))
    if form["status"] != "open":
        items.append(("status", form["status"]))
    return items


def _describe_filter(name: str, value: str) -> str | None:
    match name:
        case "theme":
            return named(_("Theme"), labels.theme_names().get(value, value))
        case "instrument":
            return named(_("Instrument"), labels.instrument_names().get(value, value))
        case "country":
            return named(_("Country"), labels.country_names().get(value, value))
        case "amount_min":
            return _("Amount sought from %(amount)s", amount=value)
        case "amount_max":
            return _("Amount sought up to %(amount)s", amount=value)
        case "deadline_before":
            return _("Deadline on or before %(date)s", date=value)
        case "status":
            return named(_("Status"), {"closed": _("Closed"), "all": _("All")}.get(value, value))
    return None


async def _call_page(
    request: AnyRequest,
    db_session: DbSession,
    actor: Actor | None,
    call_id: str,
    now: datetime,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    editing: str | None = None,
) -> Template:
    call = await services.get_call(db_session, actor, call_id, now)
    view = await services.call_out(db_session, call, now)
    funders = [
        f for f in await lookups.funders_of(db_session, actor) if actor and actor.can_edit(f.id)
    ]
    interests = (
        await interest_rules.call_interests(db_session, actor, call_id, now) if actor else []
    )
    # A funder holds one live interest per call: it changes or withdraws that one.
    live = {i.funder_id for i in interests if i.status in services.LIVE_STATUSES}
    free_funders = [f for f in funders if f.id not in live]
    shortlisted: set[str] = set()
    for funder in funders:
        if actor is not None:
            entries = await funder_rules.shortlist(db_session, actor, funder.id, now)
            if any(e.call_id == call.id for e in entries):
                shortlisted.add(funder.id)
    return render(
        request, "funding/call.html", actor, status_code=status_code, call=view,
        funding_picture=pictures.funding(view),
        is_city_member=policies.is_call_member(actor, call),
        actions=policies.call_actions(actor, call, now),
        funders=funders, free_funders=free_funders, editing=editing,
        own_editable={i.id for i in interests if i.status == "pending"
                      and actor is not None and actor.can_edit(i.funder_id)},
        interests=[interest_rules.interest_out(i) for i in interests],
        shortlisted=shortlisted, form=form or {"amount.currency": view.amount_sought.currency},
        errors=errors or {},
        related=await tender_reads.tender_titles(db_session, actor, view.tender_ids),
    )  # fmt: skip


@get("/funding-calls/{call_id:str}", include_in_schema=False)
async def call_page(
    request: AnyRequest, db_session: DbSession, actor: CurrentActor, call_id: str, clock: AppClock
) -> Template:
    return await _call_page(request, db_session, actor, call_id, clock.now())


@post("/funding-calls/{call_id:str}/interests", include_in_schema=False, dependencies=SIGNED_IN)
async def express_interest(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = clean(data)
    numbers, number_errors = _read(form)
    payload = {
        "organisation_id": form.get("organisation_id", ""),
        "amount": {
            "amount": numbers.get("amount.amount", ""),
            "currency": form.get("amount.currency", ""),
        },
        "instrument": form.get("instrument", ""),
        "conditions": form.get("conditions", ""),
        "message": form.get("message", ""),
        "named_publicly": form.get("named_publicly") == "yes",
    }
    parsed, errors = parse(InterestIn, payload, _call_labels(), _where)
    errors = {**errors, **number_errors}
    if parsed is not None and not errors:
        try:
            await interest_rules.express_interest(db_session, actor, call_id, parsed, clock.now())
        except (Invalid, Conflict) as error:
            errors = errors_of(error, _call_labels(), _where)
        else:
            flash(request, _("Your interest was sent to the call's cities."))
            return Redirect(f"/funding-calls/{call_id}")
    return await _call_page(
        request, db_session, actor, call_id, clock.now(), form=form, errors=errors, status_code=422
    )


@post(
    "/funding-calls/{call_id:str}/interests/{interest_id:str}/edit",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def revise_interest(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, call_id: str,
    interest_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    """The funder changes its pending offer; the same bounds as a new one."""
    form = clean(data)
    numbers, number_errors = _read(form)
    payload: dict[str, Any] = {
        "amount": {"amount": numbers.get("amount.amount", ""),
                   "currency": form.get("amount.currency", "")},
        "instrument": form.get("instrument"),
        "conditions": form.get("conditions", ""), "message": form.get("message", ""),
        "named_publicly": form.get("named_publicly") == "yes",
    }  # fmt: skip
    parsed, errors = parse(InterestUpdate, payload, _call_labels(), _where)
    errors = {**errors, **number_errors}
    if parsed is not None and not errors:
        try:
            await interest_rules.revise_interest(
                db_session, actor, call_id, interest_id, parsed, clock.now()
            )
        except (Invalid, Conflict) as error:
            await db_session.rollback()
            errors = errors_of(error, _call_labels(), _where)
        else:
            flash(request, _("Your interest is changed. The call's cities see the new offer."))
            return Redirect(f"/funding-calls/{call_id}#interests")
    return await _call_page(
        request, db_session, actor, call_id, clock.now(), form=form, errors=errors,
        status_code=422, editing=interest_id,
    )  # fmt: skip


@post(
    "/funding-calls/{call_id:str}/interests/{interest_id:str}/withdraw",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def withdraw_interest(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, call_id: str,
    interest_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    call = await services.get_call(db_session, actor, call_id, clock.now())
    if not confirm.confirmed(data):
        return confirm.ask(
            request, actor, data, title=_("Withdraw your interest?"),
            consequences=[
                _("Your offer to %(city)s for “%(call)s” is withdrawn; the cities can no "
                  "longer accept it.", city=call.organisation.name, call=call.title),
                _("You can express a new interest while the call is open."),
            ],
            button=_("Yes, withdraw the interest"), back=f"/funding-calls/{call_id}#interests",
        )  # fmt: skip
    try:
        await interest_rules.withdraw_interest(db_session, actor, call_id, interest_id, clock.now())
    except Conflict as error:
        flash(request, _(error.detail), "error")
    else:
        flash(request, _("Your interest is withdrawn."))
    return Redirect(f"/funding-calls/{call_id}#interests")


@post("/funding-calls/{call_id:str}/shortlist", include_in_schema=False, dependencies=SIGNED_IN)
async def shortlist_call(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    form = clean(data)
    funder_id = str(form.get("organisation_id", ""))
    added = await funder_rules.save_shortlist_entry(
        db_session, actor, funder_id, call_id, str(form.get("note", ""))[:5000], clock.now()
    )
    flash(request, _("The call is on your shortlist.") if added else _("Your note was saved."))
    back = str(form.get("back", ""))
    return Redirect(
        back if back.startswith("/") and not back.startswith("//") else f"/funding-calls/{call_id}"
    )


# --- city workspace ---------------------------------------------------------------------


@get("/funding/workspace", include_in_schema=False, dependencies=SIGNED_IN)
async def workspace_index(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, clock: AppClock,
    sort: str | None = None, page: PageNumber = 1, per_page: PerPage = 20,
) -> Template:  # fmt: skip
    """The calls every city of the reader leads or partners in, drafts included."""
    cities = await lookups.cities_of(db_session, actor)
    order = sorting(sort, call_sorts(), "deadline")
    now = clock.now()
    calls: list[FundingCallOut] = []
    total = 0
    if cities:
        filters = services.CallFilters(organisation_ids=[c.id for c in cities])
        rows, total = await services.list_calls(
            db_session, actor, now, filters, page, per_page, sort=order.chosen
        )
        calls = await services.calls_out(db_session, rows, now)
    query = [("sort", order.chosen)] if order.chosen != "deadline" else []
    query += [("per_page", str(per_page))] if per_page != 20 else []
    return render(
        request, "funding/workspace_index.html", actor, cities=cities, calls=calls, total=total,
        order=order, per_page=per_page,
        pages=pager("/funding/workspace", query, page, per_page, total),
    )  # fmt: skip


@get("/funding-calls/new", include_in_schema=False, dependencies=SIGNED_IN)
async def new_call_form(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, clock: AppClock
) -> Template:
    form: dict[str, Any] = {
        "amount_sought.currency": "EUR",
        "themes": [],
        "instruments": [],
        "standards": [],
        "partner_ids": [],
        "tender_ids": [],
    }
    context = await _call_form_context(db_session, actor, clock.now(), form)
    return render(
        request, "funding/call_form.html", actor, form=form, errors={}, call=None, **context
    )


@post("/funding-calls/new", include_in_schema=False, dependencies=SIGNED_IN)
async def create_call(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, data: FormData, clock: AppClock
) -> Template | Redirect:
    form = _form_with_lists(data)
    numbers, number_errors = _read(form)
    payload = _call_payload(numbers, data)
    payload["organisation_id"] = form.get("organisation_id", "")
    payload["partner_ids"] = form["partner_ids"]
    parsed, errors = parse(FundingCallIn, payload, _call_labels(), _where)
    errors = {**_collapse(errors), **number_errors}
    if parsed is not None and not errors:
        try:
            call = await services.create_call(db_session, actor, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            errors = errors_of(error, _call_labels(), _where)
        else:
            flash(request, _("The draft was saved. Partner cities confirm here; then publish it."))
            return Redirect(f"/funding-calls/{call.id}/workspace")
    context = await _call_form_context(db_session, actor, clock.now(), form)
    return render(
        request, "funding/call_form.html", actor, status_code=422, form=form, errors=errors,
        call=None, **context,
    )  # fmt: skip


async def _workspace(
    request: AnyRequest,
    db_session: DbSession,
    actor: Actor,
    call_id: str,
    now: datetime,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    call = await services.get_call(db_session, actor, call_id, now)
    actions = policies.call_actions(actor, call, now)
    actions.require("workspace")
    view = await services.call_out(db_session, call, now)
    interests = await interest_rules.call_interests(db_session, actor, call_id, now)
    form = form if form is not None else _call_form(view)
    context = await _call_form_context(
        db_session,
        actor,
        now,
        form,
        [call.organisation_id, *(p.organisation_id for p in call.partners)],
    )
    taken = {call.organisation_id} | {p.organisation_id for p in call.partners}
    notes: dict[str, str] = {}
    if view.status == "draft":
        notes = domain_messages(
            services.publication_problems(call, now), _call_labels(), _where, now
        )
    return render(
        request, "funding/workspace.html", actor, status_code=status_code, call=view, notes=notes,
        actions=actions,
        partner_actions={p.organisation_id: policies.partner_actions(actor, call, p, now)
                         for p in call.partners},
        invitable=[c for c in context["all_cities"] if c.id not in taken],
        interests=[interest_rules.interest_out(i) for i in interests],
        form=form, errors=errors or {},
        **{k: v for k, v in context.items() if k != "all_cities"},
    )  # fmt: skip


def _call_labels() -> dict[str, str]:
    return {
        "organisation_id": _("Lead city"), "partners": _("Partner cities"),
        "deadline": _("Deadline"), "title": _("Title"), "summary": _("Summary"),
        "description": _("Description"), "amount_sought": _("Amount sought"),
        "amount_sought.amount": _("Amount sought"), "amount_sought.currency": _("Currency"),
        "amount.amount": _("Amount offered"), "amount.currency": _("Currency"),
        "amount": _("Amount offered"), "instrument": _("Instrument"),
        "conditions": _("Conditions"), "message": _("Message to the cities"),
        "ticket_min": _("Smallest ticket"), "ticket_max": _("Largest ticket"),
        "countries": _("Countries"), "nuts_codes": _("Regions"), "partner_ids": _("Partner cities"),
        "min_co_financing_percent": _("Minimum co-financing"), "currency": _("Currency"),
        "co_financing_percent": _("Co-financing"), "themes": _("ICC themes"),
        "instruments": _("Instruments"), "tender_ids": _("Related tenders"),
        "outcomes": _("Outcome KPIs"), "standards": _("Standards"),
    }  # fmt: skip


@get("/funding-calls/{call_id:str}/workspace", include_in_schema=False, dependencies=SIGNED_IN)
async def workspace(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, call_id: str, clock: AppClock
) -> Template:
    return await _workspace(request, db_session, actor, call_id, clock.now())


@post("/funding-calls/{call_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_call(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = _form_with_lists(data)
    numbers, number_errors = _read(form)
    payload = _call_payload(numbers, data)
    parsed, errors = parse(FundingCallUpdate, payload, _call_labels(), _where, clock.now())
    errors = {**_collapse(errors), **number_errors}
    if parsed is not None and not errors:
        try:
            await services.update_call(db_session, actor, call_id, parsed, clock.now())
        except (Invalid, Conflict) as error:
            await db_session.rollback()
            errors = errors_of(error, _call_labels(), _where, clock.now())
        else:
            flash(request, _("The draft is saved."))
            return Redirect(f"/funding-calls/{call_id}/workspace")
    return await _workspace(
        request, db_session, actor, call_id, clock.now(), form=form, errors=errors, status_code=422
    )


async def _act(
    request: AnyRequest, db_session: DbSession, action: Awaitable[Any], done: str, back: str
) -> Redirect:
    """Buttons in the workspace: a refusal comes back as a message on the same page."""
    # Only refusals are shown here; a missing record or sign-in goes to its own page.
    error = await attempt(db_session, action, let_through=(NotFound, Unauthorized))
    flash(request, error.detail if error else done, "error" if error else "info")
    return Redirect(back)


@post("/funding-calls/{call_id:str}/partners", include_in_schema=False, dependencies=SIGNED_IN)
async def invite_partner(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    organisation_id = str(clean(data).get("organisation_id", ""))
    return await _act(
        request,
        db_session,
        services.invite_partner(db_session, actor, call_id, organisation_id, clock.now()),
        _("The city was invited; one of its editors confirms on this page."),
        f"/funding-calls/{call_id}/workspace",
    )


@post(
    "/funding-calls/{call_id:str}/partners/{organisation_id:str}/confirm",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def confirm_partner(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    organisation_id: str,
    clock: AppClock,
) -> Redirect:
    return await _act(
        request,
        db_session,
        services.confirm_partner(db_session, actor, call_id, organisation_id, clock.now()),
        _("Your city's participation is confirmed."),
        f"/funding-calls/{call_id}/workspace",
    )


@post(
    "/funding-calls/{call_id:str}/partners/{organisation_id:str}/remove",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def remove_partner(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    organisation_id: str,
    clock: AppClock,
) -> Redirect:
    return await _act(
        request,
        db_session,
        services.remove_partner(db_session, actor, call_id, organisation_id, clock.now()),
        _("The partner was removed."),
        f"/funding-calls/{call_id}/workspace",
    )


@post("/funding-calls/{call_id:str}/publish", include_in_schema=False, dependencies=SIGNED_IN)
async def publish_call(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, call_id: str, clock: AppClock
) -> Redirect:
    return await _act(
        request,
        db_session,
        services.publish_call(db_session, actor, call_id, clock.now()),
        _("The call is open: funders can find it and express interest."),
        f"/funding-calls/{call_id}/workspace",
    )


@post("/funding-calls/{call_id:str}/close", include_in_schema=False, dependencies=SIGNED_IN)
async def close_call(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, call_id: str, clock: AppClock
) -> Redirect:
    return await _act(
        request,
        db_session,
        services.close_call(db_session, actor, call_id, clock.now()),
        _("The call is closed; no new interest can be expressed."),
        f"/funding-calls/{call_id}/workspace",
    )


@post(
    "/funding-calls/{call_id:str}/interests/{interest_id:str}/{decision:str}",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def decide_interest(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    call_id: str,
    interest_id: str,
    decision: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    if decision not in ("accept", "decline"):
        raise Invalid.field("decision", "must be accept or decline")
    note = str(clean(data).get("note", ""))[:2000]
    return await _act(
        request,
        db_session,
        interest_rules.decide_interest(
            db_session, actor, call_id, interest_id, decision == "accept", note, clock.now()
        ),
        _("The interest was accepted.")
        if decision == "accept"
        else _("The interest was declined."),
        f"/funding-calls/{call_id}/workspace#interests",
    )


# --- funder dashboard -------------------------------------------------------------------


def _profile_form(profile: Any) -> dict[str, Any]:
    return {
        "themes": profile.themes,
        "instruments": profile.instruments,
        "ticket_min": f"{profile.ticket_min.amount:.2f}" if profile.ticket_min else "",
        "ticket_max": f"{profile.ticket_max.amount:.2f}" if profile.ticket_max else "",
        "currency": profile.currency,
        "countries": profile.countries,
        "nuts_codes": list(profile.nuts_codes),
        "min_co_financing_percent": str(profile.min_co_financing_percent or ""),
    }


async def _dashboard(
    request: AnyRequest,
    db_session: DbSession,
    actor: Actor,
    funder_id: str | None,
    now: datetime,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    words: str | None = None,
    search_backend: SearchBackend | None = None,
) -> Template:
    funders = await lookups.funders_of(db_session, actor)
    funder = next((f for f in funders if f.id == funder_id), funders[0] if funders else None)
    context: dict[str, Any] = {"funders": funders, "funder": funder}
    if funder is not None:
        limited = False
        try:
            fits = await discovery.fits(
                db_session, actor, funder.id, now, text=words, backend=search_backend
            )
        except SearchUnavailable:  # the fits without words still work
            limited = True
            fits = await discovery.fits(db_session, actor, funder.id, now)
        organisation, profile = await funder_rules.get_profile(db_session, funder.id)
        profile_view = funder_rules.profile_out(organisation, profile)
        context.update(
            profile=profile_view,
            has_profile=profile is not None,
            fits=fits,
            words=words or "",
            words_limited=limited,
            shortlist=await funder_rules.shortlist(db_session, actor, funder.id, now),
            interests=[
                interest_rules.interest_out(i)
                for i in await interest_rules.funder_interests(db_session, actor, funder.id)
            ],
            can_edit=actor.can_edit(funder.id),
            form=form if form is not None else _profile_form(profile_view),
        )
    return render(
        request, "funding/dashboard.html", actor, status_code=status_code, errors=errors or {},
        instruments=INSTRUMENTS, **context,
    )  # fmt: skip


@get("/funding/dashboard", include_in_schema=False, dependencies=SIGNED_IN)
async def dashboard(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    clock: AppClock,
    search_backend: SearchService,
    funder: str | None = None,
    q: str | None = None,
) -> Template:
    return await _dashboard(
        request, db_session, actor, funder, clock.now(), words=q, search_backend=search_backend
    )


@post("/funding/funders/{funder_id:str}/profile", include_in_schema=False, dependencies=SIGNED_IN)
async def save_profile(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    funder_id: str,
    data: FormData,
    clock: AppClock,
) -> Template | Redirect:
    form = clean(data)
    for key in ("themes", "instruments", "countries"):
        form[key] = as_list(data.get(key))
    regions = pickers.take("nuts", data, "nuts_codes")
    pickers.keep(form, "nuts_codes", regions)
    payload = {
        "themes": form["themes"],
        "instruments": form["instruments"],
        "countries": form["countries"],
        "nuts_codes": [c.upper() for c in regions.for_schema],
        "ticket_min": form.get("ticket_min"),
        "ticket_max": form.get("ticket_max"),
        "currency": form.get("currency", "EUR"),
        "min_co_financing_percent": form.get("min_co_financing_percent"),
    }
    parsed, errors = parse(FunderProfileIn, payload, _call_labels(), _where)
    errors = _collapse(errors)
    if pickers.finding_in(data):  # the regions' "Find" without JavaScript: nothing is saved
        return await _dashboard(request, db_session, actor, funder_id, clock.now(), form=form)
    if parsed is not None:
        try:
            await funder_rules.save_profile(db_session, actor, funder_id, parsed, clock.now())
        except Invalid as error:
            errors = errors_of(error, _call_labels(), _where)
        else:
            flash(request, _("Your investment focus was saved; the calls that fit it are below."))
            return Redirect(f"/funding/dashboard?funder={funder_id}")
    return await _dashboard(
        request,
        db_session,
        actor,
        funder_id,
        clock.now(),
        form=form,
        errors=errors,
        status_code=422,
    )


@post(
    "/funding/funders/{funder_id:str}/shortlist/{call_id:str}/remove",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def unshortlist(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, funder_id: str, call_id: str,
    clock: AppClock,
) -> Redirect:  # fmt: skip
    await funder_rules.remove_shortlist_entry(db_session, actor, funder_id, call_id, clock.now())
    flash(request, _("The call was removed from your shortlist."))
    return Redirect(f"/funding/dashboard?funder={funder_id}#shortlist")


@get("/funding/funders/{funder_id:str}/shortlist.csv", include_in_schema=False)
async def shortlist_csv(
    db_session: DbSession, actor: CurrentActor, funder_id: str, clock: AppClock
) -> Response[str]:
    rows = await funder_rules.shortlist(db_session, signed_in(actor), funder_id, clock.now())
    return spreadsheet.csv_response(exports.shortlist_csv(rows), "funding-shortlist.csv")


@get("/funding/funders/{funder_id:str}/interests.csv", include_in_schema=False)
async def interests_csv(
    db_session: DbSession, actor: CurrentActor, funder_id: str
) -> Response[str]:
    rows = await interest_rules.funder_interests(db_session, signed_in(actor), funder_id)
    return spreadsheet.csv_response(
        exports.interests_csv([interest_rules.interest_out(i) for i in rows]),
        "funding-interests.csv",
    )


handlers = [
    revise_interest,
    withdraw_interest,
    browse, browse_csv, new_call_form, create_call, workspace_index, call_page, express_interest,
    shortlist_call, workspace, edit_call, invite_partner, confirm_partner, remove_partner,
    publish_call, close_call, decide_interest, dashboard, save_profile, unshortlist,
    shortlist_csv, interests_csv,
]  # fmt: skip


async def profile_section(
    session: DbSession, actor: Actor | None, organisation: Any, now: datetime
) -> tuple[str, dict[str, Any]] | None:
    """On a city's profile: its published funding calls (open or closed, each with its
    deadline); on a funder's: its focus."""
    if organisation.kind == "city":
        rows, _ = await services.list_calls(
            session, None, now,
            services.CallFilters(organisation_id=organisation.id), 1, 20,
        )  # fmt: skip
        if not rows:
            return None
        totals = await services.pledged_totals(session, [r.id for r in rows])
        calls = [
            {"id": r.id, "title": r.title, "deadline": r.deadline, "currency": r.currency,
             "amount_sought": r.amount_sought, "pledged": totals[r.id]}
            for r in rows
        ]  # fmt: skip
        return "funding/profile_section.html", {"calls": calls, "profile": None}
    if organisation.kind == "funder":
        funder, profile = await funder_rules.get_profile(session, organisation.id)
        if profile is None:
            return None
        view = funder_rules.profile_out(funder, profile)
        return "funding/profile_section.html", {"calls": [], "profile": view}
    return None
