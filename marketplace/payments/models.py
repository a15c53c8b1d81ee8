"""Pilot packages, connected accounts, orders, milestones, the ledger and Stripe's events.

Money is `BigInteger` minor units (see `money.py`): exact on both databases and summable in
SQL. An order copies what it bought (title, scope, price, milestones) from its package, so
a package edited or withdrawn later never changes a contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from marketplace.accounts.models import Organisation
from marketplace.db import Base, id_column

# The tables this module's foreign keys point at (the CLI imports only what it needs).
from marketplace.listings.models import Listing  # noqa: F401

PACKAGE_STATUSES = ("active", "withdrawn")
ORDER_STATUSES = ("awaiting_payment", "paid", "completed", "cancelled", "refunding", "refunded")
MILESTONE_STATUSES = ("pending", "reported", "accepted", "paid", "disputed", "refunded")
MODES = ("stripe", "offline")
# The ledger's accounts, per order: the buying city, the money the platform holds for the
# order, what reached the SME, the platform's fee, and what a card dispute took back.
LEDGER_ACCOUNTS = ("city", "held", "sme", "fee", "dispute")
LEDGER_KINDS = ("charge", "transfer", "fee", "refund", "dispute", "dispute_reversal")
_SERIAL = BigInteger().with_variant(Integer, "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PilotPackage(Base):
    """A fixed-price pilot an SME offers on one of its published listings."""

    __tablename__ = "pilot_packages"
    __table_args__ = (
        CheckConstraint(_in("status", PACKAGE_STATUSES), name="status"),
        CheckConstraint("price_minor > 0", name="price"),
    )

    id: Mapped[str] = id_column()
    listing_id: Mapped[str] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    duration_weeks: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    milestones: Mapped[list[PackageMilestone]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: PackageMilestone.position,
    )


class PackageMilestone(Base):
    """A share of the package's price, earned by one outcome KPI of the listing."""

    __tablename__ = "pilot_package_milestones"
    __table_args__ = (
        UniqueConstraint("package_id", "position"),
        CheckConstraint("share_bps > 0 AND share_bps <= 10000", name="share"),
    )

    id: Mapped[str] = id_column()
    package_id: Mapped[str] = mapped_column(
        ForeignKey("pilot_packages.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    share_bps: Mapped[int] = mapped_column(Integer)
    # The listing's KPI (its index in `listings.outcomes`) and a copy of its metric, so the
    # milestone keeps saying what it was tied to if the listing is edited.
    outcome_index: Mapped[int] = mapped_column(Integer)
    outcome_metric: Mapped[str] = mapped_column(String(200))
    evidence: Mapped[str] = mapped_column(Text)  # what proves the milestone reached
    due_week: Mapped[int | None] = mapped_column(Integer)


class PaymentAccount(Base):
    """An SME's Stripe Connect (Express) account and what Stripe last said about it."""

    __tablename__ = "payment_accounts"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    stripe_account_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    charges_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Stripe's `created` of the event the flags come from: an older event is ignored.
    state_as_of: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PilotOrder(Base):
    """A city's order of a package: a small direct award, paid up front and held by the
    platform, released to the SME milestone by milestone."""

    __tablename__ = "pilot_orders"
    __table_args__ = (
        CheckConstraint(_in("status", ORDER_STATUSES), name="status"),
        CheckConstraint(_in("mode", MODES), name="mode"),
        CheckConstraint("amount_minor > 0", name="amount"),
        CheckConstraint("fee_bps >= 0 AND fee_bps <= 10000", name="fee"),
    )

    id: Mapped[str] = id_column()
    package_id: Mapped[str | None] = mapped_column(
        ForeignKey("pilot_packages.id", ondelete="SET NULL"), index=True
    )
    # Listings may be archived or deleted later; the order keeps an opaque reference.
    listing_id: Mapped[str] = mapped_column(String(36), index=True)
    supplier_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    buyer_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    duration_weeks: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    fee_bps: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default="awaiting_payment", index=True)
    transfer_group: Mapped[str] = mapped_column(String(64), unique=True)
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(Text)
    checkout_expires_at: Mapped[datetime | None]
    checkout_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Why the last payment attempt failed (Stripe's `last_payment_error`), shown to the city.
    payment_error: Mapped[str | None] = mapped_column(Text)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    charge_id: Mapped[str | None] = mapped_column(String(255), index=True)
    paid_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # A card dispute (chargeback) opened on the charge: Stripe's dispute id and status.
    charge_dispute_id: Mapped[str | None] = mapped_column(String(255))
    charge_dispute_status: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    supplier: Mapped[Organisation] = relationship(foreign_keys=[supplier_id], lazy="raise")
    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_id], lazy="raise")
    buyers: Mapped[list[OrderBuyer]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by=lambda: OrderBuyer.position
    )
    milestones: Mapped[list[OrderMilestone]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by=lambda: OrderMilestone.position
    )


