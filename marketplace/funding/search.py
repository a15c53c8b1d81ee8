"""Funding calls as search documents: published calls only, with what their public page
shows. Interests, pledges and funders' shortlists are private and never reach the index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.events import ORGANISATION_UPDATED, identity_changed
from marketplace.core.events import Event
from marketplace.core.module import SearchKind
from marketplace.funding.events import CALL_CLOSED, CALL_PUBLISHED
from marketplace.funding.models import (
    FundingCall,
    FundingCallInstrument,
    FundingCallPartner,
    FundingCallStandard,
    FundingCallTheme,
)
from marketplace.searching.mapping import (
    Conforms,
    Described,
    StandardCode,
    comparable,
    metrics,
    plain_text,
    standard_titles,
    titles_of,
)
from marketplace.standards.events import STANDARD_UPDATED, title_changed
from marketplace.tenders.reads import City, Place, cities
from search import SearchDocument

KIND = "funding_call"


class _Events(Protocol):
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...


class _Partner(Protocol):
    @property
    def organisation(self) -> Place: ...
    @property
    def confirmed_at(self) -> datetime | None: ...


class _Instrument(Protocol):
    @property
    def instrument(self) -> str: ...


class _Theme(Protocol):
    @property
    def theme_code(self) -> str: ...


class Published(_Events, Described, Protocol):
    """What a call's document is made of: a `FundingCall`, or the row `load` reads."""

    @property
    def amount_sought(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def deadline(self) -> datetime: ...
    @property
    def organisation(self) -> Place: ...
    @property
    def partners(self) -> Sequence[_Partner]: ...
    @property
    def standards(self) -> Sequence[Conforms]: ...
    @property
    def instruments(self) -> Sequence[_Instrument]: ...
    @property
    def themes(self) -> Sequence[_Theme]: ...


class Partner(NamedTuple):
    organisation: City
    confirmed_at: datetime | None


class Instrument(NamedTuple):
    instrument: str


class Theme(NamedTuple):
    theme_code: str


class Row(NamedTuple):
    """A published call as `load` reads it: columns, not an entity with four collections
    loaded through the ORM (most of the time calls took to load in a rebuild)."""

    id: str
    title: str
    summary: str
    description: str
    amount_sought: Decimal
    currency: str
    outcomes: list[dict[str, Any]]
    deadline: datetime
    published_at: datetime | None
    closed_at: datetime | None
    organisation: City
    partners: tuple[Partner, ...]
    standards: tuple[StandardCode, ...]
    instruments: tuple[Instrument, ...]
    themes: tuple[Theme, ...]


def lifecycle_status(call: _Events) -> str | None:
    """`open` until closed by its city; the deadline passing is asked for at query time
    (`status=open` searches add "deadline from now"), so the index never goes stale."""
    if call.published_at is None:
        return None
    return "closed" if call.closed_at is not None else "open"


def document_of(call: Published, titles: Mapping[str, str]) -> SearchDocument | None:
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
        summary=plain_text(call.summary),
        body=f"{plain_text(call.description)}\nInstruments: {instruments}"
        if instruments
        else plain_text(call.description),
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
    def of_calls(query: Select[Any], call_id: Any) -> Select[Any]:
        """`query` narrowed to the calls asked for (None: every published call)."""
        if ids is not None:
            return query.where(call_id.in_(list(ids)))
        return query.join(FundingCall, FundingCall.id == call_id).where(
            FundingCall.published_at.is_not(None)
        )

    async def codes(column: Any) -> dict[str, list[str]]:
        """One code column of a child table, per call."""
        call_id = column.class_.call_id
        found: dict[str, list[str]] = defaultdict(list)
        query = of_calls(select(call_id, column).order_by(call_id, column), call_id)
        for found_in, code in (await session.execute(query)).tuples():
            found[found_in].append(code)
        return found

    standards = await codes(FundingCallStandard.standard_code)
    instruments = await codes(FundingCallInstrument.instrument)
    themes = await codes(FundingCallTheme.theme_code)
    partner = FundingCallPartner
    partners_query = of_calls(
        select(partner.call_id, partner.organisation_id, partner.confirmed_at).order_by(
            partner.call_id, partner.invited_at, partner.id
        ),
        partner.call_id,
    )
    partner_rows = (await session.execute(partners_query)).tuples().all()
    query = select(
        FundingCall.id, FundingCall.title, FundingCall.summary, FundingCall.description,
        FundingCall.amount_sought, FundingCall.currency, FundingCall.outcomes,
        FundingCall.deadline, FundingCall.published_at, FundingCall.closed_at,
        FundingCall.organisation_id,
    ).where(FundingCall.published_at.is_not(None)).order_by(FundingCall.id)  # fmt: skip
    if ids is not None:
        query = query.where(FundingCall.id.in_(list(ids)))
    heads = (await session.execute(query)).tuples().all()
    organisations = await cities(
        session,
        {h[-1] for h in heads} | {organisation_id for _, organisation_id, _ in partner_rows},
    )
    partners: dict[str, list[Partner]] = defaultdict(list)
    for call_id, organisation_id, confirmed_at in partner_rows:
        partners[call_id].append(Partner(organisations[organisation_id], confirmed_at))
    titles = await standard_titles(session)
    calls = (
        Row._make((
            *head[:-1], organisations[head[-1]], tuple(partners[head[0]]),
            tuple(map(StandardCode, standards[head[0]])),
            tuple(map(Instrument, instruments[head[0]])),
            tuple(map(Theme, themes[head[0]])),
        ))
        for head in heads
    )  # fmt: skip
    return [d for c in calls if (d := document_of(c, titles)) is not None]


async def of_organisation(session: AsyncSession, event: Event) -> list[str]:
    """The published calls naming a city whose name or place changed."""
    if not identity_changed(event):
        return []
    organisation_id = event.subject_id
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


async def asking_for(session: AsyncSession, event: Event) -> list[str]:
    """The published calls showing the title of a standard whose title changed."""
    if not title_changed(event):
        return []
    code = event.subject_id
    found = await session.scalars(
        select(FundingCallStandard.call_id)
        .join(FundingCall, FundingCall.id == FundingCallStandard.call_id)
        .where(FundingCallStandard.standard_code == code, FundingCall.published_at.is_not(None))
    )
    return list(found)


SEARCH_KIND = SearchKind(
    name=KIND, label="Funding calls", path="/funding-calls/{id}", load=load,
    key=FundingCall.id, changed_by=frozenset({CALL_PUBLISHED.kind, CALL_CLOSED.kind}),
    shows={ORGANISATION_UPDATED.kind: of_organisation, STANDARD_UPDATED.kind: asking_for},
)  # fmt: skip
