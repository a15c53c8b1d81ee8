"""Listings as search documents: only published ones, and only what their public page shows.

`document_of` is the pure mapping (unit-tested without a database); `load` is the loader
the outbox worker and `marketplace search reindex` call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.events import ORGANISATION_UPDATED, identity_changed
from marketplace.accounts.models import Organisation
from marketplace.core.events import Event
from marketplace.core.module import SearchKind
from marketplace.listings.events import CATALOGUE as LISTING_EVENTS
from marketplace.listings.models import Listing, ListingStandard
from marketplace.searching.mapping import (
    Conforms,
    Described,
    StandardCode,
    comparable,
    cpv_labels,
    metrics,
    plain_text,
    standard_titles,
    titles_of,
)
from marketplace.standards.events import STANDARD_UPDATED, title_changed
from search import SearchDocument

KIND = "listing"


class Public(Described, Protocol):
    """What a listing's document is made of: a `Listing`, or the row `load` reads."""

    @property
    def status(self) -> str: ...
    @property
    def cpv_codes(self) -> list[str]: ...
    @property
    def themes(self) -> list[str]: ...
    @property
    def countries(self) -> list[str]: ...
    @property
    def pricing(self) -> dict[str, Any] | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def claims(self) -> Sequence[Conforms]: ...


class Row(NamedTuple):
    """A listing as `load` reads it: columns, not an entity (a rebuild reads 60 000 of
    them; building entities with their claims was most of the loading time)."""

    id: str
    status: str
    title: str
    summary: str
    description: str
    cpv_codes: list[str]
    outcomes: list[dict[str, Any]]
    themes: list[str]
    countries: list[str]
    pricing: dict[str, Any] | None
    published_at: datetime | None
    organisation: str
    claims: tuple[StandardCode, ...]


def document_of(
    listing: Public, organisation: str, titles: Mapping[str, str]
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
        summary=plain_text(listing.summary),
        body=plain_text(listing.description),
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
        select(
            Listing.id, Listing.status, Listing.title, Listing.summary, Listing.description,
            Listing.cpv_codes, Listing.outcomes, Listing.themes, Listing.countries,
            Listing.pricing, Listing.published_at, Organisation.name,
        )
        .join(Organisation, Organisation.id == Listing.organisation_id)
        .order_by(Listing.id)
    )  # fmt: skip
    claims_query = select(ListingStandard.listing_id, ListingStandard.standard_code).order_by(
        ListingStandard.listing_id, ListingStandard.position
    )
    if ids is not None:
        # By id only: `document_of` leaves out what is not published. With the status in
        # the query too, SQLite read every published listing through the status index for
        # each chunk of ids (a rebuild grew with the square of the listings).
        query = query.where(Listing.id.in_(list(ids)))
        claims_query = claims_query.where(ListingStandard.listing_id.in_(list(ids)))
    else:
        query = query.where(Listing.status == "published")
        claims_query = claims_query.join(Listing, Listing.id == ListingStandard.listing_id).where(
            Listing.status == "published"
        )
    claims: dict[str, list[StandardCode]] = defaultdict(list)
    for listing_id, code in (await session.execute(claims_query)).tuples():
        claims[listing_id].append(StandardCode(code))
    titles = await standard_titles(session)
    rows = [
        Row._make((*row, tuple(claims[row[0]]))) for row in (await session.execute(query)).tuples()
    ]
    return [d for row in rows if (d := document_of(row, row.organisation, titles)) is not None]


async def of_organisation(session: AsyncSession, event: Event) -> list[str]:
    """The published listings naming an organisation whose name or place changed."""
    if not identity_changed(event):
        return []
    found = await session.scalars(
        select(Listing.id).where(
            Listing.organisation_id == event.subject_id, Listing.status == "published"
        )
    )
    return list(found)


async def claiming(session: AsyncSession, event: Event) -> list[str]:
    """The published listings showing the title of a standard whose title changed."""
    if not title_changed(event):
        return []
    code = event.subject_id
    found = await session.scalars(
        select(Listing.id)
        .join(ListingStandard, ListingStandard.listing_id == Listing.id)
        .where(ListingStandard.standard_code == code, Listing.status == "published")
    )
    return list(found)


SEARCH_KIND = SearchKind(
    name=KIND, label="Solutions", path="/listings/{id}", load=load, key=Listing.id,
    changed_by=frozenset(e.kind for e in LISTING_EVENTS),
    shows={ORGANISATION_UPDATED.kind: of_organisation, STANDARD_UPDATED.kind: claiming},
)  # fmt: skip
