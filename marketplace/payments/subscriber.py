"""The payments subscriber: the Stripe work that follows a committed decision.

It receives, from the outbox, at least once each:

- `stripe_event.received`: handle the stored webhook event (once: it is marked processed in
  the transaction that does its work);
- `milestone.accepted`: transfer the milestone's share to the SME's connected account;
- `payment_account.updated`: transfers that waited for the SME's payouts to be enabled;
- `pilot_order.cancelled` and `milestone.refunded`: refund the city.

Each Stripe request carries an idempotency key of the record it is for, and its result is
written in one transaction with the state it changes. A worker killed after Stripe accepted
a transfer but before that transaction committed leaves the delivery unacknowledged: the
retry sends the same request with the same key, Stripe answers with the transfer it already
made, and the ledger records it once. Stripe's outages are `transient` (retried without
counting against the event); anything else is retried with backoff and then parked for an
operator (`marketplace events failed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.core.module import Runtime
from marketplace.payments import events as ev
from marketplace.payments import services, webhooks
from marketplace.payments.gateway import TRANSIENT
from marketplace.payments.models import OrderBuyer, OrderMilestone, PaymentAccount, PilotOrder
from marketplace.payments.services import Payments


class PaymentsSubscriber:
    name = "payments"
    kinds: frozenset[str] | None = frozenset(
        {ev.STRIPE_EVENT_RECEIVED.kind, ev.MILESTONE_ACCEPTED.kind, ev.ACCOUNT_UPDATED.kind,
         ev.ORDER_CANCELLED.kind, ev.MILESTONE_REFUNDED.kind}
    )  # fmt: skip
    transient: tuple[type[BaseException], ...] = TRANSIENT

    def __init__(self, payments: Payments) -> None:
        self.payments = payments

    async def handle(
        self,
        events: Sequence[Event],
        sessions: async_sessionmaker[AsyncSession],
        now: datetime,
    ) -> None:
        for event in events:
            if event.kind == ev.STRIPE_EVENT_RECEIVED.kind:
                async with sessions() as session, session.begin():
                    await webhooks.handle(session, self.payments.gateway, event.subject_id, now)
            elif event.kind == ev.MILESTONE_ACCEPTED.kind:
                await self.pay_milestone(sessions, str(event.data["milestone_id"]), now)
            elif event.kind == ev.ACCOUNT_UPDATED.kind and event.data.get("payouts_enabled"):
                await self.pay_waiting(sessions, event.subject_id, now)
            elif event.kind == ev.ORDER_CANCELLED.kind:
                await self.refund(sessions, event.subject_id, now)
            elif event.kind == ev.MILESTONE_REFUNDED.kind:
                await self.refund(sessions, event.subject_id, now)

    async def pay_milestone(
        self, sessions: async_sessionmaker[AsyncSession], milestone_id: str, now: datetime
    ) -> str:
        gateway = self.payments.gateway
        async with sessions() as session:
            milestone = await session.get(OrderMilestone, milestone_id)
            if milestone is None or milestone.status != "accepted":
                return "nothing to pay"
            order = await session.get(PilotOrder, milestone.order_id)
            assert order is not None
            if order.mode == "offline" or gateway is None:
                return "offline: the admin records the payout"
            account = await session.get(PaymentAccount, order.supplier_id)
            if account is None or not account.payouts_enabled or not account.stripe_account_id:
                # Paid when Stripe says the SME's payouts are enabled (`pay_waiting`).
                return "waiting for the SME's payouts to be enabled"
            destination = account.stripe_account_id
            amount = milestone.amount_minor - milestone.fee_minor
            key, group = milestone.transfer_key, order.transfer_group
            currency, charge_id, order_id = order.currency, order.charge_id, order.id
            # Paid by several cities, the money came in several charges: the transfer draws on
            # the platform's balance, tied to the order by its transfer group, not on one charge.
            charges = await session.scalar(
                select(func.count(OrderBuyer.id)).where(
                    OrderBuyer.order_id == order.id, OrderBuyer.charge_id.is_not(None)
                )
            )
            if (charges or 0) > 1:
                charge_id = None
        reference = f"{key}:none"
        if amount > 0:
            reference = await gateway.create_transfer(
                key=key, amount=amount, currency=currency, destination=destination,
                transfer_group=group, source_transaction=charge_id,
                metadata={"order_id": order_id, "milestone_id": milestone_id},
            )  # fmt: skip
        async with sessions() as session, session.begin():
            locked = await services.load_order(session, order_id, lock=True)
            target = next(m for m in locked.milestones if m.id == milestone_id)
            if target.status != "accepted":
                return "already recorded"
            await services.record_transfer(session, locked, target, reference, now)
        return reference

    async def pay_waiting(
        self, sessions: async_sessionmaker[AsyncSession], organisation_id: str, now: datetime
    ) -> None:
        async with sessions() as session:
            waiting = list(
                await session.scalars(
                    select(OrderMilestone.id)
                    .join(PilotOrder, PilotOrder.id == OrderMilestone.order_id)
                    .where(
                        PilotOrder.supplier_id == organisation_id,
                        PilotOrder.mode == "stripe",
                        OrderMilestone.status == "accepted",
                    )
                    .order_by(OrderMilestone.accepted_at, OrderMilestone.id)
                )
            )
        for milestone_id in waiting:
            await self.pay_milestone(sessions, milestone_id, now)

    async def refund(
        self, sessions: async_sessionmaker[AsyncSession], order_id: str, now: datetime
    ) -> str:
        """Refund whatever is due on the order in one Stripe refund, keyed by what has been
        refunded so far: the same due amount after a crash is the same request."""
        gateway = self.payments.gateway
        async with sessions() as session:
            order = await services.load_order(session, order_id)
            if order.mode == "offline" or gateway is None:
                return "offline: the admin records the refund"
            due = await services.refund_due(session, order)
            done = (await services.balances(session, order.id)).refunded
            parts = services.refund_parts(order, due)
            if not parts:
                return "nothing to refund"
            charges = {b.position: b.charge_id for b in order.buyers}
        # One refund per city that paid, its part of what is due by its share; every request
        # is keyed by what was refunded before this round, so a retry after a crash asks the
        # same refunds again (Stripe answers the ones it made) and records them once.
        refunds = []
        for position, intent, amount in parts:
            suffix = "" if len(parts) == 1 and position == 0 else f"-share-{position}"
            refund_id = await gateway.create_refund(
                key=f"order-{order_id}-refund-after-{done}{suffix}", payment_intent=intent,
                amount=amount, metadata={"order_id": order_id},
            )  # fmt: skip
            refunds.append((refund_id, amount, charges.get(position)))
        async with sessions() as session, session.begin():
            locked = await services.load_order(session, order_id, lock=True)
            for refund_id, amount, charge_id in refunds:
                await services.record_refund(session, locked, refund_id, amount, now,
                                             charge_id=charge_id)  # fmt: skip
        return ", ".join(r for r, _, _ in refunds)


def subscriber(runtime: Runtime) -> PaymentsSubscriber:
    payments: Payments = runtime.service("payments")
    return PaymentsSubscriber(payments)
