"""`/livez`: the liveness probe answers without touching the database or search."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.settings import Settings

UNREACHABLE_DATABASE = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
UNREACHABLE_SEARCH = "http://127.0.0.1:1"


class TestLiveness:
    async def test_ok(self, client: AsyncTestClient[Litestar]) -> None:
        r = await client.get("/livez")
        assert r.status_code == 200
        assert r.json() == {"status": "ok"}

    async def test_ok_while_the_database_and_search_are_down(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        down = settings.model_copy(
            update={
                "database_url": UNREACHABLE_DATABASE,
                "search_backend": "meilisearch",
                "meili_url": UNREACHABLE_SEARCH,
            }
        )
        async with AsyncTestClient(app=create_app(down, clock=clock)) as client:
            live = await client.get("/livez")
            health = await client.get("/health")
        assert live.status_code == 200 and live.json() == {"status": "ok"}
        assert health.status_code == 503

    async def test_documented_in_openapi(self, client: AsyncTestClient[Litestar]) -> None:
        schema = (await client.get("/schema/openapi.json")).json()
        assert "get" in schema["paths"]["/livez"]
