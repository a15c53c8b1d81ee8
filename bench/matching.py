"""Matching latency: suppliers for a tender, tenders for a listing, as the matching service
answers them (`marketplace.matching.services`), for a fixed sample of published records.

The sample is every n-th record in id order, so it is the same for one corpus on every
backend and every run. The service is looked up at run time: a checkout without it
reports matching as not available instead of failing the whole benchmark.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy import func as sql_func
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.measure import Latency, Progress, calls
from marketplace.db import session_maker
from marketplace.listings.models import Listing
from marketplace.tenders.models import Tender
from search import SearchBackend

ROOT = Path(__file__).resolve().parent.parent
NOT_AVAILABLE = "matching not available"
WHY_NOT = (
    "`marketplace.matching.services` (tender_matches, listing_matches) is not in this checkout"
)


@dataclass(frozen=True)
class MatchingRun:
    tender: Latency  # tender_matches: listings for a tender
    listing: Latency  # listing_matches: tenders for a listing
    found: float  # mean number of matches returned, to show the answers were not empty

    @property
    def overall(self) -> Latency:
        return Latency(self.tender.samples + self.listing.samples)


def service() -> Any | None:
    """The matching service of the checkout being measured, if it has one.

    An editable install of another checkout can supply modules this one lacks (its import
    finder answers for names the checkout does not have); such a module is not part of
    what is being measured, so it counts as missing.
    """
    try:
        module = importlib.import_module("marketplace.matching.services")
    except ImportError:
        return None
    if not Path(module.__file__ or "").resolve().is_relative_to(ROOT):
        return None
    if not all(hasattr(module, f) for f in ("tender_matches", "listing_matches")):
        return None
    return module


async def weigh(engine: AsyncEngine) -> tuple[int, int, float] | None:
    """`marketplace matching terms` on the corpus, as an operator runs it after an upgrade
    (the event worker keeps the words after): (records weighed, rows written, seconds), or
    None for a checkout without stored matching words."""
    try:
        termer = importlib.import_module("marketplace.matching.termer")
    except ImportError:
        return None
    import time
    from datetime import UTC

    from marketplace.matching.models import MatchTerms

    started = time.perf_counter()
    written = await termer.weigh_all(session_maker(engine), lambda: datetime.now(UTC))
    seconds = time.perf_counter() - started
    async with session_maker(engine)() as session:
        rows = int(await session.scalar(select(sql_func.count()).select_from(MatchTerms)) or 0)
    return rows, written, seconds


async def unweigh(engine: AsyncEngine) -> bool:
    """Empty the stored words (a corpus kept from an earlier run has them), so matching can
    be measured without them first; False for a checkout without them."""
    try:
        from marketplace.matching.models import MatchTerms
    except ImportError:
        return False
    async with session_maker(engine)() as session, session.begin():
        await session.execute(delete(MatchTerms))
    return True


async def unstore(engine: AsyncEngine) -> bool:
    """Drop the stored match lists (a corpus kept from an earlier run has them), so that a
    measurement of lists worked out per call is one; False for a checkout without them."""
    try:
        from marketplace.matching.models import StoredMatches
    except ImportError:
        return False
    async with session_maker(engine)() as session, session.begin():
        await session.execute(delete(StoredMatches))  # what they name goes with them
    return True


@dataclass(frozen=True)
class Stored:
    """Lists worked out ahead, as the event worker keeps them: how many, in how long."""

    lists: int
    seconds: float

    @property
    def per_list_ms(self) -> float:
        return 1000 * self.seconds / max(1, self.lists)


async def store(
    engine: AsyncEngine, backend: SearchBackend, targets: dict[str, list[str]], now: datetime,
    progress: Progress,
) -> Stored | None:  # fmt: skip
    """Work out and keep the lists of `targets` (ids by kind) as the event worker does on
    their publication, one by one; None for a checkout without stored lists."""
    try:
        refresher = importlib.import_module("marketplace.matching.refresher")
    except ImportError:
        return None
    import time

    sessions = session_maker(engine)
    started = time.perf_counter()
    count = 0
    for kind, ids in targets.items():
        for done, record_id in enumerate(ids, 1):
            await refresher.work_out(sessions, backend, kind, record_id, now)
            progress(f"storing {kind} lists", done, len(ids))
        count += len(ids)
    return Stored(count, time.perf_counter() - started)


async def published_ids(engine: AsyncEngine, seed: int) -> tuple[list[str], list[str]]:
    """Every published tender and listing id, shuffled (seeded): the HTTP matching run
    asks each at most once."""
    import random

    rng = random.Random(seed)
    found: list[list[str]] = []
    async with session_maker(engine)() as session:
        for query in (
            select(Tender.id).where(Tender.published_at.is_not(None)).order_by(Tender.id),
            select(Listing.id).where(Listing.status == "published").order_by(Listing.id),
        ):
            ids = list(await session.scalars(query))
            rng.shuffle(ids)
            found.append(ids)
    return found[0], found[1]


async def sample(engine: AsyncEngine, model: Any, count: int) -> list[str]:
    async with session_maker(engine)() as session:
        ids = list(await session.scalars(select(model.id).order_by(model.id)))
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def _forget_texts() -> None:
    """Empty the process's memory of texts already weighed, so each measurement starts
    alike (the server of a large corpus cannot keep them all)."""
    try:
        keywords = importlib.import_module("marketplace.matching.keywords")
    except ImportError:
        return
    for name in ("terms", "_weighted", "_spellings", "stem"):
        cached = getattr(keywords, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


async def matching(
    engine: AsyncEngine, backend: SearchBackend, now: datetime, count: int,
    progress: Progress, repeats: int = 1,
) -> MatchingRun | str:  # fmt: skip
    """Latency per call of both directions (anonymous reader), each record asked once
    after one unmeasured call for another record, or why it was skipped."""
    module = service()
    if module is None:
        return NOT_AVAILABLE
    _forget_texts()
    sessions = session_maker(engine)
    found: list[int] = []
    results: dict[str, Latency] = {}
    for name, model, func in (
        ("tender", Tender, module.tender_matches),
        ("listing", Listing, module.listing_matches),
    ):
        ids = await sample(engine, model, count)
        samples: list[float] = []
        for done, record_id in enumerate(ids, 1):

            async def one(record_id: str = record_id, func: Any = func) -> None:
                async with sessions() as session:
                    answer = await func(session, backend, None, record_id, now, limit=20)
                found.append(len(answer))

            samples.extend((await calls(one, repeats, warmup=0)).samples)
            progress(f"matching {name}s", done, len(ids))
        results[name] = Latency(tuple(samples))
    return MatchingRun(results["tender"], results["listing"], sum(found) / max(1, len(found)))
