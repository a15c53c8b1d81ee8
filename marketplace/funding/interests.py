"""Funders' interest in a call: expressing, revising and withdrawing it, and the call's
cities deciding on it; the rules are the funding policies, checked here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish
from marketplace.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from marketplace.funding.events import (
    INTEREST_ACCEPTED,
    INTEREST_DECLINED,
    INTEREST_EXPRESSED,
    INTEREST_REVISED,
    INTEREST_WITHDRAWN,
)
from marketplace.funding.models import (
    FundingCall,
    FundingInterest,
)
from marketplace.funding.policies import (
    city_ids,
    status_of,
)
from marketplace.funding.schemas import (
    InterestIn,
    InterestOut,
    InterestUpdate,
    money,
)
from marketplace.funding.services import (
    LIVE_STATUSES,
    ZERO,
    get_call,
    load_call,
    organisation_for,
    pledged_totals,
    require_action,
)


async def existing_funder(session: AsyncSession, funder_id: str) -> Organisation:
    funder = await session.get(Organisation, funder_id)
    if funder is None or funder.kind != "funder":
        raise NotFound("No such funder.")
    return funder


async def _funder(session: AsyncSession, funder_id: str, field: str) -> Organisation:
    funder = await organisation_for(session, funder_id, field)
    if funder.kind != "funder":
        raise Invalid.field(field, f"{funder.name} is not a funder organisation")
    return funder


async def express_interest(
    session: AsyncSession, actor: Actor, call_id: str, data: InterestIn, now: datetime
) -> FundingInterest:
    funder = await _funder(session, data.organisation_id, "organisation_id")
    if not actor.can_edit(funder.id):
        raise Forbidden("Only the funder's owners and editors may express interest for it.")
    call = await load_call(session, call_id)
    require_action(actor, call, "express_interest", now)
    _check_offer(call, data.amount.amount, data.amount.currency, data.instrument)
    mine = await session.scalar(
        select(FundingInterest).where(
            FundingInterest.call_id == call.id, FundingInterest.funder_id == funder.id,
            FundingInterest.status.in_(LIVE_STATUSES),
        )
    )  # fmt: skip
    if mine is not None:
        raise Conflict(
            f"{funder.name} already has an interest in this call ({mine.status}); "
            "change or withdraw that one instead."
        )
    interest = FundingInterest(
        call_id=call.id,
        funder_id=funder.id,
        amount=data.amount.amount,
        currency=data.amount.currency,
        instrument=data.instrument,
        conditions=data.conditions,
        message=data.message,
        named_publicly=data.named_publicly,
        status="pending",
        decision_note="",
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(interest)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        # Two clicks at once: the partial unique index keeps one live interest.
        raise Conflict(f"{funder.name} already has an interest in this call.") from error
    await publish(
        session, INTEREST_EXPRESSED, call.id, now,
        data={"interest_id": interest.id, "funder_id": funder.id},
    )  # fmt: skip
    return await _load_interest(session, interest.id)


def _check_offer(call: FundingCall, amount: Decimal, currency: str, instrument: str) -> None:
    """An offer is in the call's currency, for an instrument it asks for, and never above
    the amount it seeks: a pledge bigger than the need is a typing slip, not an offer."""
    problems: list[FieldError] = []
    if currency != call.currency:
        # No silent conversion: the city compares offers against the amount it seeks.
        problems.append(
            FieldError.of(
                "amount.currency",
                "must be %(currency)s, the currency of the call",
                currency=call.currency,
            )
        )
    wanted = {i.instrument for i in call.instruments}
    if instrument not in wanted:
        problems.append(
            FieldError.of(
                "instrument", "the call asks for %(wanted)s", wanted=", ".join(sorted(wanted))
            )
        )
    if amount > call.amount_sought:
        problems.append(
            FieldError.of(
                "amount.amount",
                "must not be above the amount sought (%(sought)s)",
                sought=f"{call.amount_sought:.2f} {call.currency}",
            )
        )
    if problems:
        raise Invalid("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


async def _own_interest(
    session: AsyncSession, actor: Actor, call_id: str, interest_id: str
) -> FundingInterest:
    interest = await session.get(FundingInterest, interest_id)
    if interest is None or interest.call_id != call_id:
        raise NotFound("No such interest in this call.")
    if not actor.can_edit(interest.funder_id):
        raise Forbidden("Only the funder's owners and editors may change its interest.")
    if interest.status != "pending":
        raise Conflict(f"This interest was already {interest.status}; it can no longer change.")
    return interest


async def revise_interest(
    session: AsyncSession, actor: Actor, call_id: str, interest_id: str, data: InterestUpdate,
    now: datetime,
) -> FundingInterest:  # fmt: skip
    """A funder changes its offer until the city accepts it (then it is a commitment)."""
    interest = await _own_interest(session, actor, call_id, interest_id)
    call = await load_call(session, call_id)
    if status_of(call, now) != "open":
        raise Conflict("The call is closed; interests no longer change.")
    amount = data.amount if data.amount is not None else None
    _check_offer(
        call,
        amount.amount if amount else interest.amount,
        amount.currency if amount else interest.currency,
        data.instrument or interest.instrument,
    )
    changes = data.model_dump(exclude_unset=True, exclude={"amount"})
    result = await session.execute(
        update(FundingInterest)
        .where(FundingInterest.id == interest.id, FundingInterest.status == "pending")
        .values(
            **{k: v for k, v in changes.items() if v is not None},
            **({"amount": amount.amount, "currency": amount.currency} if amount else {}),
        )
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("This interest was decided meanwhile; it can no longer change.")
    await publish(
        session, INTEREST_REVISED, call.id, now,
        data={"interest_id": interest.id, "funder_id": interest.funder_id},
    )  # fmt: skip
    return await _load_interest(session, interest.id)


async def withdraw_interest(
    session: AsyncSession, actor: Actor, call_id: str, interest_id: str, now: datetime
) -> FundingInterest:
    """Withdrawn until accepted; the row stays so the city's list tells what happened."""
    interest = await _own_interest(session, actor, call_id, interest_id)
    result = await session.execute(
        update(FundingInterest)
        .where(FundingInterest.id == interest.id, FundingInterest.status == "pending")
        .values(status="withdrawn", decided_at=now, decided_by=actor.user_id)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("This interest was decided meanwhile; it can no longer be withdrawn.")
    await publish(
        session, INTEREST_WITHDRAWN, call_id, now,
        data={"interest_id": interest.id, "funder_id": interest.funder_id},
    )  # fmt: skip
    return await _load_interest(session, interest.id)


async def _load_interest(session: AsyncSession, interest_id: str) -> FundingInterest:
    interest = await session.scalar(
        select(FundingInterest)
        .where(FundingInterest.id == interest_id)
        .options(selectinload(FundingInterest.funder), selectinload(FundingInterest.call))
        .execution_options(populate_existing=True)
    )
    if interest is None:
        raise NotFound("No such interest.")
    return interest


def _interests_query() -> Any:
    return select(FundingInterest).options(
        selectinload(FundingInterest.funder), selectinload(FundingInterest.call)
    )


async def call_interests(
    session: AsyncSession, actor: Actor, call_id: str, now: datetime
) -> list[FundingInterest]:
    """The call's cities see every interest; a funder sees only its own."""
    call = await get_call(session, actor, call_id, now)
    query = _interests_query().where(FundingInterest.call_id == call.id)
    if not (actor.is_admin or any(actor.is_member(o) for o in city_ids(call))):
        query = query.where(FundingInterest.funder_id.in_(list(actor.roles)))
    rows = await session.scalars(query.order_by(FundingInterest.created_at, FundingInterest.id))
    return list(rows)


async def decide_interest(
    session: AsyncSession,
    actor: Actor,
    call_id: str,
    interest_id: str,
    accept: bool,
    note: str,
    now: datetime,
) -> FundingInterest:
    call = await get_call(session, actor, call_id, now)
    interest = await session.get(FundingInterest, interest_id)
    if interest is None or interest.call_id != call.id:
        raise NotFound("No such interest in this call.")
    require_action(actor, call, "decide", now)
    if accept and interest.status == "pending":
        accepted = (await pledged_totals(session, [call.id]))[call.id]
        if accepted + interest.amount > call.amount_sought:
            left = max(call.amount_sought - accepted, ZERO)
            raise Conflict(
                f"Accepting this interest would commit more than the call seeks: "
                f"{left:.2f} {call.currency} is still open.",
                [FieldError("decision", f"only {left:.2f} {call.currency} is still sought")],
            )
    # Conditional update: a decision is taken once, even when two editors click together.
    result = await session.execute(
        update(FundingInterest)
        .where(FundingInterest.id == interest.id, FundingInterest.status == "pending")
        .values(
            status="accepted" if accept else "declined",
            decision_note=note,
            decided_at=now,
            decided_by=actor.user_id,
        )
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict(f"This interest was already {interest.status}.")
    await publish(
        session, INTEREST_ACCEPTED if accept else INTEREST_DECLINED, call.id, now,
        data={"interest_id": interest.id, "funder_id": interest.funder_id},
    )  # fmt: skip
    return await _load_interest(session, interest.id)


def require_funder_member(actor: Actor, funder: Organisation) -> None:
    if not (actor.is_member(funder.id) or actor.is_admin):
        raise Forbidden("Only the funder's own members see this.")


async def funder_interests(
    session: AsyncSession, actor: Actor, funder_id: str
) -> list[FundingInterest]:
    funder = await existing_funder(session, funder_id)
    require_funder_member(actor, funder)
    rows = await session.scalars(
        _interests_query()
        .where(FundingInterest.funder_id == funder.id)
        .order_by(FundingInterest.created_at.desc(), FundingInterest.id)
    )
    return list(rows)


def interest_out(interest: FundingInterest) -> InterestOut:
    return InterestOut(
        id=interest.id,
        call_id=interest.call_id,
        call_title=interest.call.title,
        organisation_id=interest.funder_id,
        funder_name=interest.funder.name,
        amount=money(interest.amount, interest.currency),
        instrument=interest.instrument,
        conditions=interest.conditions,
        message=interest.message,
        named_publicly=interest.named_publicly,
        status=interest.status,
        decision_note=interest.decision_note,
        decided_at=interest.decided_at,
        created_at=interest.created_at,
    )
