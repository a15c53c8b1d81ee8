"""The demo seed gives every funding page something real to show."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.demo import seed_network
from marketplace.db import session_maker
from marketplace.funding import services
from marketplace.funding.demo import seed_funding
from marketplace.funding.models import FunderProfile, FundingInterest
from marketplace.funding.module import module as funding
from tests.conftest import START


async def test_demo_seed_creates_open_joint_calls_profiles_and_interests(
    engine: AsyncEngine,
) -> None:
    assert seed_funding in funding.seeders
    async with session_maker(engine)() as session, session.begin():
        with Progress(console=Console(file=io.StringIO())) as progress:
            network = await seed_network(session, START, progress)
            await seed_funding(session, network, progress)
    async with session_maker(engine)() as session:
        calls, total = await services.list_calls(
            session, None, START, services.CallFilters(status="open")
        )
        assert total == 5
        assert any(len(c.partners) == 2 for c in calls)
        views = await services.calls_out(session, calls, START)
        espoo = next(v for v in views if v.organisation_name == "City of Espoo")
        assert espoo.pledged_total.amount == 10_000_000
        assert [f.name for f in espoo.named_funders] == [
            "European Investment Bank — Urban Development"
        ]
        assert await session.scalar(select(func.count()).select_from(FunderProfile)) == 4
        assert await session.scalar(select(func.count()).select_from(FundingInterest)) == 5
