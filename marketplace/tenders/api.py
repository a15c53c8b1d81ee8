"""JSON API for joint tenders: parse, call one service, return."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, datetime
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, delete, get, patch, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation
from litestar.openapi.spec import Schema as OpenAPISchema
from litestar.params import JSONBody, Parameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.db import intent
from marketplace.errors import NotFound
from marketplace.reference import vocabularies as vocab
from marketplace.schemas import Money, Page
from marketplace.tenders import policies, services
from marketplace.tenders.deps import PublishedListingOwner
from marketplace.tenders.documents_api import document_out
from marketplace.tenders.models import (
    OCDS_STATUS,
    Amendment,
    LotDecision,
    Question,
    Stage,
    Tender,
    TenderSort,
)
from marketplace.tenders.models import TenderResponse as ResponseRow
from marketplace.tenders.ocds import json_lines, package_chunks, package_metadata
from marketplace.tenders.reads import TenderView
from marketplace.tenders.releases import PUBLISHER, bulk_path, package, record
from marketplace.tenders.schemas import (
    AmendmentIn,
    AmendmentOut,
    AnswerIn,
    AuditOut,
    AwardIn,
    BulkFileOut,
    BuyerOut,
    CancelIn,
    ConfirmIn,
    DecisionOut,
    DeclineIn,
    LotOut,
    NoticeOut,
    PublicationProblem,
    QuestionIn,
    QuestionOut,
    ResponseIn,
    ResponseOut,
    ResponseUpdate,
    ScoreOut,
    ScoresIn,
    ShareOut,
    TenderIn,
    TenderOut,
    TenderSummaryOut,
    TenderUpdate,
    UnsuccessfulIn,
)
from marketplace.web.deps import (
    AppClock,
    AppRuntime,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    signed_in,
)


def tender_out(tv: TenderView) -> TenderOut:
    t = tv.tender
    return TenderOut(
        id=t.id, ocid=t.ocid, status=OCDS_STATUS[tv.stage], stage=tv.stage,
        lead_buyer_id=t.lead_buyer_id, title=t.title, description=t.description,
        procedure=t.procedure, procedure_details=t.procedure_details, themes=t.themes,
        cpv_codes=t.cpv_codes, nuts_codes=t.nuts_codes,
        lots=[
            LotOut(
                id=lot.id, number=lot.number, title=lot.title, description=lot.description,
                estimated_value=_money(lot.estimated_amount, lot.currency),
                decision=tv.decisions[lot.id].outcome if lot.id in tv.decisions else None,
                decision_reason=tv.decisions[lot.id].reason if lot.id in tv.decisions else None,
                cpv_codes=lot.cpv_codes, places=lot.places, award_criteria=lot.award_criteria,
                framework=lot.framework, dps=lot.dps, eauction=lot.eauction,
                options=lot.options, renewals=lot.renewals, period=lot.period,
                documents_url=lot.documents_url, notice_lot_id=lot.external_id,
            )
            for lot in t.lots
        ],
        lot_rules=t.lot_rules,
        estimated_value=_money(t.estimated_amount, t.estimated_currency),
        documents_url=t.documents_url, contract_nature=t.contract_nature, language=t.language,
        imported=t.imported, notices=[NoticeOut.model_validate(n) for n in tv.notices],
        buyers=[
            BuyerOut(
                organisation_id=b.organisation_id, name=tv.organisations[b.organisation_id].name,
                kind=tv.organisations[b.organisation_id].kind,
                buyer_type=tv.organisations[b.organisation_id].buyer_type,
                is_lead=b.is_lead, verified=tv.organisations[b.organisation_id].verified,
                confirmed=b.confirmed_at is not None, confirmed_at=b.confirmed_at,
                shares=[ShareOut.model_validate(s) for s in b.shares],
            )
            for b in sorted(t.buyers, key=lambda b: (not b.is_lead, b.invited_at, b.id))
        ],
        required_standards=t.required_standards, outcomes=t.outcomes,
        award_criteria=t.award_criteria, clarification_deadline=t.clarification_deadline,
        submission_deadline=t.submission_deadline, created_at=t.created_at,
        published_at=t.published_at, cancelled_at=t.cancelled_at,
        cancellation_reason=t.cancellation_reason,
        amendments=[amendment_out(a) for a in tv.amendments],
        documents=[document_out(d) for d in tv.documents], actions=tv.actions.names,
    )  # fmt: skip


def _money(amount: Decimal | None, currency: str | None) -> Money | None:
    return None if amount is None or currency is None else Money(amount=amount, currency=currency)


def _with_problems(
    out: TenderOut, tv: TenderView, actor: Any, now: datetime, settings: Any
) -> TenderOut:
    """The buying cities see publication's checks on a draft with every read and save."""
    if tv.stage == "planning" and policies.is_buyer_member(actor, tv.tender):
        out.publication_problems = [
            PublicationProblem(field=p.field, message=p.message)
            for p in services.publication_problems(tv.tender, tv.organisations, now, settings)
        ]
    return out


