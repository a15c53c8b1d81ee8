"""Match lists worked out ahead, by the event worker, and read by match calls.

Working out a list costs two engine queries and the weighing of up to sixty candidates
(tens of milliseconds of Python); a procurement officer or an SME opening a page of matches
should not wait for it, and a machine serving many of them should not spend it on every
call. The worker keeps one row per published tender and listing (`refresher`), worked out
again when the record changes and when a record it names, or that would now rank in it,
changes. A call uses the row only when it is newer than the subject's last edit, and drops
on the way out every candidate no longer offered (a listing archived, a tender closed a
moment ago): what it shows is never something a live call would refuse to show. Anything
else (no row yet, a draft, a stale row, more items asked than kept) is worked out live.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.listings import services as listings
from marketplace.listings.models import Listing
from marketplace.matching.models import StoredMatches, StoredMatchMember
from marketplace.tenders import policies as tender_policies
from marketplace.tenders.models import Tender

STORED = 50  # items kept per list: the most the API gives (`limit` ≤ 50)
MEMBER_KEY = {"tender": "listing_id", "listing": "tender_id"}  # the subject's kind → item id


class Found(NamedTuple):
    """A list as worked out: the items (the API's, as JSON) and the subject's `updated_at`."""

    items: list[dict[str, Any]]
    updated_at: datetime


async def read(
    session: AsyncSession, kind: str, subject_id: str, limit: int, now: datetime
) -> list[dict[str, Any]] | None:
    """The stored items of a public subject of `kind`, still offered at `now`, best first,
    at most `limit`; None when there is no usable row (the caller loads the subject through
    its service, which says who may see it, and works the list out). A public record is
    anyone's to see, so the row and the subject are read in one query, without the
    subject's lots, buyers or claims."""
    model: type[Tender | Listing] = Tender if kind == "tender" else Listing
    found = (
        await session.execute(
            select(StoredMatches, model)
            .join(model, model.id == StoredMatches.subject_id)
            .where(StoredMatches.subject_id == subject_id)
        )
    ).first()
    if found is None:
        return None
    row, subject = found
    public = (
        tender_policies.is_public(subject) if isinstance(subject, Tender)
        else listings.is_public(subject)
    )  # fmt: skip
    if not public or row.subject_updated_at != subject.updated_at:
        return None
    key = MEMBER_KEY[row.kind]
    ids = [item[key] for item in row.items]
    offered = await _offered(session, row.kind, ids, now)
    items = [item for item in row.items if item[key] in offered]
    if len(items) < limit and len(row.items) >= STORED:
        return None  # what would come next was not kept
    return items[:limit]


async def _offered(session: AsyncSession, kind: str, ids: list[str], now: datetime) -> set[str]:
    if not ids:
        return set()
    if kind == "tender":
        published = select(Listing.id, Listing.status).where(Listing.id.in_(ids))
        rows = (await session.execute(published)).tuples()
        return {i for i, status in rows if status == "published"}
    open_ = select(Tender.id, Tender.stage_at(now), Tender.submission_deadline).where(
        Tender.id.in_(ids)
    )
    return {
        i for i, stage, deadline in (await session.execute(open_)).tuples()
        if stage == "active" and deadline is not None
    }  # fmt: skip


async def keep(
    session: AsyncSession, kind: str, subject_id: str, found: Found, now: datetime
) -> None:
    """Replace the subject's row (and the index of what it names). The caller commits."""
    items = found.items
    await forget(session, [subject_id])
    session.add(StoredMatches(subject_id=subject_id, kind=kind, items=items,
                              subject_updated_at=found.updated_at, computed_at=now))  # fmt: skip
    await session.flush()
    key = MEMBER_KEY[kind]
    members = dict.fromkeys(item[key] for item in items)
    session.add_all(StoredMatchMember(member_id=m, subject_id=subject_id) for m in members)


async def forget(session: AsyncSession, subject_ids: Sequence[str]) -> None:
    if subject_ids:
        ids = list(subject_ids)
        await session.execute(
            delete(StoredMatchMember).where(StoredMatchMember.subject_id.in_(ids))
        )
        await session.execute(delete(StoredMatches).where(StoredMatches.subject_id.in_(ids)))


async def naming(session: AsyncSession, member_ids: Iterable[str]) -> dict[str, str]:
    """The stored lists (subject id → kind) that name any of `member_ids`."""
    wanted = list(member_ids)
    if not wanted:
        return {}
    query = (
        select(StoredMatches.subject_id, StoredMatches.kind)
        .join(StoredMatchMember, StoredMatchMember.subject_id == StoredMatches.subject_id)
        .where(StoredMatchMember.member_id.in_(wanted))
    )
    return dict((await session.execute(query)).tuples().all())


async def existing(session: AsyncSession, subject_ids: Iterable[str]) -> dict[str, str]:
    """Which of `subject_ids` have a stored list (id → kind)."""
    wanted = list(subject_ids)
    if not wanted:
        return {}
    query = select(StoredMatches.subject_id, StoredMatches.kind).where(
        StoredMatches.subject_id.in_(wanted)
    )
    return dict((await session.execute(query)).tuples().all())


async def of_kind(session: AsyncSession, kind: str) -> list[str]:
    """The subjects of `kind` with a stored list."""
    query = select(StoredMatches.subject_id).where(StoredMatches.kind == kind)
    return list(await session.scalars(query))
