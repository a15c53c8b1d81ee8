"""Shapes shared by every package's API: pages of results, money, validated vocabulary fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from marketplace.errors import DomainError
from marketplace.reference import vocabularies as vocab

T = TypeVar("T")


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True, str_strip_whitespace=True)


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
            raise ValueError(error.errors[0].message if error.errors else error.detail) from None

    return AfterValidator(validate)


CountryCode = Annotated[str, _vocabulary(vocab.check_country)]
NutsCode = Annotated[str, _vocabulary(vocab.check_nuts)]
CurrencyCode = Annotated[str, _vocabulary(vocab.check_currency)]
ThemeCode = Annotated[str, _vocabulary(vocab.check_theme)]
CpvCode = Annotated[str, _vocabulary(vocab.canonical_cpv)]


class Money(Schema):
    """Money travels as a decimal string with its ISO 4217 currency."""

    amount: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
    currency: CurrencyCode

    def as_json(self) -> dict[str, str]:
        return {"amount": f"{self.amount:.2f}", "currency": self.currency}
