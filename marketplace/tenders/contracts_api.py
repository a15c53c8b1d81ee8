"""JSON API of a lot's contract and its implementation: parse, call one service, return."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from marketplace.errors import NotFound
from marketplace.schemas import Money
from marketplace.tenders import contracts
from marketplace.tenders.contract_schemas import (
    AwardedLotOut,
    ContractAmendmentIn,
    ContractAmendmentOut,
    ContractIn,
    ContractOut,
    ContractShareOut,
    ContractsOut,
    MilestoneIn,
    MilestoneMetIn,
    MilestoneOut,
    PeriodOut,
    TerminationIn,
    TransactionIn,
    TransactionOut,
)
from marketplace.web.deps import AppClock, CurrentActor, DbSession, PageNumber, PerPage, signed_in


def contract_out(lc: contracts.LotContract, names: dict[str, str]) -> ContractOut:
    c = lc.contract
    assert c is not None
    return ContractOut(
        id=c.id, tender_id=c.tender_id, lot_id=c.lot_id, award_id=c.decision_id,
        supplier_id=lc.decision.supplier_id, title=c.title, description=c.description,
        status=c.status, date_signed=c.date_signed,
        value=Money(amount=c.value_amount, currency=c.currency),
        period=PeriodOut(start_date=c.period_start, end_date=c.period_end),
        shares=[
            ContractShareOut(name=names.get(s["organisation_id"], ""), **s) for s in c.shares
        ],
        milestones=[MilestoneOut.model_validate(m) for m in c.milestones],
        transactions=[
            TransactionOut(
                id=t.id, number=t.number, date=t.date,
                value=Money(amount=t.amount, currency=t.currency), payer_id=t.payer_id,
                payer_name=names.get(t.payer_id, ""), payee_id=t.payee_id,
                payee_name=names.get(t.payee_id, ""), description=t.description,
            )
            for t in c.transactions
        ],
        paid=Money(amount=contracts.paid(c), currency=c.currency),
        amendments=[ContractAmendmentOut.model_validate(a) for a in c.amendments],
        termination_date=c.termination_date, termination_reason=c.termination_reason,
        created_at=c.created_at, actions=lc.actions.names,
    )  # fmt: skip


async def _one(
    db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str, now: datetime
) -> ContractOut:
    view = await contracts.contracts_view(db_session, actor, tender_id, now)
    lc = next(lc for lc in view.lots if lc.lot.id == lot_id)
    return contract_out(lc, view.names)


class ContractController(Controller):
    path = "/api/v1/tenders"
    tags = ["Tenders"]

    @get("/{tender_id:str}/contracts", summary="The contracts of a tender's awarded lots")
    async def index(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, clock: AppClock,
        page: PageNumber = 1, per_page: PerPage = 20,
    ) -> ContractsOut:  # fmt: skip
        view = await contracts.contracts_view(db_session, actor, tender_id, clock.now())
        recorded = [lc for lc in view.lots if lc.contract is not None]
        shown = recorded[(page - 1) * per_page : page * per_page]
        return ContractsOut(
            items=[contract_out(lc, view.names) for lc in shown],
            total=len(recorded), page=page, per_page=per_page,
            awarded_lots=[
                AwardedLotOut(
                    lot_id=lc.lot.id, lot_number=lc.lot.number, lot_title=lc.lot.title,
                    award_id=lc.decision.id, supplier_id=lc.decision.supplier_id,
                    contract_id=lc.contract.id if lc.contract else None,
                    actions=lc.actions.names,
                )
                for lc in view.lots
            ],
        )  # fmt: skip

    @get("/{tender_id:str}/lots/{lot_id:str}/contract", summary="The contract of an awarded lot")
    async def show(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        clock: AppClock,
    ) -> ContractOut:  # fmt: skip
        view = await contracts.contracts_view(db_session, actor, tender_id, clock.now())
        lc = next((lc for lc in view.lots if lc.lot.id == lot_id and lc.contract), None)
        if lc is None:
            raise NotFound("No contract is recorded for this lot.")
        return contract_out(lc, view.names)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract", status_code=201,
        summary="Record the signed contract of an awarded lot (lead buyer editors)",
    )  # fmt: skip
    async def record(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        data: JSONBody[ContractIn], clock: AppClock,
    ) -> ContractOut:  # fmt: skip
        now = clock.now()
        await contracts.record_contract(db_session, signed_in(actor), tender_id, lot_id, data, now)
        return await _one(db_session, actor, tender_id, lot_id, now)

    @patch(
        "/{tender_id:str}/lots/{lot_id:str}/contract",
        summary="Amend a contract: `{rationale, changes}` (lead buyer editors)",
    )
    async def amend(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        data: JSONBody[ContractAmendmentIn], clock: AppClock,
    ) -> ContractOut:  # fmt: skip
        now = clock.now()
        await contracts.amend_contract(db_session, signed_in(actor), tender_id, lot_id, data, now)
        return await _one(db_session, actor, tender_id, lot_id, now)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract/milestones", status_code=201,
        summary="Schedule an implementation milestone (lead buyer editors)",
    )  # fmt: skip
    async def add_milestone(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        data: JSONBody[MilestoneIn], clock: AppClock,
    ) -> MilestoneOut:  # fmt: skip
        row = await contracts.add_milestone(
            db_session, signed_in(actor), tender_id, lot_id, data, clock.now()
        )
        return MilestoneOut.model_validate(row)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract/milestones/{milestone_id:str}/met",
        status_code=200, summary="Mark a milestone met (lead buyer editors)",
    )  # fmt: skip
    async def met(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        milestone_id: str, clock: AppClock, data: JSONBody[MilestoneMetIn | None] = None,
    ) -> MilestoneOut:  # fmt: skip
        row = await contracts.settle_milestone(
            db_session, signed_in(actor), tender_id, lot_id, milestone_id, True,
            data or MilestoneMetIn(), clock.now(),
        )  # fmt: skip
        return MilestoneOut.model_validate(row)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract/milestones/{milestone_id:str}/not-met",
        status_code=200, summary="Record that a milestone was not met (lead buyer editors)",
    )  # fmt: skip
    async def not_met(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        milestone_id: str, clock: AppClock,
    ) -> MilestoneOut:  # fmt: skip
        row = await contracts.settle_milestone(
            db_session, signed_in(actor), tender_id, lot_id, milestone_id, False,
            MilestoneMetIn(), clock.now(),
        )  # fmt: skip
        return MilestoneOut.model_validate(row)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract/transactions", status_code=201,
        summary="Record a buying city's payment to the supplier (lead buyer editors)",
    )  # fmt: skip
    async def add_transaction(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        data: JSONBody[TransactionIn], clock: AppClock,
    ) -> ContractOut:  # fmt: skip
        now = clock.now()
        await contracts.record_transaction(
            db_session, signed_in(actor), tender_id, lot_id, data, now
        )
        return await _one(db_session, actor, tender_id, lot_id, now)

    @post(
        "/{tender_id:str}/lots/{lot_id:str}/contract/terminate", status_code=200,
        summary="Terminate a contract, with a reason (lead buyer editors)",
    )  # fmt: skip
    async def terminate(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, lot_id: str,
        data: JSONBody[TerminationIn], clock: AppClock,
    ) -> ContractOut:  # fmt: skip
        now = clock.now()
        await contracts.terminate_contract(
            db_session, signed_in(actor), tender_id, lot_id, data, now
        )
        return await _one(db_session, actor, tender_id, lot_id, now)


handlers = [ContractController]
