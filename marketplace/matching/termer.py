"""Keeping `match_terms` true: a subscriber of the event outbox, and the command's fill.

The subscriber listens to the events that change the search documents of listings and
tenders (the search kinds' own, so a record is weighed again exactly when what it says may
have changed) and re-weighs those whose parts changed; a listing no longer published, or a
record gone, loses its row. Idempotent: an event delivered again finds the hash unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.core.module import Runtime, SearchKind
from marketplace.db import intent
from marketplace.listings.models import Listing
from marketplace.matching import facts, terms
from marketplace.matching.models import MatchTerms
from marketplace.searching.worker import records_of
from marketplace.tenders.models import Tender

SUBSCRIBER = "match_terms"
KINDS = ("listing", "tender")
CHUNK = 500  # records weighed per transaction by `marketplace matching terms`


async def _refresh(
    sessions: async_sessionmaker[AsyncSession], targets: Mapping[str, Sequence[str]], now: datetime
) -> int:
    """Weigh the `targets` (ids by kind) as they are now; returns the rows written."""
    async with sessions() as session:
        listings = await facts.listings(session, targets.get("listing", ()))
        tenders = await facts.tenders(session, targets.get("tender", ()), now)
    gone = [i for i in targets.get("listing", ()) if i not in listings]
    found = {t.id for t in tenders}
    gone += [i for i in targets.get("tender", ()) if i not in found]
    with intent("write"):
        async with sessions() as session, session.begin():
            written = await terms.store(
                session, "listing", ((i, terms.listing_parts(r)) for i, r in listings.items()), now
            )
            written += await terms.store(
                session, "tender", ((t.id, terms.tender_parts(t)) for t in tenders), now
            )
            await terms.forget(session, gone)
    return written


def listing_and_tender_kinds(
    search_kinds: Sequence[SearchKind],
) -> tuple[dict[str, SearchKind], frozenset[str]]:
    """The listing and tender search kinds, and the event kinds that change their documents:
    what matching's subscribers listen to."""
    chosen = {k.name: k for k in search_kinds if k.name in KINDS}
    return chosen, frozenset().union(*(k.kinds for k in chosen.values()))


class Termer:
    name = SUBSCRIBER
    transient: tuple[type[BaseException], ...] = ()

    def __init__(self, search_kinds: Sequence[SearchKind]) -> None:
        self.search_kinds, kinds = listing_and_tender_kinds(search_kinds)
        self.kinds: frozenset[str] | None = kinds
        self.written = 0

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        async with sessions() as session:
            targets = await records_of(session, self.search_kinds, events)
        self.written += await _refresh(sessions, targets, now)


def termer(runtime: Runtime) -> Termer:
    return Termer(runtime.modules.search_kinds)


async def weigh_all(
    sessions: async_sessionmaker[AsyncSession],
    now: Callable[[], datetime],
    progress: Callable[[str, int, int, int], None] = lambda kind, done, total, new: None,
) -> int:
    """Weigh every published listing and every tender whose row is missing or stale, in
    chunks, and drop the rows of records gone; returns how many rows were written."""
    written = 0
    for kind, key in (("listing", Listing.id), ("tender", Tender.id)):
        async with sessions() as session:
            ids = list(await session.scalars(select(key).order_by(key)))
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            written += await _refresh(sessions, {kind: part}, now())
            progress(kind, start + len(part), len(ids), written)
        if not ids:
            progress(kind, 0, 0, written)
        async with sessions() as session:
            orphans = list(
                await session.scalars(
                    select(MatchTerms.record_id).where(
                        MatchTerms.kind == kind, MatchTerms.record_id.not_in(select(key))
                    )
                )
            )
        with intent("write"):
            async with sessions() as session, session.begin():
                await terms.forget(session, orphans)
    return written
