"""The tenders' read model: what other packages (funding, matching, search) and the tender
pages read of a tender, as plain rows and protocols, through public functions here. Other
packages import this module, never the tenders' services or search documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed
from marketplace.standards.models import Standard
from marketplace.tenders.contract_models import TenderContract
from marketplace.tenders.models import (
    Amendment,
    Document,
    Lot,
    LotDecision,
    Tender,
    TenderBuyer,
    TenderNotice,
    TenderResponse,
)
from marketplace.tenders.policies import responses_opened

Org = TypeVar("Org")


@dataclass(frozen=True)
class BidCounts:
    """How many responses a tender received, in all and per lot: counted only once the
    responses are opened (the submission deadline), so the number never leaks before."""

    total: int
    by_lot: dict[str, int]
    counted_at: datetime


@dataclass
class TenderView:
    """Everything a tender page or API response shows, loaded up front."""

    tender: Tender
    stage: str
    organisations: dict[str, Organisation]
    decisions: dict[str, LotDecision]
    now: datetime
    amendments: list[Amendment] = field(default_factory=list)
    notices: list[TenderNotice] = field(default_factory=list)  # imported from TED
    # The contracts of awarded lots (milestones, transactions, amendments loaded), and the
    # number of responses once they are opened (None before: sealed).
    contracts: list[TenderContract] = field(default_factory=list)
    bids: BidCounts | None = None
    # What the reader may do with it (tenders.policies), for pages and the API's `actions`.
    actions: Allowed = field(default_factory=Allowed)
    # Its documents as published now (current versions; never a response's attachment).
    documents: list[Document] = field(default_factory=list)


async def current_documents(session: AsyncSession, tender_id: str) -> list[Document]:
    """The tender's, its lots' and its awards' documents, current versions, in the order
    they were first added."""
    return list(
        await session.scalars(
            select(Document)
            .where(
                Document.tender_id == tender_id,
                Document.response_id.is_(None),
                Document.replaced_at.is_(None),
            )
            .order_by(Document.published_at.is_(None), Document.published_at,
                      Document.modified_at, Document.id)
        )
    )  # fmt: skip


# Who offers a published listing (None for a draft, a withdrawn or an unknown one). The
# listings package provides it (its module's `published_listing_owner` service), so the
# tender rules read listings without importing their tables. (A Callable rather than a
# Protocol: Litestar checks an injected dependency against its type.)
ListingOwners = Callable[[AsyncSession, str], Awaitable[str | None]]


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


class LotFacts(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def estimated_amount(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...


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
    estimated_amount: Decimal | None
    currency: str | None


class BuyerRow(NamedTuple):
    organisation_id: str
    is_lead: bool
    confirmed_at: datetime | None


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


# --- what the tender pages read besides the tender (pages run no query of their own) -----


async def organisations_to_act_for(
    session: AsyncSession, actor: Actor, *kinds: str
) -> list[Organisation]:
    """The organisations of those kinds this person may act for, by name (the form's choices)."""
    ids = [o for o in actor.roles if actor.can_edit(o)]
    rows = await session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.kind.in_(kinds))
        .order_by(Organisation.name)
    )  # fmt: skip
    return list(rows)


async def all_cities(session: AsyncSession, kinds: Sequence[str] = ("city",)) -> list[Organisation]:
    """Every buyer of those kinds, by name: who can be invited to buy together."""
    rows = await session.scalars(
        select(Organisation).where(Organisation.kind.in_(kinds)).order_by(Organisation.name)
    )
    return list(rows)


async def standards_catalogue(session: AsyncSession) -> list[Standard]:
    return list(await session.scalars(select(Standard).order_by(Standard.code)))


async def standards_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Standard]:
    rows = await session.scalars(select(Standard).where(Standard.code.in_(list(codes))))
    return {s.code: s for s in rows}


# --- what a funding call may name as its related tenders -----------------------------------


class TenderChoice(NamedTuple):
    id: str
    title: str
    stage: str  # planning, active, evaluation, complete, cancelled, unsuccessful


def _visible_to(actor: Actor | None) -> Any:
    """Published tenders, and the drafts of the cities this person belongs to (the same rule
    as the tender list): a form offers no tender its reader may not open."""
    own = list(actor.roles) if actor else []
    return Tender.published_at.is_not(None) | Tender.id.in_(
        select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id.in_(own))
    )


