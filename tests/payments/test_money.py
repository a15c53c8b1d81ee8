"""Amounts are exact: any split of any price into milestones pays out exactly the price,
the platform's fee included, to the smallest unit of the currency."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.payments import money, services


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


@st.composite
def _joint_orders(draw: st.DrawFn) -> tuple[Any, int]:
    """A joint order of 1-5 cities, some of whose payments are in (and partly refunded),
    and an amount due back."""
    from datetime import UTC, datetime

    from marketplace.payments.models import OrderBuyer, PilotOrder

    price = draw(st.integers(min_value=1, max_value=10**9))
    cuts = sorted(draw(st.lists(st.integers(1, money.BPS - 1), max_size=4, unique=True)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, money.BPS], strict=True)]
    amounts = money.split(price, shares)
    buyers = []
    for i, (share, amount) in enumerate(zip(shares, amounts, strict=True)):
        paid = draw(st.booleans()) if len(shares) > 1 else True
        refunded = draw(st.integers(0, amount)) if paid else 0
        buyers.append(OrderBuyer(
            position=i, organisation_id=f"city{i}", share_bps=share, amount_minor=amount,
            payment_intent_id=f"pi_{i}" if paid else None, refunded_minor=refunded,
            paid_at=datetime(2026, 12, 2, tzinfo=UTC) if paid else None,
        ))  # fmt: skip
    order = PilotOrder(id="o1", buyer_id="city0", amount_minor=price, buyers=buyers)
    return order, draw(st.integers(0, price))


@given(_joint_orders())
def test_refunds_of_a_joint_order_go_back_to_each_payment_never_more_than_it_has_left(
    case: tuple[Any, int],
) -> None:
    order, due = case
    parts = services.refund_parts(order, due)
    left = {b.position: b.amount_minor - b.refunded_minor for b in order.buyers if b.paid_at}
    assert sum(amount for _, _, amount in parts) == min(due, sum(left.values()))
    for position, intent, amount in parts:
        assert 0 < amount <= left[position] and intent == f"pi_{position}"
    if all(b.paid_at for b in order.buyers) and all(b.refunded_minor == 0 for b in order.buyers):
        # Nothing refunded yet and every city paid: by the shares, to the unit.
        exact = money.split(due, [b.share_bps for b in order.buyers])
        assert {p: a for p, _, a in parts} == {i: a for i, a in enumerate(exact) if a}
