"""Input and output shapes of a lot's contract and its implementation (tenders/contracts.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator

from marketplace.schemas import CleanLine, CleanText, Money, Page, Patch, Schema
from marketplace.tenders.contract_models import ContractStatus, MilestoneStatus

# What the reader may do with a lot's contract (marketplace.tenders.policies.CONTRACT_ACTIONS).
ContractAction = Literal[
    "record", "amend", "terminate", "add_milestone", "update_milestone", "add_transaction",
]  # fmt: skip
Line = Annotated[str, Field(min_length=3, max_length=300), CleanLine]
Text = Annotated[str, Field(max_length=20000), CleanText]
Reason = Annotated[str, Field(min_length=5, max_length=5000), CleanText]


class PeriodIn(Schema):
    start_date: dt.date
    end_date: dt.date


class ContractShareIn(Schema):
    """A buying city's share of the contract: a quantity (with its unit), a value, or both."""

    organisation_id: str
    quantity: Annotated[Decimal | None, Field(gt=0, max_digits=16, decimal_places=3)] = None
    unit: Annotated[str | None, Field(max_length=40), CleanLine] = None
    value: Money | None = None

    @model_validator(mode="after")
    def _something(self) -> ContractShareIn:
        if self.quantity is None and self.value is None:
            raise ValueError("a share needs a quantity or a value")
        return self


class ContractIn(Schema):
    """The signed contract of an awarded lot. Without `shares`, each buying city's share is
    the one the tender gives it for the lot."""

    date_signed: dt.date
    value: Money
    period: PeriodIn
    title: Line | None = None
    description: Text | None = None
    shares: list[ContractShareIn] | None = None


class ContractChanges(Patch):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)
    clearable: ClassVar[frozenset[str]] = frozenset({"title", "description"})

    date_signed: dt.date | None = None
    value: Money | None = None
    period: PeriodIn | None = None
    title: Line | None = None
    description: Text | None = None
    shares: list[ContractShareIn] | None = None


class ContractAmendmentIn(Schema):
    rationale: Reason
    changes: ContractChanges


class MilestoneIn(Schema):
    title: Line
    due_date: dt.date
    description: Text | None = None


class MilestoneMetIn(Schema):
    """When the milestone was met (today when left out)."""

    date_met: dt.date | None = None


class TransactionIn(Schema):
    """A payment by one of the buying cities to the supplier."""

    date: dt.date
    value: Money
    payer_id: str
    description: Text | None = None


class TerminationIn(Schema):
    reason: Reason
    date: Annotated[dt.date | None, Field(description="When it ended (today when left out)")] = None


class PeriodOut(Schema):
    start_date: dt.date
    end_date: dt.date


class ContractShareOut(Schema):
    organisation_id: str
    name: str
    quantity: Decimal | None = None
    unit: str | None = None
    value: Money | None = None


class MilestoneOut(Schema):
    id: str
    number: int
    title: str
    description: str | None
    due_date: dt.date
    status: MilestoneStatus
    date_met: dt.date | None


class TransactionOut(Schema):
    id: str
    number: int
    date: dt.date
    value: Money
    payer_id: str
    payer_name: str
    payee_id: str
    payee_name: str
    description: str | None


class ContractAmendmentOut(Schema):
    id: str
    number: int
    rationale: str
    changes: dict[str, dict[str, object]]
    created_at: dt.datetime


class ContractOut(Schema):
    id: str
    tender_id: str
    lot_id: str
    award_id: str
    supplier_id: str | None
    title: str | None
    description: str | None
    status: ContractStatus
    date_signed: dt.date
    value: Money
    period: PeriodOut
    shares: list[ContractShareOut]
    milestones: list[MilestoneOut]
    transactions: list[TransactionOut]
    # The sum of the transactions (in the contract's currency).
    paid: Money
    amendments: list[ContractAmendmentOut]
    termination_date: dt.date | None = None
    termination_reason: str | None = None
    created_at: dt.datetime
    # What the caller may do with the contract now (the contract policy); refused ones absent.
    actions: list[ContractAction] = []


class AwardedLotOut(Schema):
    """An awarded lot of a tender run here, and what the caller may do about its contract
    (`record` while none is recorded)."""

    lot_id: str
    lot_number: int
    lot_title: str
    award_id: str
    supplier_id: str | None
    contract_id: str | None
    actions: list[ContractAction] = []


class ContractsOut(Page[ContractOut]):
    awarded_lots: list[AwardedLotOut] = []
