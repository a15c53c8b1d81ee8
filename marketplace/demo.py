"""`marketplace demo seed`: every module's seeder, in module order, in one transaction.

The accounts module's seeder comes first and fills the `Network` (cities, SMEs, funders and
their editors) that the later ones build on.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.demo import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, Network
from marketplace.accounts.models import Organisation
from marketplace.clock import Clock
from marketplace.core.module import Modules, Seeder
from marketplace.db import engine_from, session_maker
from marketplace.settings import Settings


async def run_seeders(
    session: AsyncSession, seeders: list[Seeder], network: Network, progress: Progress
) -> None:
    for seeder in seeders:
        await seeder(session, network, progress)


async def seed(settings: Settings, modules: Modules, *, if_empty: bool, console: Console) -> int:
    engine = engine_from(settings)
    try:
        async with session_maker(engine)() as session, session.begin():
            existing = await session.scalar(select(func.count()).select_from(Organisation)) or 0
            if existing and if_empty:
                console.print(
                    f"Demo data not seeded: the database already has {existing} organisations."
                )
                return 0
            network = Network(now=Clock().now())
            with Progress(console=console) as progress:
                await run_seeders(session, modules.seeders, network, progress)
    finally:
        await engine.dispose()
    console.print(
        f"[green]Seeded[/green] {len(network.cities)} cities, {len(network.smes)} SMEs and "
        f"{len(network.funders)} funders. Sign in as admin@demo.icc.example or "
        f"{next(iter(network.users.values())).email}; the password is "
        f"${DEMO_PASSWORD_ENV} or '{DEFAULT_DEMO_PASSWORD}'."
    )
    return 0
