"""Funding rules: who may create, publish, close, back and decide; checked here only.

A call's status is derived from its timestamps and the clock (`status_of`): it is `draft`
until published, `open` until its deadline or until the lead city closes it, then
`closed`. Nothing runs at the deadline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, get_args

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish
from marketplace.core.paging import paged
from marketplace.core.sorting import checked_sort
from marketplace.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from marketplace.funding.events import (
    CALL_CLOSED,
    CALL_CREATED,
    CALL_PUBLISHED,
    CALL_UPDATED,
    PARTNER_CONFIRMED,
    PARTNER_INVITED,
    PARTNER_REMOVED,
)
from marketplace.funding.models import (
    CALL_LOAD,
    FundingCall,
    FundingCallInstrument,
    FundingCallPartner,
    FundingCallStandard,
    FundingCallTheme,
    FundingInterest,
)
from marketplace.funding.policies import (
    call_actions,
    is_call_member,
    partner_actions,
    status_of,
)
from marketplace.funding.schemas import (
    CallSort,
    FundingCallIn,
    FundingCallOut,
    FundingCallUpdate,
    NamedFunder,
    Outcome,
    PartnerOut,
    money,
)
from marketplace.standards.models import Standard

ZERO = Decimal("0.00")
LIVE_STATUSES = ("pending", "accepted")

# --- status ----------------------------------------------------------------------------


def open_clause(now: datetime) -> ColumnElement[bool]:
    """The SQL twin of `status_of(...) == "open"`."""
    return and_(
        FundingCall.published_at.is_not(None),
        FundingCall.closed_at.is_(None),
        FundingCall.deadline > now,
    )


def _status_clause(status: str, now: datetime) -> ColumnElement[bool]:
    if status == "draft":
        return FundingCall.published_at.is_(None)
    if status == "open":
        return open_clause(now)
    return and_(
        FundingCall.published_at.is_not(None),
        or_(FundingCall.closed_at.is_not(None), FundingCall.deadline <= now),
    )


# --- who is who on a call ---------------------------------------------------------------


def require_action(actor: Actor, call: FundingCall, action: str, now: datetime) -> None:
    """Enforce the funding call policy (funding.policies)."""
    call_actions(actor, call, now).require(action)


# --- calls -----------------------------------------------------------------------------


async def organisation_for(session: AsyncSession, organisation_id: str, field: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise Invalid.field(field, f"no organisation has the id {organisation_id!r}")
    return organisation


async def _check_standards(session: AsyncSession, codes: Sequence[str]) -> None:
    if not codes:
        return
    known = set(
        (await session.scalars(select(Standard.code).where(Standard.code.in_(codes)))).all()
    )
    missing = [c for c in codes if c not in known]
    if missing:
        raise Invalid.field("standards", f"not in the standards catalogue: {', '.join(missing)}")


def _check_deadline(deadline: datetime, now: datetime) -> None:
    if deadline <= now:
        raise Invalid.field("deadline", "must be in the future")


async def load_call(session: AsyncSession, call_id: str) -> FundingCall:
    call = await session.scalar(
        select(FundingCall)
        .where(FundingCall.id == call_id)
        .options(*CALL_LOAD)
        .execution_options(populate_existing=True)
    )
    if call is None:
        raise NotFound("No such funding call.")
    return call


async def create_call(
    session: AsyncSession, actor: Actor, data: FundingCallIn, now: datetime
) -> FundingCall:
    lead = await organisation_for(session, data.organisation_id, "organisation_id")
    if lead.kind != "city":
        raise Invalid.field("organisation_id", "only a city can seek funding through a call")
    if not actor.can_edit(lead.id):
        raise Forbidden("Only the city's owners and editors may create its funding calls.")
    _check_deadline(data.deadline, now)
    for partner_id in data.partner_ids:
        await _check_partner(session, lead.id, partner_id, "partner_ids")
    await _check_standards(session, data.standards)
    call = FundingCall(
        organisation_id=lead.id,
        title=data.title,
        summary=data.summary,
        description=data.description,
        amount_sought=data.amount_sought.amount,
        currency=data.amount_sought.currency,
        co_financing_percent=data.co_financing_percent,
        outcomes=[o.model_dump(mode="json") for o in data.outcomes],
        tender_ids=[str(t) for t in data.tender_ids],
        deadline=data.deadline,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        partners=[
            FundingCallPartner(organisation_id=p, invited_at=now, confirmed_at=None)
            for p in data.partner_ids
        ],
        themes=[FundingCallTheme(theme_code=t) for t in data.themes],
        instruments=[FundingCallInstrument(instrument=i) for i in data.instruments],
        standards=[FundingCallStandard(standard_code=s) for s in data.standards],
    )
    session.add(call)
    await session.flush()
    await publish(session, CALL_CREATED, call.id, now, data={"organisation_id": lead.id})
    return await load_call(session, call.id)


async def _check_partner(
    session: AsyncSession, lead_id: str, partner_id: str, field: str
) -> Organisation:
    partner = await organisation_for(session, partner_id, field)
    if partner.kind != "city":
        raise Invalid.field(field, f"{partner.name} is not a city")
    if partner.id == lead_id:
        raise Invalid.field(field, "the lead city cannot also be its own partner")
    return partner


def _sync(collection: list[Any], wanted: Sequence[str], attribute: str, factory: Any) -> None:
    """Keep rows still wanted, drop the rest, add the new: composite keys never collide."""
    keep = set(wanted)
    for row in list(collection):
        if getattr(row, attribute) not in keep:
            collection.remove(row)
    present = {getattr(row, attribute) for row in collection}
    collection.extend(factory(code) for code in wanted if code not in present)


async def update_call(
    session: AsyncSession, actor: Actor, call_id: str, data: FundingCallUpdate, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    require_action(actor, call, "edit", now)
    # Check everything first: a refused edit changes nothing.
    if data.deadline is not None:
        _check_deadline(data.deadline, now)
    if data.standards is not None:
        await _check_standards(session, data.standards)
    changes = data.model_dump(exclude_unset=True)
    for name in ("title", "summary", "description", "co_financing_percent"):
        if name in changes and (changes[name] is not None or name == "co_financing_percent"):
            setattr(call, name, changes[name])
    if data.amount_sought is not None:
        call.amount_sought = data.amount_sought.amount
        call.currency = data.amount_sought.currency
    if data.deadline is not None:
        call.deadline = data.deadline
    if data.outcomes is not None:
        call.outcomes = [o.model_dump(mode="json") for o in data.outcomes]
    if data.tender_ids is not None:
        call.tender_ids = [str(t) for t in data.tender_ids]
    if data.themes is not None:
        _sync(call.themes, data.themes, "theme_code", lambda c: FundingCallTheme(theme_code=c))
    if data.instruments is not None:
        _sync(
            call.instruments,
            data.instruments,
            "instrument",
            lambda c: FundingCallInstrument(instrument=c),
        )
    if data.standards is not None:
        _sync(
            call.standards,
            data.standards,
            "standard_code",
            lambda c: FundingCallStandard(standard_code=c),
        )
    call.updated_at = now
    await session.flush()
    await publish(session, CALL_UPDATED, call.id, now)
    return await load_call(session, call.id)


async def invite_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    require_action(actor, call, "invite", now)
    await _check_partner(session, call.organisation_id, organisation_id, "organisation_id")
    if any(p.organisation_id == organisation_id for p in call.partners):
        raise Conflict("That city is already a partner of this call.")
    session.add(
        FundingCallPartner(
            call_id=call.id, organisation_id=organisation_id, invited_at=now, confirmed_at=None
        )
    )
    call.updated_at = now
    await session.flush()
    await publish(session, PARTNER_INVITED, call.id, now, data={"organisation_id": organisation_id})
    return await load_call(session, call.id)


async def remove_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    partner = next((p for p in call.partners if p.organisation_id == organisation_id), None)
    if partner is None:
        # Say who may remove partners before saying whether this one is one.
        if not (actor.can_edit(call.organisation_id) or actor.can_edit(organisation_id)):
            raise Forbidden("Only the lead city or the partner itself may remove a partner.")
        raise NotFound("That city is not a partner of this call.")
    partner_actions(actor, call, partner, now).require("remove")
    call.partners.remove(partner)
    call.updated_at = now
    await session.flush()
    await publish(session, PARTNER_REMOVED, call.id, now, data={"organisation_id": organisation_id})
    return await load_call(session, call.id)


async def confirm_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    partner = next((p for p in call.partners if p.organisation_id == organisation_id), None)
    if partner is None:
        raise NotFound("That city is not invited to this call.")
    partner_actions(actor, call, partner, now).require("confirm")
    if partner.confirmed_at is None:
        partner.confirmed_at = now
        await publish(
            session, PARTNER_CONFIRMED, call.id, now, data={"organisation_id": organisation_id}
        )
    await session.flush()
    return await load_call(session, call.id)


def publication_problems(call: FundingCall, now: datetime) -> list[FieldError]:
    """Publication's checks on a draft, for the workspace to show while editing (the same
    ones `publish_call` refuses on), each on the field it concerns."""
    problems: list[FieldError] = []
    if not call.organisation.verified:
        problems.append(
            FieldError("organisation_id", "only a verified city may publish; ask a platform admin")
        )
    for partner in call.partners:
        if partner.confirmed_at is None:
            problems.append(
                FieldError.of(
                    "partners",
                    "%(name)s has not confirmed its participation",
                    name=partner.organisation.name,
                )
            )
    if call.deadline <= now:
        problems.append(FieldError("deadline", "must be in the future"))
    return problems


async def publish_call(
    session: AsyncSession, actor: Actor, call_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    require_action(actor, call, "publish", now)
    # Conditional update: two editors pressing "publish" at once publish it once.
    result = await session.execute(
        update(FundingCall)
        .where(FundingCall.id == call.id, FundingCall.published_at.is_(None))
        .values(published_at=now, updated_at=now)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("The call is already published.")
    await publish(session, CALL_PUBLISHED, call.id, now)
    return await load_call(session, call.id)


async def close_call(
    session: AsyncSession, actor: Actor, call_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    require_action(actor, call, "close", now)
    call.closed_at = now
    call.updated_at = now
    await session.flush()
    await publish(session, CALL_CLOSED, call.id, now)
    return await load_call(session, call.id)


async def get_call(
    session: AsyncSession, actor: Actor | None, call_id: str, now: datetime
) -> FundingCall:
    call = await load_call(session, call_id)
    if call.published_at is None and not is_call_member(actor, call):
        raise NotFound("No such funding call.")
    return call


@dataclass(frozen=True)
class CallFilters:
    status: str | None = None
    themes: Sequence[str] = ()
    instrument: str | None = None
    country: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    deadline_after: date | None = None
    deadline_before: date | None = None
    organisation_id: str | None = None
    # Calls led by or partnered with any of these (a city officer's workspace).
    organisation_ids: Sequence[str] = ()
    q: str | None = None


def _partner_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(FundingCallPartner.id)
        .join(Organisation, Organisation.id == FundingCallPartner.organisation_id)
        .where(FundingCallPartner.call_id == FundingCall.id, condition)
    )


def _visible(actor: Actor | None) -> ColumnElement[bool]:
    published = FundingCall.published_at.is_not(None)
    if actor is None:
        return published
    if actor.is_admin:
        return FundingCall.id.is_not(None)
    orgs = list(actor.roles)
    return or_(
        published,
        FundingCall.organisation_id.in_(orgs),
        _partner_where(FundingCallPartner.organisation_id.in_(orgs)),
    )


def _day_start(day: date) -> datetime:
    from datetime import UTC

    return datetime.combine(day, time.min, tzinfo=UTC)


async def list_calls(
    session: AsyncSession,
    actor: Actor | None,
    now: datetime,
    filters: CallFilters,
    page: int = 1,
    per_page: int = 20,
    *,
    sort: str | None = None,
) -> tuple[list[FundingCall], int]:
    """`sort` one of `CALL_SORTS` (None: the earliest deadline first)."""
    order = _call_order(checked_sort(sort, CALL_SORTS), now)
    query = select(FundingCall).where(_visible(actor))
    f = filters
    if f.status:
        query = query.where(_status_clause(f.status, now))
    if f.themes:
        query = query.where(
            exists(
                select(FundingCallTheme.call_id).where(
                    FundingCallTheme.call_id == FundingCall.id,
                    FundingCallTheme.theme_code.in_(list(f.themes)),
                )
            )
        )
    if f.instrument:
        query = query.where(
            exists(
                select(FundingCallInstrument.call_id).where(
                    FundingCallInstrument.call_id == FundingCall.id,
                    FundingCallInstrument.instrument == f.instrument,
                )
            )
        )
    if f.country:
        lead_country = (
            select(Organisation.country)
            .where(Organisation.id == FundingCall.organisation_id)
            .scalar_subquery()
        )
        query = query.where(
            or_(lead_country == f.country, _partner_where(Organisation.country == f.country))
        )
    if f.amount_min is not None:
        query = query.where(FundingCall.amount_sought >= f.amount_min)
    if f.amount_max is not None:
        query = query.where(FundingCall.amount_sought <= f.amount_max)
    if f.deadline_after:
        query = query.where(FundingCall.deadline >= _day_start(f.deadline_after))
    if f.deadline_before:
        query = query.where(
            FundingCall.deadline < _day_start(f.deadline_before + timedelta(days=1))
        )
    if f.organisation_id:
        query = query.where(
            or_(
                FundingCall.organisation_id == f.organisation_id,
                _partner_where(FundingCallPartner.organisation_id == f.organisation_id),
            )
        )
    if f.organisation_ids:
        ids = list(f.organisation_ids)
        query = query.where(
            or_(
                FundingCall.organisation_id.in_(ids),
                _partner_where(FundingCallPartner.organisation_id.in_(ids)),
            )
        )
    if f.q:
        pattern = f"%{f.q.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(FundingCall.title.ilike(pattern), FundingCall.summary.ilike(pattern))
        )
    return await paged(session, query, [*order, FundingCall.id], page, per_page, CALL_LOAD)


CALL_SORTS: tuple[str, ...] = get_args(CallSort)


def _call_order(sort: str | None, now: datetime) -> list[Any]:
    deadline = FundingCall.deadline
    match sort:
        case "deadline":
            # Open calls first, closing soonest; then drafts and closed ones, latest first.
            is_open = open_clause(now)
            return [case((is_open, 0), else_=1), case((is_open, deadline)).asc(), deadline.desc()]
        case "newest":
            return [FundingCall.published_at.desc().nulls_last(), FundingCall.created_at.desc()]
        case "title":
            return [func.lower(FundingCall.title), FundingCall.title]
        case "value":
            # The amount sought; the order does not convert between currencies.
            return [FundingCall.amount_sought.desc()]
    return [deadline]


# --- what a call shows ------------------------------------------------------------------


async def _totals(
    session: AsyncSession, call_ids: Sequence[str], statuses: Sequence[str]
) -> dict[str, Decimal]:
    """Interests of these statuses per call, added as Decimals in Python: exact on SQLite
    too."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    if not call_ids:
        return totals
    rows = await session.execute(
        select(FundingInterest.call_id, FundingInterest.amount).where(
            FundingInterest.call_id.in_(list(call_ids)),
            FundingInterest.status.in_(list(statuses)),
        )
    )
    for call_id, amount in rows.tuples():
        totals[call_id] += Decimal(amount).quantize(ZERO)
    return totals


