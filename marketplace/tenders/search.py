"""Tenders as search documents: published tenders only, built from what their public page
and OCDS releases already show. Responses, their number, questions and scores are sealed
or private and never reach this module's output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.searching import register_dependents, register_kind
from marketplace.searching.mapping import (
    INDEX_CURRENCY,
    comparable,
    cpv_labels,
    metrics,
    standard_titles,
    titles_of,
)
from marketplace.tenders.models import Tender, TenderBuyer
from search import SearchDocument

KIND = "tender"
Org = TypeVar("Org")


def lifecycle_status(tender: Tender) -> str | None:
    """The OCDS tender status as far as events decide it; None before publication.

    The submission deadline passing is not an event: `active` tenders stay `active` in the
    index, and "open for responses" is asked as `status=active` with a deadline from now
    on (the search service adds that bound), so the index never goes stale with the clock.
    """
    if tender.published_at is None:
        return None
    if tender.cancelled_at is not None:
        return "cancelled"
    if tender.completed_at is not None:
        return "complete"
    if tender.unsuccessful_at is not None:
        return "unsuccessful"
    return "active"


class _Buyer(Protocol):
    @property
    def organisation_id(self) -> str: ...
    @property
    def is_lead(self) -> bool: ...
    @property
    def confirmed_at(self) -> datetime | None: ...


class Buyers(Protocol):
    """What naming a tender's cities reads: a tender, or matching's columns of one."""

    @property
    def lead_buyer_id(self) -> str: ...
    @property
    def buyers(self) -> Sequence[_Buyer]: ...


def cities_of(tender: Buyers, organisations: Mapping[str, Org]) -> list[Org]:
    """The lead buyer, then the co-buyers who confirmed (an invitation alone is not public)."""
    ids = [tender.lead_buyer_id] + [
        b.organisation_id
        for b in tender.buyers
        if not b.is_lead
        and b.confirmed_at is not None
        and b.organisation_id != tender.lead_buyer_id
    ]
    return [organisations[i] for i in ids if i in organisations]


def document_of(
    tender: Tender, organisations: Mapping[str, Organisation], titles: Mapping[str, str]
) -> SearchDocument | None:
    status = lifecycle_status(tender)
    if status is None:
        return None
    cities = cities_of(tender, organisations)
    standards = tuple(s["code"] for s in tender.required_standards)
    currencies = {lot.currency for lot in tender.lots}
    total = sum((lot.estimated_amount for lot in tender.lots), start=0)
    summary = tender.description.strip().split("\n\n", 1)[0][:500]
    lots = "\n".join(f"Lot {lot.number}: {lot.title}. {lot.description}" for lot in tender.lots)
    return SearchDocument(
        id=tender.id,
        type=KIND,
        title=tender.title,
        summary=summary,
        body=f"{tender.description}\n{lots}",
        organisation=", ".join(c.name for c in cities),
        cpv_codes=tuple(tender.cpv_codes),
        cpv_labels=cpv_labels(tender.cpv_codes),
        standards=standards,
        standard_titles=titles_of(standards, titles),
        outcomes=metrics(tender.outcomes),
        themes=tuple(tender.themes),
        countries=tuple(dict.fromkeys(c.country for c in cities)),
        nuts_codes=tuple(
            dict.fromkeys([*tender.nuts_codes, *(c.nuts_code for c in cities if c.nuts_code)])
        ),
        status=status,
        value=comparable(total, INDEX_CURRENCY) if currencies == {INDEX_CURRENCY} else None,
        deadline=tender.submission_deadline,
        published_at=tender.published_at,
        extra={"url": f"/tenders/{tender.id}", "ocid": tender.ocid},
    )


async def load(session: AsyncSession, ids: Sequence[str] | None) -> list[SearchDocument]:
    query = (
        select(Tender)
        .where(Tender.published_at.is_not(None))
        .options(selectinload(Tender.lots), selectinload(Tender.buyers))
        .order_by(Tender.id)
    )
    if ids is not None:
        query = query.where(Tender.id.in_(list(ids)))
    tenders = list(await session.scalars(query))
    wanted = {b.organisation_id for t in tenders for b in t.buyers} | {
        t.lead_buyer_id for t in tenders
    }
    organisations = {
        o.id: o
        for o in await session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
    }
    titles = await standard_titles(session)
    return [d for t in tenders if (d := document_of(t, organisations, titles)) is not None]


async def of_organisation(session: AsyncSession, organisation_id: str) -> list[str]:
    found = await session.scalars(
        select(TenderBuyer.tender_id)
        .join(Tender, Tender.id == TenderBuyer.tender_id)
        .where(TenderBuyer.organisation_id == organisation_id, Tender.published_at.is_not(None))
    )
    return list(found)


async def requiring(session: AsyncSession, code: str) -> list[str]:
    # Codes contain no quotes, so the quoted code inside the JSON text is an exact match.
    found = await session.scalars(
        select(Tender.id).where(
            Tender.published_at.is_not(None),
            cast(Tender.required_standards, String).contains(f'"{code}"'),
        )
    )
    return list(found)


register_kind(KIND, load, key=Tender.id)
register_dependents(KIND, "organisation", of_organisation)
register_dependents(KIND, "standard", requiring)
