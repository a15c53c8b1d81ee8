"""The order and milestone policy: on orders built in memory (no database), and the admin's
overview refused through the read model, not by the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, Forbidden
from marketplace.payments import reads
from marketplace.payments.models import OrderBuyer, OrderMilestone, PilotOrder
from marketplace.payments.policies import (
    MILESTONE_ACTIONS,
    ORDER_ACTIONS,
    milestone_actions,
    order_actions,
)

CITY = Actor("u1", "c@example.eu", "City", roles={"city": "editor"}, kinds={"city": "city"})
PARTNER = Actor("u2", "p@example.eu", "Partner", roles={"partner": "owner"},
                kinds={"partner": "city"})  # fmt: skip
SME = Actor("u3", "s@example.eu", "Supplier", roles={"sme": "owner"}, kinds={"sme": "sme"})
ADMIN = Actor("u4", "a@example.eu", "Admin", is_admin=True)


def _order(status: str = "awaiting_payment", mode: str = "offline",
           milestones: tuple[str, ...] = ("pending",),
           shares: tuple[tuple[str, int], ...] = (("city", 10_000),)) -> PilotOrder:  # fmt: skip
    return PilotOrder(
        id="o1", supplier_id="sme", buyer_id="city", status=status, mode=mode,
        buyers=[OrderBuyer(position=i, organisation_id=o, share_bps=bps, amount_minor=bps)
                for i, (o, bps) in enumerate(shares)],
        milestones=[
            OrderMilestone(id=f"m{i}", position=i, status=s, amount_minor=100, fee_minor=0)
            for i, s in enumerate(milestones)
        ],
    )  # fmt: skip


def _allowed(actor: Actor, order: PilotOrder, refund_due: int = 0) -> set[str]:
    return set(order_actions(actor, order, refund_due=refund_due))


class TestOrderActions:
    def test_the_policy_decides_every_action_it_lists(self) -> None:
        order = _order()
        assert set(order_actions(ADMIN, order, refund_due=0).verdicts) == set(ORDER_ACTIONS)
        assert set(milestone_actions(ADMIN, order, order.milestones[0]).verdicts) == set(
            MILESTONE_ACTIONS
        )

    def test_offline_the_admin_records_the_payment_and_the_city_may_cancel(self) -> None:
        order = _order()
        assert _allowed(ADMIN, order) == {"record_payment"}
        assert _allowed(CITY, order) == {"cancel"}  # pays by bank transfer, not here
        assert _allowed(PARTNER, order) == _allowed(SME, order) == set()

    def test_on_stripe_the_city_pays_and_nobody_records_money_by_hand(self) -> None:
        order = _order(mode="stripe")
        assert _allowed(CITY, order) == {"pay", "cancel"}
        refusal = order_actions(ADMIN, order, refund_due=0).refusal("record_payment")
        assert refusal is not None and refusal.error is Conflict

    def test_in_a_joint_order_each_city_pays_its_own_share_and_only_the_lead_cancels(
        self,
    ) -> None:
        order = _order(mode="stripe", shares=(("city", 6_000), ("partner", 4_000)))
        assert _allowed(CITY, order) == {"pay", "cancel"}
        assert _allowed(PARTNER, order) == {"pay"}
        assert _allowed(SME, order) == set()
        order.buyers[1].paid_at = datetime(2026, 12, 2, tzinfo=UTC)
        assert _allowed(PARTNER, order) == set()
        assert order_actions(PARTNER, order, refund_due=0).reason("pay") == (
            "Your city's share is paid; the order waits for the other cities' shares."
        )
        assert _allowed(CITY, order) == {"pay", "cancel"}

    def test_a_paid_order_is_cancelled_only_while_something_is_left_to_refund(self) -> None:
        assert "cancel" in _allowed(CITY, _order("paid", milestones=("accepted", "reported")))
        done = order_actions(CITY, _order("paid", milestones=("accepted", "paid")), refund_due=0)
        assert "cancel" not in done
        assert done.reason("cancel") == (
            "Every milestone is already accepted or paid: nothing to cancel."
        )

    def test_the_admin_records_a_refund_only_when_one_is_due(self) -> None:
        order = _order("refunding", milestones=("refunded",))
        assert "record_refund" not in _allowed(ADMIN, order, refund_due=0)
        assert "record_refund" in _allowed(ADMIN, order, refund_due=100)
        assert "record_refund" not in _allowed(CITY, order, refund_due=100)


class TestMilestoneActions:
    def _allowed(self, actor: Actor, order: PilotOrder, n: int = 0) -> set[str]:
        return set(milestone_actions(actor, order, order.milestones[n]))

    def test_the_sme_reports_and_the_ordering_city_decides(self) -> None:
        order = _order("paid", milestones=("pending", "reported"))
        assert self._allowed(SME, order, 0) == {"report"}
        assert self._allowed(CITY, order, 1) == {"accept", "dispute"}
        assert self._allowed(PARTNER, order, 1) == self._allowed(ADMIN, order, 1) == set()

    def test_only_the_admin_resolves_a_dispute(self) -> None:
        order = _order("paid", milestones=("disputed",))
        assert self._allowed(ADMIN, order) == {"resolve"}
        assert "resolve" not in self._allowed(CITY, order)
        assert self._allowed(SME, order) == {"report"}  # reporting again answers the dispute

    def test_nothing_moves_before_the_order_is_paid(self) -> None:
        order = _order("awaiting_payment", milestones=("reported",))
        assert self._allowed(CITY, order) == self._allowed(SME, order) == set()

    def test_the_admin_records_the_payout_of_an_accepted_offline_milestone(self) -> None:
        assert self._allowed(ADMIN, _order("paid", milestones=("accepted",))) == {"record_payout"}
        on_stripe = _order("paid", mode="stripe", milestones=("accepted",))
        assert self._allowed(ADMIN, on_stripe) == set()


class TestOverview:
    async def test_only_the_admin_reads_the_payments_overview(self, db: AsyncSession) -> None:
        with pytest.raises(Forbidden, match="payments overview is for the platform admin"):
            await reads.overview(db, CITY)
        overview = await reads.overview(db, ADMIN)
        assert overview.disputed == [] and overview.waiting == []
