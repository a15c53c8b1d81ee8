"""HTML pages for joint tenders: the public tender page, the cities' workspace (draft,
invite, confirm, publish, amend, answer, evaluate side by side, award, cancel), the SME's
response form and "My responses". Every page goes through the same services as the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from marketplace import i18n
from marketplace.accounts.models import BUYER_KINDS, Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, DomainError, Forbidden
from marketplace.i18n import N_
from marketplace.i18n import gettext as _
from marketplace.reference import vocabularies as vocab
from marketplace.tenders import (
    contracts,
    documents,
    downloads,
    pictures,
    policies,
    reads,
    services,
    uploads,
)  # fmt: skip
from marketplace.tenders.audit import ACTION_LABELS
from marketplace.tenders.deadlines import ended, time_left
from marketplace.tenders.deps import PublishedListingOwner
from marketplace.tenders.fields import FIELD_NAMES
from marketplace.tenders.models import DRAFT_PROCEDURES, OCDS_STATUS, Tender, TenderResponse
from marketplace.tenders.releases import bulk_path
from marketplace.tenders.schemas import (
    AmendmentIn,
    AnswerIn,
    AwardIn,
    CancelIn,
    ConfirmIn,
    DeclineIn,
    QuestionIn,
    ResponseIn,
    ResponseUpdate,
    ScoresIn,
    TenderIn,
    TenderUpdate,
    UnsuccessfulIn,
)
from marketplace.web import confirm as confirmation
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
from marketplace.web.forms import FormData, as_list, attempt, clean, errors_of, parse, read_numbers
from marketplace.web.labels import theme_names
from marketplace.web.lists import (
    Download,
    Sorting,
    download_url,
    every_row,
    pager,
    sort_labels,
    sorting,
)

LOT_ROWS = 3
OUTCOME_ROWS = 2
CRITERION_ROWS = 4


STAGE_LABELS = {
    "planning": N_("Planning (draft)"), "active": N_("Open for responses"),
    "evaluation": N_("Evaluation"), "complete": N_("Complete"), "cancelled": N_("Cancelled"),
    "unsuccessful": N_("Unsuccessful"),
}  # fmt: skip


def action_labels() -> dict[str, str]:
    return {action: _(label) for action, label in ACTION_LABELS.items()}


def stage_labels() -> dict[str, str]:
    return {stage: _(label) for stage, label in STAGE_LABELS.items()}


def _utc(value: Any) -> str | None:
    """`datetime-local` inputs carry no zone; the form says they are UTC."""
    if not value:
        return None
    text = str(value)
    return text if ("+" in text[10:] or text.endswith("Z")) else f"{text}+00:00"


async def _editable(db_session: DbSession, actor: Actor, *kinds: str) -> list[Organisation]:
    return await reads.organisations_to_act_for(db_session, actor, *kinds)


# --- list and drafting ------------------------------------------------------------------


def tender_sorts() -> dict[str, str]:
    return sort_labels("deadline", "newest", "title", "value", value=_("Highest value"))


MINE_PER_PAGE = 10


def _browse_filters(
    status: str | None, theme: str | None, sort: str | None
) -> tuple[str | None, str | None, Sorting]:
    """The list's filters as the page and its CSV read them: unknown values are no filter."""
    return (
        status if status in STAGE_LABELS and status != "planning" else None,
        theme if theme in vocab.themes() else None,
        sorting(sort, tender_sorts(), "deadline"),
    )


@get("/tenders", include_in_schema=False)
async def tender_list(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, clock: AppClock,
    status: str | None = None, theme: str | None = None, sort: str | None = None,
    page: PageNumber = 1, per_page: PerPage = 20, mine_page: PageNumber = 1,
) -> Template:  # fmt: skip
    now = clock.now()
    status, theme, order = _browse_filters(status, theme, sort)
    rows, total = await services.list_tenders(
        db_session, actor, now, status=status, theme=theme, published_only=True,
        sort=order.chosen, page=page, per_page=per_page,
    )  # fmt: skip
    mine: list[Tender] = []
    mine_total = 0
    if actor is not None:
        mine, mine_total = await services.list_tenders(
            db_session, actor, now, mine=True, sort="deadline", page=mine_page,
            per_page=MINE_PER_PAGE,
        )  # fmt: skip
    stages, themes = stage_labels(), theme_names()

    def describe(name: str, value: str) -> str:
        return (
            named(_("Stage"), stages[value])
            if name == "status"
            else named(_("Theme"), themes[value])
        )

    chosen = [("status", status or ""), ("theme", theme or "")]
    open_data = [
        (y.year, y.releases, bulk_path(y.year, "json"), bulk_path(y.year, "jsonl"))
        for y in await services.release_years(db_session)
    ]
    sort_item = [("sort", order.chosen)] if order.chosen != "deadline" else []
    query = [(k, v) for k, v in chosen if v] + sort_item
    sized = query + ([("per_page", str(per_page))] if per_page != 20 else [])
    return render(
        request, "tenders/list.html", actor, tenders=rows, total=total, mine=mine, now=now,
        status=status or "", theme=theme or "", stages=stages, order=order, per_page=per_page,
        filters=active_filters("/tenders", chosen + sort_item, describe),
        pages=pager("/tenders", sized + _page_item("mine_page", mine_page), page, per_page, total),
        mine_pages=pager(
            "/tenders", sized + _page_item("page", page), mine_page, MINE_PER_PAGE, mine_total,
            "mine_page",
        ),
        download=Download(download_url("/tenders.csv", query), total),
        actions=policies.may_draft(actor), time_left=time_left, ended=ended,
        open_data=open_data,
    )  # fmt: skip


def _page_item(name: str, page: int) -> list[tuple[str, str]]:
    return [(name, str(page))] if page > 1 else []


