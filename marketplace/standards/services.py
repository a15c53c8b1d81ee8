"""Standards rules: admins curate the catalogue; city editors commit their city."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.policies import platform_actions
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish
from marketplace.core.module import ReferenceData
from marketplace.core.paging import paged
from marketplace.core.sorting import checked_sort
from marketplace.errors import Conflict, Forbidden, Invalid, NotFound
from marketplace.reference import vocabularies as vocab
from marketplace.standards.events import (
    COMMITMENT_MADE,
    COMMITMENT_WITHDRAWN,
    STANDARD_CREATED,
    STANDARD_UPDATED,
)
from marketplace.standards.models import CityStandard, Standard
from marketplace.standards.schemas import (
    AdopterOut,
    ClaimantOut,
    CommitmentIn,
    CommitmentOut,
    StandardDetailOut,
    StandardIn,
    StandardOut,
    StandardUpdate,
)

STANDARD_SORTS = ("category", "title", "code")


async def list_standards(
    session: AsyncSession,
    *,
    q: str | None = None,
    category: str | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> tuple[list[Standard], int]:
    """`sort`: `category` (then code; the default), `title`, `code`."""
    match checked_sort(sort, STANDARD_SORTS):
        case "title":
            order: list[Any] = [func.lower(Standard.title), Standard.title]
        case "code":
            order = [Standard.code]
        case _:
            order = [Standard.category, Standard.code]
    query = select(Standard)
    if category:
        query = query.where(Standard.category == category)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                Standard.code.ilike(pattern),
                Standard.title.ilike(pattern),
                Standard.issuer.ilike(pattern),
                Standard.summary.ilike(pattern),
            )
        )
    return await paged(session, query, [*order, Standard.code], page, per_page)


async def categories(session: AsyncSession) -> list[str]:
    return list(
        await session.scalars(select(Standard.category).distinct().order_by(Standard.category))
    )


async def get_standard(session: AsyncSession, code: str) -> Standard:
    standard = await session.get(Standard, code)
    if standard is None:
        raise NotFound(f"No standard {code!r} in the catalogue.")
    return standard


# The published listings claiming a standard, and how many there are. Listings sit above
# standards, so they provide it (the `standard_claimants` service of their module) rather
# than standards reaching up into them.
ClaimantsOf = Callable[[AsyncSession, str], Awaitable[tuple[list[ClaimantOut], int]]]


async def standard_detail(
    session: AsyncSession, code: str, claimants_of: ClaimantsOf
) -> StandardDetailOut:
    """What it is, the cities that adopted or plan it, the published listings claiming it."""
    standard = await get_standard(session, code)
    adopters = await session.execute(
        select(CityStandard, Organisation)
        .join(Organisation, Organisation.id == CityStandard.organisation_id)
        .where(CityStandard.standard_code == code)
        .order_by(CityStandard.status, Organisation.name)
    )
    claimants, total = await claimants_of(session, code)
    return StandardDetailOut(
        **StandardOut.model_validate(standard).model_dump(),
        adopted_by=[
            AdopterOut(
                organisation_id=org.id,
                name=org.name,
                country=org.country,
                status=commitment.status,
                date=commitment.date,
            )
            for commitment, org in adopters.tuples()
        ],
        listings_count=total,
        listings=claimants,
    )


def _require_admin(actor: Actor) -> None:
    platform_actions(actor).require("curate_standards")


async def create_standard(
    session: AsyncSession, actor: Actor, data: StandardIn, now: datetime
) -> Standard:
    _require_admin(actor)
    if await session.get(Standard, data.code) is not None:
        raise Conflict(f"The catalogue already has {data.code}.")
    standard = Standard(**{**data.model_dump(), "url": str(data.url)})
    session.add(standard)
    await session.flush()
    await publish(session, STANDARD_CREATED, standard.code, now)
    return standard


async def update_standard(
    session: AsyncSession, actor: Actor, code: str, data: StandardUpdate, now: datetime
) -> Standard:
    """A new version leaves listings' claims as they were: each keeps the version it was
    made against, and pages show it as such."""
    _require_admin(actor)
    standard = await get_standard(session, code)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise Invalid.field(key, "cannot be empty")
        setattr(standard, key, str(value) if key == "url" else value)
    await session.flush()
    changed = sorted(data.model_fields_set)
    if changed:
        await publish(session, STANDARD_UPDATED, standard.code, now, data={"changed": changed})
    return standard


# --- city commitments ------------------------------------------------------------------


@dataclass(frozen=True)
class Commitment:
    record: CityStandard
    standard: Standard

    def out(self) -> CommitmentOut:
        return CommitmentOut(
            organisation_id=self.record.organisation_id,
            code=self.standard.code,
            title=self.standard.title,
            status=self.record.status,
            date=self.record.date,
        )


async def commit_city(
    session: AsyncSession, actor: Actor, organisation_id: str, data: CommitmentIn, now: datetime
) -> tuple[Commitment, bool]:
    """Record (or change) a city's commitment; returns it and whether it is new."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the city's owners and editors commit it to standards.")
    if organisation.kind != "city":
        raise Invalid.field("organisation_id", "only cities commit to standards")
    standard = await session.get(Standard, data.code)
    if standard is None:
        raise Invalid.field("code", f"{data.code!r} is not in the standards catalogue")
    record = await session.scalar(
        select(CityStandard).where(
            CityStandard.organisation_id == organisation_id,
            CityStandard.standard_code == data.code,
        )
    )
    created = record is None
    if record is None:
        record = CityStandard(
            organisation_id=organisation_id, standard_code=data.code, created_at=now,
            status=data.status, date=data.date, updated_at=now,
        )  # fmt: skip
        try:
            async with session.begin_nested():
                session.add(record)
        except IntegrityError:  # a concurrent request recorded it first
            raise Conflict("The commitment was just recorded by someone else; try again.") from None
    else:
        record.status = data.status
        record.date = data.date
        record.updated_at = now
        await session.flush()
    await publish(
        session, COMMITMENT_MADE, organisation_id, now,
        data={"standard_code": data.code, "status": data.status},
    )  # fmt: skip
    return Commitment(record, standard), created


async def withdraw_commitment(
    session: AsyncSession, actor: Actor, organisation_id: str, code: str, now: datetime
) -> None:
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the city's owners and editors change its commitments.")
    record = await session.scalar(
        select(CityStandard).where(
            CityStandard.organisation_id == organisation_id, CityStandard.standard_code == code
        )
    )
    if record is None:
        raise NotFound("The city has no commitment to this standard.")
    await session.delete(record)
    await publish(session, COMMITMENT_WITHDRAWN, organisation_id, now, data={"standard_code": code})


async def commitments_of(session: AsyncSession, organisation_id: str) -> list[Commitment]:
    rows = await session.execute(
        select(CityStandard, Standard)
        .join(Standard, Standard.code == CityStandard.standard_code)
        .where(CityStandard.organisation_id == organisation_id)
        .order_by(CityStandard.status, Standard.code)
    )
    return [Commitment(c, s) for c, s in rows.tuples()]


async def load_catalogue(session: AsyncSession) -> int:
    """The packaged standards catalogue, for a new database: rows admins curate afterwards
    are kept as they are, only missing codes are added."""
    existing = set((await session.scalars(select(Standard.code))).all())
    new = [dict(r) for r in vocab.standards_rows() if r["code"] not in existing]
    session.add_all(Standard(**r) for r in new)
    return len(new)


CATALOGUE = ReferenceData("standards", load_catalogue)