async def tender_choices(
    session: AsyncSession, actor: Actor | None, city_ids: Iterable[str], now: datetime,
    named: Iterable[str] = (),
) -> list[TenderChoice]:  # fmt: skip
    """The tenders a funding call of these cities may name as related, by title: those one of
    the cities buys in, plus those the call names already, each only if the person may see it."""
    of_cities = select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id.in_(list(city_ids)))
    query = select(Tender).where(Tender.id.in_(of_cities) | Tender.id.in_(list(named)))
    if not (actor and actor.is_admin):
        query = query.where(_visible_to(actor))
    rows = await session.scalars(query.order_by(Tender.title, Tender.id).limit(200))
    return [TenderChoice(t.id, t.title, t.stage_at(now)) for t in rows]


async def tender_titles(
    session: AsyncSession, actor: Actor | None, ids: Iterable[str]
) -> dict[str, str]:
    """The titles of those tenders this person may see, by id (a call's related tenders)."""
    query = select(Tender.id, Tender.title).where(Tender.id.in_(list(ids)))
    if not (actor and actor.is_admin):
        query = query.where(_visible_to(actor))
    return {i: t for i, t in (await session.execute(query)).tuples()}


# --- what a city's home pictures read (funding's "spend and funding sought by theme") ----

# Tenders whose money is in play: published and not ended without a contract.
SPENDING_STAGES = ("active", "evaluation", "complete")


class ThemeSpend(NamedTuple):
    theme: str
    currency: str
    amount: Decimal
    tenders: int


async def spend_by_theme(
    session: AsyncSession, organisation_ids: Sequence[str], now: datetime
) -> list[ThemeSpend]:
    """The estimated value of the published tenders these organisations buy in (not
    cancelled, not unsuccessful), per ICC theme and currency. A tender's value is its own
    estimate, or else the sum of its lots'; a tender of several themes counts in each."""
    if not organisation_ids:
        return []
    tenders = list(
        await session.scalars(
            select(Tender).where(
                Tender.id.in_(
                    select(TenderBuyer.tender_id).where(
                        TenderBuyer.organisation_id.in_(list(organisation_ids))
                    )
                ),
                Tender.stage_at(now).in_(SPENDING_STAGES),
            )
        )
    )
    lots = await lots_of(session, [t.id for t in tenders])
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for tender in tenders:
        values: dict[str, Decimal] = defaultdict(Decimal)
        if tender.estimated_amount is not None and tender.estimated_currency:
            values[tender.estimated_currency] = tender.estimated_amount
        else:
            for lot in lots.get(tender.id, []):
                if lot.estimated_amount is not None and lot.currency:
                    values[lot.currency] += lot.estimated_amount
        for theme in tender.themes:
            for currency, amount in values.items():
                totals[theme, currency] += amount
                counts[theme, currency] += 1
    return [ThemeSpend(t, c, totals[t, c], counts[t, c]) for t, c in sorted(totals)]


async def contracts_of(session: AsyncSession, tender_id: str) -> list[TenderContract]:
    """A tender's contracts with their milestones, transactions and amendments, by lot."""
    return list(
        await session.scalars(
            select(TenderContract)
            .where(TenderContract.tender_id == tender_id)
            .options(
                selectinload(TenderContract.milestones),
                selectinload(TenderContract.transactions),
                selectinload(TenderContract.amendments),
            )
            .order_by(TenderContract.created_at, TenderContract.id)
            .execution_options(populate_existing=True)
        )
    )


async def bid_counts(session: AsyncSession, tender: Tender, now: datetime) -> BidCounts | None:
    """The number of responses received, in all and per lot; None while they are sealed."""
    if not responses_opened(tender, now) or tender.submission_deadline is None:
        return None
    rows = list(
        (
            await session.execute(
                select(TenderResponse.lot_ids).where(TenderResponse.tender_id == tender.id)
            )
        )
        .scalars()
        .all()
    )
    by_lot = {lot.id: sum(lot.id in ids for ids in rows) for lot in tender.lots}
    return BidCounts(len(rows), by_lot, tender.submission_deadline)
