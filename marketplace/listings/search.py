"""Listings as search documents: only published ones, and only what their public page shows.

`document_of` is the pure mapping (unit-tested without a database); `load` is the loader
the outbox worker and `marketplace search reindex` call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.listings.models import Listing, ListingStandard
from marketplace.searching import register_dependents, register_kind
from marketplace.searching.mapping import (
    comparable,
    cpv_labels,
    metrics,
    standard_titles,
    titles_of,
)
from search import SearchDocument

KIND = "listing"


def document_of(
    listing: Listing, organisation: str, titles: Mapping[str, str]
) -> SearchDocument | None:
    """None for anything the public may not see (drafts and archived listings)."""
    if listing.status != "published":
        return None
    standards = tuple(c.standard_code for c in listing.claims)
    pricing = listing.pricing or {}
    low = pricing.get("amount_min")
    return SearchDocument(
        id=listing.id,
        type=KIND,
        title=listing.title,
        summary=listing.summary,
        body=listing.description,
        organisation=organisation,
        cpv_codes=tuple(listing.cpv_codes),
        cpv_labels=cpv_labels(listing.cpv_codes),
        standards=standards,
        standard_titles=titles_of(standards, titles),
        outcomes=metrics(listing.outcomes),
        themes=tuple(listing.themes),
        countries=tuple(listing.countries),
        status=listing.status,
        value=comparable(Decimal(low) if low is not None else None, pricing.get("currency")),
        published_at=listing.published_at,
        extra={"url": f"/listings/{listing.id}"},
    )


async def load(session: AsyncSession, ids: Sequence[str] | None) -> list[SearchDocument]:
    query = (
        select(Listing, Organisation.name)
        .join(Organisation, Organisation.id == Listing.organisation_id)
        .where(Listing.status == "published")
        .options(selectinload(Listing.claims))
        .order_by(Listing.id)
    )
    if ids is not None:
        query = query.where(Listing.id.in_(list(ids)))
    titles = await standard_titles(session)
    rows = (await session.execute(query)).tuples().all()
    return [d for listing, name in rows if (d := document_of(listing, name, titles)) is not None]


async def of_organisation(session: AsyncSession, organisation_id: str) -> list[str]:
    found = await session.scalars(
        select(Listing.id).where(
            Listing.organisation_id == organisation_id, Listing.status == "published"
        )
    )
    return list(found)


async def claiming(session: AsyncSession, code: str) -> list[str]:
    found = await session.scalars(
        select(Listing.id)
        .join(ListingStandard, ListingStandard.listing_id == Listing.id)
        .where(ListingStandard.standard_code == code, Listing.status == "published")
    )
    return list(found)


register_kind(KIND, load)
register_dependents(KIND, "organisation", of_organisation)
register_dependents(KIND, "standard", claiming)
