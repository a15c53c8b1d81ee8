"""Shapes shared by every package's API: pages of results, money, validated vocabulary fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from marketplace.core.inputs import CleanLine, CleanText, Instant, Line, Text
from marketplace.errors import DomainError, Sentence
from marketplace.reference import vocabularies as vocab

__all__ = ["CleanLine", "CleanText", "Instant", "Line", "Patch", "Schema", "Text"]

T = TypeVar("T")


class Schema(BaseModel):
    # NaN and ±Infinity (and -1e400, which JSON decoding turns into -inf) are never amounts,
    # quantities or targets: refused in every float and Decimal of every schema.
    model_config = ConfigDict(from_attributes=True, str_strip_whitespace=True, allow_inf_nan=False)


class Patch(Schema):
    """A partial update: a field left out stays as it is. `null` clears only the fields
    named in `clearable` (optional in the data); for any other field it would try to store
    nothing in a required column, so it is refused with a 422 naming the field."""

    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_clearable(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise ValueError("must not be null (leave the field out to keep it as it is)")
        return value


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


def _vocabulary(check: object) -> AfterValidator:
    def validate(value: str) -> str:
        try:
            return check(value)  # type: ignore[operator,no-any-return]
        except DomainError as error:
            if not error.errors:
                raise Sentence(error.detail) from None
            first = error.errors[0]
            raise Sentence(first.key, **first.params) from None

    return AfterValidator(validate)


CountryCode = Annotated[str, _vocabulary(vocab.check_country)]
NutsCode = Annotated[str, _vocabulary(vocab.check_nuts)]
CurrencyCode = Annotated[str, _vocabulary(vocab.check_currency)]
ThemeCode = Annotated[str, _vocabulary(vocab.check_theme)]
CpvCode = Annotated[str, _vocabulary(vocab.canonical_cpv)]


# --- an outcome KPI: one definition of its parts --------------------------------------

KpiMetric = Annotated[str, Field(min_length=1, max_length=200), CleanLine]
KpiUnit = Annotated[str, Field(max_length=50), CleanLine]
RequiredUnit = Annotated[str, Field(min_length=1, max_length=50), CleanLine]
KpiMonths = Annotated[int, Field(ge=1, le=240)]
KpiVerification = Annotated[str, Field(max_length=1000), CleanText]
RequiredVerification = Annotated[str, Field(min_length=1, max_length=1000), CleanText]


class OutcomeKpi(Schema):
    """A measurable outcome: a metric moving from `baseline` to `target` within a timeframe,
    checked as `verification` says. A tender asks for it, a listing promises it, a funding
    call expects it, and matching compares them, so the parts are defined once (decimals,
    never floats: `0.1 + 0.2` is not a target anyone set). What a context requires beyond the
    metric and the target is its subclass's business (`PromisedOutcome`, `ExpectedOutcome`).
    Stored as JSON with `model_dump(mode="json")`: numbers as decimal strings, like money."""

    metric: KpiMetric
    unit: KpiUnit = ""
    baseline: Decimal | None = None
    target: Decimal
    timeframe_months: KpiMonths | None = None
    verification: KpiVerification = ""


class PromisedOutcome(OutcomeKpi):
    """What an SME promises in a listing: a unit, a timeframe and how it will be verified,
    because a city will hold it to them."""

    unit: RequiredUnit
    timeframe_months: KpiMonths
    verification: RequiredVerification


class ExpectedOutcome(OutcomeKpi):
    """What a funding call expects its project to reach: a unit and a timeframe, so that a
    funder can weigh it."""

    unit: RequiredUnit
    timeframe_months: KpiMonths


class Money(Schema):
    """Money travels as a decimal string with its ISO 4217 currency."""

    amount: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
    currency: CurrencyCode

    def as_json(self) -> dict[str, str]:
        return {"amount": f"{self.amount:.2f}", "currency": self.currency}
