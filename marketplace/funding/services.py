"""Funding rules: who may create, publish, close, back and decide; checked here only.

A call's status is derived from its timestamps and the clock (`status_of`): it is `draft`
until published, `open` until its deadline or until the lead city closes it, then
`closed`. Nothing runs at the deadline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, Forbidden, Invalid, NotFound
from marketplace.funding import fit
from marketplace.funding.models import (
    CALL_LOAD,
    FunderProfile,
    FundingCall,
    FundingCallInstrument,
    FundingCallPartner,
    FundingCallStandard,
    FundingCallTheme,
    FundingInterest,
    ShortlistEntry,
)
from marketplace.funding.schemas import (
    FitOut,
    FitReasonOut,
    FunderProfileIn,
    FunderProfileOut,
    FundingCallIn,
    FundingCallOut,
    FundingCallUpdate,
    InterestIn,
    InterestOut,
    NamedFunder,
    Outcome,
    PartnerOut,
    ShortlistOut,
    money,
)
from marketplace.funding.search import KIND as SEARCH_KIND
from marketplace.searching import enqueue
from marketplace.searching.services import MAX_TEXT, SearchUnavailable
from marketplace.standards.models import Standard
from search import BackendUnavailable, SearchBackend, SearchQuery
from search.query import MAX_PER_PAGE

ZERO = Decimal("0.00")
# Calls considered when a funder narrows the fits by words: more than any ranking shows.
FIT_TEXT_CANDIDATES = 500


# --- status ----------------------------------------------------------------------------


def status_of(call: FundingCall, now: datetime) -> str:
    if call.published_at is None:
        return "draft"
    if call.closed_at is not None or call.deadline <= now:
        return "closed"
    return "open"


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


def city_ids(call: FundingCall) -> set[str]:
    """The lead city and the partners that confirmed: the cities that speak for the call."""
    return {call.organisation_id} | {p.organisation_id for p in call.partners if p.confirmed_at}


def is_call_member(actor: Actor | None, call: FundingCall) -> bool:
    """Members of the lead or of any invited partner city (they see the draft to confirm)."""
    if actor is None:
        return False
    orgs = {call.organisation_id} | {p.organisation_id for p in call.partners}
    return actor.is_admin or any(actor.is_member(o) for o in orgs)


def can_decide(actor: Actor | None, call: FundingCall) -> bool:
    return actor is not None and any(actor.can_edit(o) for o in city_ids(call))


def _require_lead_editor(actor: Actor, call: FundingCall) -> None:
    if not actor.can_edit(call.organisation_id):
        raise Forbidden("Only the lead city's owners and editors may change this funding call.")


# --- calls -----------------------------------------------------------------------------


async def _organisation(session: AsyncSession, organisation_id: str, field: str) -> Organisation:
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


async def _load(session: AsyncSession, call_id: str) -> FundingCall:
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
    lead = await _organisation(session, data.organisation_id, "organisation_id")
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
    return await _load(session, call.id)


async def _check_partner(
    session: AsyncSession, lead_id: str, partner_id: str, field: str
) -> Organisation:
    partner = await _organisation(session, partner_id, field)
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
    _require_lead_editor(actor, call)
    if status_of(call, now) != "draft":
        raise Conflict("A published funding call can no longer be edited.")
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
    return await _load(session, call.id)


async def invite_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    _require_lead_editor(actor, call)
    if status_of(call, now) != "draft":
        raise Conflict("Partners are invited while the call is a draft.")
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
    return await _load(session, call.id)


async def remove_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    partner = next((p for p in call.partners if p.organisation_id == organisation_id), None)
    # The lead removes a partner; a partner city may also withdraw itself.
    if not (actor.can_edit(call.organisation_id) or actor.can_edit(organisation_id)):
        raise Forbidden("Only the lead city or the partner itself may remove a partner.")
    if partner is None:
        raise NotFound("That city is not a partner of this call.")
    if status_of(call, now) != "draft":
        raise Conflict("Partners change only while the call is a draft.")
    call.partners.remove(partner)
    call.updated_at = now
    await session.flush()
    return await _load(session, call.id)


async def confirm_partner(
    session: AsyncSession, actor: Actor, call_id: str, organisation_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    partner = next((p for p in call.partners if p.organisation_id == organisation_id), None)
    if partner is None:
        raise NotFound("That city is not invited to this call.")
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the invited city's own owners and editors confirm its part.")
    if status_of(call, now) != "draft":
        raise Conflict("The call is already published.")
    if partner.confirmed_at is None:
        partner.confirmed_at = now
    await session.flush()
    return await _load(session, call.id)


async def publish_call(
    session: AsyncSession, actor: Actor, call_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    _require_lead_editor(actor, call)
    if status_of(call, now) != "draft":
        raise Conflict("The call is already published.")
    if not call.organisation.verified:
        raise Forbidden("Only a verified city may publish a funding call; ask a platform admin.")
    waiting = [p.organisation.name for p in call.partners if p.confirmed_at is None]
    if waiting:
        raise Conflict(f"Waiting for partner cities to confirm: {', '.join(waiting)}.")
    if call.deadline <= now:
        raise Conflict("The deadline has passed; move it later before publishing.")
    # Conditional update: two editors pressing "publish" at once publish it once.
    result = await session.execute(
        update(FundingCall)
        .where(FundingCall.id == call.id, FundingCall.published_at.is_(None))
        .values(published_at=now, updated_at=now)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("The call is already published.")
    await enqueue(session, SEARCH_KIND, call.id, now=now)
    return await _load(session, call.id)


async def close_call(
    session: AsyncSession, actor: Actor, call_id: str, now: datetime
) -> FundingCall:
    call = await get_call(session, actor, call_id, now)
    _require_lead_editor(actor, call)
    if status_of(call, now) != "open":
        raise Conflict(f"Only an open call can be closed; this one is {status_of(call, now)}.")
    call.closed_at = now
    call.updated_at = now
    await session.flush()
    await enqueue(session, SEARCH_KIND, call.id, now=now)
    return await _load(session, call.id)


async def get_call(
    session: AsyncSession, actor: Actor | None, call_id: str, now: datetime
) -> FundingCall:
    call = await _load(session, call_id)
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
) -> tuple[list[FundingCall], int]:
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
    if f.q:
        pattern = f"%{f.q.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(FundingCall.title.ilike(pattern), FundingCall.summary.ilike(pattern))
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.options(*CALL_LOAD)
        .order_by(FundingCall.deadline, FundingCall.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


# --- what a call shows ------------------------------------------------------------------


async def pledged_totals(session: AsyncSession, call_ids: Sequence[str]) -> dict[str, Decimal]:
    """Accepted interests per call, added as Decimals in Python: exact on SQLite too."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    if not call_ids:
        return totals
    rows = await session.execute(
        select(FundingInterest.call_id, FundingInterest.amount).where(
            FundingInterest.call_id.in_(list(call_ids)), FundingInterest.status == "accepted"
        )
    )
    for call_id, amount in rows.tuples():
        totals[call_id] += Decimal(amount).quantize(ZERO)
    return totals


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
    session: AsyncSession, calls: Sequence[FundingCall], now: datetime
) -> list[FundingCallOut]:
    ids = [c.id for c in calls]
    totals = await pledged_totals(session, ids)
    named = await _named_funders(session, ids)
    return [_call_out(c, now, totals[c.id], named.get(c.id, [])) for c in calls]


