"""Input and output shapes of the funding API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, field_validator

from marketplace.errors import Sentence
from marketplace.schemas import (
    CleanLine,
    CleanText,
    CountryCode,
    CurrencyCode,
    ExpectedOutcome,
    Instant,
    Money,
    NutsCode,
    Patch,
    Schema,
    ThemeCode,
)

Instrument = Literal["grant", "loan", "equity", "guarantee", "blended"]
CallStatus = Literal["draft", "open", "closed"]
# The orders of a list of calls (`?sort=`): open ones closing soonest first, the most
# recently published, by title, the largest amount sought.
CallSort = Literal["deadline", "newest", "title", "value"]
InterestStatus = Literal["pending", "accepted", "declined", "withdrawn"]

# NUMERIC values live as REAL on SQLite: below 10^12 every cent survives the round trip.
MAX_AMOUNT = Decimal("999999999999.99")
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, max_digits=14, decimal_places=2)]
Text200 = Annotated[str, Field(min_length=1, max_length=200), CleanLine]


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount.quantize(Decimal("0.01")), currency=currency)


class PositiveMoney(Money):
    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("must be more than zero")
        if value > MAX_AMOUNT:
            raise Sentence("must be at most %(max)s", max=MAX_AMOUNT)
        return value


Outcome = ExpectedOutcome


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class FundingCallIn(Schema):
    organisation_id: str
    partner_ids: list[str] = []
    title: Annotated[str, Field(min_length=3, max_length=200), CleanLine]
    summary: Annotated[str, Field(min_length=1, max_length=500), CleanText]
    description: Annotated[str, Field(max_length=20000), CleanText] = ""
    themes: Annotated[list[ThemeCode], Field(min_length=1)]
    amount_sought: PositiveMoney
    co_financing_percent: Percent | None = None
    instruments: Annotated[list[Instrument], Field(min_length=1)]
    outcomes: Annotated[list[Outcome], Field(max_length=20)] = []
    standards: Annotated[list[str], Field(max_length=30)] = []
    tender_ids: Annotated[list[UUID], Field(max_length=20)] = []
    deadline: Instant

    @field_validator("partner_ids", "themes", "instruments", "standards")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return _unique(value)


class FundingCallUpdate(Patch):
    """Partial update of a draft; partners are managed through their own endpoints.
    `null` clears the co-financing share."""

    clearable = frozenset({"co_financing_percent"})

    title: Annotated[str | None, Field(min_length=3, max_length=200), CleanLine] = None
    summary: Annotated[str | None, Field(min_length=1, max_length=500), CleanText] = None
    description: Annotated[str | None, Field(max_length=20000), CleanText] = None
    themes: Annotated[list[ThemeCode] | None, Field(min_length=1)] = None
    amount_sought: PositiveMoney | None = None
    co_financing_percent: Percent | None = None
    instruments: Annotated[list[Instrument] | None, Field(min_length=1)] = None
    outcomes: Annotated[list[Outcome] | None, Field(max_length=20)] = None
    standards: Annotated[list[str] | None, Field(max_length=30)] = None
    tender_ids: Annotated[list[UUID] | None, Field(max_length=20)] = None
    deadline: Instant | None = None

    @field_validator("themes", "instruments", "standards")
    @classmethod
    def _dedupe(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique(value)


class PartnerIn(Schema):
    organisation_id: str


class PartnerOut(Schema):
    organisation_id: str
    name: str
    country: str
    nuts_code: str | None
    confirmed: bool
    confirmed_at: datetime | None


class NamedFunder(Schema):
    organisation_id: str
    name: str
    amount: Money
    instrument: Instrument


# The actions a call lists for its reader (marketplace.funding.policies.ACTIONS).
CallAction = Literal[
    "workspace", "edit", "invite", "publish", "close", "decide", "express_interest"
]


class FundingCallOut(Schema):
    id: str
    organisation_id: str
    organisation_name: str
    partners: list[PartnerOut]
    title: str
    summary: str
    description: str
    themes: list[str]
    amount_sought: Money
    co_financing_percent: Decimal | None
    instruments: list[Instrument]
    outcomes: list[Outcome]
    standards: list[str]
    tender_ids: list[str]
    deadline: datetime
    status: CallStatus
    closed_reason: Literal["deadline", "closed_by_city"] | None
    published_at: datetime | None
    closed_at: datetime | None
    pledged_total: Money
    pledged_percent: Decimal
    named_funders: list[NamedFunder]
    created_at: datetime
    updated_at: datetime
    # What the caller may do with the call now (funding.policies.call_actions).
    actions: list[CallAction] = []
    # Offered = pending and accepted interests; accepted = pledged_total. Offers may add up
    # to more than the call seeks ("oversubscribed", a state), acceptances never do.
    offered_total: Money | None = None
    funding_state: Literal["seeking", "oversubscribed", "fully_funded"] = "seeking"


class InterestIn(Schema):
    organisation_id: str
    amount: PositiveMoney
    instrument: Instrument
    conditions: Annotated[str, Field(max_length=5000), CleanText] = ""
    message: Annotated[str, Field(max_length=5000), CleanText] = ""
    named_publicly: bool = False


class InterestUpdate(Schema):
    """A funder's change to its pending interest; omitted fields stay as they are."""

    amount: PositiveMoney | None = None
    instrument: Instrument | None = None
    conditions: Annotated[str | None, Field(max_length=5000)] = None
    message: Annotated[str | None, Field(max_length=5000)] = None
    named_publicly: bool | None = None


class InterestOut(Schema):
    id: str
    call_id: str
    call_title: str
    organisation_id: str
    funder_name: str
    amount: Money
    instrument: Instrument
    conditions: str
    message: str
    named_publicly: bool
    status: InterestStatus
    decision_note: str
    decided_at: datetime | None
    created_at: datetime


class DecisionIn(Schema):
    note: Annotated[str, Field(max_length=2000), CleanText] = ""


class FunderProfileIn(Schema):
    themes: list[ThemeCode] = []
    instruments: list[Instrument] = []
    ticket_min: Amount | None = None
    ticket_max: Amount | None = None
    currency: CurrencyCode = "EUR"
    countries: list[CountryCode] = []
    nuts_codes: list[NutsCode] = []
    min_co_financing_percent: Percent | None = None

    @field_validator("themes", "instruments", "countries", "nuts_codes")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return _unique(value)


class FunderProfileOut(Schema):
    organisation_id: str
    organisation_name: str
    themes: list[str]
    instruments: list[Instrument]
    ticket_min: Money | None
    ticket_max: Money | None
    currency: str
    countries: list[str]
    nuts_codes: list[str]
    min_co_financing_percent: Decimal | None
    updated_at: datetime | None


class FitReasonOut(Schema):
    criterion: Literal["words", "themes", "instrument", "amount", "region", "co_financing"]
    matched: bool
    points: int
    detail: str


class FitOut(Schema):
    call_id: str
    title: str
    organisation_name: str
    amount_sought: Money
    deadline: datetime
    score: int
    reasons: list[FitReasonOut]


class ShortlistIn(Schema):
    note: Annotated[str, Field(max_length=5000), CleanText] = ""


class ShortlistOut(Schema):
    call_id: str
    title: str
    organisation_name: str
    status: CallStatus
    deadline: datetime
    amount_sought: Money
    pledged_total: Money
    note: str
    created_at: datetime
    updated_at: datetime