def summary_out(t: Tender, now: datetime) -> TenderSummaryOut:
    stage = t.stage_at(now)
    return TenderSummaryOut(
        id=t.id, ocid=t.ocid, status=OCDS_STATUS[stage], stage=stage,
        lead_buyer_id=t.lead_buyer_id, title=t.title, procedure=t.procedure,
        themes=t.themes, submission_deadline=t.submission_deadline, published_at=t.published_at,
        imported=t.imported,
    )  # fmt: skip


def amendment_out(a: Amendment) -> AmendmentOut:
    return AmendmentOut.model_validate(a)


def question_out(q: Question) -> QuestionOut:
    return QuestionOut(
        id=q.id, text=q.text, asked_at=q.asked_at, answer=q.answer, answered_at=q.answered_at
    )


def response_out(r: ResponseRow, names: dict[str, str]) -> ResponseOut:
    return ResponseOut(
        id=r.id, tender_id=r.tender_id, organisation_id=r.organisation_id,
        organisation_name=names.get(r.organisation_id, ""), lot_ids=r.lot_ids,
        listing_id=r.listing_id, price=Money(amount=r.price_amount, currency=r.currency),
        technical_summary=r.technical_summary, outcome_commitments=r.outcome_commitments,
        standards=r.standards, submitted_at=r.submitted_at, updated_at=r.updated_at,
        scores=r.scores, weighted_total=r.weighted_total,
    )  # fmt: skip


def decision_out(d: LotDecision, tender_status: str) -> DecisionOut:
    return DecisionOut(
        id=d.id, tender_id=d.tender_id, lot_id=d.lot_id, outcome=d.outcome,
        response_id=d.response_id, supplier_id=d.supplier_id,
        value=Money(amount=d.value_amount, currency=d.currency or "EUR")
        if d.value_amount is not None else None,
        reason=d.reason, decided_at=d.decided_at, tender_status=tender_status,
    )  # fmt: skip


async def _names(db_session: DbSession, rows: list[ResponseRow]) -> dict[str, str]:
    return await services.organisation_names(db_session, {r.organisation_id for r in rows})