async def call_out(session: AsyncSession, call: FundingCall, now: datetime) -> FundingCallOut:
    return (await calls_out(session, [call], now))[0]


def _call_out(
    call: FundingCall, now: datetime, pledged: Decimal, named: list[NamedFunder]
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
    )


# --- interests ---------------------------------------------------------------------------


async def _funder(session: AsyncSession, funder_id: str, field: str) -> Organisation:
    funder = await _organisation(session, funder_id, field)
    if funder.kind != "funder":
        raise Invalid.field(field, f"{funder.name} is not a funder organisation")
    return funder


async def express_interest(
    session: AsyncSession, actor: Actor, call_id: str, data: InterestIn, now: datetime
) -> FundingInterest:
    funder = await _funder(session, data.organisation_id, "organisation_id")
    if not actor.can_edit(funder.id):
        raise Forbidden("Only the funder's owners and editors may express interest for it.")
    call = await _load(session, call_id)
    status = status_of(call, now)
    if status != "open":
        reason = "is not published yet" if status == "draft" else "is closed"
        raise Conflict(f"Interest can be expressed only in an open call; this call {reason}.")
    if data.amount.currency != call.currency:
        # No silent conversion: the city compares offers against the amount it seeks.
        raise Invalid.field("amount.currency", f"must be {call.currency}, the currency of the call")
    wanted = {i.instrument for i in call.instruments}
    if data.instrument not in wanted:
        raise Invalid.field("instrument", f"the call asks for {', '.join(sorted(wanted))}")
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
    await session.flush()
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
    if not can_decide(actor, call):
        raise Forbidden("Only the call's cities accept or decline interest.")
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
    return await _load_interest(session, interest.id)


