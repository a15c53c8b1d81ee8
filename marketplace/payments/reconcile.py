"""Reconciliation: the ledger against itself and against Stripe's balance transactions.

Every order's postings must balance (double entry: debits equal credits), what the platform
holds for an order can never be negative, and a closed order holds nothing. With Stripe,
every posting made by a Stripe object (a charge, transfer, refund or dispute) must match one
balance transaction with that object as its `source`, of the same amount (a charge adds to
the platform's balance, the others take from it); and every charge, transfer or refund on
Stripe must be in the ledger. Stripe is read through its API, a page of 100 at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.principal import Actor
from marketplace.errors import Forbidden
from marketplace.payments import money, services
from marketplace.payments.gateway import StripeGateway
from marketplace.payments.models import LedgerEntry, PilotOrder, Reconciliation
from marketplace.payments.schemas import DifferenceOut, ReconciliationOut

# The sign a posting's Stripe object has on the platform balance.
SIGN = {"charge": 1, "transfer": -1, "refund": -1, "dispute": -1, "dispute_reversal": 1}
STRIPE_KINDS = {"charge", "payment", "transfer", "refund", "payment_refund", "adjustment"}
CLOSED = ("completed", "refunded", "cancelled")


@dataclass
class Report:
    checked: int = 0
    stripe_transactions: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)

    def differ(
        self, kind: str, reference: str, detail: str, *, order_id: str | None = None,
        ledger: str | None = None, stripe: str | None = None,
    ) -> None:  # fmt: skip
        self.differences.append(
            {"kind": kind, "reference": reference, "order_id": order_id, "ledger": ledger,
             "stripe": stripe, "detail": detail}
        )  # fmt: skip


Progress = Callable[[str, int], None]  # (what, how many so far)


async def _check_ledger(session: AsyncSession, report: Report, progress: Progress) -> None:
    orders = list(await session.scalars(select(PilotOrder).order_by(PilotOrder.created_at)))
    for n, order in enumerate(orders, 1):
        accounts = await services.account_balances(session, order.id)
        if sum(accounts.values()) != 0:
            report.differ("unbalanced", order.id, "debits and credits differ", order_id=order.id)
        held = accounts.get("held", 0)
        text = money.format_amount(held, order.currency)
        if held < 0:
            report.differ("overdrawn", order.id, f"holds {text} {order.currency}",
                          order_id=order.id)  # fmt: skip
        if order.status in CLOSED and held != 0:
            report.differ("left_over", order.id,
                          f"{order.status} but still holds {text} {order.currency}",
                          order_id=order.id)  # fmt: skip
        progress("orders", n)


async def run(
    sessions: async_sessionmaker[AsyncSession],
    gateway: StripeGateway | None,
    now: datetime,
    progress: Progress | None = None,
) -> Reconciliation:
    tick = progress or (lambda what, n: None)
    report = Report()
    async with sessions() as session:
        await _check_ledger(session, report, tick)
        entries = list(
            await session.scalars(
                select(LedgerEntry)
                .where(LedgerEntry.kind != "fee", ~LedgerEntry.reference.startswith("offline:"))
                .order_by(LedgerEntry.id)
            )
        )
    report.checked = len(entries)
    if gateway is not None:
        expected = {e.reference: e for e in entries}
        seen: set[str] = set()
        async for txn in gateway.balance_transactions():
            report.stripe_transactions += 1
            tick("Stripe balance transactions", report.stripe_transactions)
            if txn.source is None or txn.type not in STRIPE_KINDS:
                continue
            entry = expected.get(txn.source)
            stripe_text = f"{txn.amount} {txn.currency.upper()}"
            if entry is None:
                report.differ("not_in_ledger", txn.source, f"a {txn.type} on Stripe only",
                              stripe=stripe_text)  # fmt: skip
                continue
            seen.add(txn.source)
            want = SIGN.get(entry.kind, 1) * entry.amount_minor
            ledger_text = f"{want} {entry.currency}"
            if txn.currency.upper() != entry.currency.upper():
                report.differ("currency", txn.source, "settled in another currency",
                              order_id=entry.order_id, ledger=ledger_text, stripe=stripe_text)  # fmt: skip
            elif txn.amount != want:
                report.differ("amount", txn.source, "amounts differ", order_id=entry.order_id,
                              ledger=ledger_text, stripe=stripe_text)  # fmt: skip
        for reference, entry in expected.items():
            if reference not in seen:
                report.differ("not_on_stripe", reference, f"a {entry.kind} in the ledger only",
                              order_id=entry.order_id,
                              ledger=f"{entry.amount_minor} {entry.currency}")  # fmt: skip
    async with sessions() as session, session.begin():
        row = Reconciliation(
            mode="stripe" if gateway else "offline", started_at=now, finished_at=now,
            checked=report.checked, stripe_transactions=report.stripe_transactions,
            differences=report.differences,
        )  # fmt: skip
        session.add(row)
    return row


def out(row: Reconciliation) -> ReconciliationOut:
    return ReconciliationOut(
        id=row.id, mode=row.mode, started_at=row.started_at, finished_at=row.finished_at,
        checked=row.checked, stripe_transactions=row.stripe_transactions,
        differences=[DifferenceOut(**d) for d in row.differences],
    )  # fmt: skip


async def latest(session: AsyncSession, actor: Actor) -> ReconciliationOut | None:
    if not actor.is_admin:
        raise Forbidden("Reconciliation is for the platform admin.")
    row = await session.scalar(
        select(Reconciliation).order_by(Reconciliation.started_at.desc()).limit(1)
    )
    return out(row) if row else None
