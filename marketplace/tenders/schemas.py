"""Input and output shapes of the tenders API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, HttpUrl, field_validator, model_validator

from marketplace.schemas import CpvCode, Money, NutsCode, Schema, ThemeCode

Procedure = Literal[
    "open", "restricted", "competitive_dialogue", "innovation_partnership", "pcp", "ppi"
]
Stage = Literal["planning", "active", "evaluation", "complete", "cancelled", "unsuccessful"]
OcdsStatus = Literal["planning", "active", "complete", "cancelled", "unsuccessful"]
Title = Annotated[str, Field(min_length=3, max_length=300)]
LongText = Annotated[str, Field(max_length=20000)]


class LotIn(Schema):
    title: Title
    description: LongText = ""
    estimated_value: Money


class ShareIn(Schema):
    """A city's share of one lot: a quantity (with its unit) or a value, or both."""

    lot: Annotated[int, Field(ge=1, description="The lot number (1 for the first lot)")]
    quantity: Annotated[Decimal | None, Field(gt=0, max_digits=16, decimal_places=3)] = None
    unit: Annotated[str | None, Field(max_length=40)] = None
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


class RequiredStandardIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60)]
    mandatory: bool = True


class OutcomeIn(Schema):
    metric: Annotated[str, Field(min_length=2, max_length=200)]
    unit: Annotated[str, Field(max_length=40)] = ""
    baseline: Decimal | None = None
    target: Decimal
    timeframe_months: Annotated[int | None, Field(ge=1, le=240)] = None
    verification: Annotated[str, Field(max_length=1000)] = ""


class CriterionIn(Schema):
    name: Annotated[str, Field(min_length=2, max_length=100)]
    weight: Annotated[int, Field(ge=1, le=100)]


def _criteria_rule(value: list[CriterionIn]) -> list[CriterionIn]:
    names = [c.name.casefold() for c in value]
    if len(set(names)) != len(names):
        raise ValueError("criterion names must be unique")
    total = sum(c.weight for c in value)
    if value and total != 100:
        raise ValueError(f"weights must sum to 100 (they sum to {total})")
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
    clarification_deadline: AwareDatetime | None = None
    submission_deadline: AwareDatetime | None = None

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
    clarification_deadline: AwareDatetime
    submission_deadline: AwareDatetime


class TenderUpdate(TenderFields):
    """While planning the lead buyer edits freely; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)

    procedure: Procedure | None = None
    buyers: list[BuyerIn] | None = None


class AmendmentChanges(TenderFields):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)


class AmendmentIn(Schema):
    rationale: Annotated[str, Field(min_length=5, max_length=5000)]
    changes: AmendmentChanges


class CancelIn(Schema):
    reason: Annotated[str, Field(min_length=5, max_length=5000)]


class QuestionIn(Schema):
    text: Annotated[str, Field(min_length=5, max_length=5000)]
    organisation_id: str | None = None


class AnswerIn(Schema):
    text: Annotated[str, Field(min_length=2, max_length=10000)]


class CommitmentIn(Schema):
    metric: Annotated[str, Field(min_length=2, max_length=200)]
    target: Decimal
    notes: Annotated[str, Field(max_length=2000)] = ""


class ConformanceIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60)]
    evidence_url: HttpUrl | None = None

    @field_validator("evidence_url", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if value == "" else value


class ResponseIn(Schema):
    organisation_id: str
    lot_ids: Annotated[list[str], Field(min_length=1)]
    listing_id: Annotated[str | None, Field(max_length=36)] = None
    price: Money
    technical_summary: Annotated[str, Field(min_length=10, max_length=20000)]
    outcome_commitments: list[CommitmentIn] = []
    standards: list[ConformanceIn] = []


class ResponseUpdate(Schema):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)

    lot_ids: Annotated[list[str] | None, Field(min_length=1)] = None
    listing_id: Annotated[str | None, Field(max_length=36)] = None
    price: Money | None = None
    technical_summary: Annotated[str | None, Field(min_length=10, max_length=20000)] = None
    outcome_commitments: list[CommitmentIn] | None = None
    standards: list[ConformanceIn] | None = None


class ScoresIn(Schema):
    scores: dict[str, Annotated[int, Field(ge=0, le=100)]]


class AwardIn(Schema):
    lot_id: str
    response_id: str
    value: Money


class UnsuccessfulIn(Schema):
    lot_id: str
    reason: Annotated[str, Field(max_length=2000)] = ""


# --- output ---------------------------------------------------------------------------


class LotOut(Schema):
    id: str
    number: int
    title: str
    description: str
    estimated_value: Money
    decision: Literal["awarded", "unsuccessful"] | None = None


class ShareOut(Schema):
    lot: int
    quantity: Decimal | None = None
    unit: str | None = None
    value: Money | None = None


class BuyerOut(Schema):
    organisation_id: str
    name: str
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


class TenderOut(Schema):
    id: str
    ocid: str
    status: OcdsStatus
    stage: Stage
    lead_buyer_id: str
    title: str
    description: str
    procedure: Procedure
    themes: list[str]
    cpv_codes: list[str]
    nuts_codes: list[str]
    lots: list[LotOut]
    buyers: list[BuyerOut]
    required_standards: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    award_criteria: list[dict[str, Any]]
    clarification_deadline: datetime
    submission_deadline: datetime
    created_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str | None
    amendments: list[AmendmentOut] = []


class TenderSummaryOut(Schema):
    id: str
    ocid: str
    status: OcdsStatus
    stage: Stage
    lead_buyer_id: str
    title: str
    procedure: Procedure
    themes: list[str]
    submission_deadline: datetime
    published_at: datetime | None


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
