"""Input and output shapes of the tenders API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

from marketplace.core.inputs import Url
from marketplace.errors import Sentence
from marketplace.schemas import (
    CleanLine,
    CleanText,
    CpvCode,
    Instant,
    Money,
    NutsCode,
    OutcomeKpi,
    Patch,
    Schema,
    ThemeCode,
)
from marketplace.tenders.document_schemas import DocumentOut
from marketplace.tenders.models import AnyProcedure, OcdsStatus, Procedure, Stage
from marketplace.tenders.notices.mapping import nuts_problem, translate_nuts

LotSubmission = Literal["all_lots_allowed", "max_lots", "one_lot_only", "all_lots_required"]


def _nuts_any_version(value: str) -> str:
    """A NUTS 2024 code, or a 2016/2021 code whose 2024 region is the same area.

    A code whose region changed its boundaries is refused with the 2024 code to use instead,
    rather than silently moved to a region that is not the one meant.
    """
    nuts = translate_nuts(value)
    if nuts.nuts_2024 is not None and nuts.exact:
        return nuts.nuts_2024
    problem = nuts_problem(nuts) or "not a NUTS code"
    raise ValueError(f"{value!r}: {problem}")


PlaceCode = Annotated[str, Field(max_length=10), AfterValidator(_nuts_any_version)]
# A form's empty link input means "no link".
OptionalUrl = Annotated[Url | None, BeforeValidator(lambda v: None if v == "" else v)]
# What the reader may do with the tender now (marketplace.tenders.policies.ACTIONS).
TenderAction = Literal[
    "edit", "publish", "amend", "cancel", "ask", "answer", "respond", "read_responses",
    "score", "decide",
]  # fmt: skip
Title = Annotated[str, Field(min_length=3, max_length=300), CleanLine]
LongText = Annotated[str, Field(max_length=20000), CleanText]


class FrameworkIn(Schema):
    """A framework agreement (Directive 2014/24/EU Art. 33): at most 4 years unless justified."""

    max_participants: Annotated[int | None, Field(ge=1, le=10000)] = None
    duration_months: Annotated[int | None, Field(ge=1, le=240)] = None
    justification: Annotated[str, Field(max_length=2000)] = ""


class DpsIn(Schema):
    additional_purchasers: bool = False


class EauctionIn(Schema):
    description: Annotated[str, Field(max_length=2000)] = ""


class OptionsIn(Schema):
    description: Annotated[str, Field(min_length=2, max_length=2000)]


class RenewalsIn(Schema):
    max_renewals: Annotated[int | None, Field(ge=1, le=100)] = None
    description: Annotated[str, Field(max_length=2000)] = ""


class LotIn(Schema):
    """A lot. CPV codes, places and award criteria left out are the tender's."""

    title: Title
    description: LongText = ""
    estimated_value: Money | None = None
    cpv_codes: Annotated[list[CpvCode] | None, Field(min_length=1, max_length=50)] = None
    nuts_codes: Annotated[list[PlaceCode] | None, Field(max_length=50)] = None
    award_criteria: Annotated[list[CriterionIn] | None, Field(min_length=1, max_length=20)] = None
    framework: FrameworkIn | None = None
    dps: DpsIn | None = None
    eauction: EauctionIn | None = None
    options: OptionsIn | None = None
    renewals: RenewalsIn | None = None
    documents_url: OptionalUrl = None

    @field_validator("award_criteria")
    @classmethod
    def _weights(cls, value: list[CriterionIn] | None) -> list[CriterionIn] | None:
        return None if value is None else _criteria_rule(value)


class LotRulesIn(Schema):
    """How many lots one tenderer may bid for (and be awarded)."""

    submission: LotSubmission = "all_lots_allowed"
    max_lots_per_tenderer: Annotated[int | None, Field(ge=1, le=50)] = None
    max_lots_awarded: Annotated[int | None, Field(ge=1, le=50)] = None

    @model_validator(mode="after")
    def _consistent(self) -> LotRulesIn:
        if self.submission == "max_lots" and self.max_lots_per_tenderer is None:
            raise ValueError("max_lots needs max_lots_per_tenderer")
        return self