class OrderBuyer(Base):
    """A city of a joint order with its share of the price (the lead city is one of them).
    Each city pays its own share through its own Checkout Session (what it pays with is
    kept here); the order is paid when every share is."""

    __tablename__ = "pilot_order_buyers"
    __table_args__ = (UniqueConstraint("order_id", "organisation_id"),)

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(
        ForeignKey("pilot_orders.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    share_bps: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    checkout_session_id: Mapped[str | None] = mapped_column(String(255))
    checkout_url: Mapped[str | None] = mapped_column(Text)
    checkout_expires_at: Mapped[datetime | None]
    checkout_attempts: Mapped[int] = mapped_column(Integer, default=0)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    charge_id: Mapped[str | None] = mapped_column(String(255), index=True)
    paid_at: Mapped[datetime | None]
    # What went back to this city of its payment (refunds are made per city's payment).
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class OrderMilestone(Base):
    __tablename__ = "pilot_order_milestones"
    __table_args__ = (
        UniqueConstraint("order_id", "position"),
        CheckConstraint(_in("status", MILESTONE_STATUSES), name="status"),
        CheckConstraint("fee_minor >= 0 AND fee_minor <= amount_minor", name="fee"),
    )

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(
        ForeignKey("pilot_orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    share_bps: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    fee_minor: Mapped[int] = mapped_column(BigInteger)
    outcome_index: Mapped[int] = mapped_column(Integer)
    outcome_metric: Mapped[str] = mapped_column(String(200))
    evidence_required: Mapped[str] = mapped_column(Text)
    due_week: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    report: Mapped[str | None] = mapped_column(Text)  # the SME's evidence
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    reported_at: Mapped[datetime | None]
    reported_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    disputed_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Sent with the transfer request: a retry after a crash or a timeout is the same
    # request to Stripe, which answers with the transfer it already made.
    transfer_key: Mapped[str] = mapped_column(String(80), unique=True)
    transfer_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    paid_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]


class LedgerEntry(Base):
    """One double-entry posting: `amount_minor` moves from `credit` to `debit` within an
    order's accounts. Append-only: a correction is another entry. `reference` is what the
    money moved by (Stripe's charge, transfer, refund or dispute id, or `offline:<note>`);
    unique per order and kind, so recording the same movement twice is impossible."""

    __tablename__ = "payment_ledger"
    __table_args__ = (
        UniqueConstraint("order_id", "kind", "reference"),
        CheckConstraint(_in("kind", LEDGER_KINDS), name="kind"),
        CheckConstraint(_in("debit", LEDGER_ACCOUNTS), name="debit"),
        CheckConstraint(_in("credit", LEDGER_ACCOUNTS), name="credit"),
        CheckConstraint("amount_minor > 0", name="amount"),
        Index("ix_payment_ledger_reference", "reference"),
    )

    id: Mapped[int] = mapped_column(_SERIAL, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("pilot_orders.id", ondelete="RESTRICT"), index=True
    )
    milestone_id: Mapped[str | None] = mapped_column(
        ForeignKey("pilot_order_milestones.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(20))
    debit: Mapped[str] = mapped_column(String(10))
    credit: Mapped[str] = mapped_column(String(10))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class StripeEvent(Base):
    """A verified webhook event, stored by Stripe's id before anything is done with it."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    created: Mapped[datetime]  # Stripe's `created`: events can arrive out of order
    account: Mapped[str | None] = mapped_column(String(64))  # a connected account's event
    livemode: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)  # what handling it did, for operators


class Reconciliation(Base):
    """One run of `marketplace payments reconcile`: what it compared and what differed."""

    __tablename__ = "payment_reconciliations"

    id: Mapped[str] = id_column()
    mode: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    checked: Mapped[int] = mapped_column(Integer, default=0)
    stripe_transactions: Mapped[int] = mapped_column(Integer, default=0)
    differences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


ORDER_LOAD = (
    selectinload(PilotOrder.buyers).selectinload(OrderBuyer.organisation),
    selectinload(PilotOrder.milestones),
    selectinload(PilotOrder.supplier),
    selectinload(PilotOrder.buyer),
)
PACKAGE_LOAD = (selectinload(PilotPackage.milestones), selectinload(PilotPackage.organisation))
