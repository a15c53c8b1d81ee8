"""The contract of an awarded lot and its implementation: the rules.

For tenders run on the marketplace (an imported tender's contracts are TED's, kept in
`LotDecision.contracts`), the lead buyer's editors record the signed contract of an awarded
lot, then amend it, schedule milestones and mark them met or not met, record the buying
cities' payments to the supplier, and terminate it (`policies.contract_actions` decides who
and when). Each change is one transaction that appends the tender's audit entry, publishes
the domain event of the same name (`contract.*`, through `services.append_audit`) and stores an
OCDS release (`contract`, `contractAmendment`, `implementation`, `contractTermination`),
dated after the process's last one (`services.release_date`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed
from marketplace.errors import Conflict, FieldError, Invalid, NotFound
from marketplace.schemas import Money
from marketplace.tenders import reads
from marketplace.tenders.audit import AuditAction
from marketplace.tenders.contract_models import (
    ContractAmendment,
    ContractMilestone,
    ContractTransaction,
    TenderContract,
)
from marketplace.tenders.contract_schemas import (
    ContractAmendmentIn,
    ContractIn,
    ContractShareIn,
    MilestoneIn,
    MilestoneMetIn,
    TerminationIn,
    TransactionIn,
)
from marketplace.tenders.models import Lot, LotDecision, Tender
from marketplace.tenders.policies import contract_actions
from marketplace.tenders.services import append_audit, get_tender, organisation_names, store_release

# --- reading ----------------------------------------------------------------------------


@dataclass
class LotContract:
    """An awarded lot, its contract (None until recorded) and what the reader may do."""

    lot: Lot
    decision: LotDecision
    contract: TenderContract | None
    actions: Allowed


@dataclass
class ContractsView:
    tender: Tender
    lots: list[LotContract]
    names: dict[str, str]

    @property
    def contracts(self) -> list[TenderContract]:
        return [lc.contract for lc in self.lots if lc.contract is not None]

    def share_rows(self, contract: TenderContract) -> list[dict[str, Any]]:
        """The amendment form's rows: each share of the contract in its order, then each
        other confirmed buyer of the tender (an empty row, a share to give)."""
        rows = [
            {"organisation_id": s["organisation_id"], "quantity": s.get("quantity"),
             "unit": s.get("unit"), "amount": (s.get("value") or {}).get("amount"),
             "currency": (s.get("value") or {}).get("currency")}
            for s in contract.shares
        ]  # fmt: skip
        having = {r["organisation_id"] for r in rows}
        rows += [
            {"organisation_id": b.organisation_id, "quantity": None, "unit": None,
             "amount": None, "currency": None}
            for b in self.tender.buyers
            if b.confirmed_at is not None and b.organisation_id not in having
        ]  # fmt: skip
        for row in rows:
            row["name"] = self.names.get(row["organisation_id"], "")
        return rows


def _policy(
    actor: Actor | None, tender: Tender, decision: LotDecision | None,
    contract: TenderContract | None, now: datetime,
) -> Allowed:  # fmt: skip
    return contract_actions(
        actor, tender, now,
        awarded=decision is not None and decision.outcome == "awarded",
        contract_status=contract.status if contract else None,
    )  # fmt: skip


async def contracts_view(
    session: AsyncSession, actor: Actor | None, tender_id: str, now: datetime
) -> ContractsView:
    """Every awarded lot of a tender with its contract: public once the tender is. An
    imported tender has none here: its contracts are the notice's (`LotDecision.contracts`)."""
    tender = await get_tender(session, actor, tender_id)
    if tender.imported:
        return ContractsView(tender, [], {})
    decisions = await session.scalars(select(LotDecision).where(LotDecision.tender_id == tender.id))
    return await contracts_view_of(
        session, actor, tender, list(decisions), await reads.contracts_of(session, tender.id), now
    )


