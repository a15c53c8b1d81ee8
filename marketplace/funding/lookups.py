"""The organisations and standards a funding page or form offers to choose from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.accounts.services import member_organisations
from marketplace.standards.models import Standard


async def funders_of(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    """The funder organisations the actor belongs to, for dashboards and forms."""
    return await member_organisations(session, actor, ("funder",))


async def cities_of(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    return await member_organisations(session, actor, ("city",))


async def all_cities(session: AsyncSession) -> list[Organisation]:
    rows = await session.scalars(
        select(Organisation).where(Organisation.kind == "city").order_by(Organisation.name)
    )
    return list(rows)


async def standard_codes(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(select(Standard.code, Standard.title).order_by(Standard.code))
    return [(c, t) for c, t in rows.tuples()]