class TenderController(Controller):
    path = "/api/v1/tenders"
    tags = ["Tenders"]

    @post("/", status_code=201, summary="Draft a joint tender (status planning)")
    async def create(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[TenderIn],
        clock: AppClock, settings: AppSettings,
    ) -> TenderOut:  # fmt: skip
        tender = await services.create_tender(
            db_session, signed_in(actor), data, clock.now(), settings
        )
        return tender_out(await services.view(db_session, actor, tender.id, clock.now()))

    @get("/", summary="Tenders: published ones, and your cities' drafts")
    async def index(
        self, db_session: DbSession, actor: CurrentActor, clock: AppClock,
        status: Stage | None = None, buyer_id: str | None = None, theme: str | None = None,
        sort: TenderSort | None = None, page: PageNumber = 1, per_page: PerPage = 20,
    ) -> Page[TenderSummaryOut]:  # fmt: skip
        """`sort`: `deadline` (open ones closing soonest, then the others), `newest`,
        `title`, `value` (highest estimate first); without it, the latest deadline first."""
        if theme is not None:
            vocab.check_theme(theme, "theme")
        rows, total = await services.list_tenders(
            db_session, actor, clock.now(), status=status, buyer_id=buyer_id, theme=theme,
            sort=sort, page=page, per_page=per_page,
        )  # fmt: skip
        items = [summary_out(t, clock.now()) for t in rows]
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/{tender_id:str}", summary="One tender")
    async def show(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock,
        settings: AppSettings,
    ) -> TenderOut:  # fmt: skip
        tv = await services.view(db_session, actor, tender_id, clock.now())
        return _with_problems(tender_out(tv), tv, actor, clock.now(), settings)

    @patch("/{tender_id:str}", summary="Edit while planning (lead buyer editors)")
    async def update(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[TenderUpdate], clock: AppClock, settings: AppSettings,
    ) -> TenderOut:  # fmt: skip
        await services.update_tender(db_session, signed_in(actor), tender_id, data, clock.now())
        tv = await services.view(db_session, actor, tender_id, clock.now())
        return _with_problems(tender_out(tv), tv, actor, clock.now(), settings)

    @post(
        "/{tender_id:str}/buyers/{organisation_id:str}/confirm", status_code=200,
        summary="An invited city confirms its participation (that city's editors)",
    )  # fmt: skip
    async def confirm(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, organisation_id: str,
        clock: AppClock, data: JSONBody[ConfirmIn | None] = None,
    ) -> TenderOut:  # fmt: skip
        await services.confirm_buyer(
            db_session, signed_in(actor), tender_id, organisation_id, clock.now(),
            data.shares if data else None,
        )  # fmt: skip
        return tender_out(await services.view(db_session, actor, tender_id, clock.now()))

    @post(
        "/{tender_id:str}/buyers/{organisation_id:str}/decline", status_code=204,
        summary="An invited city declines to take part before publication (that city's editors)",
    )  # fmt: skip
    async def decline(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, organisation_id: str,
        clock: AppClock, data: JSONBody[DeclineIn | None] = None,
    ) -> None:  # fmt: skip
        await services.decline_buyer(
            db_session, signed_in(actor), tender_id, organisation_id, clock.now(),
            data.reason if data else None,
        )  # fmt: skip

    @post("/{tender_id:str}/publish", status_code=200, summary="Publish (verified lead city)")
    async def publish(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock,
        settings: AppSettings,
    ) -> TenderOut:  # fmt: skip
        await services.publish(db_session, signed_in(actor), tender_id, clock.now(), settings)
        return tender_out(await services.view(db_session, actor, tender_id, clock.now()))

    @post("/{tender_id:str}/amendments", status_code=201, summary="Amend a published tender")
    async def amend(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[AmendmentIn], clock: AppClock, settings: AppSettings,
    ) -> AmendmentOut:  # fmt: skip
        amendment = await services.amend(
            db_session, signed_in(actor), tender_id, data, clock.now(), settings
        )
        return amendment_out(amendment)

    @get("/{tender_id:str}/amendments", summary="Amendments, in order")
    async def amendments(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock
    ) -> list[AmendmentOut]:
        tv = await services.view(db_session, actor, tender_id, clock.now())
        return [amendment_out(a) for a in tv.amendments]

    @post("/{tender_id:str}/cancel", status_code=200, summary="Cancel with a public reason")
    async def cancel(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[CancelIn], clock: AppClock,
    ) -> TenderOut:  # fmt: skip
        await services.cancel(db_session, signed_in(actor), tender_id, data, clock.now())
        return tender_out(await services.view(db_session, actor, tender_id, clock.now()))

    @post("/{tender_id:str}/questions", status_code=201, summary="Ask a question (anonymous)")
    async def ask(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[QuestionIn], clock: AppClock,
    ) -> QuestionOut:  # fmt: skip
        question = await services.ask(db_session, signed_in(actor), tender_id, data, clock.now())
        return question_out(question)

    @get("/{tender_id:str}/questions", summary="Answered questions (buyers also see open ones)")
    async def questions(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str
    ) -> list[QuestionOut]:
        _, rows = await services.questions(db_session, actor, tender_id)
        return [question_out(q) for q in rows]

    @post(
        "/{tender_id:str}/questions/{question_id:str}/answer", status_code=200,
        summary="Answer a question (buyer editors); the answer is public",
    )  # fmt: skip
    async def answer(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, question_id: str,
        data: JSONBody[AnswerIn], clock: AppClock,
    ) -> QuestionOut:  # fmt: skip
        question = await services.answer(
            db_session, signed_in(actor), tender_id, question_id, data, clock.now()
        )
        return question_out(question)

    @post("/{tender_id:str}/responses", status_code=201, summary="Submit a sealed response")
    async def respond(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[ResponseIn], clock: AppClock,
        published_listing_owner: PublishedListingOwner,
    ) -> ResponseOut:  # fmt: skip
        response = await services.submit_response(
            db_session, signed_in(actor), tender_id, data, clock.now(), published_listing_owner
        )
        return response_out(response, await _names(db_session, [response]))

    @get(
        "/{tender_id:str}/responses",
        summary="Responses: buyers after the deadline; each SME only its own",
    )
    async def responses(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock
    ) -> Page[ResponseOut]:
        _, rows = await services.list_responses(
            db_session, signed_in(actor), tender_id, clock.now()
        )
        names = await _names(db_session, rows)
        return Page(
            items=[response_out(r, names) for r in rows], total=len(rows), page=1,
            per_page=max(len(rows), 1),
        )  # fmt: skip

    @get("/{tender_id:str}/responses/{response_id:str}", summary="One response")
    async def response(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        clock: AppClock,
    ) -> ResponseOut:  # fmt: skip
        row = await services.get_response(
            db_session, signed_in(actor), tender_id, response_id, clock.now()
        )
        return response_out(row, await _names(db_session, [row]))

    @patch("/{tender_id:str}/responses/{response_id:str}", summary="Revise before the deadline")
    async def revise(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        data: JSONBody[ResponseUpdate], clock: AppClock,
        published_listing_owner: PublishedListingOwner,
    ) -> ResponseOut:  # fmt: skip
        row = await services.revise_response(
            db_session, signed_in(actor), tender_id, response_id, data, clock.now(),
            published_listing_owner,
        )  # fmt: skip
        return response_out(row, await _names(db_session, [row]))

    @delete(
        "/{tender_id:str}/responses/{response_id:str}", status_code=204,
        summary="Withdraw before the deadline",
    )  # fmt: skip
    async def withdraw(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        clock: AppClock,
    ) -> None:  # fmt: skip
        await services.withdraw_response(
            db_session, signed_in(actor), tender_id, response_id, clock.now()
        )

    @post(
        "/{tender_id:str}/responses/{response_id:str}/scores", status_code=200,
        summary="Score every criterion 0-100 (buyer editors, after the deadline)",
    )  # fmt: skip
    async def score(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        data: JSONBody[ScoresIn], clock: AppClock,
    ) -> ScoreOut:  # fmt: skip
        row = await services.score(
            db_session, signed_in(actor), tender_id, response_id, data, clock.now()
        )
        assert row.weighted_total is not None and row.scores is not None
        return ScoreOut(response_id=row.id, scores=row.scores, weighted_total=row.weighted_total)

    @post("/{tender_id:str}/awards", status_code=201, summary="Award a lot (lead buyer editors)")
    async def award(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[AwardIn], clock: AppClock,
    ) -> DecisionOut:  # fmt: skip
        decision = await services.award(db_session, signed_in(actor), tender_id, data, clock.now())
        tv = await services.view(db_session, actor, tender_id, clock.now())
        return decision_out(decision, OCDS_STATUS[tv.stage])

    @get("/{tender_id:str}/awards", summary="Lot decisions (awards and unsuccessful lots)")
    async def awards(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock
    ) -> list[DecisionOut]:
        tv = await services.view(db_session, actor, tender_id, clock.now())
        rows = await services.decisions(db_session, tender_id)
        return [decision_out(d, OCDS_STATUS[tv.stage]) for d in rows]

    @post(
        "/{tender_id:str}/unsuccessful", status_code=201,
        summary="Declare a lot unsuccessful (lead buyer editors)",
    )  # fmt: skip
    async def unsuccessful(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str,
        data: JSONBody[UnsuccessfulIn], clock: AppClock,
    ) -> DecisionOut:  # fmt: skip
        decision = await services.declare_unsuccessful(
            db_session, signed_in(actor), tender_id, data, clock.now()
        )
        tv = await services.view(db_session, actor, tender_id, clock.now())
        return decision_out(decision, OCDS_STATUS[tv.stage])

    @get("/{tender_id:str}/audit", summary="Audit trail: buyers all of it, others the public part")
    async def audit(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock
    ) -> list[AuditOut]:
        lines = await services.audit_trail(db_session, actor, tender_id, clock.now())
        return [audit_out(line) for line in lines]

    @get("/{tender_id:str}/ocds", summary="OCDS 1.1 release package of this process")
    async def ocds(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
        tender_id: str, clock: AppClock,
    ) -> dict[str, Any]:  # fmt: skip
        rows = await services.tender_releases(db_session, actor, tender_id)
        return package(rows, str(request.url), clock.now())

    @get(
        "/{tender_id:str}/ocds/record",
        summary="OCDS 1.1 record package of this process: its releases and compiled release",
    )
    async def ocds_record(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
        tender_id: str, clock: AppClock,
    ) -> dict[str, Any]:  # fmt: skip
        rows = await services.tender_releases(db_session, actor, tender_id)
        uri = str(request.url.with_replacements(query=""))
        return record(rows, uri, clock.now(), uri.removesuffix("/record"))