def _require_funder_member(actor: Actor, funder: Organisation) -> None:
    if not (actor.is_member(funder.id) or actor.is_admin):
        raise Forbidden("Only the funder's own members see this.")


async def funder_interests(
    session: AsyncSession, actor: Actor, funder_id: str
) -> list[FundingInterest]:
    funder = await _existing_funder(session, funder_id)
    _require_funder_member(actor, funder)
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


# --- funder profiles and fit -------------------------------------------------------------


async def _existing_funder(session: AsyncSession, funder_id: str) -> Organisation:
    funder = await session.get(Organisation, funder_id)
    if funder is None or funder.kind != "funder":
        raise NotFound("No such funder.")
    return funder


async def get_profile(
    session: AsyncSession, funder_id: str
) -> tuple[Organisation, FunderProfile | None]:
    funder = await _existing_funder(session, funder_id)
    return funder, await session.get(FunderProfile, funder.id)


async def save_profile(
    session: AsyncSession, actor: Actor, funder_id: str, data: FunderProfileIn, now: datetime
) -> tuple[Organisation, FunderProfile]:
    funder = await _existing_funder(session, funder_id)
    if not actor.can_edit(funder.id):
        raise Forbidden("Only the funder's owners and editors may change its investment focus.")
    if (
        data.ticket_min is not None
        and data.ticket_max is not None
        and data.ticket_min > data.ticket_max
    ):
        raise Invalid.field("ticket_max", "must not be below the minimum ticket")
    profile = await session.get(FunderProfile, funder.id)
    if profile is None:
        profile = FunderProfile(organisation_id=funder.id)
        session.add(profile)
    profile.themes = list(data.themes)
    profile.instruments = list(data.instruments)
    profile.ticket_min = data.ticket_min
    profile.ticket_max = data.ticket_max
    profile.currency = data.currency
    profile.countries = list(data.countries)
    profile.nuts_codes = list(data.nuts_codes)
    profile.min_co_financing_percent = data.min_co_financing_percent
    profile.updated_at = now
    await session.flush()
    return funder, profile


