"""The demo seed has pilot orders in every state, and their ledgers balance."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.demo import seed_network
from marketplace.db import session_maker
from marketplace.listings.demo import seed_listings
from marketplace.payments import services
from marketplace.payments.demo import seed_payments
from marketplace.payments.models import ORDER_LOAD, PilotOrder
from marketplace.payments.module import module as payments
from tests.conftest import START


async def test_demo_seed_has_paid_in_progress_and_refunded_orders(engine: AsyncEngine) -> None:
    assert seed_payments in payments.seeders
    async with session_maker(engine)() as session, session.begin():
        with Progress(console=Console(file=io.StringIO())) as progress:
            network = await seed_network(session, START, progress)
            await seed_listings(session, network, progress)
            await seed_payments(session, network, progress)
    async with session_maker(engine)() as session:
        orders = list(await session.scalars(select(PilotOrder).options(*ORDER_LOAD)))
        statuses = sorted(o.status for o in orders)
        assert statuses == ["awaiting_payment", "paid", "paid", "refunded"]
        running = next(o for o in orders if any(m.status == "paid" for m in o.milestones))
        assert {m.status for m in running.milestones} == {"paid", "reported", "disputed"}
        for order in orders:
            accounts = await services.account_balances(session, order.id)
            assert sum(accounts.values()) == 0
            assert accounts.get("held", 0) >= 0
        refunded = next(o for o in orders if o.status == "refunded")
        sums = await services.balances(session, refunded.id)
        assert sums.refunded == sums.charged == refunded.amount_minor and sums.held == 0