def audit_out(line: services.AuditLine) -> AuditOut:
    e = line.entry
    return AuditOut(
        id=e.id, at=e.at, action=e.action, organisation_id=e.organisation_id,
        organisation_name=line.organisation_name, user_name=line.user_name,
        before=e.before, after=e.after,
    )  # fmt: skip


def _page_link(request: Request[Any, Any, Any], page: int) -> str:
    query = {k: v for k, v in request.query_params.items() if k != "page"}
    return str(request.url.with_replacements(query=urlencode({**query, "page": page})))


BulkFileName = Annotated[
    str, Parameter(description="the year and the format: `2026.json` or `2026.jsonl`")
]
BULK_FILE = re.compile(r"(?P<year>\d{4})\.(?P<kind>jsonl?)")
JSON_LINES = "application/x-ndjson"
# Releases read per query while a year is streamed.
BULK_BATCH = 500


async def _releases_of_year(
    sessions: async_sessionmaker[AsyncSession], year: int
) -> AsyncIterator[dict[str, Any]]:
    """The year's releases, read in batches, each in a short session of its own (the
    request's session is closed once the response starts)."""
    after: services.ReleaseKey | None = None
    while True:
        with intent("read"):
            async with sessions() as session:
                batch = await services.releases_of_year(session, year, after, BULK_BATCH)
        for _key, data in batch:
            yield data
        if len(batch) < BULK_BATCH:
            return
        after = batch[-1][0]


