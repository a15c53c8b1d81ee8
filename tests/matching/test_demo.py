"""Issue 20: the demo tells the truth about matching: its flagship tender has suppliers."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from marketplace.accounts.demo import seed_network, seed_organisations
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.matching import services
from marketplace.modules import ALL
from marketplace.searching.worker import drain
from marketplace.tenders.models import Tender
from search import SearchBackend
from tests.conftest import START
from tests.searching.conftest import app_indexer

SEEDERS = [s for s in Modules(ALL).seeders if s is not seed_organisations]


async def test_the_e_bus_charging_tender_finds_charging_suppliers_first(
    db: AsyncSession, engine: AsyncEngine, index: SearchBackend
) -> None:
    with Progress(console=Console(quiet=True)) as progress:
        network = await seed_network(db, START, progress)
        for seeder in SEEDERS:
            await seeder(db, network, progress)
    await db.commit()
    await drain(session_maker(engine), app_indexer(index), network.now)
    tender_id = await db.scalar(
        select(Tender.id).where(Tender.title == "Joint procurement of e-bus depot charging")
    )
    assert tender_id is not None
    matches = await services.tender_matches(db, index, None, tender_id, network.now, limit=5)
    assert matches, "the flagship demo tender has no supplier"
    assert all("charg" in m.title.lower() for m in matches[:3]), [m.title for m in matches]
    assert "charging" in matches[0].reasons.keywords
