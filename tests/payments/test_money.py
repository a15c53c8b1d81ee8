"""Amounts are exact: any split of any price into milestones pays out exactly the price,
the platform's fee included, to the smallest unit of the currency."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.payments import money


@st.composite
def shares(draw: st.DrawFn) -> list[int]:
    """1 to 20 positive shares in basis points summing to 100 %."""
    n = draw(st.integers(1, 20))
    cuts = sorted(draw(st.lists(st.integers(1, money.BPS - 1), min_size=n - 1,
                                max_size=n - 1, unique=True)))  # fmt: skip
    bounds = [0, *cuts, money.BPS]
    return [b - a for a, b in itertools.pairwise(bounds)]


@given(total=st.integers(1, 10**12), parts=shares(), fee_bps=st.integers(0, money.BPS))
def test_any_split_of_any_price_pays_out_exactly_the_price(
    total: int, parts: list[int], fee_bps: int
) -> None:
    payouts = money.payouts(total, parts, fee_bps)
    assert sum(p.transfer + p.fee for p in payouts) == total
    assert all(0 <= p.fee <= p.amount for p in payouts)
    for payout, share in zip(payouts, parts, strict=True):
        # Never a whole unit away from the exact share.
        assert abs(Decimal(payout.amount) - Decimal(total) * share / money.BPS) < 1


def test_the_leftover_cents_go_to_the_largest_remainders() -> None:
    # 100.00 EUR in three equal-ish thirds: 33.34 + 33.33 + 33.33.
    assert money.split(10000, [3334, 3333, 3333]) == [3334, 3333, 3333]
    assert money.split(100, [3333, 3333, 3334]) == [33, 33, 34]
    assert money.split(1, [5000, 5000]) == [1, 0]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("12.50", "EUR", 1250), ("500", "JPY", 500), ("1.230", "KWD", 1230), ("0.01", "SEK", 1)],
)
def test_minor_units_follow_the_currency(amount: str, currency: str, minor: int) -> None:
    assert money.to_minor(Decimal(amount), currency) == minor
    assert money.from_minor(minor, currency) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency"), [("12.505", "EUR"), ("10.5", "JPY"), ("1.235", "KWD")]
)
def test_amounts_finer_than_the_currency_are_refused(amount: str, currency: str) -> None:
    with pytest.raises(money.AmountError):
        money.to_minor(Decimal(amount), currency)


def test_the_fee_rounds_half_to_even() -> None:
    assert money.fee(5000, 250) == 125  # 2.5 % of 50.00
    assert money.fee(50, 100) == 0  # 0.5 cent → 0
    assert money.fee(150, 100) == 2  # 1.5 cent → 2
    with pytest.raises(ValueError, match="basis points"):
        money.fee(100, 10001)
