"""Funding calls as search documents: published calls only, with what their public page
shows. Interests, pledges and funders' shortlists are private and never reach the index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.funding.models import (
    CALL_LOAD,
    FundingCall,
    FundingCallPartner,
    FundingCallStandard,
)
from marketplace.searching import register_dependents, register_kind
from marketplace.searching.mapping import comparable, metrics, standard_titles, titles_of
from search import SearchDocument

KIND = "funding_call"


def lifecycle_status(call: FundingCall) -> str | None:
    """`open` until closed by its city; the deadline passing is asked for at query time
    (`status=open` searches add "deadline from now"), so the index never goes stale."""
    if call.published_at is None:
        return None
    return "closed" if call.closed_at is not None else "open"


def document_of(call: FundingCall, titles: Mapping[str, str]) -> SearchDocument | None:
    status = lifecycle_status(call)
    if status is None:
        return None
    cities = [call.organisation] + [p.organisation for p in call.partners if p.confirmed_at]
    standards = tuple(sorted(s.standard_code for s in call.standards))
    instruments = ", ".join(sorted(i.instrument for i in call.instruments))
    return SearchDocument(
        id=call.id,
        type=KIND,
        title=call.title,
        summary=call.summary,
        body=f"{call.description}\nInstruments: {instruments}" if instruments else call.description,
        organisation=", ".join(c.name for c in cities),
        standards=standards,
        standard_titles=titles_of(standards, titles),
        outcomes=metrics(call.outcomes),
        themes=tuple(sorted(t.theme_code for t in call.themes)),
        countries=tuple(dict.fromkeys(c.country for c in cities)),
        nuts_codes=tuple(dict.fromkeys(c.nuts_code for c in cities if c.nuts_code)),
        status=status,
        value=comparable(call.amount_sought, call.currency),
        deadline=call.deadline,
        published_at=call.published_at,
        extra={"url": f"/funding-calls/{call.id}", "currency": call.currency},
    )


async def load(session: AsyncSession, ids: Sequence[str] | None) -> list[SearchDocument]:
    query = (
        select(FundingCall)
        .where(FundingCall.published_at.is_not(None))
        .options(*CALL_LOAD)
        .order_by(FundingCall.id)
    )
    if ids is not None:
        query = query.where(FundingCall.id.in_(list(ids)))
    titles = await standard_titles(session)
    calls = await session.scalars(query)
    return [d for c in calls if (d := document_of(c, titles)) is not None]


async def of_organisation(session: AsyncSession, organisation_id: str) -> list[str]:
    partner_of = select(FundingCallPartner.call_id).where(
        FundingCallPartner.organisation_id == organisation_id
    )
    found = await session.scalars(
        select(FundingCall.id).where(
            FundingCall.published_at.is_not(None),
            or_(FundingCall.organisation_id == organisation_id, FundingCall.id.in_(partner_of)),
        )
    )
    return list(found)


async def asking_for(session: AsyncSession, code: str) -> list[str]:
    found = await session.scalars(
        select(FundingCallStandard.call_id)
        .join(FundingCall, FundingCall.id == FundingCallStandard.call_id)
        .where(FundingCallStandard.standard_code == code, FundingCall.published_at.is_not(None))
    )
    return list(found)


register_kind(KIND, load, key=FundingCall.id)
register_dependents(KIND, "organisation", of_organisation)
register_dependents(KIND, "standard", asking_for)