def profile_out(funder: Organisation, profile: FunderProfile | None) -> FunderProfileOut:
    if profile is None:
        return FunderProfileOut(
            organisation_id=funder.id, organisation_name=funder.name, themes=[], instruments=[],
            ticket_min=None, ticket_max=None, currency="EUR", countries=[], nuts_codes=[],
            min_co_financing_percent=None, updated_at=None,
        )  # fmt: skip
    return FunderProfileOut(
        organisation_id=funder.id,
        organisation_name=funder.name,
        themes=list(profile.themes),
        instruments=list(profile.instruments),
        ticket_min=money(profile.ticket_min, profile.currency)
        if profile.ticket_min is not None
        else None,
        ticket_max=money(profile.ticket_max, profile.currency)
        if profile.ticket_max is not None
        else None,
        currency=profile.currency,
        countries=list(profile.countries),
        nuts_codes=list(profile.nuts_codes),
        min_co_financing_percent=profile.min_co_financing_percent,
        updated_at=profile.updated_at,
    )


def focus_of(profile: FunderProfile | None) -> fit.FunderFocus:
    if profile is None:
        return fit.FunderFocus()
    return fit.FunderFocus(
        themes=frozenset(profile.themes),
        instruments=frozenset(profile.instruments),
        ticket_min=profile.ticket_min,
        ticket_max=profile.ticket_max,
        currency=profile.currency,
        countries=frozenset(profile.countries),
        nuts_codes=frozenset(profile.nuts_codes),
        min_co_financing_percent=profile.min_co_financing_percent,
    )


def facts_of(call: FundingCall) -> fit.CallFacts:
    cities = [call.organisation] + [p.organisation for p in call.partners if p.confirmed_at]
    return fit.CallFacts(
        id=call.id,
        themes=frozenset(t.theme_code for t in call.themes),
        instruments=frozenset(i.instrument for i in call.instruments),
        amount=call.amount_sought,
        currency=call.currency,
        co_financing_percent=call.co_financing_percent,
        places=tuple(fit.Place(c.name, c.country, c.nuts_code) for c in cities),
    )


async def _calls_about(backend: SearchBackend, text: str, now: datetime) -> list[str]:
    """Open calls whose words match, through the search engine (folding, prefixes, typos)."""
    query = SearchQuery(text=text, types=(SEARCH_KIND,), statuses=("open",), deadline_from=now,
                        per_page=MAX_PER_PAGE, facets=False)  # fmt: skip
    ids: list[str] = []
    try:
        while True:
            result = await backend.search(query)
            ids += [h.id for h in result.hits]
            if len(ids) >= result.total or not result.hits or len(ids) >= FIT_TEXT_CANDIDATES:
                return ids
            query = replace(query, page=query.page + 1)
    except BackendUnavailable as error:
        raise SearchUnavailable(
            "Searching the calls by words is temporarily unavailable; try without words."
        ) from error


async def fits(
    session: AsyncSession,
    actor: Actor,
    funder_id: str,
    now: datetime,
    limit: int = 50,
    *,
    text: str | None = None,
    backend: SearchBackend | None = None,
) -> list[FitOut]:
    """Open calls ranked by fit with the funder's focus; with `text`, only the calls the
    search engine finds for those words (the same search everyone uses)."""
    funder, profile = await get_profile(session, funder_id)
    _require_funder_member(actor, funder)
    statement = (
        select(FundingCall)
        .where(open_clause(now))
        .options(*CALL_LOAD)
        .order_by(FundingCall.deadline, FundingCall.id)
    )
    if text and text.strip():
        if backend is None:
            raise ValueError("searching calls by words needs the search backend")
        if len(text) > MAX_TEXT:
            raise Invalid.field("q", f"must be at most {MAX_TEXT} characters")
        statement = statement.where(FundingCall.id.in_(await _calls_about(backend, text, now)))
    calls = list(await session.scalars(statement))
    by_id = {c.id: c for c in calls}
    ranked = fit.rank(focus_of(profile), [facts_of(c) for c in calls])[:limit]
    return [
        FitOut(
            call_id=f.call_id,
            title=by_id[f.call_id].title,
            organisation_name=by_id[f.call_id].organisation.name,
            amount_sought=money(by_id[f.call_id].amount_sought, by_id[f.call_id].currency),
            deadline=by_id[f.call_id].deadline,
            score=f.score,
            reasons=[
                FitReasonOut(
                    criterion=r.criterion,
                    matched=r.matched,
                    points=r.points,
                    detail=r.detail,
                )
                for r in f.reasons
            ],
        )
        for f in ranked
    ]