async def pledged_totals(session: AsyncSession, call_ids: Sequence[str]) -> dict[str, Decimal]:
    """Accepted interests per call."""
    return await _totals(session, call_ids, ("accepted",))


async def offered_totals(session: AsyncSession, call_ids: Sequence[str]) -> dict[str, Decimal]:
    """Live offers (pending and accepted) per call."""
    return await _totals(session, call_ids, LIVE_STATUSES)


async def _named_funders(
    session: AsyncSession, call_ids: Sequence[str]
) -> dict[str, list[NamedFunder]]:
    named: dict[str, list[NamedFunder]] = defaultdict(list)
    if not call_ids:
        return named
    rows = await session.execute(
        select(FundingInterest, Organisation)
        .join(Organisation, Organisation.id == FundingInterest.funder_id)
        .where(
            FundingInterest.call_id.in_(list(call_ids)),
            FundingInterest.status == "accepted",
            FundingInterest.named_publicly.is_(True),
        )
        .order_by(Organisation.name, FundingInterest.created_at)
    )
    for interest, funder in rows.tuples():
        named[interest.call_id].append(
            NamedFunder(
                organisation_id=funder.id,
                name=funder.name,
                amount=money(interest.amount, interest.currency),
                instrument=interest.instrument,
            )
        )
    return named


