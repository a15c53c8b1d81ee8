"""Money in integer minor units: conversions, splits and fees that are exact to the cent.

Every amount the payments package stores or sends to Stripe is an `int` of the currency's
minor unit (cents for EUR, yen for JPY): Stripe's API takes amounts so, and integers add up
exactly on both databases. Decimal strings exist only at the edges (the API, pages).

The exponent per currency is Stripe's, which follows ISO 4217 except where Stripe says
otherwise (https://docs.stripe.com/currencies): its zero-decimal currencies take the amount
in the major unit, and its three-decimal ones require the last digit to be 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

# Stripe's zero-decimal currencies (docs.stripe.com/currencies#zero-decimal).
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND",
     "VUV", "XAF", "XOF", "XPF"}
)  # fmt: skip
# Three-decimal currencies: sent with three digits, the last one 0 (docs.stripe.com/currencies).
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
BPS = 10_000  # basis points in a whole
HUNDRED = Decimal(100)


def exponent(currency: str) -> int:
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


class AmountError(ValueError):
    """An amount that the currency cannot carry (too many decimals for it)."""


def to_minor(amount: Decimal, currency: str) -> int:
    """`Decimal("12.50")`, EUR → 1250; refuses an amount finer than the currency's unit."""
    places = exponent(currency)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        unit = "whole units" if places == 0 else f"{places} decimals"
        raise AmountError(f"{currency.upper()} amounts have at most {unit}")
    minor = int(scaled)
    if places == 3 and minor % 10:
        raise AmountError(f"{currency.upper()} amounts must end in 0 (a Stripe rule)")
    return minor


def from_minor(minor: int, currency: str) -> Decimal:
    places = exponent(currency)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def format_amount(minor: int, currency: str) -> str:
    """The decimal string the API shows: 1250, EUR → "12.50"; 500, JPY → "500"."""
    return f"{from_minor(minor, currency)}"


def split(total: int, shares_bps: Sequence[int]) -> list[int]:
    """Split `total` minor units by shares in basis points (summing to 10 000): each part
    is rounded down, then the units left over go to the largest remainders (ties to the
    earlier part), so the parts always add up to `total` and none is a unit or more away
    from its exact share (the largest remainder method). Integers only: nothing to round."""
    if sum(shares_bps) != BPS or any(s < 0 for s in shares_bps):
        raise ValueError("shares must be non-negative and sum to 100 %")
    parts = [total * share // BPS for share in shares_bps]
    remainders = [total * share % BPS for share in shares_bps]
    left = total - sum(parts)
    order = sorted(range(len(shares_bps)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def percent_to_bps(percent: Decimal) -> int:
    """`Decimal("33.33")` → 3333; refuses finer than a hundredth of a percent."""
    scaled = percent * HUNDRED
    if scaled != scaled.to_integral_value():
        raise AmountError("a share has at most two decimals")
    return int(scaled)


def bps_to_percent(bps: int) -> Decimal:
    return (Decimal(bps) / HUNDRED).quantize(Decimal("0.01"))


def fee(amount: int, fee_bps: int) -> int:
    """The platform's fee on a transfer of `amount`, rounded half to even to the unit."""
    if not 0 <= fee_bps <= BPS:
        raise ValueError("a fee is 0 to 10000 basis points")
    return int((Decimal(amount) * fee_bps / BPS).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Payout:
    """One milestone's money: what it is worth, the platform's fee, what the SME receives."""

    amount: int
    fee: int

    @property
    def transfer(self) -> int:
        return self.amount - self.fee


def payouts(total: int, shares_bps: Sequence[int], fee_bps: int) -> list[Payout]:
    return [Payout(part, fee(part, fee_bps)) for part in split(total, shares_bps)]