@get("/tenders.csv", include_in_schema=False)
async def tender_list_csv(
    db_session: DbSession, actor: CurrentActor, clock: AppClock, settings: AppSettings,
    status: str | None = None, theme: str | None = None, sort: str | None = None,
) -> Response[str]:  # fmt: skip
    """The published tenders as the list shows them (same filters, same order), every page.
    Nothing sealed: no response, no bidder, not even how many there are."""
    now = clock.now()
    status, theme, order = _browse_filters(status, theme, sort)

    async def fetch(page: int, per_page: int) -> tuple[list[Tender], int]:
        return await services.list_tenders(
            db_session, actor, now, status=status, theme=theme, published_only=True,
            sort=order.chosen, page=page, per_page=per_page,
        )  # fmt: skip

    rows = await every_row(fetch)
    names = await services.organisation_names(
        db_session, {b.organisation_id for t in rows for b in t.buyers}
    )
    text = downloads.tenders_csv(rows, names, now, settings.base_url)
    return spreadsheet.csv_response(text, spreadsheet.download_name("tenders", now.date()))


async def _form_context(db_session: DbSession, actor: Actor) -> dict[str, Any]:
    cities = await _editable(db_session, actor, *BUYER_KINDS)
    all_cities = await reads.all_cities(db_session, BUYER_KINDS)
    standards = await reads.standards_catalogue(db_session)
    return {
        "cities": cities, "all_cities": all_cities, "standards": standards,
        "city_choices": [(c.id, c.name) for c in all_cities],
        "standard_choices": [(s.code, f"{s.code} — {s.title}") for s in standards],
        "procedures": DRAFT_PROCEDURES, "lot_rows": LOT_ROWS, "outcome_rows": OUTCOME_ROWS,
        "criterion_rows": CRITERION_ROWS,
    }  # fmt: skip


def _picker_names() -> list[tuple[str, str]]:
    """The tender form's code pickers: (kind, field name)."""
    names = [("cpv", "cpv_codes"), ("nuts", "nuts_codes")]
    for i in range(1, LOT_ROWS + 1):
        names += [("cpv", f"lot_{i}_cpv_codes"), ("nuts", f"lot_{i}_nuts_codes")]
    return names


def _pick(data: dict[str, Any], shown: dict[str, Any]) -> dict[str, list[str]]:
    """Each picker's codes for the schema (ticked, typed, and what is not a code, for the
    schema to name); `shown` is redrawn with the codes read and the rest left in the box."""
    codes: dict[str, list[str]] = {}
    for kind, name in _picker_names():
        picked = pickers.take(kind, data, name)
        pickers.keep(shown, name, picked)
        codes[name] = picked.for_schema
    return codes


def _renewals_data(form: dict[str, Any], i: int) -> dict[str, Any]:
    """A lot's renewals as the form says them: renewable when ticked or described, with at
    most so many renewals when a number is given."""
    most, described = form.get(f"lot_{i}_max_renewals"), form.get(f"lot_{i}_renewals")
    if not (form.get(f"lot_{i}_renewable") or most or described):
        return {}
    return {"renewals": {**({"max_renewals": most} if most else {}),
                         **({"description": described} if described else {})}}  # fmt: skip


def _tender_data(
    form: dict[str, Any], raw: dict[str, Any], codes: dict[str, list[str]]
) -> dict[str, Any]:
    currency = form.get("currency", "EUR")
    lots = [
        {"title": form.get(f"lot_{i}_title", ""), "description": form.get(f"lot_{i}_description", ""),
         "estimated_value": {"amount": form[f"lot_{i}_amount"], "currency": currency}
         if form.get(f"lot_{i}_amount") else None,
         **({"cpv_codes": codes[f"lot_{i}_cpv_codes"]} if codes[f"lot_{i}_cpv_codes"] else {}),
         **({"nuts_codes": [c.upper() for c in codes[f"lot_{i}_nuts_codes"]]}
            if codes[f"lot_{i}_nuts_codes"] else {}),
         **({"framework": {}} if form.get(f"lot_{i}_framework") else {}),
         **({"dps": {}} if form.get(f"lot_{i}_dps") else {}),
         **({"eauction": {}} if form.get(f"lot_{i}_eauction") else {}),
         **({"options": {"description": form[f"lot_{i}_options"]}}
            if form.get(f"lot_{i}_options") else {}),
         **_renewals_data(form, i)}
        for i in range(1, LOT_ROWS + 1) if form.get(f"lot_{i}_title")
    ]  # fmt: skip
    outcomes = [
        {k: form.get(f"outcome_{i}_{k}") for k in
         ("metric", "unit", "baseline", "target", "timeframe_months", "verification")
         if form.get(f"outcome_{i}_{k}") is not None}
        for i in range(1, OUTCOME_ROWS + 1) if form.get(f"outcome_{i}_metric")
    ]  # fmt: skip
    criteria = [
        {"name": form.get(f"criterion_{i}_name"), "weight": form.get(f"criterion_{i}_weight")}
        for i in range(1, CRITERION_ROWS + 1)
        if form.get(f"criterion_{i}_name")
    ]
    mandatory = as_list(raw.get("standards_mandatory"))
    desirable = [c for c in as_list(raw.get("standards_desirable")) if c not in mandatory]
    lead = form.get("lead_buyer_id", "")
    return {
        "lead_buyer_id": lead, "title": form.get("title", ""),
        "description": form.get("description", ""), "procedure": form.get("procedure", ""),
        "themes": as_list(raw.get("themes")), "cpv_codes": codes["cpv_codes"],
        "nuts_codes": [c.upper() for c in codes["nuts_codes"]], "lots": lots,
        "buyers": [{"organisation_id": o} for o in as_list(raw.get("invited")) if o != lead],
        "required_standards": [{"code": c, "mandatory": True} for c in mandatory]
        + [{"code": c, "mandatory": False} for c in desirable],
        "outcomes": outcomes, "award_criteria": criteria,
        "clarification_deadline": _utc(form.get("clarification_deadline")),
        "submission_deadline": _utc(form.get("submission_deadline")),
        **({"estimated_value": {"amount": form["estimated_amount"], "currency": currency}}
           if form.get("estimated_amount") else {}),
        **({"documents_url": form["documents_url"]} if form.get("documents_url") else {}),
        **({"lot_rules": {"submission": form["lot_submission"]}}
           if form.get("lot_submission") not in (None, "all_lots_allowed") else {}),
    }  # fmt: skip