async def contracts_view_of(
    session: AsyncSession, actor: Actor | None, tender: Tender,
    decided: Sequence[LotDecision], recorded: Sequence[TenderContract], now: datetime,
) -> ContractsView:  # fmt: skip
    """As `contracts_view`, from a tender, its decisions and contracts already loaded (the
    tender page has them: it reads each once)."""
    if tender.imported:
        return ContractsView(tender, [], {})
    decisions = {d.lot_id: d for d in decided if d.outcome == "awarded"}
    contracts = {c.lot_id: c for c in recorded}
    lots = [
        LotContract(
            lot, decisions[lot.id], contracts.get(lot.id),
            _policy(actor, tender, decisions[lot.id], contracts.get(lot.id), now),
        )
        for lot in tender.lots
        if lot.id in decisions
    ]  # fmt: skip
    ids = {s["organisation_id"] for c in contracts.values() for s in c.shares} | _buyers(tender)
    ids |= {t.payer_id for c in contracts.values() for t in c.transactions}
    ids |= {t.payee_id for c in contracts.values() for t in c.transactions}
    ids |= {d.supplier_id for d in decisions.values() if d.supplier_id}
    return ContractsView(tender, lots, await organisation_names(session, ids))


async def _lot(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, action: str, now: datetime
) -> tuple[Tender, Lot, LotDecision, TenderContract | None]:
    tender = await get_tender(session, actor, tender_id)
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound("No such lot.")
    decision = await session.scalar(select(LotDecision).where(LotDecision.lot_id == lot.id))
    contract = next((c for c in await reads.contracts_of(session, tender.id) if c.lot_id == lot.id),
                    None)  # fmt: skip
    _policy(actor, tender, decision, contract, now).require(action)
    assert decision is not None  # the policy refuses every action on a lot not awarded
    return tender, lot, decision, contract


async def _live(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, action: str, now: datetime
) -> tuple[Tender, LotDecision, TenderContract]:
    tender, _lot_row, decision, contract = await _lot(
        session, actor, tender_id, lot_id, action, now
    )
    assert contract is not None  # the policy refuses a lot without one
    return tender, decision, contract


# --- checks -----------------------------------------------------------------------------


def _money_json(value: Money | None) -> dict[str, str] | None:
    return value.as_json() if value is not None else None


def _share_json(share: ContractShareIn) -> dict[str, Any]:
    return {
        "organisation_id": share.organisation_id,
        **({"quantity": str(share.quantity)} if share.quantity is not None else {}),
        **({"unit": share.unit} if share.unit else {}),
        **({"value": share.value.as_json()} if share.value is not None else {}),
    }


def _share_key(share: dict[str, Any]) -> tuple[Any, ...]:
    """A share as a value to compare: "80" and "80.000" units, or "45000" and "45000.00"
    euros, are the same share (a form sends what it was shown, not the stored string)."""
    value = share.get("value") or {}
    return (
        share["organisation_id"],
        Decimal(share["quantity"]) if share.get("quantity") is not None else None,
        share.get("unit") or None,
        Decimal(value["amount"]) if value.get("amount") is not None else None,
        value.get("currency"),
    )


def _tender_shares(tender: Tender, lot: Lot) -> list[dict[str, Any]]:
    """Each confirmed buyer's share of the lot, as the tender states it (`TenderBuyer.shares`)."""
    out = []
    for buyer in tender.buyers:
        if buyer.confirmed_at is None:
            continue
        for share in buyer.shares:
            if share.get("lot") == lot.number:
                out.append(
                    {"organisation_id": buyer.organisation_id}
                    | {k: share[k] for k in ("quantity", "unit", "value") if share.get(k)}
                )
    return out


def _buyers(tender: Tender) -> set[str]:
    return {b.organisation_id for b in tender.buyers if b.confirmed_at is not None}


@dataclass
class _Terms:
    date_signed: date
    value: Money
    start: date
    end: date
    shares: list[dict[str, Any]]


