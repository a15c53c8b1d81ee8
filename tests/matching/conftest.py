"""Matching tests use the real index of the app's database and the listing tests' SME."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.db import session_maker
from marketplace.searching.worker import drain
from search import SearchBackend
from tests.factories import Api
from tests.listings import conftest as listing_fixtures
from tests.listings.conftest import Sme, complete_listing
from tests.searching import conftest as search_fixtures
from tests.searching.conftest import app_indexer
from tests.tenders.helpers import Joint, joint

# Fixtures shared with the listing and search tests.
sme = listing_fixtures.sme
index = search_fixtures.index

PASSENGER_INFO = {
    "title": "Real-time passenger information displays",
    "summary": "Stop displays and an open data feed for buses and trams.",
    "description": "Passenger information at every stop, fed by open real-time data.",
    "themes": ["mobility"],
    "cpv_codes": ["48813000-0"],
    "countries": ["FI"],
    "outcomes": [{"metric": "Passenger wait time", "unit": "minutes", "baseline": 7,
                  "target": 5, "timeframe_months": 12, "verification": "Survey"}],
    "standards": [{"code": "OASC-MIM1"}, {"code": "OASC-MIM2"}],
}  # fmt: skip


@dataclass
class Market:
    j: Joint
    tender: dict[str, Any]
    listings: dict[str, str]  # name → id


async def listing(api: Api, sme: Sme, *, publish: bool = True, **fields: Any) -> str:
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme.id, **fields), headers=sme.editor.headers
    )
    assert r.status_code == 201, r.text
    if publish:
        r = await api.client.post(
            f"/api/v1/listings/{r.json()['id']}/publish", headers=sme.editor.headers
        )
        assert r.status_code == 200, r.text
    return str(r.json()["id"])


@pytest.fixture
async def market(
    api: Api, sme: Sme, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> Market:
    """A joint tender for passenger information (OASC-MIM1 mandatory, MIM2 desirable) and
    listings that answer it well, partly, not at all, or are not public."""
    j = await joint(api)
    tender = await j.published(api, clock)
    ids = {
        "best": await listing(api, sme, **PASSENGER_INFO),
        "no_mim2": await listing(
            api, sme, **{**PASSENGER_INFO, "title": "Passenger displays, basic",
                         "standards": [{"code": "OASC-MIM1"}], "countries": ["SE"]},
        ),
        "no_mim1": await listing(
            api, sme, **{**PASSENGER_INFO, "title": "Passenger displays without MIM1",
                         "standards": [{"code": "OASC-MIM2"}]},
        ),
        "lighting": await listing(api, sme),  # street lighting: nothing of substance shared
        "draft": await listing(api, sme, publish=False,
                               **{**PASSENGER_INFO, "title": "Unpublished displays"}),
    }  # fmt: skip
    await drain(session_maker(engine), app_indexer(index), clock.now())
    return Market(j, tender, ids)