def _award_where(loc: tuple[Any, ...]) -> str:
    if loc[:1] == ("value",):
        return "currency" if loc[1:2] == ("currency",) else "value_amount"
    return str(loc[0]) if loc else "form"


def tender_labels() -> dict[str, str]:
    """Every field of the tender form as its label reads, for messages that name it."""
    labels = {field: _(name) for field, name in FIELD_NAMES.items()}
    for i in range(1, LOT_ROWS + 1):
        labels[f"lot_{i}_title"] = _("Title of lot %(n)s", n=i)
        labels[f"lot_{i}_description"] = _("Description of lot %(n)s", n=i)
        labels[f"lot_{i}_amount"] = _("Estimated value of lot %(n)s", n=i)
        labels[f"lot_{i}_cpv_codes"] = _("CPV codes of lot %(n)s", n=i)
        labels[f"lot_{i}_nuts_codes"] = _("Places of lot %(n)s", n=i)
        labels[f"lot_{i}_options"] = _("Options of lot %(n)s", n=i)
        labels[f"lot_{i}_max_renewals"] = _("Most renewals of lot %(n)s", n=i)
        labels[f"lot_{i}_renewals"] = _("Renewals of lot %(n)s", n=i)
    for i in range(1, OUTCOME_ROWS + 1):
        for key, text in (("metric", _("Metric")), ("unit", _("Unit")),
                          ("baseline", _("Baseline")), ("target", _("Target")),
                          ("timeframe_months", _("Timeframe (months)"))):  # fmt: skip
            labels[f"outcome_{i}_{key}"] = _("%(field)s of outcome KPI %(n)s", field=text, n=i)
    for i in range(1, CRITERION_ROWS + 1):
        labels[f"criterion_{i}_name"] = _("Name of criterion %(n)s", n=i)
        labels[f"criterion_{i}_weight"] = _("Weight of criterion %(n)s", n=i)
    return labels


def tender_where(loc: tuple[Any, ...]) -> str:
    """Where a schema or service path shows on the tender form."""
    head = str(loc[0]) if loc else "form"
    rest = loc[1:]
    if head == "lots" and len(rest) >= 2 and isinstance(rest[0], int):
        if rest[1] == "estimated_value":
            return "currency" if rest[2:3] == ("currency",) else f"lot_{rest[0] + 1}_amount"
        if rest[1:3] == ("renewals", "max_renewals"):
            return f"lot_{rest[0] + 1}_max_renewals"
        return f"lot_{rest[0] + 1}_{rest[1]}"
    if head == "outcomes" and len(rest) >= 2 and isinstance(rest[0], int):
        return f"outcome_{rest[0] + 1}_{rest[1]}"
    if head == "award_criteria" and len(rest) >= 2 and isinstance(rest[0], int):
        return f"criterion_{rest[0] + 1}_{rest[1]}"
    if head == "required_standards":
        return "standards_mandatory"
    if head == "buyers":
        return "invited"
    return head


def _numbers_of_form() -> list[str]:
    names = [f"lot_{i}_amount" for i in range(1, LOT_ROWS + 1)]
    names += [
        f"outcome_{i}_{k}" for i in range(1, OUTCOME_ROWS + 1) for k in ("baseline", "target")
    ]
    names += [f"criterion_{i}_weight" for i in range(1, CRITERION_ROWS + 1)]
    return names


def _local_input(value: datetime | None) -> str:
    """A stored UTC moment as a `datetime-local` input shows it (the form says UTC)."""
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def tender_form(tender: Tender) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The inverse of `_tender_data`: a saved draft as its form's fields."""
    form: dict[str, Any] = {
        "lead_buyer_id": tender.lead_buyer_id, "title": tender.title,
        "description": tender.description, "procedure": tender.procedure,
        "cpv_codes": list(tender.cpv_codes), "nuts_codes": list(tender.nuts_codes),
        "currency": tender.lots[0].currency if tender.lots else "EUR",
        "clarification_deadline": _local_input(tender.clarification_deadline),
        "submission_deadline": _local_input(tender.submission_deadline),
    }  # fmt: skip
    for lot in tender.lots[:LOT_ROWS]:
        form[f"lot_{lot.number}_title"] = lot.title
        form[f"lot_{lot.number}_description"] = lot.description
        if lot.estimated_amount is not None:
            form[f"lot_{lot.number}_amount"] = i18n.number(lot.estimated_amount)
        # What the lot says of its own, so that saving the form keeps it.
        if lot.cpv_codes:
            form[f"lot_{lot.number}_cpv_codes"] = list(lot.cpv_codes)
        if lot.places:
            form[f"lot_{lot.number}_nuts_codes"] = [p["nuts"] for p in lot.places if p.get("nuts")]
        for technique in ("framework", "dps", "eauction"):
            if getattr(lot, technique) is not None:
                form[f"lot_{lot.number}_{technique}"] = "1"
        if lot.options is not None:
            form[f"lot_{lot.number}_options"] = lot.options.get("description", "")
        if lot.renewals is not None:
            form[f"lot_{lot.number}_renewable"] = "1"
            if lot.renewals.get("max_renewals"):
                form[f"lot_{lot.number}_max_renewals"] = str(lot.renewals["max_renewals"])
            if lot.renewals.get("description"):
                form[f"lot_{lot.number}_renewals"] = lot.renewals["description"]
    if tender.estimated_amount is not None:
        form["estimated_amount"] = i18n.number(tender.estimated_amount)
    if tender.documents_url:
        form["documents_url"] = tender.documents_url
    if tender.lot_rules:
        form["lot_submission"] = tender.lot_rules.get("submission", "all_lots_allowed")
    for i, outcome in enumerate(tender.outcomes[:OUTCOME_ROWS], start=1):
        for key in ("metric", "unit", "baseline", "target", "timeframe_months", "verification"):
            if outcome.get(key) not in (None, ""):
                value = outcome[key]
                form[f"outcome_{i}_{key}"] = (
                    i18n.number(value) if key in ("baseline", "target") else value
                )
    for i, criterion in enumerate(tender.award_criteria[:CRITERION_ROWS], start=1):
        form[f"criterion_{i}_name"] = criterion["name"]
        form[f"criterion_{i}_weight"] = str(criterion["weight"])
    raw = {
        "themes": list(tender.themes),
        "invited": [b.organisation_id for b in tender.buyers if not b.is_lead],
        "standards_mandatory": [r["code"] for r in tender.required_standards if r["mandatory"]],
        "standards_desirable": [r["code"] for r in tender.required_standards if not r["mandatory"]],
    }
    return form, raw


