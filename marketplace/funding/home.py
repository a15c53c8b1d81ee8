"""The funding part of a home page: a city's calls and the interest they received, and its
spend (tenders) and funding sought by ICC theme; a funder's own interests (its dashboard
stays its fuller home)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.funding import interests as interest_rules
from marketplace.funding import lookups, pictures, services
from marketplace.funding.models import CALL_LOAD, FundingCall, FundingInterest
from marketplace.tenders import reads as tenders


async def home_section(
    session: AsyncSession, actor: Actor, kinds: frozenset[str], now: datetime
) -> tuple[str, dict[str, Any]] | None:
    context: dict[str, Any] = {"now": now}
    if "city" in kinds:
        cities = [c.id for c in await lookups.cities_of(session, actor)]
        calls = list(
            await session.scalars(
                select(FundingCall)
                .where(FundingCall.organisation_id.in_(cities))
                .options(*CALL_LOAD)
                .order_by(FundingCall.deadline)
            )
        )
        views = await services.calls_out(session, calls, now)
        pending: dict[str, int] = {}
        if calls:
            rows = await session.scalars(
                select(FundingInterest.call_id).where(
                    FundingInterest.call_id.in_([c.id for c in calls]),
                    FundingInterest.status == "pending",
                )
            )
            for call_id in rows:
                pending[call_id] = pending.get(call_id, 0) + 1
        context["calls"], context["pending"] = views, pending
        # Where the cities' money goes and where they seek it, side by side per theme.
        spend = await tenders.spend_by_theme(session, cities, now)
        context["themes"] = pictures.themes(spend, views)
    if "funder" in kinds:
        funders = await lookups.funders_of(session, actor)
        interests = []
        for funder in funders:
            interests += await interest_rules.funder_interests(session, actor, funder.id)
        context["interests"] = [interest_rules.interest_out(i) for i in interests[:10]]
    if len(context) == 1:
        return None
    return "funding/home_section.html", context