class ShareIn(Schema):
    """A city's share of one lot: a quantity (with its unit) or a value, or both."""

    lot: Annotated[int, Field(ge=1, description="The lot number (1 for the first lot)")]
    quantity: Annotated[Decimal | None, Field(gt=0, max_digits=16, decimal_places=3)] = None
    unit: Annotated[str | None, Field(max_length=40), CleanLine] = None
    value: Money | None = None

    @model_validator(mode="after")
    def _something(self) -> ShareIn:
        if self.quantity is None and self.value is None:
            raise ValueError("a share needs a quantity or a value")
        return self


class BuyerIn(Schema):
    organisation_id: str
    shares: list[ShareIn] = []


class ConfirmIn(Schema):
    """An invited city may state its shares when it confirms."""

    shares: list[ShareIn] | None = None


class DeclineIn(Schema):
    """An invited city may say why it does not take part; the lead city reads it."""

    reason: Annotated[str | None, Field(max_length=2000), CleanText] = None


class RequiredStandardIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60), CleanLine]
    mandatory: bool = True


# What a tender asks for: only the metric and the target are required (notices often state
# no timeframe or method).
OutcomeIn = OutcomeKpi


CriterionName = Annotated[str, Field(min_length=2, max_length=1000), CleanLine]


class SubCriterionIn(Schema):
    """Part of a criterion; the weights of a criterion's parts sum to the criterion's weight
    (they are shares of the total, as TED notices list them)."""

    name: CriterionName
    weight: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
    description: Annotated[str, Field(max_length=5000)] = ""