def _raw(data: dict[str, Any]) -> dict[str, list[str]]:
    return {k: as_list(data.get(k)) for k in ("themes", "invited", "standards_mandatory",
                                               "standards_desirable")}  # fmt: skip


def draft_notes(
    tender: Tender, organisations: dict[str, Organisation], now: datetime, settings: Any
) -> dict[str, str]:
    """Publication's checks on a saved draft, as sentences next to the fields they concern:
    what is still missing or too early, with the date that would work."""
    problems = services.publication_problems(tender, organisations, now, settings)
    return errors_of(DomainError("", problems), tender_labels(), tender_where, now)


@get("/tenders/new", include_in_schema=False, dependencies=SIGNED_IN)
async def new_tender_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn
) -> Template | Redirect:
    policies.may_draft(actor).require("draft")
    context = await _form_context(db_session, actor)
    form = {"currency": "EUR", "procedure": "open", "criterion_1_name": "Price",
            "criterion_1_weight": "40", "criterion_2_name": "Quality",
            "criterion_2_weight": "60"}  # fmt: skip
    return render(request, "tenders/new.html", actor, form=form, raw={}, errors={},
                  labels=tender_labels(), **context)  # fmt: skip


@post("/tenders/new", include_in_schema=False, dependencies=SIGNED_IN)
async def create_tender(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    shown = dict(form)
    labels, now = tender_labels(), clock.now()
    codes = _pick(data, shown)
    if pickers.finding_in(data):  # a picker's "Find" without JavaScript: nothing is saved
        context = await _form_context(db_session, actor)
        return render(request, "tenders/new.html", actor, form=shown, raw=_raw(data),
                      errors={}, labels=labels, **context)  # fmt: skip
    number_errors = read_numbers(form, _numbers_of_form(), labels)
    parsed, errors = parse(TenderIn, _tender_data(form, data, codes), labels, tender_where, now)
    errors = {**errors, **number_errors}
    if parsed is not None and not errors:
        try:
            tender = await services.create_tender(db_session, actor, parsed, now, settings)
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error, labels, tender_where, now)
        else:
            flash(request, _("The draft is saved. Invited cities can now confirm."))
            return Redirect(f"/tenders/{tender.id}")
    context = await _form_context(db_session, actor)
    return render(request, "tenders/new.html", actor, status_code=422, form=shown,
                  raw=_raw(data), errors=errors, labels=labels, **context)  # fmt: skip


