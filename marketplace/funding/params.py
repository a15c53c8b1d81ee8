"""Request parsing and responses shared by the funding API and pages (so the pages need not
import the API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from marketplace.errors import Invalid
from marketplace.funding import services
from marketplace.reference import vocabularies as vocab

AMOUNT_LIMIT = 10**14


def call_filters(
    status: str | None,
    theme: list[str] | None,
    instrument: str | None,
    country: str | None,
    amount_min: Decimal | None,
    amount_max: Decimal | None,
    deadline_after: date | None,
    deadline_before: date | None,
    organisation_id: str | None = None,
    q: str | None = None,
) -> services.CallFilters:
    """Shared by the API and the browse page: unknown codes are 422s naming the parameter."""
    themes = [vocab.check_theme(t, "theme") for t in theme or [] if t]
    for name, bound in (("amount_min", amount_min), ("amount_max", amount_max)):
        # Amounts are Numeric(16, 2): a bound beyond it is no amount (PostgreSQL would
        # refuse to compare with it).
        # NaN and Infinity are no amounts either (comparing a Decimal NaN raises).
        if bound is not None and not bound.is_finite():
            raise Invalid.field(name, "must be a number")
        if bound is not None and not abs(bound) < AMOUNT_LIMIT:
            raise Invalid.field(name, f"must be less than {AMOUNT_LIMIT:,}")
    return services.CallFilters(
        status=status or None,
        themes=themes,
        instrument=instrument or None,
        country=vocab.check_country(country, "country") if country else None,
        amount_min=amount_min,
        amount_max=amount_max,
        deadline_after=deadline_after,
        deadline_before=deadline_before,
        organisation_id=organisation_id or None,
        q=q or None,
    )
