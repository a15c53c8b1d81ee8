"""Input and output shapes of the listings API (see docs/listings.md for the rules)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, field_validator

from marketplace.schemas import (
    CleanLine,
    CleanText,
    CountryCode,
    CpvCode,
    CurrencyCode,
    Patch,
    PromisedOutcome,
    Schema,
    ThemeCode,
)

ListingStatus = Literal["draft", "published", "archived"]
# The orders of a list of listings (`?sort=`): recently updated (the default), recently
# published, by title, the most mature (technology readiness level) first.
ListingSort = Literal["updated", "newest", "title", "trl"]
PricingModel = Literal["fixed", "subscription", "per_unit", "outcome_based"]
PRICING_MODELS: dict[str, str] = {
    "fixed": "Fixed price",
    "subscription": "Subscription",
    "per_unit": "Per unit",
    "outcome_based": "Outcome-based (part of the price at risk)",
}

Text200 = Annotated[str, Field(min_length=1, max_length=200), CleanLine]
Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Outcome = PromisedOutcome


class Pricing(Schema):
    model: PricingModel
    currency: CurrencyCode
    amount_min: Amount | None = None
    amount_max: Amount | None = None
    # Share of the price paid only when the outcomes are met; outcome_based pricing only.
    at_risk_percent: Annotated[int, Field(ge=0, le=100)] | None = None


class PricingOut(Schema):
    model: PricingModel
    currency: str
    amount_min: str | None = None
    amount_max: str | None = None
    at_risk_percent: int | None = None


class ClaimIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60), CleanLine]
    evidence_url: HttpUrl | None = None

    @field_validator("evidence_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class ClaimOut(Schema):
    code: str
    title: str
    evidence_url: str | None
    claimed_version: str  # the standard's version when the claim was made
    current_version: str


class Reference(Schema):
    city: Text200
    year: Annotated[int, Field(ge=1990, le=2100)]
    description: Annotated[str, Field(min_length=1, max_length=2000), CleanText]


class _ListingFields(Schema):
    @field_validator("themes", "cpv_codes", "countries", check_fields=False)
    @classmethod
    def _dedupe(cls, value: list[str] | None) -> list[str] | None:
        return _unique(value) if value is not None else None


class ListingIn(_ListingFields):
    organisation_id: Annotated[str, Field(min_length=1, max_length=36), CleanLine]
    title: Annotated[str, Field(min_length=3, max_length=200), CleanLine]
    summary: Annotated[str, Field(max_length=500), CleanText] = ""
    description: Annotated[str, Field(max_length=20000), CleanText] = ""
    themes: Annotated[list[ThemeCode], Field(max_length=10)] = []
    cpv_codes: Annotated[list[CpvCode], Field(max_length=30)] = []
    countries: Annotated[list[CountryCode], Field(max_length=60)] = []
    trl: Annotated[int, Field(ge=1, le=9)] | None = None
    outcomes: Annotated[list[Outcome], Field(max_length=20)] = []
    pricing: Pricing | None = None
    standards: Annotated[list[ClaimIn], Field(max_length=60)] = []
    references: Annotated[list[Reference], Field(max_length=20)] = []


class ListingUpdate(_ListingFields, Patch):
    """A partial update: only the fields sent change; `null` clears `trl` and `pricing`."""

    clearable = frozenset({"trl", "pricing"})

    title: Annotated[str, Field(min_length=3, max_length=200), CleanLine] | None = None
    summary: Annotated[str, Field(max_length=500), CleanText] | None = None
    description: Annotated[str, Field(max_length=20000), CleanText] | None = None
    themes: Annotated[list[ThemeCode], Field(max_length=10)] | None = None
    cpv_codes: Annotated[list[CpvCode], Field(max_length=30)] | None = None
    countries: Annotated[list[CountryCode], Field(max_length=60)] | None = None
    trl: Annotated[int, Field(ge=1, le=9)] | None = None
    outcomes: Annotated[list[Outcome], Field(max_length=20)] | None = None
    pricing: Pricing | None = None
    standards: Annotated[list[ClaimIn], Field(max_length=60)] | None = None
    references: Annotated[list[Reference], Field(max_length=20)] | None = None


class ListingOut(Schema):
    id: str
    organisation_id: str
    organisation_name: str
    status: ListingStatus
    title: str
    summary: str
    description: str
    themes: list[str]
    cpv_codes: list[str]
    countries: list[str]
    trl: int | None
    outcomes: list[Outcome]
    pricing: PricingOut | None
    standards: list[ClaimOut]
    references: list[Reference]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    missing_for_publication: list[str] = Field(
        default=[], description="Fields still needed before the listing can be published."
    )