@get("/tenders/{tender_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_tender_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    now = clock.now()
    tv = await services.view(db_session, actor, tender_id, now)
    refusal = tv.actions.refusal("edit")  # the tender policy: the lead's editors, while planning
    if refusal is not None and refusal.error is Conflict:
        flash(request, _(refusal.reason), "error")
        return Redirect(f"/tenders/{tender_id}#workspace")
    tv.actions.require("edit")
    form, raw = tender_form(tv.tender)
    context = await _form_context(db_session, actor)
    return render(
        request, "tenders/new.html", actor, form=form, raw=raw, errors={}, tender=tv.tender,
        notes=draft_notes(tv.tender, tv.organisations, now, settings), labels=tender_labels(),
        **context,
    )  # fmt: skip


@post("/tenders/{tender_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_tender(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    """Every field of the draft at once, through the API's PATCH; the lead city stays."""
    now, labels = clock.now(), tender_labels()
    form = clean(data)
    shown = dict(form)
    codes = _pick(data, shown)
    number_errors = read_numbers(form, _numbers_of_form(), labels)
    fields = _tender_data(form, data, codes)
    fields.pop("lead_buyer_id")
    fields.setdefault("outcomes", [])
    finding = pickers.finding_in(data)  # a picker's "Find" without JavaScript: nothing saved
    parsed, errors = parse(TenderUpdate, fields, labels, tender_where, now)
    errors = {} if finding else {**errors, **number_errors}
    tv = await services.view(db_session, actor, tender_id, now)
    if parsed is not None and not errors and not finding:
        try:
            await services.update_tender(db_session, actor, tender_id, parsed, now)
        except Forbidden:
            raise
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error, labels, tender_where, now)
        else:
            tv = await services.view(db_session, actor, tender_id, now)
            notes = draft_notes(tv.tender, tv.organisations, now, settings)
            if notes:
                flash(request, _("The draft is saved. Before it can be published: %(todo)s",
                                 todo=" ".join(notes.values())), "info")  # fmt: skip
            else:
                flash(request, _("The draft is saved and ready to publish."))
            return Redirect(f"/tenders/{tender_id}")
    context = await _form_context(db_session, actor)
    shown["lead_buyer_id"] = tv.tender.lead_buyer_id
    return render(
        request, "tenders/new.html", actor, status_code=200 if finding else 422, form=shown,
        raw=_raw(data), errors=errors, tender=tv.tender, labels=labels,
        notes=draft_notes(tv.tender, tv.organisations, now, settings), **context,
    )  # fmt: skip


# --- the tender page and workspace -------------------------------------------------------


async def _page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor | None, tender_id: str,
    now: datetime, settings: Any, status_code: int = 200, **extra: Any,
) -> Template:  # fmt: skip
    tv = await services.view(db_session, actor, tender_id, now)
    tender = tv.tender
    _asked, questions = await services.questions(db_session, actor, tender_id)
    audit = await services.audit_trail(db_session, actor, tender_id, now)
    standards = await reads.standards_by_code(
        db_session, [r["code"] for r in tender.required_standards]
    )
    problems = []
    notes: dict[str, str] = {}
    if tv.stage == "planning":
        problems = services.publication_problems(tender, tv.organisations, now, settings)
        notes = draft_notes(tender, tv.organisations, now, settings)
    decisions = await services.decisions(db_session, tender.id)
    # After responding the page shows the response, not a blank form again.
    own = (
        [r for r, t in await services.my_responses(db_session, actor) if t.id == tender.id]
        if actor
        else []
    )
    answered_for = {r.organisation_id for r in own}
    names = await services.organisation_names(db_session, answered_for) if own else {}
    smes = (
        [o for o, kind in actor.kinds.items() if kind == "sme" and actor.can_edit(o)]
        if actor
        else []
    )
    all_answered = bool(smes) and all(o in answered_for for o in smes)
    context: dict[str, Any] = {
        "tv": tv, "tender": tender, "stage": tv.stage, "ocds_status": OCDS_STATUS[tv.stage],
        "stage_label": stage_labels()[tv.stage], "questions": questions, "audit": audit,
        "standards": standards, "now": now, "time_left": time_left, "ended": ended(tender, now),
        "timeline": pictures.timeline(tender, now),
        "buyers_map": pictures.buyers_map(tender, tv.organisations),
        "is_buyer": policies.is_buyer_member(actor, tender), "problems": problems, "notes": notes,
        "is_lead": policies.is_lead_editor(actor, tender),
        "actions": tv.actions, "confirmable": policies.confirmable(actor, tender, now),
        "declinable": policies.declinable(actor, tender, now),
        "decisions": decisions,
        "own_responses": own, "own_names": names, "all_answered": all_answered,
        "response_actions": {r.id: policies.response_actions(actor, tender, r, now) for r in own},
        "lot_titles": {lot.id: _("Lot %(number)s: %(title)s", number=lot.number, title=lot.title) for lot in tender.lots},
        "form": {}, "errors": {}, "action_labels": action_labels(),
        # What an amendment changed, named as the page names it.
        "field_labels": tender_labels(),
        **uploads.page_context(actor, tender, now),
        "contracts": await contracts.contracts_view_of(
            db_session, actor, tender, decisions, tv.contracts, now
        ),
    }  # fmt: skip
    context.update(extra)
    return render(request, "tenders/show.html", actor, status_code=status_code, **context)


@get("/tenders/{tender_id:str}", include_in_schema=False)
async def show(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    clock: AppClock, settings: AppSettings,
) -> Template:  # fmt: skip
    return await _page(request, db_session, actor, tender_id, clock.now(), settings)


async def _act(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    now: datetime, settings: Any, work: Any, message: str, anchor: str = "",
) -> Template | Redirect:  # fmt: skip
    """Run one workspace action: on success flash and go back to the page; on a refusal
    show the page again with the reason."""
    error = await attempt(db_session, work(), let_through=(Forbidden,))
    if error is not None:
        return await _page(request, db_session, actor, tender_id, now, settings,
                           status_code=error.status, errors=errors_of(error))  # fmt: skip
    flash(request, message)
    return Redirect(f"/tenders/{tender_id}{anchor}")


@post(
    "/tenders/{tender_id:str}/buyers/{organisation_id:str}/confirm",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def confirm(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    organisation_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    shares = [
        {"lot": int(key.split("_")[1]), "quantity": value,
         "unit": form.get(f"share_{key.split('_')[1]}_unit")}
        for key, value in form.items()
        if key.startswith("share_") and key.endswith("_quantity") and key.split("_")[1].isdigit()
    ]  # fmt: skip
    parsed, errors = parse(ConfirmIn, {"shares": shares})
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    stated = parsed.shares

    async def work() -> None:
        await services.confirm_buyer(
            db_session, actor, tender_id, organisation_id, clock.now(), stated or None
        )

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      _("Your city's participation is confirmed."))  # fmt: skip


@post(
    "/tenders/{tender_id:str}/buyers/{organisation_id:str}/decline",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def decline(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    organisation_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    parsed, errors = parse(DeclineIn, {"reason": form.get("reason") or None})
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    if not confirmation.confirmed(data):
        refused = await attempt(db_session, services.invited_buyer(
            db_session, actor, tender_id, organisation_id, "decline", clock.now()))  # fmt: skip
        if refused is not None:
            return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                               status_code=refused.status, errors=errors_of(refused))  # fmt: skip
        tender = await services.get_tender(db_session, actor, tender_id)
        return confirmation.ask(
            request, actor, data, title=_("Decline to take part?"),
            consequences=[
                _("Your city leaves the draft “%(tender)s” and no longer sees it.",
                  tender=tender.title),
                _("The lead city is told, with your reason if you gave one."),
                _("Only the lead city can invite you again."),
            ],
            button=_("Yes, decline"), back=f"/tenders/{tender_id}",
        )  # fmt: skip
    error = await attempt(db_session, services.decline_buyer(
        db_session, actor, tender_id, organisation_id, clock.now(), parsed.reason))  # fmt: skip
    if error is not None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=error.status, errors=errors_of(error))  # fmt: skip
    flash(request, _("Your city declined to take part; the lead city is told."))
    return Redirect("/tenders")


@post("/tenders/{tender_id:str}/publish", include_in_schema=False, dependencies=SIGNED_IN)
async def publish(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip

    async def work() -> None:
        await services.publish(db_session, actor, tender_id, clock.now(), settings)

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      _("The tender is published."))  # fmt: skip


@post("/tenders/{tender_id:str}/amendments", include_in_schema=False, dependencies=SIGNED_IN)
async def amend(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    changes: dict[str, Any] = {k: form[k] for k in ("title", "description") if k in form}
    for k in ("clarification_deadline", "submission_deadline"):
        if form.get(k):
            changes[k] = _utc(form[k])
    parsed, errors = parse(AmendmentIn, {"rationale": form.get("rationale", ""),
                                         "changes": changes})  # fmt: skip
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors, form=form)  # fmt: skip
    amendment = parsed

    async def work() -> None:
        await services.amend(db_session, actor, tender_id, amendment, clock.now(), settings)

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      _("The amendment is published."), "#amendments")  # fmt: skip


