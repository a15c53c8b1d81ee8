"""A funder's side: its investment focus (profile), how open calls fit it, and its
shortlist of calls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish
from marketplace.errors import Forbidden, Invalid, NotFound
from marketplace.funding import fit
from marketplace.funding.events import (
    FUNDER_PROFILE_SAVED,
    SHORTLIST_REMOVED,
    SHORTLIST_SAVED,
)
from marketplace.funding.interests import existing_funder, require_funder_member
from marketplace.funding.models import (
    FunderProfile,
    FundingCall,
    ShortlistEntry,
)
from marketplace.funding.policies import (
    status_of,
)
from marketplace.funding.schemas import (
    FunderProfileIn,
    FunderProfileOut,
    ShortlistOut,
    money,
)
from marketplace.funding.services import (
    pledged_totals,
)

# --- funder profiles and fit -------------------------------------------------------------


async def get_profile(
    session: AsyncSession, funder_id: str
) -> tuple[Organisation, FunderProfile | None]:
    funder = await existing_funder(session, funder_id)
    return funder, await session.get(FunderProfile, funder.id)


async def save_profile(
    session: AsyncSession, actor: Actor, funder_id: str, data: FunderProfileIn, now: datetime
) -> tuple[Organisation, FunderProfile]:
    funder = await existing_funder(session, funder_id)
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
    await publish(session, FUNDER_PROFILE_SAVED, funder.id, now)
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


# --- shortlists --------------------------------------------------------------------------


async def shortlist(
    session: AsyncSession, actor: Actor, funder_id: str, now: datetime
) -> list[ShortlistOut]:
    funder = await existing_funder(session, funder_id)
    require_funder_member(actor, funder)
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
    funder = await existing_funder(session, funder_id)
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
    await publish(session, SHORTLIST_SAVED, funder.id, now, data={"call_id": call.id})
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
    session: AsyncSession, actor: Actor, funder_id: str, call_id: str, now: datetime
) -> None:
    funder = await existing_funder(session, funder_id)
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
    await publish(session, SHORTLIST_REMOVED, funder.id, now, data={"call_id": call_id})
