"""HTML pages for joint tenders: the public tender page, the cities' workspace (draft,
invite, confirm, publish, amend, answer, evaluate side by side, award, cancel), the SME's
response form and "My responses". Every page goes through the same services as the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import DomainError, Forbidden
from marketplace.reference import vocabularies as vocab
from marketplace.standards.models import Standard
from marketplace.tenders import services
from marketplace.tenders.models import OCDS_STATUS, PROCEDURES, Tender, TenderResponse
from marketplace.tenders.schemas import (
    AmendmentIn,
    AnswerIn,
    AwardIn,
    CancelIn,
    ConfirmIn,
    QuestionIn,
    ResponseIn,
    ResponseUpdate,
    ScoresIn,
    TenderIn,
    UnsuccessfulIn,
)
from marketplace.web.deps import (
    AppClock,
    AppSettings,
    CurrentActor,
    DbSession,
    flash,
    redirect_to_sign_in,
    render,
)
from marketplace.web.forms import FormData, as_list, clean, errors_of, parse

LOT_ROWS = 3
OUTCOME_ROWS = 2
CRITERION_ROWS = 4
ACTION_LABELS = {
    "tender.created": "Draft created", "tender.edited": "Draft edited",
    "buyer.invited": "City invited", "buyer.confirmed": "City confirmed its participation",
    "tender.published": "Published", "tender.amended": "Amended",
    "tender.cancelled": "Cancelled", "tender.completed": "Every lot decided",
    "question.asked": "Question received", "question.answered": "Question answered",
    "response.submitted": "Response submitted", "response.revised": "Response revised",
    "response.withdrawn": "Response withdrawn", "response.scored": "Response scored",
    "lot.awarded": "Lot awarded", "lot.unsuccessful": "Lot declared unsuccessful",
    "refused.responses.list": "Refused: reading sealed responses",
    "refused.response.read": "Refused: reading a sealed response",
    "refused.response.revise": "Refused: revising another organisation's response",
    "refused.response.withdraw": "Refused: withdrawing another organisation's response",
    "refused.evaluate": "Refused: evaluating before the deadline",
}  # fmt: skip
STAGE_LABELS = {
    "planning": "Planning (draft)", "active": "Open for responses",
    "evaluation": "Evaluation", "complete": "Complete", "cancelled": "Cancelled",
    "unsuccessful": "Unsuccessful",
}  # fmt: skip


def _split(value: Any) -> list[str]:
    return [p for p in str(value or "").replace(",", " ").split() if p]


def _utc(value: Any) -> str | None:
    """`datetime-local` inputs carry no zone; the form says they are UTC."""
    if not value:
        return None
    text = str(value)
    return text if ("+" in text[10:] or text.endswith("Z")) else f"{text}+00:00"


def time_left(deadline: datetime, now: datetime) -> str:
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return "closed"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h left"
    minutes = rest // 60
    return f"{hours} h {minutes} min left" if hours else f"{minutes} min {rest % 60} s left"


async def _editable(db_session: DbSession, actor: Actor, kind: str) -> list[Organisation]:
    ids = [o for o in actor.roles if actor.can_edit(o)]
    rows = await db_session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.kind == kind)
        .order_by(Organisation.name)
    )  # fmt: skip
    return list(rows)


# --- list and drafting ------------------------------------------------------------------


@get("/tenders", include_in_schema=False)
async def tender_list(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, clock: AppClock,
    status: str | None = None, theme: str | None = None, page: int = 1,
) -> Template:  # fmt: skip
    now = clock.now()
    status = status if status in STAGE_LABELS else None
    theme = theme if theme in vocab.themes() else None
    rows, total = await services.list_tenders(
        db_session, actor, now, status=status, theme=theme, page=max(page, 1), per_page=20
    )
    mine: list[Tender] = []
    cities: list[Organisation] = []
    if actor is not None:
        mine, _ = await services.list_tenders(db_session, actor, now, mine=True, per_page=100)
        cities = await _editable(db_session, actor, "city")
    return render(
        request, "tenders/list.html", actor, tenders=rows, total=total, mine=mine, now=now,
        status=status or "", theme=theme or "", stages=STAGE_LABELS, cities=cities,
        page=max(page, 1), time_left=time_left,
    )  # fmt: skip


async def _form_context(db_session: DbSession, actor: Actor) -> dict[str, Any]:
    cities = await _editable(db_session, actor, "city")
    others = await db_session.scalars(
        select(Organisation).where(Organisation.kind == "city").order_by(Organisation.name)
    )
    standards = await db_session.scalars(select(Standard).order_by(Standard.code))
    return {
        "cities": cities, "all_cities": list(others), "standards": list(standards),
        "procedures": PROCEDURES, "lot_rows": LOT_ROWS, "outcome_rows": OUTCOME_ROWS,
        "criterion_rows": CRITERION_ROWS,
    }  # fmt: skip


def _tender_data(form: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    currency = form.get("currency", "EUR")
    lots = [
        {"title": form.get(f"lot_{i}_title", ""), "description": form.get(f"lot_{i}_description", ""),
         "estimated_value": {"amount": form.get(f"lot_{i}_amount", ""), "currency": currency}}
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
        "themes": as_list(raw.get("themes")), "cpv_codes": _split(form.get("cpv_codes")),
        "nuts_codes": [c.upper() for c in _split(form.get("nuts_codes"))], "lots": lots,
        "buyers": [{"organisation_id": o} for o in as_list(raw.get("invited")) if o != lead],
        "required_standards": [{"code": c, "mandatory": True} for c in mandatory]
        + [{"code": c, "mandatory": False} for c in desirable],
        "outcomes": outcomes, "award_criteria": criteria,
        "clarification_deadline": _utc(form.get("clarification_deadline")),
        "submission_deadline": _utc(form.get("submission_deadline")),
    }  # fmt: skip


@get("/tenders/new", include_in_schema=False)
async def new_tender_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    context = await _form_context(db_session, actor)
    if not context["cities"]:
        raise Forbidden("Only editors of a city can draft tenders.")
    form = {"currency": "EUR", "procedure": "open", "criterion_1_name": "Price",
            "criterion_1_weight": "40", "criterion_2_name": "Quality",
            "criterion_2_weight": "60"}  # fmt: skip
    return render(request, "tenders/new.html", actor, form=form, raw={}, errors={}, **context)


@post("/tenders/new", include_in_schema=False)
async def create_tender(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    parsed, errors = parse(TenderIn, _tender_data(form, data))
    if parsed is not None:
        try:
            tender = await services.create_tender(db_session, actor, parsed, clock.now(), settings)
        except DomainError as error:
            errors = errors_of(error)
        else:
            flash(request, "The draft was saved. Invited cities can now confirm.")
            return Redirect(f"/tenders/{tender.id}")
    context = await _form_context(db_session, actor)
    raw = {k: as_list(data.get(k)) for k in ("themes", "invited", "standards_mandatory",
                                             "standards_desirable")}  # fmt: skip
    return render(request, "tenders/new.html", actor, status_code=422, form=form, raw=raw,
                  errors=errors, **context)  # fmt: skip


# --- the tender page and workspace -------------------------------------------------------


async def _page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor | None, tender_id: str,
    now: datetime, settings: Any, status_code: int = 200, **extra: Any,
) -> Template:  # fmt: skip
    tv = await services.view(db_session, actor, tender_id, now)
    tender = tv.tender
    _, questions = await services.questions(db_session, actor, tender_id)
    audit = await services.audit_trail(db_session, actor, tender_id, now)
    standards = {
        s.code: s
        for s in await db_session.scalars(
            select(Standard).where(
                Standard.code.in_([r["code"] for r in tender.required_standards])
            )
        )
    }
    problems = []
    if tv.stage == "planning":
        problems = services.publication_problems(tender, tv.organisations, now, settings)
    smes = await _editable(db_session, actor, "sme") if actor else []
    decisions = await services.decisions(db_session, tender.id)
    context: dict[str, Any] = {
        "tv": tv, "tender": tender, "stage": tv.stage, "ocds_status": OCDS_STATUS[tv.stage],
        "stage_label": STAGE_LABELS[tv.stage], "questions": questions, "audit": audit,
        "standards": standards, "now": now, "time_left": time_left,
        "is_buyer": services.is_buyer_member(actor, tender),
        "is_buyer_editor": services.is_buyer_editor(actor, tender),
        "is_lead": services.is_lead_editor(actor, tender), "problems": problems,
        "can_respond": bool(smes) and tv.stage == "active",
        "can_ask": bool(actor and actor.roles) and tv.stage == "active"
        and now < tender.clarification_deadline,
        "opened": services.responses_opened(tender, now), "decisions": decisions,
        "lot_titles": {lot.id: f"Lot {lot.number}: {lot.title}" for lot in tender.lots},
        "form": {}, "errors": {}, "action_labels": ACTION_LABELS,
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
    try:
        await work()
    except Forbidden:
        raise
    except DomainError as error:
        await db_session.rollback()
        return await _page(request, db_session, actor, tender_id, now, settings,
                           status_code=error.status, errors=errors_of(error))  # fmt: skip
    flash(request, message)
    return Redirect(f"/tenders/{tender_id}{anchor}")


@post("/tenders/{tender_id:str}/buyers/{organisation_id:str}/confirm", include_in_schema=False)
async def confirm(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    organisation_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
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
                      "Your city's participation is confirmed.")  # fmt: skip


@post("/tenders/{tender_id:str}/publish", include_in_schema=False)
async def publish(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)

    async def work() -> None:
        await services.publish(db_session, actor, tender_id, clock.now(), settings)

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      "The tender is published.")  # fmt: skip


@post("/tenders/{tender_id:str}/amendments", include_in_schema=False)
async def amend(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
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
                      "The amendment is published.", "#amendments")  # fmt: skip


@post("/tenders/{tender_id:str}/cancel", include_in_schema=False)
async def cancel(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    parsed, errors = parse(CancelIn, clean(data))
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    reason = parsed

    async def work() -> None:
        await services.cancel(db_session, actor, tender_id, reason, clock.now())

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      "The tender is cancelled.")  # fmt: skip


@post("/tenders/{tender_id:str}/questions", include_in_schema=False)
async def ask(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
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


@post("/tenders/{tender_id:str}/questions/{question_id:str}/answer", include_in_schema=False)
async def answer(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    question_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    parsed, errors = parse(AnswerIn, clean(data))
    if parsed is None:
        return await _page(request, db_session, actor, tender_id, clock.now(), settings,
                           status_code=422, errors=errors)  # fmt: skip
    text = parsed

    async def work() -> None:
        await services.answer(db_session, actor, tender_id, question_id, text, clock.now())

    return await _act(request, db_session, actor, tender_id, clock.now(), settings, work,
                      "The answer is published.", "#questions")  # fmt: skip


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
    return render(
        request, "tenders/respond.html", actor, status_code=status_code, tv=tv, tender=tv.tender,
        smes=smes, form=form, raw=raw, errors=errors, response=response, now=now,
        time_left=time_left,
    )  # fmt: skip


@get("/tenders/{tender_id:str}/respond", include_in_schema=False)
async def respond_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    return await _response_form(request, db_session, actor, tender_id, clock.now(),
                                {"currency": "EUR"}, {}, {})  # fmt: skip


@post("/tenders/{tender_id:str}/respond", include_in_schema=False)
async def respond(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    raw = {k: as_list(data.get(k)) for k in ("lot_ids", "standards")}
    tender = await services.get_tender(db_session, actor, tender_id)
    parsed, errors = parse(ResponseIn, _response_data(form, data, tender))
    if parsed is not None:
        try:
            await services.submit_response(db_session, actor, tender_id, parsed, clock.now())
        except Forbidden:
            raise
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error)
        else:
            flash(request, "Your response is submitted and sealed until the deadline. "
                           "You can revise or withdraw it until then.")  # fmt: skip
            return Redirect("/my/responses")
    return await _response_form(request, db_session, actor, tender_id, clock.now(), form, raw,
                                errors, status_code=422)  # fmt: skip


@get("/tenders/{tender_id:str}/responses/{response_id:str}/edit", include_in_schema=False)
async def edit_response_form(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    response_id: str, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    row = await services.get_response(db_session, actor, tender_id, response_id, clock.now())
    if not actor.can_edit(row.organisation_id):
        raise Forbidden("Only the responding organisation's editors may revise it.")
    tender = await services.get_tender(db_session, actor, tender_id)
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


@post("/tenders/{tender_id:str}/responses/{response_id:str}/edit", include_in_schema=False)
async def edit_response(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    response_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    raw = {k: as_list(data.get(k)) for k in ("lot_ids", "standards")}
    tender = await services.get_tender(db_session, actor, tender_id)
    fields = _response_data(form, data, tender)
    fields.pop("organisation_id")
    parsed, errors = parse(ResponseUpdate, fields)
    if parsed is not None:
        try:
            await services.revise_response(
                db_session, actor, tender_id, response_id, parsed, clock.now()
            )
        except Forbidden:
            raise
        except DomainError as error:
            await db_session.rollback()
            errors = errors_of(error)
        else:
            flash(request, "Your response is revised.")
            return Redirect("/my/responses")
    row = await services.get_response(db_session, actor, tender_id, response_id, clock.now())
    return await _response_form(request, db_session, actor, tender_id, clock.now(), form, raw,
                                errors, status_code=422, response=row)  # fmt: skip


@post("/tenders/{tender_id:str}/responses/{response_id:str}/withdraw", include_in_schema=False)
async def withdraw(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    response_id: str, clock: AppClock,
) -> Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    await services.withdraw_response(db_session, actor, tender_id, response_id, clock.now())
    flash(request, "Your response is withdrawn.")
    return Redirect("/my/responses")


@get("/my/responses", include_in_schema=False)
async def my_responses(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, clock: AppClock
) -> Template | Redirect:
    if actor is None:
        return redirect_to_sign_in(request)
    rows = await services.my_responses(db_session, actor)
    names = await services.organisation_names(db_session, {r.organisation_id for r, _ in rows})
    return render(request, "tenders/my_responses.html", actor, rows=rows, names=names,
                  now=clock.now(), time_left=time_left, stages=STAGE_LABELS)  # fmt: skip


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
        responses=rows, names=names, errors=errors or {}, stage=tv.stage,
        is_lead=services.is_lead_editor(actor, tender),
        is_buyer_editor=services.is_buyer_editor(actor, tender),
        lot_titles={lot.id: f"Lot {lot.number}: {lot.title}" for lot in tender.lots},
        bidders_by_lot={lot.id: [r for r in rows if lot.id in r.lot_ids] for lot in tender.lots},
    )  # fmt: skip


@get("/tenders/{tender_id:str}/responses", include_in_schema=False)
async def evaluation(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    return await _evaluation(request, db_session, actor, tender_id, clock.now())


async def _evaluate_act(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    now: datetime, work: Any, message: str,
) -> Template | Redirect:  # fmt: skip
    try:
        await work()
    except Forbidden:
        raise
    except DomainError as error:
        await db_session.rollback()
        return await _evaluation(request, db_session, actor, tender_id, now,
                                 errors_of(error), error.status)  # fmt: skip
    flash(request, message)
    return Redirect(f"/tenders/{tender_id}/responses")


@post("/tenders/{tender_id:str}/responses/{response_id:str}/scores", include_in_schema=False)
async def score(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    response_id: str, data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    scores = {k.removeprefix("score:"): v for k, v in form.items() if k.startswith("score:")}
    parsed, errors = parse(ScoresIn, {"scores": scores})
    if parsed is None:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    given = parsed

    async def work() -> None:
        await services.score(db_session, actor, tender_id, response_id, given, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               "The scores are saved.")  # fmt: skip


@post("/tenders/{tender_id:str}/awards", include_in_schema=False)
async def award(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    form = clean(data)
    parsed, errors = parse(AwardIn, {
        "lot_id": form.get("lot_id", ""), "response_id": form.get("response_id", ""),
        "value": {"amount": form.get("value_amount", ""), "currency": form.get("currency", "EUR")},
    })  # fmt: skip
    if parsed is None:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    chosen = parsed

    async def work() -> None:
        await services.award(db_session, actor, tender_id, chosen, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               "The lot is awarded.")  # fmt: skip


@post("/tenders/{tender_id:str}/unsuccessful", include_in_schema=False)
async def unsuccessful(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, tender_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    if actor is None:
        return redirect_to_sign_in(request)
    parsed, errors = parse(UnsuccessfulIn, clean(data))
    if parsed is None:
        return await _evaluation(request, db_session, actor, tender_id, clock.now(), errors, 422)
    chosen = parsed

    async def work() -> None:
        await services.declare_unsuccessful(db_session, actor, tender_id, chosen, clock.now())

    return await _evaluate_act(request, db_session, actor, tender_id, clock.now(), work,
                               "The lot is declared unsuccessful.")  # fmt: skip


handlers = [
    tender_list,
    new_tender_form,
    create_tender,
    show,
    confirm,
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
    evaluation,
    score,
    award,
    unsuccessful,
]