@post("/tenders/{tender_id:str}/cancel", include_in_schema=False, dependencies=SIGNED_IN)
async def cancel(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    parsed, errors = parse(CancelIn, clean(data), {"reason": _("Reason (public)")})
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    reason = parsed
    if not confirmation.confirmed(data):
        refused = await attempt(
            db_session, services.require(db_session, actor, tender_id, "cancel", clock.now())
        )
        if refused is not None:
            return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                               status_code=refused.status, errors=errors_of(refused))  # fmt: skip
        tender = await services.get_tender(db_session, actor, tender_id)
        return confirmation.ask(
            request, actor, data, title=_("Cancel the tender?"),
            consequences=[
                _("“%(tender)s” is cancelled for every city buying together.", tender=tender.title),
                _("Suppliers who responded are told, with your reason: %(reason)s",
                  reason=reason.reason),
            ],
            button=_("Yes, cancel the tender"), back=f"/tenders/{tender_id}#workspace",
        )  # fmt: skip

    async def work() -> None:
        await services.cancel(db_session, actor, tender_id, reason, clock.now())

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      _("The tender is cancelled."))  # fmt: skip


@post("/tenders/{tender_id:str}/questions", include_in_schema=False, dependencies=SIGNED_IN)
async def ask(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    parsed, errors = parse(QuestionIn, clean(data))
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors, form=clean(data))  # fmt: skip
    question = parsed

    async def work() -> None:
        await services.ask(db_session, actor, tender_id, question, clock.now())

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      "Your question was sent. Answers are published on this page; "
                      "your name is never shown.", "#questions")  # fmt: skip


@post(
    "/tenders/{tender_id:str}/questions/{question_id:str}/answer",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def answer(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    question_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    parsed, errors = parse(AnswerIn, clean(data))
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    text = parsed

    async def work() -> None:
        await services.answer(db_session, actor, tender_id, question_id, text, clock.now())

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      _("The answer is published."), "#questions")  # fmt: skip


# --- responses --------------------------------------------------------------------------


def _response_data(form: dict[str, Any], raw: dict[str, Any], tender: Tender) -> dict[str, Any]:
    commitments = []
    for i, outcome in enumerate(tender.outcomes):
        target = form.get(f"commitment_{i}_target")
        if target:
            commitments.append({"metric": outcome["metric"], "target": target,
                                "notes": form.get(f"commitment_{i}_notes", "")})  # fmt: skip
    return {
        "organisation_id": form.get("organisation_id", ""),
        "lot_ids": as_list(raw.get("lot_ids")), "listing_id": form.get("listing_id"),
        "price": {"amount": form.get("price_amount", ""), "currency": form.get("currency", "EUR")},
        "technical_summary": form.get("technical_summary", ""),
        "outcome_commitments": commitments,
        "standards": [{"code": c} for c in as_list(raw.get("standards"))],
    }  # fmt: skip


async def _response_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    now: datetime, form: dict[str, Any], raw: dict[str, Any], errors: dict[str, str],
    status_code: int = 200, response: TenderResponse | None = None,
) -> Template:  # fmt: skip
    tv = await services.view(db_session, actor, tender_id, now)
    smes = await _editable(db_session, actor, "sme")
    if not smes:
        raise Forbidden("Only editors of an SME can respond to tenders.")
    # The offered solution is chosen by its title among the published listings of one's own
    # SMEs (the listings package's read service: no foreign key across packages).
    from marketplace.listings.services import offerable_listings

    names = {o.id: o.name for o in smes}
    listings = [
        c for c in await offerable_listings(db_session, actor) if c.organisation_id in names
    ]
    # One SME: its listings; several: each SME's under its name.
    listing_groups = [
        (name, [(c.id, c.title) for c in listings if c.organisation_id == org_id])
        for org_id, name in names.items()
        if any(c.organisation_id == org_id for c in listings)
    ]
    attachments = (
        await documents.attachments(db_session, actor, tender_id, response.id, now)
        if response is not None
        else []
    )
    return render(
        request, "tenders/respond.html", actor, status_code=status_code, tv=tv, tender=tv.tender,
        smes=smes, form=form, raw=raw, errors=errors, response=response, now=now,
        time_left=time_left, listing_groups=listing_groups, attachments=attachments,
        **uploads.page_context(actor, tv.tender, now),
    )  # fmt: skip


@get("/tenders/{tender_id:str}/respond", include_in_schema=False, dependencies=SIGNED_IN)
async def respond_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    return await _response_form(request, db_session, actor, tender_id, clock.now(),
                                {"currency": "EUR"}, {}, {})  # fmt: skip