class CriterionIn(Schema):
    name: CriterionName
    weight: Annotated[int, Field(ge=1, le=100)]
    type: Literal["price", "cost", "quality"] | None = None
    description: Annotated[str, Field(max_length=5000)] = ""
    sub_criteria: Annotated[list[SubCriterionIn], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _parts(self) -> CriterionIn:
        if self.sub_criteria:
            total = sum((c.weight for c in self.sub_criteria), Decimal(0))
            if total != self.weight:
                raise ValueError(
                    f"the sub-criteria of {self.name!r} weigh {total}, "
                    f"not the criterion's {self.weight}"
                )
        return self


def _criteria_rule(value: list[CriterionIn]) -> list[CriterionIn]:
    names = [c.name.casefold() for c in value]
    if len(set(names)) != len(names):
        raise ValueError("criterion names must be unique")
    total = sum(c.weight for c in value)
    if value and total != 100:
        raise Sentence("weights must sum to 100 (they sum to %(total)s)", total=total)
    return value


class TenderFields(Schema):
    """What a tender says; shared by creation, editing in planning and amendments."""

    title: Title | None = None
    description: LongText | None = None
    themes: list[ThemeCode] | None = None
    cpv_codes: list[CpvCode] | None = None
    nuts_codes: list[NutsCode] | None = None
    lots: Annotated[list[LotIn] | None, Field(min_length=1, max_length=50)] = None
    required_standards: list[RequiredStandardIn] | None = None
    outcomes: list[OutcomeIn] | None = None
    award_criteria: Annotated[list[CriterionIn] | None, Field(min_length=1, max_length=20)] = None
    clarification_deadline: Instant | None = None
    submission_deadline: Instant | None = None
    estimated_value: Money | None = None
    documents_url: OptionalUrl = None
    lot_rules: LotRulesIn | None = None

    @field_validator("award_criteria")
    @classmethod
    def _weights(cls, value: list[CriterionIn] | None) -> list[CriterionIn] | None:
        return None if value is None else _criteria_rule(value)


class TenderIn(TenderFields):
    lead_buyer_id: str
    title: Title
    description: LongText = ""
    procedure: Procedure
    themes: list[ThemeCode] = []
    cpv_codes: Annotated[list[CpvCode], Field(min_length=1)]
    nuts_codes: list[NutsCode] = []
    lots: Annotated[list[LotIn], Field(min_length=1, max_length=50)]
    buyers: list[BuyerIn] = []
    required_standards: list[RequiredStandardIn] = []
    outcomes: list[OutcomeIn] = []
    award_criteria: Annotated[list[CriterionIn], Field(min_length=1, max_length=20)]
    # Optional: without one, questions close 6 days before the submission deadline.
    clarification_deadline: Instant | None = None
    submission_deadline: Instant


class TenderUpdate(TenderFields, Patch):
    """While planning the lead buyer edits freely; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)

    procedure: Procedure | None = None
    buyers: list[BuyerIn] | None = None


class AmendmentChanges(TenderFields, Patch):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)


class AmendmentIn(Schema):
    rationale: Annotated[str, Field(min_length=5, max_length=5000), CleanText]
    changes: AmendmentChanges


class CancelIn(Schema):
    reason: Annotated[str, Field(min_length=5, max_length=5000), CleanText]


class QuestionIn(Schema):
    text: Annotated[str, Field(min_length=5, max_length=5000), CleanText]
    organisation_id: str | None = None


class AnswerIn(Schema):
    text: Annotated[str, Field(min_length=2, max_length=10000), CleanText]


class CommitmentIn(Schema):
    metric: Annotated[str, Field(min_length=2, max_length=200), CleanLine]
    target: Decimal
    notes: Annotated[str, Field(max_length=2000), CleanText] = ""


class ConformanceIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60), CleanLine]
    evidence_url: HttpUrl | None = None

    @field_validator("evidence_url", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if value == "" else value


class ResponseIn(Schema):
    organisation_id: str
    lot_ids: Annotated[list[str], Field(min_length=1)]
    listing_id: Annotated[str | None, Field(max_length=36), CleanLine] = None
    price: Money
    technical_summary: Annotated[str, Field(min_length=10, max_length=20000), CleanText]
    outcome_commitments: list[CommitmentIn] = []
    standards: list[ConformanceIn] = []


class ResponseUpdate(Patch):
    clearable = frozenset({"listing_id"})

    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)

    lot_ids: Annotated[list[str] | None, Field(min_length=1)] = None
    listing_id: Annotated[str | None, Field(max_length=36), CleanLine] = None
    price: Money | None = None
    technical_summary: Annotated[str | None, Field(min_length=10, max_length=20000), CleanText] = (
        None
    )
    outcome_commitments: list[CommitmentIn] | None = None
    standards: list[ConformanceIn] | None = None


class ScoresIn(Schema):
    scores: dict[str, Annotated[int, Field(ge=0, le=100)]]


class AwardIn(Schema):
    lot_id: str
    response_id: str
    value: Money


class UnsuccessfulIn(Schema):
    """Why the lot ends without a winner is stored, audited and published (OCDS award)."""

    lot_id: str
    reason: Annotated[str, Field(min_length=3, max_length=2000), CleanText]


# --- output ---------------------------------------------------------------------------


class LotOut(Schema):
    """A lot; `cpv_codes`, `places` and `award_criteria` are null when they are the tender's."""

    id: str
    number: int
    title: str
    description: str
    estimated_value: Money | None
    decision: Literal["awarded", "unsuccessful"] | None = None
    decision_reason: str | None = None
    cpv_codes: list[str] | None = None
    places: list[dict[str, Any]] | None = None
    award_criteria: list[dict[str, Any]] | None = None
    framework: dict[str, Any] | None = None
    dps: dict[str, Any] | None = None
    eauction: dict[str, Any] | None = None
    options: dict[str, Any] | None = None
    renewals: dict[str, Any] | None = None
    period: dict[str, Any] | None = None
    documents_url: str | None = None
    notice_lot_id: str | None = None


class NoticeOut(Schema):
    """A TED notice an imported tender was built from."""

    notice_id: str
    publication_number: str | None
    ted_url: str | None
    format: str
    kind: str
    publication_date: date | None


class ShareOut(Schema):
    lot: int
    quantity: Decimal | None = None
    unit: str | None = None
    value: Money | None = None


class BuyerOut(Schema):
    organisation_id: str
    name: str
    kind: str
    buyer_type: str | None
    is_lead: bool
    verified: bool
    confirmed: bool
    confirmed_at: datetime | None
    shares: list[ShareOut]


class AmendmentOut(Schema):
    id: str
    number: int
    rationale: str
    changes: dict[str, Any]
    created_at: datetime


class QuestionOut(Schema):
    """The asker is never part of the output, for anyone."""

    id: str
    text: str
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None


class PublicationProblem(Schema):
    """What still stands between a draft and its publication (publication's own checks)."""

    field: str
    message: str


class TenderOut(Schema):
    id: str
    ocid: str
    status: OcdsStatus
    stage: Stage
    lead_buyer_id: str
    title: str
    description: str
    procedure: AnyProcedure
    procedure_details: dict[str, Any] | None = None
    themes: list[str]
    cpv_codes: list[str]
    nuts_codes: list[str]
    lots: list[LotOut]
    lot_rules: dict[str, Any] | None = None
    buyers: list[BuyerOut]
    required_standards: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    award_criteria: list[dict[str, Any]]
    clarification_deadline: datetime | None
    submission_deadline: datetime | None
    estimated_value: Money | None = None
    documents_url: str | None = None
    contract_nature: str | None = None
    language: str = "en"
    imported: bool = False
    notices: list[NoticeOut] = []
    created_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str | None
    amendments: list[AmendmentOut] = []
    # Its published documents, current versions (tender, lots, awards; never a sealed
    # response's attachment): what `GET /api/v1/tenders/{id}/documents` lists.
    documents: list[DocumentOut] = []
    # The actions the caller may take on the tender now, decided by the tender policy: a
    # client shows what it may do without trying. Refused ones are absent.
    actions: list[TenderAction] = []
    # While planning: publication's checks run at every save, so a client sees at once what
    # is missing or too early instead of learning it when publishing.
    publication_problems: list[PublicationProblem] = []


class TenderSummaryOut(Schema):
    id: str
    ocid: str
    status: OcdsStatus
    stage: Stage
    lead_buyer_id: str
    title: str
    procedure: AnyProcedure
    themes: list[str]
    submission_deadline: datetime | None
    published_at: datetime | None
    imported: bool = False


class ResponseOut(Schema):
    id: str
    tender_id: str
    organisation_id: str
    organisation_name: str
    lot_ids: list[str]
    listing_id: str | None
    price: Money
    technical_summary: str
    outcome_commitments: list[dict[str, Any]]
    standards: list[dict[str, Any]]
    submitted_at: datetime
    updated_at: datetime
    scores: dict[str, Any] | None
    weighted_total: Decimal | None


class ScoreOut(Schema):
    response_id: str
    scores: dict[str, int]
    weighted_total: Decimal


class DecisionOut(Schema):
    id: str
    tender_id: str
    lot_id: str
    outcome: Literal["awarded", "unsuccessful"]
    response_id: str | None
    supplier_id: str | None
    value: Money | None
    reason: str | None = None
    decided_at: datetime
    tender_status: OcdsStatus


class AuditOut(Schema):
    id: str
    at: datetime
    action: str
    organisation_id: str | None
    organisation_name: str | None
    user_name: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class BulkFileOut(Schema):
    year: int
    releases: int
    json_url: str  # one OCDS release package
    jsonl_url: str  # JSON Lines: one release per line
