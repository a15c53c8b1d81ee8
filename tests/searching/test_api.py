"""`GET /api/v1/search` as API clients use it, and `/health`."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.core.events import publish
from marketplace.db import session_maker
from marketplace.searching.events import INDEX_REQUESTED
from marketplace.settings import Settings
from search import SearchBackend
from tests.search.corpus import CORPUS
from tests.searching.test_outbox import UNREACHABLE


async def filled(index: SearchBackend) -> SearchBackend:
    await index.upsert(CORPUS)
    return index


class TestSearchApi:
    async def test_results_have_the_documented_shape(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await filled(index)
        r = await client.get("/api/v1/search", params={"q": "Munchen"})
        assert r.status_code == 200
        body = r.json()
        assert set(body) >= {"items", "total", "page", "per_page", "facets"}
        assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
        item = body["items"][0]
        assert set(item) == {"type", "id", "title", "snippet", "score"}
        assert (item["type"], item["id"]) == ("tender", "t-munchen")
        assert "<mark>München</mark>" in item["snippet"]
        assert set(body["facets"]) == {"type", "theme", "country", "standard", "cpv_division"}

    async def test_filters_hierarchy_and_facets(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await filled(index)
        r = await client.get("/api/v1/search", params={"cpv": "45000000", "sort": "deadline"})
        body = r.json()
        assert [i["id"] for i in body["items"]] == ["t-roads", "f-schools"]
        assert body["facets"]["type"] == {"tender": 1, "funding_call": 1}
        r = await client.get(
            "/api/v1/search", params=[("type", "listing"), ("type", "tender"), ("country", "fi")]
        )
        assert {i["id"] for i in r.json()["items"]} == {"t-roads", "l-transit"}
        r = await client.get("/api/v1/search", params={"nuts": "FI1", "value_min": "5000000"})
        assert [i["id"] for i in r.json()["items"]] == ["f-schools"]

    async def test_pagination(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await filled(index)
        pages = [
            (await client.get("/api/v1/search", params={"per_page": 4, "page": p})).json()
            for p in (1, 2)
        ]
        assert [p["total"] for p in pages] == [6, 6]
        seen = [i["id"] for p in pages for i in p["items"]]
        assert len(seen) == len(set(seen)) == 6

    async def test_filters_that_leave_nothing_say_what_the_words_find_without_them(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await filled(index)
        body = (await client.get("/api/v1/search", params={"q": "buses", "country": "FI"})).json()
        assert body["total"] == 0 and body["without_filters_total"] == 1
        body = (await client.get("/api/v1/search", params={"q": "buses"})).json()
        assert body["total"] == 1 and body["without_filters_total"] is None

    async def test_misspelling_is_corrected_and_said(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await filled(index)
        body = (await client.get("/api/v1/search", params={"q": "resurfacnig "})).json()
        assert [i["id"] for i in body["items"]] == ["t-roads"]
        assert body["corrected_query"].strip() == "resurfacing"

    async def test_bad_parameters_are_422_naming_the_field(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        for params, field in (
            ({"sort": "cheapest"}, "sort"),
            ({"type": "organisation"}, "type"),
            ({"cpv": "45-road"}, "cpv"),
            ({"theme": "space"}, "theme"),
            ({"country": "XX"}, "country"),
            ({"nuts": "ZZ9"}, "nuts"),
            ({"value_min": "lots"}, "value_min"),
            ({"value_min": "10", "value_max": "5"}, "value_max"),
            ({"deadline_to": "next week"}, "deadline_to"),
            ({"q": "x" * 201}, "q"),
            ([("status", f"s{n}") for n in range(51)], "status"),
        ):
            r = await client.get("/api/v1/search", params=params)
            assert r.status_code == 422, params
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["errors"][0]["field"] == field
        r = await client.get("/api/v1/search", params={"per_page": 101})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "per_page"

    async def test_search_down_is_503_problem(self, settings: Settings, clock: FrozenClock) -> None:
        down = settings.model_copy(
            update={"search_backend": "meilisearch", "meili_url": UNREACHABLE}
        )
        async with AsyncTestClient(app=create_app(down, clock=clock)) as client:
            r = await client.get("/api/v1/search", params={"q": "bus"})
        assert r.status_code == 503
        assert r.json()["title"] == "Service unavailable"

    async def test_openapi_documents_the_endpoint(self, client: AsyncTestClient[Litestar]) -> None:
        schema = (await client.get("/schema/openapi.json")).json()
        operation = schema["paths"]["/api/v1/search"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"q", "type", "theme", "cpv", "country", "standard", "status", "sort", "page",
                "per_page"} <= names  # fmt: skip


class TestHealth:
    async def test_search_ok(self, client: AsyncTestClient[Litestar], index: SearchBackend) -> None:
        r = await client.get("/health")
        assert r.status_code == 200
        assert r.json() == {"status": "ok", "database": "ok", "search": "ok", "events": "ok"}

    async def test_an_old_backlog_degrades_search_but_not_the_service(
        self, client: AsyncTestClient[Litestar], index: SearchBackend, engine: AsyncEngine,
        clock: FrozenClock, settings: Settings,
    ) -> None:  # fmt: skip
        async with session_maker(engine)() as session, session.begin():
            await publish(session, INDEX_REQUESTED, "g1", clock.now(), data={"kind": "listing"})
        assert (await client.get("/health")).json()["search"] == "ok"
        clock.advance(timedelta(seconds=settings.search_backlog_alert_seconds + 1))
        r = await client.get("/health")
        assert r.status_code == 200 and r.json()["search"] == "degraded"

    async def test_an_unreachable_backend_is_degraded(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        down = settings.model_copy(
            update={"search_backend": "meilisearch", "meili_url": UNREACHABLE}
        )
        async with AsyncTestClient(app=create_app(down, clock=clock)) as client:
            r = await client.get("/health")
        assert r.status_code == 200
        assert r.json() == {
            "status": "ok", "database": "ok", "search": "degraded", "events": "ok",
        }  # fmt: skip


class TestInProcessWorker:
    async def test_off_in_tests_unless_asked_and_stopped_on_shutdown(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        app = create_app(settings, clock=clock)
        async with AsyncTestClient(app=app):
            assert app.state.runtime.state.get("event_worker") is None
        on = create_app(settings.model_copy(update={"event_worker": "on"}), clock=clock)
        async with AsyncTestClient(app=on):
            worker = on.state.runtime.state["event_worker"]
            assert worker.running
        assert not worker.running and on.state.runtime.state.get("event_worker") is None
