"""`GET /api/v1/tenders/{id}/matches` and `GET /api/v1/listings/{id}/matches`, end to end:
records made through the API, indexed through the outbox, matched and explained."""

from __future__ import annotations

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.db import session_maker
from marketplace.searching.worker import drain
from marketplace.settings import Settings
from search import SearchBackend
from tests.factories import Api
from tests.listings.conftest import Sme
from tests.matching.conftest import Market
from tests.searching.conftest import app_indexer
from tests.searching.test_outbox import UNREACHABLE


class TestSuppliersForATender:
    async def test_ranked_with_reasons_and_mandatory_standards_enforced(
        self, api: Api, market: Market
    ) -> None:
        r = await api.client.get(f"/api/v1/tenders/{market.tender['id']}/matches")
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["listing_id"] for i in items] == [
            market.listings["best"], market.listings["no_mim2"]
        ]  # fmt: skip
        best, partial = items
        assert best["title"] == "Real-time passenger information displays"
        assert best["score"] > partial["score"]
        reasons = best["reasons"]
        assert reasons["cpv"] == [{
            "tender_code": "48000000-8", "listing_code": "48813000-0",
            "level": "within the code asked for", "label": "Passenger information system",
        }]  # fmt: skip
        assert reasons["themes"] == ["mobility"]
        assert reasons["standards_met"] == ["OASC-MIM1", "OASC-MIM2"]
        assert reasons["standards_missing"] == []
        assert reasons["countries"] == ["FI"]
        assert reasons["outcomes"] == ["Passenger wait time"]
        assert "passenger" in reasons["keywords"]
        assert partial["reasons"]["standards_missing"] == ["OASC-MIM2"]
        assert partial["reasons"]["countries"] == []
        assert sum(best["points"].values()) == best["score"]

    async def test_a_planned_tender_is_matched_only_for_its_cities(
        self, api: Api, market: Market, clock: FrozenClock
    ) -> None:
        draft = await market.j.create(api, clock, title="Passenger information, next round")
        assert (await api.client.get(f"/api/v1/tenders/{draft['id']}/matches")).status_code == 404
        r = await api.client.get(
            f"/api/v1/tenders/{draft['id']}/matches", headers=market.j.lead.headers
        )
        assert r.status_code == 200
        assert r.json()["items"][0]["listing_id"] == market.listings["best"]

    async def test_a_listing_archived_since_indexing_is_not_offered(
        self, api: Api, market: Market, sme: Sme
    ) -> None:
        await api.client.post(
            f"/api/v1/listings/{market.listings['best']}/archive", headers=sme.editor.headers
        )  # the outbox has not been drained: the index still holds it
        r = await api.client.get(f"/api/v1/tenders/{market.tender['id']}/matches")
        assert market.listings["best"] not in {i["listing_id"] for i in r.json()["items"]}


class TestTendersForAListing:
    async def test_open_tenders_only_with_the_same_reasons(
        self, api: Api, market: Market, clock: FrozenClock, engine: AsyncEngine,
        index: SearchBackend,
    ) -> None:  # fmt: skip
        cancelled = await market.j.published(api, clock, title="Passenger information, cancelled")
        r = await api.client.post(
            f"/api/v1/tenders/{cancelled['id']}/cancel", json={"reason": "Merged"},
            headers=market.j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        await market.j.create(api, clock, title="Passenger information, not yet published")
        await drain(session_maker(engine), app_indexer(index), clock.now())

        r = await api.client.get(f"/api/v1/listings/{market.listings['best']}/matches")
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["tender_id"] for i in items] == [market.tender["id"]]
        match = items[0]
        assert match["organisation"] == "City of Espoo, Stadt Wien"
        assert match["reasons"]["standards_met"] == ["OASC-MIM1", "OASC-MIM2"]
        assert match["submission_deadline"].startswith(market.tender["submission_deadline"][:10])

    async def test_a_tender_requiring_a_standard_the_listing_lacks_is_left_out(
        self, api: Api, market: Market
    ) -> None:
        r = await api.client.get(f"/api/v1/listings/{market.listings['no_mim1']}/matches")
        assert r.status_code == 200 and r.json()["items"] == []

    async def test_a_draft_listing_is_matched_only_for_its_sme(
        self, api: Api, market: Market, sme: Sme
    ) -> None:
        draft = market.listings["draft"]
        assert (await api.client.get(f"/api/v1/listings/{draft}/matches")).status_code == 404
        r = await api.client.get(f"/api/v1/listings/{draft}/matches", headers=sme.viewer.headers)
        assert [i["tender_id"] for i in r.json()["items"]] == [market.tender["id"]]

    async def test_bad_limit_is_a_problem_naming_the_field(self, api: Api, market: Market) -> None:
        r = await api.client.get(
            f"/api/v1/listings/{market.listings['best']}/matches", params={"limit": "0"}
        )
        assert r.status_code == 400, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["field"] == "limit"


async def test_search_down_is_a_503_problem(
    api: Api, market: Market, settings: Settings, clock: FrozenClock
) -> None:
    app: Litestar = create_app(
        settings.model_copy(update={"search_backend": "meilisearch", "meili_url": UNREACHABLE}),
        clock=clock,
    )
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app) as client:
        r = await client.get(f"/api/v1/tenders/{market.tender['id']}/matches")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_openapi_documents_both_endpoints_and_the_reasons(api: Api) -> None:
    schema = (await api.client.get("/schema/openapi.json")).json()
    for path in ("/api/v1/tenders/{tender_id}/matches", "/api/v1/listings/{listing_id}/matches"):
        operation = schema["paths"][path]["get"]
        assert "limit" in {p["name"] for p in operation["parameters"]}
    reasons = schema["components"]["schemas"]["Reasons"]["properties"]
    assert {"cpv", "themes", "standards_met", "standards_missing"} <= set(reasons)
