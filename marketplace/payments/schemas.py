"""Input and output shapes of the payments API.

Money in: `{"amount": "12500.00", "currency": "EUR"}` as everywhere; the service converts it
to minor units and refuses an amount finer than the currency's unit (422 naming the field).
Shares are percentages with at most two decimals (`"33.33"`), kept as basis points.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, field_validator

from marketplace.schemas import CleanLine, CleanText, CurrencyCode, Schema

Share = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
Title = Annotated[str, Field(min_length=3, max_length=200), CleanLine]
LongText = Annotated[str, Field(min_length=1, max_length=10000), CleanText]
MAX_PRICE = Decimal("99999999.99")


class PriceIn(Schema):
    amount: Annotated[Decimal, Field(gt=0, le=MAX_PRICE, max_digits=12, decimal_places=3)]
    currency: CurrencyCode


class MilestoneIn(Schema):
    title: Title
    share_percent: Share
    outcome_index: Annotated[int, Field(ge=0, le=50)]  # which of the listing's KPIs
    evidence: LongText  # what will prove it reached
    due_week: Annotated[int | None, Field(ge=1, le=520)] = None


class PackageIn(Schema):
    title: Title
    scope: Annotated[str, Field(max_length=20000), CleanText] = ""
    price: PriceIn
    duration_weeks: Annotated[int, Field(ge=1, le=520)]
    milestones: Annotated[list[MilestoneIn], Field(min_length=1, max_length=20)]


class MoneyOut(Schema):
    amount: str
    currency: str


class PackageMilestoneOut(Schema):
    id: str
    position: int
    title: str
    share_percent: str
    amount: MoneyOut
    outcome_index: int
    outcome_metric: str
    evidence: str
    due_week: int | None


class PackageOut(Schema):
    id: str
    listing_id: str
    organisation_id: str
    organisation_name: str
    title: str
    scope: str
    price: MoneyOut
    duration_weeks: int
    status: str
    orderable: bool  # the SME can be paid (payouts enabled, or offline mode)
    milestones: list[PackageMilestoneOut]
    created_at: datetime


class AccountOut(Schema):
    organisation_id: str
    mode: Literal["stripe", "offline"]
    stripe_account_id: str | None
    details_submitted: bool
    payouts_enabled: bool
    can_receive_orders: bool


class LinkOut(Schema):
    url: str


class BuyerShareIn(Schema):
    organisation_id: str
    share_percent: Share


class OrderIn(Schema):
    package_id: str
    organisation_id: str  # the ordering (lead) city
    # A joint order: every city with its share, the lead city included; empty: the lead alone.
    buyers: Annotated[list[BuyerShareIn], Field(max_length=30)] = []


class ReportIn(Schema):
    evidence: LongText
    evidence_url: HttpUrl | None = None


class DisputeIn(Schema):
    reason: LongText


class ResolveIn(Schema):
    decision: Literal["release", "refund"]
    note: LongText


class CancelIn(Schema):
    reason: LongText


class OfflineIn(Schema):
    note: Annotated[str, Field(min_length=1, max_length=500), CleanText]

    @field_validator("note")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())


class BuyerOut(Schema):
    organisation_id: str
    name: str
    share_percent: str
    amount: MoneyOut
    # When this city's share arrived (each city of a joint order pays its own share).
    paid_at: datetime | None = None


class OrderMilestoneOut(Schema):
    id: str
    position: int
    title: str
    share_percent: str
    amount: MoneyOut
    fee: MoneyOut
    payout: MoneyOut
    outcome_index: int
    outcome_metric: str
    evidence_required: str
    due_week: int | None
    status: str
    report: str | None
    evidence_url: str | None
    reported_at: datetime | None
    accepted_at: datetime | None
    dispute_reason: str | None
    disputed_at: datetime | None
    resolution: str | None
    resolved_at: datetime | None
    transfer_id: str | None
    paid_at: datetime | None
    refunded_at: datetime | None


class BalancesOut(Schema):
    charged: MoneyOut
    held: MoneyOut
    transferred: MoneyOut
    fees: MoneyOut
    refunded: MoneyOut
    disputed: MoneyOut


class OrderOut(Schema):
    id: str
    package_id: str | None
    listing_id: str
    supplier_id: str
    supplier_name: str
    buyer_id: str
    buyer_name: str
    buyers: list[BuyerOut]
    title: str
    scope: str
    duration_weeks: int
    amount: MoneyOut
    fee_percent: str
    mode: Literal["stripe", "offline"]
    status: str
    transfer_group: str
    paid_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    completed_at: datetime | None
    charge_dispute_status: str | None
    milestones: list[OrderMilestoneOut]
    balances: BalancesOut
    created_at: datetime


class LedgerEntryOut(Schema):
    id: int
    order_id: str
    milestone_id: str | None
    kind: str
    debit: str
    credit: str
    amount: MoneyOut
    reference: str
    note: str
    created_at: datetime


class CheckoutOut(Schema):
    url: str
    session_id: str


class StatusOut(Schema):
    mode: Literal["stripe", "offline"]
    platform_fee_percent: str
    webhook_configured: bool


class DifferenceOut(Schema):
    kind: str
    reference: str
    order_id: str | None
    ledger: str | None
    stripe: str | None
    detail: str


class ReconciliationOut(Schema):
    id: str
    mode: str
    started_at: datetime
    finished_at: datetime | None
    checked: int
    stripe_transactions: int
    differences: list[DifferenceOut]
