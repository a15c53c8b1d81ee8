"""The demo seed shows something real on every listings and standards page."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.demo import seed_network, seed_organisations
from marketplace.core.module import Modules
from marketplace.listings.models import Listing, ListingStandard
from marketplace.modules import ALL
from marketplace.reference import vocabularies as vocab
from marketplace.standards.models import CityStandard
from tests.conftest import START

SEEDERS = [s for s in Modules(ALL).seeders if s is not seed_organisations]


async def test_demo_listings_cover_every_theme_with_real_codes(db: AsyncSession) -> None:
    with Progress(console=Console(quiet=True)) as progress:
        network = await seed_network(db, START, progress)
        for seeder in SEEDERS:
            await seeder(db, network, progress)
    await db.commit()
    listings = list(await db.scalars(select(Listing)))
    assert len(listings) >= 200
    published = [item for item in listings if item.status == "published"]
    themes = Counter(theme for item in published for theme in item.themes)
    assert set(themes) == set(vocab.themes())
    for item in listings:
        assert all(vocab.canonical_cpv(c) == c for c in item.cpv_codes)
        assert item.outcomes and item.pricing
    assert await db.scalar(select(func.count()).select_from(ListingStandard)) >= len(listings)
    assert await db.scalar(select(func.count()).select_from(CityStandard)) >= len(network.cities)
