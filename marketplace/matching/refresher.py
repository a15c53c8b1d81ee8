"""Keeping the stored match lists true (`stored`): a subscriber of the event outbox, and
the fill of `marketplace matching store`.

A record's own list is worked out again when its search document changes (the events of
the search kinds, as for `termer`). The lists of others it may enter or leave are worked
out again too, if they exist: every list that names it now, and the lists of the first
`FANOUT` records its own new list names (a new charger supplier appears in the lists of
the depot-charging tenders it matches; a tender reaches others only while open for
responses, so importing closed TED notices works out their own lists alone). Lists are not
symmetric, so a list may miss a record for a while; `marketplace matching store` works every list out again. Each list
is its own short transaction; an event delivered again only works lists out again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.core.module import Runtime, SearchKind
from marketplace.db import intent
from marketplace.errors import NotFound
from marketplace.listings.models import Listing
from marketplace.matching import facts, services, stored
from marketplace.matching.termer import listing_and_tender_kinds
from marketplace.searching.runtime import backend_of
from marketplace.searching.services import SearchUnavailable
from marketplace.searching.worker import records_of
from marketplace.tenders.models import Tender
from search import BackendUnavailable, SearchBackend

SUBSCRIBER = "stored_matches"
FANOUT = 20
OTHER = {"tender": "listing", "listing": "tender"}


async def work_out(
    sessions: async_sessionmaker[AsyncSession], backend: SearchBackend, kind: str,
    subject_id: str, now: datetime,
) -> list[str] | None:  # fmt: skip
    """Work the subject's list out and keep it (or drop it, for a record not public);
    returns the ids it names, best first (None: dropped)."""
    async with sessions() as session:
        try:
            found: stored.Found | None = await services.public_matches(
                session, backend, kind, subject_id, now
            )
        except NotFound:
            found = None
    with intent("write"):
        async with sessions() as session, session.begin():
            if found is None:
                await stored.forget(session, [subject_id])
                return None
            await stored.keep(session, kind, subject_id, found, now)
    key = stored.MEMBER_KEY[kind]
    return [str(item[key]) for item in found.items]


class Refresher:
    name = SUBSCRIBER
    # Events per batch: each may cost the worker a second of lists, and search waits for
    # the end of a batch before its next turn (`core.delivery.drain`).
    batch_size = 5
    transient: tuple[type[BaseException], ...] = (SearchUnavailable, BackendUnavailable, OSError)

    def __init__(self, backend: SearchBackend, search_kinds: Sequence[SearchKind]) -> None:
        self.backend = backend
        self.search_kinds, kinds = listing_and_tender_kinds(search_kinds)
        self.kinds: frozenset[str] | None = kinds

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        async with sessions() as session:
            targets = await records_of(session, self.search_kinds, events)
            changed = {i: kind for kind, ids in targets.items() for i in ids}
            again = await stored.naming(session, changed)
            # A tender not open for responses (an imported notice, a closed one) is in no
            # listing's list: its own list is kept, but it reaches no other.
            reaching = {
                t.id for t in await facts.open_tenders(session, targets.get("tender", ()), now)
            }
        named: dict[str, str] = {}
        for subject_id, kind in changed.items():
            ids = await work_out(sessions, self.backend, kind, subject_id, now)
            if kind == "listing" or subject_id in reaching:
                named.update((i, OTHER[kind]) for i in (ids or [])[:FANOUT])
        async with sessions() as session:
            again.update(await stored.existing(session, named))
        for subject_id, kind in again.items():
            if subject_id not in changed:
                await work_out(sessions, self.backend, kind, subject_id, now)


def refresher(runtime: Runtime) -> Refresher:
    return Refresher(backend_of(runtime), runtime.modules.search_kinds)


async def store_all(
    sessions: async_sessionmaker[AsyncSession],
    backend: SearchBackend,
    now: Callable[[], datetime],
    progress: Callable[[str, int, int, int], None] = lambda kind, done, total, kept: None,
) -> int:
    """Work out the list of every published tender and listing (and drop the lists of
    records no longer public); returns how many lists are kept."""
    kept = 0
    for kind, model in (("tender", Tender), ("listing", Listing)):
        async with sessions() as session:
            ids = list(await session.scalars(select(model.id).order_by(model.id)))
            known = set(ids)
            ids += [i for i in await stored.of_kind(session, kind) if i not in known]
        for done, subject_id in enumerate(ids, 1):
            kept += await work_out(sessions, backend, kind, subject_id, now()) is not None
            progress(kind, done, len(ids), kept)
        if not ids:
            progress(kind, 0, 0, kept)
    return kept
