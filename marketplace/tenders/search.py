"""Tenders as search documents: published tenders only, built from what their public page
and OCDS releases already show. Responses, their number, questions and scores are sealed
or private and never reach this module's output."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

from sqlalchemy import Select, String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

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
from marketplace.tenders.models import Lot, Tender, TenderBuyer
from search import SearchDocument

KIND = "tender"
Org = TypeVar("Org")


class _Events(Protocol):
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def cancelled_at(self) -> datetime | None: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def unsuccessful_at(self) -> datetime | None: ...


def lifecycle_status(tender: _Events) -> str | None:
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


class _Lot(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def estimated_amount(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...


class Asks(Buyers, Protocol):
    """What a tender asks for and who asks: read by its document and by matching."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def cpv_codes(self) -> list[str]: ...
    @property
    def themes(self) -> list[str]: ...
    @property
    def outcomes(self) -> list[dict[str, Any]]: ...
    @property
    def required_standards(self) -> list[dict[str, Any]]: ...


class Published(_Events, Asks, Protocol):
    """What a tender's document is made of: a `Tender`, or the row `load` reads."""

    @property
    def ocid(self) -> str: ...
    @property
    def nuts_codes(self) -> list[str]: ...
    @property
    def submission_deadline(self) -> datetime: ...
    @property
    def lots(self) -> Sequence[_Lot]: ...


class Place(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def nuts_code(self) -> str | None: ...


class City(NamedTuple):
    """An organisation as documents and matches name it."""

    id: str
    name: str
    country: str
    nuts_code: str | None


class LotRow(NamedTuple):
    number: int
    title: str
    description: str
    estimated_amount: Decimal
    currency: str


class BuyerRow(NamedTuple):
    organisation_id: str
    is_lead: bool
    confirmed_at: datetime | None


class Row(NamedTuple):
    """A published tender as `load` reads it: columns, not an entity (building 25 000
    tenders with their lots and buyers through the ORM was two thirds of a rebuild's
    loading)."""

    id: str
    ocid: str
    title: str
    description: str
    cpv_codes: list[str]
    nuts_codes: list[str]
    themes: list[str]
    outcomes: list[dict[str, Any]]
    required_standards: list[dict[str, Any]]
    submission_deadline: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    completed_at: datetime | None
    unsuccessful_at: datetime | None
    lead_buyer_id: str
    lots: tuple[LotRow, ...]
    buyers: tuple[BuyerRow, ...]


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
    tender: Published, organisations: Mapping[str, Place], titles: Mapping[str, str]
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
        select(
            Tender.id, Tender.ocid, Tender.title, Tender.description, Tender.cpv_codes,
            Tender.nuts_codes, Tender.themes, Tender.outcomes, Tender.required_standards,
            Tender.submission_deadline, Tender.published_at, Tender.cancelled_at,
            Tender.completed_at, Tender.unsuccessful_at, Tender.lead_buyer_id,
        )
        .where(Tender.published_at.is_not(None))
        .order_by(Tender.id)
    )  # fmt: skip
    if ids is not None:
        query = query.where(Tender.id.in_(list(ids)))
    lots = await lots_of(session, ids)
    buyers = await buyers_of(session, ids)
    tenders = [
        Row._make((*head, tuple(lots[head[0]]), tuple(buyers[head[0]])))
        for head in (await session.execute(query)).tuples()
    ]
    organisations = await cities(
        session,
        {b.organisation_id for t in tenders for b in t.buyers} | {t.lead_buyer_id for t in tenders},
    )
    titles = await standard_titles(session)
    return [d for t in tenders if (d := document_of(t, organisations, titles)) is not None]


def _of_tenders(query: Select[Any], tender_id: Any, ids: Sequence[str] | None) -> Select[Any]:
    """`query` narrowed to the tenders `ids` (None: every published tender)."""
    if ids is not None:
        return query.where(tender_id.in_(list(ids)))
    return query.join(Tender, Tender.id == tender_id).where(Tender.published_at.is_not(None))


async def lots_of(session: AsyncSession, ids: Sequence[str] | None) -> dict[str, list[LotRow]]:
    """The lots of the tenders `ids` (None: of every published tender), by number."""
    query = select(
        Lot.tender_id, Lot.number, Lot.title, Lot.description, Lot.estimated_amount, Lot.currency
    ).order_by(Lot.tender_id, Lot.number)
    found: dict[str, list[LotRow]] = defaultdict(list)
    for tender_id, *lot in await session.execute(_of_tenders(query, Lot.tender_id, ids)):
        found[tender_id].append(LotRow._make(lot))
    return found


async def buyers_of(session: AsyncSession, ids: Sequence[str] | None) -> dict[str, list[BuyerRow]]:
    """The buyers, invited and confirmed, of the tenders `ids` (None: of every published
    tender), in the order they joined."""
    query = select(
        TenderBuyer.tender_id, TenderBuyer.organisation_id, TenderBuyer.is_lead,
        TenderBuyer.confirmed_at,
    ).order_by(TenderBuyer.tender_id, TenderBuyer.invited_at, TenderBuyer.id)  # fmt: skip
    found: dict[str, list[BuyerRow]] = defaultdict(list)
    for tender_id, *buyer in await session.execute(_of_tenders(query, TenderBuyer.tender_id, ids)):
        found[tender_id].append(BuyerRow._make(buyer))
    return found


async def cities(session: AsyncSession, ids: Iterable[str]) -> dict[str, City]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Organisation.id, Organisation.name, Organisation.country, Organisation.nuts_code)
        .where(Organisation.id.in_(wanted))
    )  # fmt: skip
    return {row[0]: City._make(row) for row in rows.tuples()}


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
