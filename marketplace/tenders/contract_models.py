"""Contracts of awarded lots and their implementation (tenders run on the marketplace).

One `TenderContract` per awarded lot, recorded by the lead buyer once it is signed. Its
milestones, transactions and amendments are child tables rather than JSON columns of the
contract: each is created (and a milestone met) by a state change of its own, with its own
audit entry, event and OCDS release; as rows they get ids the API and OCDS name them by,
a unique number per contract that the database enforces when two people add one at once,
and sums (what has been paid) are queries, not loops over a document. Imported tenders
keep their contracts as TED says them, in `LotDecision.contracts` (JSON): nothing is done
to them here.

The contract's status is derived, never stored twice: `terminated` once `terminated_at`
is set, else `active` (a contract is recorded when it is signed, which in OCDS is when it
is in force). Values are decimals with the award's currency; dates are calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, id_column

ContractStatus = Literal["pending", "active", "terminated"]
MilestoneStatus = Literal["scheduled", "met", "notMet"]
MILESTONE_STATUSES: tuple[str, ...] = get_args(MilestoneStatus)


class TenderContract(Base):
    __tablename__ = "tender_contracts"
    __table_args__ = (
        UniqueConstraint("lot_id"),
        CheckConstraint("period_start <= period_end", name="period_order"),
    )

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[str] = mapped_column(ForeignKey("tender_lots.id", ondelete="CASCADE"))
    decision_id: Mapped[str] = mapped_column(
        ForeignKey("tender_lot_decisions.id", ondelete="CASCADE")
    )
    title: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    date_signed: Mapped[date]
    value_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date]
    period_end: Mapped[date]
    # Each buying city's share of the lot: [{organisation_id, quantity?, unit?, value?}], taken
    # from the tender's `TenderBuyer.shares` of the lot unless the lead states them.
    shares: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]
    terminated_at: Mapped[datetime | None]
    termination_date: Mapped[date | None]
    termination_reason: Mapped[str | None] = mapped_column(Text)

    milestones: Mapped[list[ContractMilestone]] = relationship(
        lazy="raise", order_by="ContractMilestone.number", cascade="all, delete-orphan"
    )
    transactions: Mapped[list[ContractTransaction]] = relationship(
        lazy="raise", order_by="ContractTransaction.number", cascade="all, delete-orphan"
    )
    amendments: Mapped[list[ContractAmendment]] = relationship(
        lazy="raise", order_by="ContractAmendment.number", cascade="all, delete-orphan"
    )

    @property
    def status(self) -> ContractStatus:
        return "terminated" if self.terminated_at is not None else "active"


class ContractMilestone(Base):
    __tablename__ = "tender_contract_milestones"
    __table_args__ = (
        UniqueConstraint("contract_id", "number"),
        CheckConstraint("status IN ('scheduled', 'met', 'notMet')", name="milestone_status"),
    )

    id: Mapped[str] = id_column()
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("tender_contracts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    date_met: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContractTransaction(Base):
    """A payment made under the contract: by one of the buying cities, to the supplier."""

    __tablename__ = "tender_contract_transactions"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[str] = id_column()
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("tender_contracts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    payer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    payee_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ContractAmendment(Base):
    """A change to a signed contract, like a tender amendment: what changed, old and new."""

    __tablename__ = "tender_contract_amendments"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[str] = id_column()
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("tender_contracts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text)
    # {field: {"before": ..., "after": ...}} for each changed field.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