async def calls_out(
    session: AsyncSession,
    calls: Sequence[FundingCall],
    now: datetime,
    actor: Actor | None = None,
) -> list[FundingCallOut]:
    """The calls as shown, each with the `actions` this reader may take (none for nobody)."""
    ids = [c.id for c in calls]
    totals = await pledged_totals(session, ids)
    offered = await offered_totals(session, ids)
    named = await _named_funders(session, ids)
    out = [
        _call_out(c, now, totals[c.id], named.get(c.id, []), call_actions(actor, c, now).names)
        for c in calls
    ]
    for call, view in zip(calls, out, strict=True):
        view.offered_total = money(offered[call.id], call.currency)
        if totals[call.id] >= call.amount_sought > 0:
            view.funding_state = "fully_funded"
        elif offered[call.id] > call.amount_sought:
            view.funding_state = "oversubscribed"
    return out


async def call_out(
    session: AsyncSession, call: FundingCall, now: datetime, actor: Actor | None = None
) -> FundingCallOut:
    return (await calls_out(session, [call], now, actor))[0]


def _call_out(
    call: FundingCall,
    now: datetime,
    pledged: Decimal,
    named: list[NamedFunder],
    actions: list[str],
) -> FundingCallOut:
    status = status_of(call, now)
    reason = None
    if status == "closed":
        reason = "closed_by_city" if call.closed_at is not None else "deadline"
    percent = (
        (pledged * 100 / call.amount_sought).quantize(Decimal("0.1"))
        if call.amount_sought
        else Decimal("0.0")
    )
    return FundingCallOut(
        id=call.id,
        organisation_id=call.organisation_id,
        organisation_name=call.organisation.name,
        partners=[
            PartnerOut(
                organisation_id=p.organisation_id,
                name=p.organisation.name,
                country=p.organisation.country,
                nuts_code=p.organisation.nuts_code,
                confirmed=p.confirmed_at is not None,
                confirmed_at=p.confirmed_at,
            )
            for p in call.partners
        ],
        title=call.title,
        summary=call.summary,
        description=call.description,
        themes=sorted(t.theme_code for t in call.themes),
        amount_sought=money(call.amount_sought, call.currency),
        co_financing_percent=call.co_financing_percent,
        instruments=sorted(i.instrument for i in call.instruments),
        outcomes=[Outcome.model_validate(o) for o in call.outcomes],
        standards=sorted(s.standard_code for s in call.standards),
        tender_ids=list(call.tender_ids),
        deadline=call.deadline,
        status=status,
        closed_reason=reason,
        published_at=call.published_at,
        closed_at=call.closed_at,
        pledged_total=money(pledged, call.currency),
        pledged_percent=percent,
        named_funders=named,
        created_at=call.created_at,
        updated_at=call.updated_at,
        actions=actions,
    )