# --- shortlists --------------------------------------------------------------------------


async def shortlist(
    session: AsyncSession, actor: Actor, funder_id: str, now: datetime
) -> list[ShortlistOut]:
    funder = await _existing_funder(session, funder_id)
    _require_funder_member(actor, funder)
    entries = list(
        await session.scalars(
            select(ShortlistEntry)
            .where(ShortlistEntry.funder_id == funder.id)
            .options(
                selectinload(ShortlistEntry.call).selectinload(FundingCall.organisation),
            )
            .join(FundingCall, FundingCall.id == ShortlistEntry.call_id)
            .order_by(FundingCall.deadline, ShortlistEntry.id)
        )
    )
    totals = await pledged_totals(session, [e.call_id for e in entries])
    return [
        ShortlistOut(
            call_id=e.call_id,
            title=e.call.title,
            organisation_name=e.call.organisation.name,
            status=status_of(e.call, now),
            deadline=e.call.deadline,
            amount_sought=money(e.call.amount_sought, e.call.currency),
            pledged_total=money(totals[e.call_id], e.call.currency),
            note=e.note,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )
        for e in entries
    ]


async def save_shortlist_entry(
    session: AsyncSession, actor: Actor, funder_id: str, call_id: str, note: str, now: datetime
) -> bool:
    """Add the call to the shortlist or change its note; True when it was added."""
    funder = await _existing_funder(session, funder_id)
    if not actor.can_edit(funder.id):
        raise Forbidden("Only the funder's owners and editors keep its shortlist.")
    call = await session.get(FundingCall, call_id)
    if call is None or call.published_at is None:
        raise NotFound("No such funding call.")
    entry = await session.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.funder_id == funder.id, ShortlistEntry.call_id == call.id
        )
    )
    if entry is not None:
        entry.note = note
        entry.updated_at = now
        return False
    try:
        # A savepoint: two tabs adding the same call at once must not fail the request.
        async with session.begin_nested():
            session.add(
                ShortlistEntry(
                    funder_id=funder.id, call_id=call.id, note=note, created_at=now, updated_at=now
                )
            )
    except IntegrityError:
        await session.execute(
            update(ShortlistEntry)
            .where(ShortlistEntry.funder_id == funder.id, ShortlistEntry.call_id == call.id)
            .values(note=note, updated_at=now)
        )
        return False
    return True


async def remove_shortlist_entry(
    session: AsyncSession, actor: Actor, funder_id: str, call_id: str
) -> None:
    funder = await _existing_funder(session, funder_id)
    if not actor.can_edit(funder.id):
        raise Forbidden("Only the funder's owners and editors keep its shortlist.")
    entry = await session.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.funder_id == funder.id, ShortlistEntry.call_id == call_id
        )
    )
    if entry is None:
        raise NotFound("That call is not on the shortlist.")
    await session.delete(entry)


async def funders_of(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    """The funder organisations the actor belongs to, for dashboards and forms."""
    if actor is None or not actor.roles:
        return []
    rows = await session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(list(actor.roles)), Organisation.kind == "funder")
        .order_by(Organisation.name)
    )
    return list(rows)


async def cities_of(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    if actor is None or not actor.roles:
        return []
    rows = await session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(list(actor.roles)), Organisation.kind == "city")
        .order_by(Organisation.name)
    )
    return list(rows)


async def all_cities(session: AsyncSession) -> list[Organisation]:
    rows = await session.scalars(
        select(Organisation).where(Organisation.kind == "city").order_by(Organisation.name)
    )
    return list(rows)


async def standard_codes(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(select(Standard.code, Standard.title).order_by(Standard.code))
    return [(c, t) for c, t in rows.tuples()]