@dataclass
class BulkOperation(Operation):
    """The bulk file is JSON or JSON Lines by its name; the document says both."""

    def __post_init__(self) -> None:
        self.responses = {
            "200": OpenAPIResponse(
                description="`{year}.json`: an OCDS 1.1 release package of every release "
                "published in that year (UTC), in date order; `{year}.jsonl`: the same "
                "releases, one JSON object per line. Sent as it is read (streamed).",
                content={
                    "application/json": OpenAPIMediaType(
                        schema=OpenAPISchema(
                            type=OpenAPIType.OBJECT,
                            required=["uri", "version", "publishedDate", "publisher", "releases"],
                            properties={
                                "releases": OpenAPISchema(
                                    type=OpenAPIType.ARRAY,
                                    items=OpenAPISchema(type=OpenAPIType.OBJECT),
                                )
                            },
                        )
                    ),
                    JSON_LINES: OpenAPIMediaType(schema=OpenAPISchema(type=OpenAPIType.STRING)),
                },
            )
        }


class OcdsController(Controller):
    path = "/api/v1/ocds"
    tags = ["Open data"]

    @get("/releases", summary="OCDS release package of every published release")
    async def releases(
        self, request: Request[Any, Any, Any], db_session: DbSession,
        clock: AppClock, since: datetime | None = None, page: PageNumber = 1,
        per_page: PerPage = 100,
    ) -> dict[str, Any]:  # fmt: skip
        rows, total = await services.all_releases(db_session, since, page, per_page)
        result = package(rows, str(request.url), clock.now(), paginated=True)
        links: dict[str, str] = {}
        if page * per_page < total:
            links["next"] = _page_link(request, page + 1)
        if page > 1:
            links["prev"] = _page_link(request, page - 1)
        if links:
            result["links"] = links
        return result

    @get("/bulk", summary="The bulk downloads: every published release, one file per year")
    async def bulk_index(
        self, request: Request[Any, Any, Any], db_session: DbSession
    ) -> Page[BulkFileOut]:
        years = await services.release_years(db_session)
        base = str(request.base_url).rstrip("/")
        items = [
            BulkFileOut(
                year=y.year, releases=y.releases,
                json_url=base + bulk_path(y.year, "json"),
                jsonl_url=base + bulk_path(y.year, "jsonl"),
            )
            for y in years
        ]  # fmt: skip
        return Page(items=items, total=len(items), page=1, per_page=max(len(items), 1))

    @get(
        "/bulk/{file:str}",
        summary="Every release published in a year: `{year}.json` (one release package) or "
        "`{year}.jsonl` (JSON Lines, one release per line)",
        operation_class=BulkOperation,
    )
    async def bulk(
        self, request: Request[Any, Any, Any], db_session: DbSession, runtime: AppRuntime,
        clock: AppClock, file: BulkFileName,
    ) -> Stream:  # fmt: skip
        found = BULK_FILE.fullmatch(file)
        if found is None:
            raise NotFound("No such file: ask for {year}.json or {year}.jsonl, e.g. 2026.json.")
        year, kind = int(found["year"]), found["kind"]
        if not (MINYEAR < year < MAXYEAR) or not await services.count_releases_of_year(
            db_session, year
        ):
            raise NotFound(f"No release was published in {year}.")
        releases = _releases_of_year(runtime.sessions, year)
        if kind == "json":
            metadata = package_metadata(
                str(request.url.with_replacements(query="")), clock.now(), PUBLISHER
            )
            content, media_type = package_chunks(metadata, releases), "application/json"
        else:
            content, media_type = json_lines(releases), JSON_LINES
        return Stream(
            content, media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="icc-marketplace-ocds-{file}"'},
        )  # fmt: skip


handlers = [TenderController, OcdsController]