@post("/tenders/{tender_id:str}/respond", include_in_schema=False, dependencies=SIGNED_IN)
async def respond(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock, published_listing_owner: PublishedListingOwner,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    raw = {k: as_list(data.get(k)) for k in ("lot_ids", "standards")}
    tender = await services.get_tender(db_session, actor, tender_id)
    parsed, errors = parse(ResponseIn, _response_data(form, data, tender))
    if parsed is not None:
        try:
            await services.submit_response(
                db_session, actor, tender_id, parsed, clock.now(), published_listing_owner
            )
        except Forbidden:
            raise
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error)
        else:
            flash(request, _("Your response is submitted and sealed until the deadline. "
                             "You can revise or withdraw it until then."))  # fmt: skip
            return Redirect("/my/responses")
    return await _response_form(request, db_session, actor, tender_id, clock.now(), form, raw,
                                errors, status_code=422)  # fmt: skip


@get(
    "/tenders/{tender_id:str}/responses/{response_id:str}/edit",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def edit_response_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    row = await services.get_response(db_session, actor, tender_id, response_id, clock.now())
    tender = await services.get_tender(db_session, actor, tender_id)
    policies.response_actions(actor, tender, row, clock.now()).require("revise")
    form: dict[str, Any] = {
        "organisation_id": row.organisation_id, "listing_id": row.listing_id or "",
        "price_amount": f"{row.price_amount:.2f}", "currency": row.currency,
        "technical_summary": row.technical_summary,
    }  # fmt: skip
    metrics = [o["metric"] for o in tender.outcomes]
    for c in row.outcome_commitments:
        if c["metric"] in metrics:
            i = metrics.index(c["metric"])
            form[f"commitment_{i}_target"], form[f"commitment_{i}_notes"] = c["target"], c["notes"]
    raw = {"lot_ids": row.lot_ids, "standards": [s["code"] for s in row.standards]}
    return await _response_form(request, db_session, actor, tender_id, clock.now(), form, raw,
                                {}, response=row)  # fmt: skip


@post(
    "/tenders/{tender_id:str}/responses/{response_id:str}/edit",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def edit_response(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, data: FormData, clock: AppClock,
    published_listing_owner: PublishedListingOwner,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    raw = {k: as_list(data.get(k)) for k in ("lot_ids", "standards")}
    tender = await services.get_tender(db_session, actor, tender_id)
    fields = _response_data(form, data, tender)
    fields.pop("organisation_id")
    parsed, errors = parse(ResponseUpdate, fields)
    if parsed is not None:
        try:
            await services.revise_response(
                db_session, actor, tender_id, response_id, parsed, clock.now(),
                published_listing_owner,
            )  # fmt: skip
        except Forbidden:
            raise
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error)
        else:
            flash(request, _("Your response is revised."))
            return Redirect("/my/responses")
    row = await services.get_response(db_session, actor, tender_id, response_id, clock.now())
    return await _response_form(request, db_session, actor, tender_id, clock.now(), form, raw,
                                errors, status_code=422, response=row)  # fmt: skip


@post(
    "/tenders/{tender_id:str}/responses/{response_id:str}/withdraw",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def withdraw(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if not confirmation.confirmed(data):
        tender = await services.get_tender(db_session, actor, tender_id)
        return confirmation.ask(
            request, actor, data, title=_("Withdraw your response?"),
            consequences=[
                _("Your response to “%(tender)s” is withdrawn and will not be evaluated.",
                  tender=tender.title),
                _("You may submit a new response until %(deadline)s.",
                  deadline=i18n.when(tender.submission_deadline, "long")),
            ],
            button=_("Yes, withdraw the response"), back="/my/responses",
        )  # fmt: skip
    await services.withdraw_response(db_session, actor, tender_id, response_id, clock.now())
    flash(request, _("Your response is withdrawn."))
    return Redirect("/my/responses")


def my_response_sorts() -> dict[str, str]:
    return sort_labels("newest", "deadline", "tender")


def my_question_sorts() -> dict[str, str]:
    return sort_labels("newest", "unanswered", "tender", unanswered=_("Not answered yet first"))


def _own_list_query(order: Sorting, per_page: int) -> list[tuple[str, str]]:
    query = [("sort", order.chosen)] if order.chosen != "newest" else []
    return query + ([("per_page", str(per_page))] if per_page != 20 else [])


@get("/my/questions", include_in_schema=False, dependencies=SIGNED_IN)
async def my_questions(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, clock: AppClock,
    sort: str | None = None, page: PageNumber = 1, per_page: PerPage = 20,
) -> Template | Redirect:  # fmt: skip
    order = sorting(sort, my_question_sorts(), "newest")
    rows, total = await services.list_my_questions(
        db_session, actor, sort=order.chosen, page=page, per_page=per_page
    )
    return render(
        request, "tenders/my_questions.html", actor, rows=rows, total=total, now=clock.now(),
        order=order, per_page=per_page,
        pages=pager("/my/questions", _own_list_query(order, per_page), page, per_page, total),
    )  # fmt: skip


@get("/my/responses", include_in_schema=False, dependencies=SIGNED_IN)
async def my_responses(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, clock: AppClock,
    sort: str | None = None, page: PageNumber = 1, per_page: PerPage = 20,
) -> Template | Redirect:  # fmt: skip
    order = sorting(sort, my_response_sorts(), "newest")
    rows, total = await services.list_my_responses(
        db_session, actor, sort=order.chosen, page=page, per_page=per_page
    )
    names = await services.organisation_names(db_session, {r.organisation_id for r, _ in rows})
    now = clock.now()
    actions = {r.id: policies.response_actions(actor, t, r, now) for r, t in rows}
    return render(request, "tenders/my_responses.html", actor, rows=rows, names=names,
                  now=now, time_left=time_left, ended=ended, stages=stage_labels(),
                  actions=actions, total=total, order=order, per_page=per_page,
                  pages=pager("/my/responses", _own_list_query(order, per_page), page,
                              per_page, total))  # fmt: skip


# --- evaluation -------------------------------------------------------------------------


async def _evaluation(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    now: datetime, errors: dict[str, str] | None = None, status_code: int = 200,
) -> Template:  # fmt: skip
    tender, rows = await services.list_responses(db_session, actor, tender_id, now)
    tv = await services.view(db_session, actor, tender_id, now)
    names = await services.organisation_names(db_session, {r.organisation_id for r in rows})
    return render(
        request, "tenders/evaluate.html", actor, status_code=status_code, tv=tv, tender=tender,
        responses=rows, names=names, errors=errors or {}, stage=tv.stage, actions=tv.actions,
        attachments=await documents.attachments_of(db_session, rows),
        type_labels=uploads.type_labels(),
        is_buyer=policies.is_buyer_member(actor, tender),
        lot_titles={lot.id: _("Lot %(number)s: %(title)s", number=lot.number, title=lot.title) for lot in tender.lots},
        bidders_by_lot={lot.id: [r for r in rows if lot.id in r.lot_ids] for lot in tender.lots},
    )  # fmt: skip


@get("/tenders/{tender_id:str}/responses", include_in_schema=False, dependencies=SIGNED_IN)
async def evaluation(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    return await _evaluation(request, db_session, actor, tender_id, clock.now())


async def _evaluate_act(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    now: datetime, work: Any, message: str,
) -> Template | Redirect:  # fmt: skip
    error = await attempt(db_session, work(), let_through=(Forbidden,))
    if error is not None:
        return await _evaluation(request, db_session, actor, tender_id, now,
                                 errors_of(error), error.status)  # fmt: skip
    flash(request, message)
    return Redirect(f"/tenders/{tender_id}/responses")


@post(
    "/tenders/{tender_id:str}/responses/{response_id:str}/scores",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def score(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    scores = {k.removeprefix("score:"): v for k, v in form.items() if k.startswith("score:")}
    parsed, errors = parse(ScoresIn, {"scores": scores})
    if parsed is None:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    given = parsed

    async def work() -> None:
        await services.score(db_session, actor, tender_id, response_id, given, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               _("The scores are saved."))  # fmt: skip


@post("/tenders/{tender_id:str}/awards", include_in_schema=False, dependencies=SIGNED_IN)
async def award(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    labels = {"value_amount": _("Contract value"), "value": _("Contract value"),
              "currency": _("Currency"), "lot_id": _("Lot"), "response_id": _("Award to")}  # fmt: skip
    number_errors = read_numbers(form, ["value_amount"], labels)
    parsed, errors = parse(AwardIn, {
        "lot_id": form.get("lot_id", ""), "response_id": form.get("response_id", ""),
        "value": {"amount": form.get("value_amount", ""), "currency": form.get("currency", "EUR")},
    }, labels, _award_where)  # fmt: skip
    errors = {**errors, **number_errors}
    if parsed is None or errors:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    chosen = parsed
    if not confirmation.confirmed(data):
        tender, rows = await services.list_responses(db_session, actor, tender_id, clock.now())
        lot = next((lot for lot in tender.lots if lot.id == chosen.lot_id), None)
        row = next((r for r in rows if r.id == chosen.response_id), None)
        names = await services.organisation_names(db_session, {r.organisation_id for r in rows})
        supplier = names.get(row.organisation_id, "") if row else ""
        return confirmation.ask(
            request, actor, data, title=_("Award lot %(n)s?", n=lot.number if lot else "?"),
            consequences=[
                _("Lot %(n)s “%(lot)s” is awarded to %(supplier)s for %(value)s.",
                  n=lot.number if lot else "?", lot=lot.title if lot else "", supplier=supplier,
                  value=i18n.money(chosen.value.amount, chosen.value.currency)),
                _("The award is published on the tender page and in the open data; the other "
                  "bidders for this lot see that they were not chosen."),
            ],
            button=_("Yes, award the lot"), back=f"/tenders/{tender_id}/responses", danger=False,
        )  # fmt: skip

    async def work() -> None:
        await services.award(db_session, actor, tender_id, chosen, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               _("The lot is awarded."))  # fmt: skip


@post("/tenders/{tender_id:str}/unsuccessful", include_in_schema=False, dependencies=SIGNED_IN)
async def unsuccessful(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    parsed, errors = parse(UnsuccessfulIn, clean(data))
    if parsed is None:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    chosen = parsed
    if not confirmation.confirmed(data):
        tender = await services.get_tender(db_session, actor, tender_id)
        lot = next((lot for lot in tender.lots if lot.id == chosen.lot_id), None)
        return confirmation.ask(
            request, actor, data,
            title=_("Declare lot %(n)s unsuccessful?", n=lot.number if lot else "?"),
            consequences=[
                _("No contract is awarded for lot %(n)s “%(lot)s”.",
                  n=lot.number if lot else "?", lot=lot.title if lot else ""),
                _("Every bidder for this lot is told, and the decision is published."),
            ],
            button=_("Yes, declare it unsuccessful"), back=f"/tenders/{tender_id}/responses",
        )  # fmt: skip

    async def work() -> None:
        await services.declare_unsuccessful(db_session, actor, tender_id, chosen, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               _("The lot is declared unsuccessful."))  # fmt: skip


handlers = [
    tender_list,
    tender_list_csv,
    new_tender_form,
    create_tender,
    edit_tender_form,
    edit_tender,
    show,
    confirm,
    decline,
    publish,
    amend,
    cancel,
    ask,
    answer,
    respond_form,
    respond,
    edit_response_form,
    edit_response,
    withdraw,
    my_responses,
    my_questions,
    evaluation,
    score,
    award,
    unsuccessful,
]