def _check_terms(
    tender: Tender, decision: LotDecision, terms: _Terms, now: datetime, prefix: str = ""
) -> None:
    """Every problem of the contract's terms at once, each naming its field."""
    errors: list[FieldError] = []
    awarded = decision.decided_at.date()
    if terms.date_signed < awarded:
        errors.append(FieldError.of(f"{prefix}date_signed", "is before the award of the lot"
                                    " (%(date)s)", date=awarded.isoformat()))  # fmt: skip
    if terms.date_signed > now.date():
        errors.append(FieldError(f"{prefix}date_signed", "is in the future; record a contract "
                                 "once it is signed"))  # fmt: skip
    if decision.currency and terms.value.currency != decision.currency:
        errors.append(FieldError.of(f"{prefix}value.currency", "must be the award's currency,"
                                    " %(currency)s", currency=decision.currency))  # fmt: skip
    if terms.end < terms.start:
        errors.append(FieldError(f"{prefix}period.end_date", "is before the start date"))
    buyers = _buyers(tender)
    seen: set[str] = set()
    for n, share in enumerate(terms.shares):
        org = share["organisation_id"]
        if org not in buyers:
            errors.append(FieldError(f"{prefix}shares.{n}.organisation_id",
                                     "is not a buying city of this tender"))  # fmt: skip
        elif org in seen:
            errors.append(FieldError(f"{prefix}shares.{n}.organisation_id",
                                     "has a share already"))  # fmt: skip
        seen.add(org)
        value = share.get("value")
        if value and value["currency"] != terms.value.currency:
            errors.append(FieldError.of(f"{prefix}shares.{n}.value.currency",
                                        "must be the contract's currency, %(currency)s",
                                        currency=terms.value.currency))  # fmt: skip
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def _not_future(field: str, value: date, now: datetime) -> None:
    if value > now.date():
        raise Invalid.field(field, "is in the future")


def _not_before_signature(field: str, value: date, contract: TenderContract) -> None:
    if value < contract.date_signed:
        raise Invalid.field(
            field, "is before the contract was signed (%(date)s)",
            date=contract.date_signed.isoformat(),
        )  # fmt: skip


def _about(contract: TenderContract, **more: str) -> dict[str, str]:
    return {"lot_id": contract.lot_id, "contract_id": contract.id, **more}


def _release_id(tender: Tender, tag: str, *parts: str) -> str:
    return "-".join((tender.ocid, tag, *parts))


def contract_json(contract: TenderContract) -> dict[str, Any]:
    """The terms as the audit trail and amendments record them."""
    return {
        "date_signed": contract.date_signed.isoformat(),
        "value": {"amount": f"{contract.value_amount:.2f}", "currency": contract.currency},
        "period": {"start_date": contract.period_start.isoformat(),
                   "end_date": contract.period_end.isoformat()},
        "title": contract.title,
        "description": contract.description,
        "shares": contract.shares,
    }  # fmt: skip


# --- changes ----------------------------------------------------------------------------


async def record_contract(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, data: ContractIn,
    now: datetime,
) -> TenderContract:  # fmt: skip
    tender, lot, decision, _ = await _lot(session, actor, tender_id, lot_id, "record", now)
    shares = (
        [_share_json(s) for s in data.shares]
        if data.shares is not None
        else _tender_shares(tender, lot)
    )
    terms = _Terms(data.date_signed, data.value, data.period.start_date, data.period.end_date,
                   shares)  # fmt: skip
    _check_terms(tender, decision, terms, now)
    contract = TenderContract(
        tender_id=tender.id, lot_id=lot.id, decision_id=decision.id, title=data.title,
        description=data.description, date_signed=data.date_signed,
        value_amount=data.value.amount, currency=data.value.currency,
        period_start=data.period.start_date, period_end=data.period.end_date, shares=shares,
        created_at=now, created_by=actor.user_id, updated_at=now,
    )  # fmt: skip
    session.add(contract)
    try:
        # A savepoint: losing the race to record the lot's contract leaves a usable 409.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("The contract of this lot is recorded already; amend it instead.") from None
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.CONTRACT_SIGNED, now, None,
                 contract_json(contract), about=_about(contract))  # fmt: skip
    await store_release(session, tender, "contract", now,
                   release_id=_release_id(tender, "contract", contract.id))  # fmt: skip
    return contract


