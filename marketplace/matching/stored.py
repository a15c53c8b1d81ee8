"""Match lists worked out ahead, by the event worker, and read by match calls.

Working out a list costs two engine queries and the weighing of up to sixty candidates
(tens of milliseconds of Python); a procurement officer or an SME opening a page of matches
should not wait for it, and a machine serving many of them should not spend it on every
call. The worker keeps one row per published tender and listing (`refresher`), worked out
again when the record changes and when a record it names, or that would now rank in it,
changes. A call uses the row only while the subject is public and unedited since the list
was worked out (the `updated_at` it was worked out from), and drops
on the way out every candidate no longer offered (a listing archived, a tender closed a
moment ago): what it shows is never something a live call would refuse to show. Anything
else (no row yet, a draft, a stale row, more items asked than kept) is worked out live.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

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
    anyone's to see, so the row, the subject (without its lots, buyers or claims) and the
    items no longer offered are read in one query."""
    model: type[Tender | Listing] = Tender if kind == "tender" else Listing
    found = (
        await session.execute(
            select(StoredMatches, model, _withdrawn(kind, now))
            .join(model, model.id == StoredMatches.subject_id)
            .where(StoredMatches.subject_id == subject_id)
        )
    ).first()
    if found is None:
        return None
    row, subject, withdrawn = found
    public = (
        tender_policies.is_public(subject) if isinstance(subject, Tender)
        else listings.is_public(subject)
    )  # fmt: skip
    if not public or row.subject_updated_at != subject.updated_at:
        return None
    gone = set((withdrawn or "").split())
    key = MEMBER_KEY[row.kind]
    items = [item for item in row.items if item[key] not in gone]
    if len(items) < limit and len(row.items) >= STORED:
        return None  # what would come next was not kept
    return items[:limit]


def _withdrawn(kind: str, now: datetime) -> ScalarSelect[Any]:
    """The ids (space-separated) the subject's stored list names that are no longer offered
    at `now`: listings not published, tenders not open for responses. Each is looked up by
    its primary key (a filter on status could make SQLite walk every published listing)."""
    member = StoredMatchMember.member_id
    offered: Select[Any]
    if kind == "tender":
        offered = select(Listing.id).where(Listing.id == member, Listing.status == "published")
    else:
        offered = select(Tender.id).where(
            Tender.id == member, Tender.stage_at(now) == "active",
            Tender.submission_deadline.is_not(None),
        )  # fmt: skip
    return (
        select(func.aggregate_strings(member, " "))
        .where(StoredMatchMember.subject_id == StoredMatches.subject_id, ~offered.exists())
        .correlate(StoredMatches)
        .scalar_subquery()
    )


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
    """Drop the subjects' lists; what each names goes with it (ON DELETE CASCADE)."""
    if subject_ids:
        ids = list(subject_ids)
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
