"""Tenders as search documents: published tenders only, built from what their public page
and OCDS releases already show. Responses, their number, questions and scores are sealed
or private and never reach this module's output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TypeVar

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.events import ORGANISATION_UPDATED, identity_changed
from marketplace.core.events import Event
from marketplace.core.module import SearchKind
from marketplace.searching.mapping import (
    INDEX_CURRENCY,
    comparable,
    cpv_labels,
    metrics,
    plain_text,
    standard_titles,
    titles_of,
)
from marketplace.standards.events import STANDARD_UPDATED, title_changed
from marketplace.tenders.events import (
    BUYER_CONFIRMED,
    BUYER_DECLINED,
    LOT_AWARDED,
    LOT_UNSUCCESSFUL,
    NOTICE_IMPORTED,
    TENDER_AMENDED,
    TENDER_CANCELLED,
    TENDER_COMPLETED,
    TENDER_IMPORTED,
    TENDER_PUBLISHED,
)
from marketplace.tenders.models import Tender, TenderBuyer
from marketplace.tenders.reads import (
    Asks,
    BuyerRow,
    LotFacts,
    LotRow,
    Place,
    buyers_of,
    cities,
    cities_of,
    lots_of,
)
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


class Published(_Events, Asks, Protocol):
    """What a tender's document is made of: a `Tender`, or the row `load` reads."""

    @property
    def ocid(self) -> str: ...
    @property
    def nuts_codes(self) -> list[str]: ...
    @property
    def submission_deadline(self) -> datetime | None: ...
    @property
    def imported(self) -> bool: ...
    @property
    def lots(self) -> Sequence[LotFacts]: ...


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
    submission_deadline: datetime | None
    published_at: datetime | None
    cancelled_at: datetime | None
    completed_at: datetime | None
    unsuccessful_at: datetime | None
    lead_buyer_id: str
    imported: bool
    lots: tuple[LotRow, ...]
    buyers: tuple[BuyerRow, ...]


def document_of(
    tender: Published, organisations: Mapping[str, Place], titles: Mapping[str, str]
) -> SearchDocument | None:
    status = lifecycle_status(tender)
    if status is None:
        return None
    cities = cities_of(tender, organisations)
    standards = tuple(s["code"] for s in tender.required_standards)
    currencies = {lot.currency for lot in tender.lots}
    # A lot without an estimate (imported notices often give none) leaves the total unknown.
    amounts = [lot.estimated_amount for lot in tender.lots]
    total = None if None in amounts else sum((a for a in amounts if a is not None), start=0)
    description = plain_text(tender.description)
    summary = plain_text(tender.description.strip().split("\n\n", 1)[0])[:500]
    lots = "\n".join(
        f"Lot {lot.number}: {lot.title}. {plain_text(lot.description)}" for lot in tender.lots
    )
    return SearchDocument(
        id=tender.id,
        type=KIND,
        title=tender.title,
        summary=summary,
        body=f"{description}\n{lots}",
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
        value=comparable(total, INDEX_CURRENCY)
        if currencies == {INDEX_CURRENCY} and total is not None
        else None,
        deadline=tender.submission_deadline,
        published_at=tender.published_at,
        extra={
            "url": f"/tenders/{tender.id}",
            "ocid": tender.ocid,
            **({"imported": "TED"} if tender.imported else {}),
        },
    )


async def load(session: AsyncSession, ids: Sequence[str] | None) -> list[SearchDocument]:
    query = (
        select(
            Tender.id, Tender.ocid, Tender.title, Tender.description, Tender.cpv_codes,
            Tender.nuts_codes, Tender.themes, Tender.outcomes, Tender.required_standards,
            Tender.submission_deadline, Tender.published_at, Tender.cancelled_at,
            Tender.completed_at, Tender.unsuccessful_at, Tender.lead_buyer_id, Tender.imported,
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


async def of_organisation(session: AsyncSession, event: Event) -> list[str]:
    """The published tenders naming a city whose name or place changed."""
    if not identity_changed(event):
        return []
    found = await session.scalars(
        select(TenderBuyer.tender_id)
        .join(Tender, Tender.id == TenderBuyer.tender_id)
        .where(TenderBuyer.organisation_id == event.subject_id, Tender.published_at.is_not(None))
    )
    return list(found)


async def requiring(session: AsyncSession, event: Event) -> list[str]:
    """The published tenders showing the title of a standard whose title changed."""
    if not title_changed(event):
        return []
    code = event.subject_id
    # Codes contain no quotes, so the quoted code inside the JSON text is an exact match.
    found = await session.scalars(
        select(Tender.id).where(
            Tender.published_at.is_not(None),
            cast(Tender.required_standards, String).contains(f'"{code}"'),
        )
    )
    return list(found)


SEARCH_KIND = SearchKind(
    name=KIND, label="Tenders", path="/tenders/{id}", load=load, key=Tender.id,
    # Every public change of a tender (each also makes an OCDS release).
    changed_by=frozenset(e.kind for e in (
        TENDER_PUBLISHED, TENDER_AMENDED, TENDER_CANCELLED, TENDER_COMPLETED, LOT_AWARDED,
        LOT_UNSUCCESSFUL, BUYER_CONFIRMED, BUYER_DECLINED, TENDER_IMPORTED, NOTICE_IMPORTED,
    )),
    shows={ORGANISATION_UPDATED.kind: of_organisation, STANDARD_UPDATED.kind: requiring},
)  # fmt: skip