def _changed(contract: TenderContract, data: ContractAmendmentIn) -> dict[str, dict[str, Any]]:
    before = contract_json(contract)
    given = data.changes.model_dump(exclude_unset=True, mode="json")
    after: dict[str, Any] = {}
    for key, value in given.items():
        if key == "value":
            value = Money.model_validate(value).as_json()
        elif key == "shares":
            value = [_share_json(ContractShareIn.model_validate(s)) for s in value]
        after[key] = value

    def same(key: str, new: Any) -> bool:
        if key == "shares":
            return [_share_key(s) for s in before[key]] == [_share_key(s) for s in new]
        return bool(before[key] == new)

    return {k: {"before": before[k], "after": v} for k, v in after.items() if not same(k, v)}


async def amend_contract(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str,
    data: ContractAmendmentIn, now: datetime,
) -> ContractAmendment:  # fmt: skip
    tender, decision, contract = await _live(session, actor, tender_id, lot_id, "amend", now)
    changes = _changed(contract, data)
    if not changes:
        raise Invalid.field("changes", "changes nothing: every value given is the current one")
    new = {**contract_json(contract), **{k: c["after"] for k, c in changes.items()}}
    value = Money.model_validate(new["value"])
    terms = _Terms(
        date.fromisoformat(new["date_signed"]), value,
        date.fromisoformat(new["period"]["start_date"]),
        date.fromisoformat(new["period"]["end_date"]), new["shares"],
    )  # fmt: skip
    _check_terms(tender, decision, terms, now, prefix="changes.")
    contract.date_signed, contract.period_start, contract.period_end = (
        terms.date_signed, terms.start, terms.end,
    )  # fmt: skip
    contract.value_amount, contract.currency = value.amount, value.currency
    contract.title, contract.description = new["title"], new["description"]
    contract.shares, contract.updated_at = terms.shares, now
    number = len(contract.amendments) + 1
    amendment = ContractAmendment(
        contract_id=contract.id, number=number, rationale=data.rationale, changes=changes,
        created_at=now, created_by=actor.user_id,
    )  # fmt: skip
    session.add(amendment)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("The contract was amended at the same time; try again.") from None
    await append_audit(
        session, tender, actor, tender.lead_buyer_id, AuditAction.CONTRACT_AMENDED, now,
        {k: c["before"] for k, c in changes.items()},
        {"rationale": data.rationale, **{k: c["after"] for k, c in changes.items()}},
        about=_about(contract),
    )  # fmt: skip
    await store_release(session, tender, "contractAmendment", now,
                   release_id=_release_id(tender, "contractAmendment", amendment.id))  # fmt: skip
    return amendment


async def add_milestone(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, data: MilestoneIn,
    now: datetime,
) -> ContractMilestone:  # fmt: skip
    tender, _, contract = await _live(session, actor, tender_id, lot_id, "add_milestone", now)
    _not_before_signature("due_date", data.due_date, contract)
    number = (
        await session.scalar(
            select(func.max(ContractMilestone.number)).where(
                ContractMilestone.contract_id == contract.id
            )
        )
        or 0
    ) + 1
    milestone = ContractMilestone(
        contract_id=contract.id, number=number, title=data.title, description=data.description,
        due_date=data.due_date, status="scheduled", created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(milestone)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("Another milestone was added at the same time; try again.") from None
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.MILESTONE_ADDED, now,
                 None, {"title": data.title, "due_date": data.due_date.isoformat()},
                 about=_about(contract, milestone_id=milestone.id))  # fmt: skip
    await store_release(session, tender, "implementation", now,
                   release_id=_release_id(tender, "implementation", milestone.id, "scheduled"))  # fmt: skip
    return milestone


