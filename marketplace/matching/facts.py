"""What matching reads of its candidates, loaded as plain rows of the columns it needs.

A match call weighs up to sixty candidates. Loading them as entities, with their claims,
lots and buyers through `selectinload`, and decoding JSON columns matching never reads
(award criteria, regions, buyer shares, pricing, references), was most of a call's time;
these rows are built straight from column selects. The subject of a call (the tender or
listing asked about) is still loaded through its service, which checks who may see it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.listings.models import Listing, ListingStandard
from marketplace.matching.models import MatchTerms
from marketplace.matching.terms import Known
from marketplace.tenders.models import Tender
from marketplace.tenders.reads import BuyerRow, LotRow, buyers_of, lots_of


class ListingFacts(NamedTuple):
    id: str
    title: str
    summary: str
    description: str
    outcomes: list[dict[str, Any]]
    cpv_codes: list[str]
    themes: list[str]
    countries: list[str]
    status: str
    organisation: str  # the supplier's name
    standards: frozenset[str]  # the standards it claims to conform to
    terms: Known | None  # its stored weighted words (`terms`), current or not


class TenderFacts(NamedTuple):
    id: str
    title: str
    description: str
    cpv_codes: list[str]
    themes: list[str]
    outcomes: list[dict[str, Any]]
    required_standards: list[dict[str, Any]]
    lead_buyer_id: str
    submission_deadline: datetime
    stage: str
    lots: Sequence[LotRow]
    buyers: Sequence[BuyerRow]
    terms: Known | None


_TERMS = (MatchTerms.text_hash, MatchTerms.keywords, MatchTerms.spelling)
# A candidate listing's spelling is never read (reasons are spelled as the tender writes
# them): not decoding it saves a third of what reading the stored words costs.
_LISTING_TERMS = (MatchTerms.text_hash, MatchTerms.keywords)


def _known(columns: Sequence[Any]) -> Known | None:
    if columns[0] is None:
        return None
    return Known(columns[0], columns[1], columns[2] if len(columns) > 2 else {})


async def listings(session: AsyncSession, ids: Iterable[str]) -> dict[str, ListingFacts]:
    """Published listings among `ids`, with their supplier's name and claimed standards.

    The status is checked here, not in SQL: with it in the WHERE clause SQLite may pick the
    status index (every published listing) over the primary key."""
    wanted = list(ids)
    claimed: dict[str, set[str]] = defaultdict(set)
    claims = select(ListingStandard.listing_id, ListingStandard.standard_code).where(
        ListingStandard.listing_id.in_(wanted)
    )
    for listing_id, code in (await session.execute(claims)).tuples():
        claimed[listing_id].add(code)
    rows = await session.execute(
        select(
            Listing.id, Listing.title, Listing.summary, Listing.description, Listing.outcomes,
            Listing.cpv_codes, Listing.themes, Listing.countries, Listing.status,
            Organisation.name, *_LISTING_TERMS,
        )
        .join(Organisation, Organisation.id == Listing.organisation_id)
        .outerjoin(MatchTerms, MatchTerms.record_id == Listing.id)
        .where(Listing.id.in_(wanted))
    )  # fmt: skip
    return {
        row[0]: ListingFacts._make((*row[:10], frozenset(claimed[row[0]]), _known(row[10:])))
        for row in rows.tuples()
        if row[8] == "published"
    }


async def tenders(session: AsyncSession, ids: Iterable[str], now: datetime) -> list[TenderFacts]:
    """Tenders among `ids`, whatever their stage at `now`."""
    wanted = list(ids)
    lots = await lots_of(session, wanted)
    buyers = await buyers_of(session, wanted)
    rows = await session.execute(
        select(
            Tender.id, Tender.title, Tender.description, Tender.cpv_codes, Tender.themes,
            Tender.outcomes, Tender.required_standards, Tender.lead_buyer_id,
            Tender.submission_deadline, Tender.stage_at(now), *_TERMS,
        )
        .outerjoin(MatchTerms, MatchTerms.record_id == Tender.id)
        .where(Tender.id.in_(wanted))
    )  # fmt: skip
    return [TenderFacts._make((*row[:10], lots[row[0]], buyers[row[0]], _known(row[10:])))
            for row in rows.tuples()]  # fmt: skip


async def open_tenders(
    session: AsyncSession, ids: Iterable[str], now: datetime
) -> list[TenderFacts]:
    """Tenders among `ids` open for responses at `now` (stage checked here, see above)."""
    return [
        t for t in await tenders(session, ids, now)
        if t.stage == "active" and t.submission_deadline is not None  # imported notices may have none
    ]  # fmt: skip
