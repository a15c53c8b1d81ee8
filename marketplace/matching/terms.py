"""Each candidate's weighted words, made when it is written and read when it is matched.

A match call weighs up to sixty candidates; folding, splitting and stemming their titles
and descriptions on every call was a third of its time, and a per-process memory of texts
only helps while the corpus fits in it. The event worker keeps one `match_terms` row per
published listing and per tender (`marketplace.matching.termer`), with a hash of the parts
it was made from; a call uses a row only when the hash is that of the record's text now,
and weighs the text itself otherwise (a record edited a moment ago, or one the worker has
not reached yet), so what a match says never depends on the worker having run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.matching.keywords import spelled, weighted
from marketplace.matching.models import MatchTerms
from marketplace.searching.mapping import Described
from marketplace.searching.mapping import metrics as outcome_metrics
from marketplace.tenders.reads import Asks

Parts = tuple[tuple[str, float], ...]


class _Lot(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...


class TenderLike(Asks, Protocol):
    """A tender entity, or its facts: what a tender's need is made of (what it asks for,
    its buyers as naming its cities reads them, and its lots' words)."""

    @property
    def lots(self) -> Sequence[_Lot]: ...


def tender_parts(tender: TenderLike, metrics: Sequence[str] | None = None) -> Parts:
    """What a tender says, by how much each part says what it wants."""
    metrics = outcome_metrics(list(tender.outcomes)) if metrics is None else metrics
    return (
        (tender.title, 3.0), (tender.description or "", 1.0),
        *((lot.title, 2.0) for lot in tender.lots),
        *((lot.description or "", 1.0) for lot in tender.lots),
        *((m, 1.5) for m in metrics),
    )  # fmt: skip


def listing_parts(listing: Described, metrics: Sequence[str] | None = None) -> Parts:
    """What a listing says, by how much each part says what it is (as `tender_parts`;
    `metrics`: its outcome metrics when the caller has them already)."""
    metrics = outcome_metrics(list(listing.outcomes)) if metrics is None else metrics
    return ((listing.title, 3.0), (listing.summary or "", 2.0), (listing.description or "", 1.0),
            *((m, 1.5) for m in metrics))  # fmt: skip


def digest(parts: Parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for text, weight in parts:
        h.update(f"{weight}\x1f{text}\x1e".encode())
    return h.hexdigest()


class Known(NamedTuple):
    text_hash: str
    keywords: dict[str, float]
    spelling: dict[str, str]


class Words(NamedTuple):
    """A record's weighted words and how it spells them (see `keywords`)."""

    keywords: dict[str, float]
    spelling: dict[str, str]


def words_of(parts: Parts, known: Known | None = None) -> Words:
    """The stored words when they were made from these very parts, else weighed now."""
    if known is not None and known.text_hash == digest(parts):
        return Words(known.keywords, known.spelling)
    return Words(weighted(parts), spelled(text for text, _ in parts))


async def store(
    session: AsyncSession, kind: str, records: Iterable[tuple[str, Parts]], now: datetime
) -> int:
    """Weigh and keep the records whose parts changed since their row was made; returns how
    many rows were written. The caller commits."""
    wanted = {record_id: parts for record_id, parts in records}
    if not wanted:
        return 0
    rows = {
        r.record_id: r
        for r in await session.scalars(
            select(MatchTerms).where(MatchTerms.record_id.in_(list(wanted)))
        )
    }
    written = 0
    for record_id, parts in wanted.items():
        text_hash = digest(parts)
        row = rows.get(record_id)
        if row is not None and row.text_hash == text_hash and row.kind == kind:
            continue
        if row is None:
            row = MatchTerms(record_id=record_id)
            session.add(row)
        words = Words(weighted(parts), spelled(text for text, _ in parts))
        row.kind, row.text_hash, row.updated_at = kind, text_hash, now
        row.keywords, row.spelling = words.keywords, words.spelling
        written += 1
    return written


async def forget(session: AsyncSession, ids: Sequence[str]) -> None:
    if ids:
        await session.execute(delete(MatchTerms).where(MatchTerms.record_id.in_(list(ids))))