async def settle_milestone(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, milestone_id: str,
    met: bool, data: MilestoneMetIn, now: datetime,
) -> ContractMilestone:  # fmt: skip
    """Mark a milestone met (on `data.date_met`, today when left out) or not met. A met
    milestone stays met; one not met may still be met later (a late delivery)."""
    tender, _, contract = await _live(session, actor, tender_id, lot_id, "update_milestone", now)
    milestone = next((m for m in contract.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise NotFound("No such milestone.")
    if milestone.status == "met":
        raise Conflict("This milestone is met already.")
    if not met and milestone.status == "notMet":
        raise Conflict("This milestone is recorded as not met already.")
    before = {"status": milestone.status}
    if met:
        date_met = data.date_met or now.date()
        _not_future("date_met", date_met, now)
        _not_before_signature("date_met", date_met, contract)
        milestone.status, milestone.date_met = "met", date_met
    else:
        milestone.status = "notMet"
    milestone.updated_at = now
    await session.flush()
    action = AuditAction.MILESTONE_MET if met else AuditAction.MILESTONE_NOT_MET
    await append_audit(session, tender, actor, tender.lead_buyer_id, action, now, before,
                 {"status": milestone.status,
                  "date_met": milestone.date_met.isoformat() if milestone.date_met else None},
                 about=_about(contract, milestone_id=milestone.id))  # fmt: skip
    await store_release(session, tender, "implementation", now,
                   release_id=_release_id(tender, "implementation", milestone.id,
                                          milestone.status))  # fmt: skip
    return milestone


async def record_transaction(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, data: TransactionIn,
    now: datetime,
) -> ContractTransaction:  # fmt: skip
    tender, decision, contract = await _live(
        session, actor, tender_id, lot_id, "add_transaction", now
    )
    errors: list[FieldError] = []
    if data.payer_id not in _buyers(tender):
        errors.append(FieldError("payer_id", "is not a buying city of this tender"))
    if data.value.currency != contract.currency:
        errors.append(FieldError.of("value.currency", "must be the contract's currency,"
                                    " %(currency)s", currency=contract.currency))  # fmt: skip
    if data.date > now.date():
        errors.append(FieldError("date", "is in the future; record a payment once it is made"))
    elif data.date < contract.date_signed:
        errors.append(FieldError.of(
            "date", "is before the contract was signed (%(date)s)",
            date=contract.date_signed.isoformat(),
        ))  # fmt: skip
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)
    if decision.supplier_id is None:
        raise Conflict("The award names no supplier to pay.")
    number = (
        await session.scalar(
            select(func.max(ContractTransaction.number)).where(
                ContractTransaction.contract_id == contract.id
            )
        )
        or 0
    ) + 1
    transaction = ContractTransaction(
        contract_id=contract.id, number=number, date=data.date, amount=data.value.amount,
        currency=data.value.currency, payer_id=data.payer_id, payee_id=decision.supplier_id,
        description=data.description, created_at=now, created_by=actor.user_id,
    )  # fmt: skip
    session.add(transaction)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("Another payment was recorded at the same time; try again.") from None
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.TRANSACTION_RECORDED,
                 now, None,
                 {"date": data.date.isoformat(), "value": data.value.as_json(),
                  "payer_id": data.payer_id, "payee_id": decision.supplier_id},
                 about=_about(contract, transaction_id=transaction.id,
                              organisation_id=data.payer_id))  # fmt: skip
    await store_release(session, tender, "implementation", now,
                   release_id=_release_id(tender, "implementation", transaction.id))  # fmt: skip
    return transaction


async def terminate_contract(
    session: AsyncSession, actor: Actor, tender_id: str, lot_id: str, data: TerminationIn,
    now: datetime,
) -> TenderContract:  # fmt: skip
    tender, _, contract = await _live(session, actor, tender_id, lot_id, "terminate", now)
    ended = data.date or now.date()
    _not_future("date", ended, now)
    _not_before_signature("date", ended, contract)
    contract.terminated_at, contract.termination_date = now, ended
    contract.termination_reason, contract.updated_at = data.reason, now
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.CONTRACT_TERMINATED, now,
                 {"status": "active"},
                 {"status": "terminated", "date": ended.isoformat(), "reason": data.reason},
                 about=_about(contract))  # fmt: skip
    await store_release(session, tender, "contractTermination", now,
                   release_id=_release_id(tender, "contractTermination", contract.id))  # fmt: skip
    return contract


def paid(contract: TenderContract) -> Decimal:
    return sum((t.amount for t in contract.transactions), Decimal(0))
