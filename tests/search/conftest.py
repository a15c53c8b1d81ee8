"""Backends for the contract suite: tantivy (the embedded default) always, PostgreSQL when
the test database is PostgreSQL, Meilisearch when MARKETPLACE_MEILI_URL points at a real
server."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from search import SearchBackend

# `postgres-gin`: PostgreSQL without the rum extension (the GIN plan, ts_rank over matches).
BACKENDS = ["tantivy", "postgres", "postgres-gin", "meilisearch"]


@pytest.fixture(params=BACKENDS)
async def backend(
    request: pytest.FixtureRequest, engine: AsyncEngine, tmp_path: Path
) -> AsyncIterator[SearchBackend]:
    """An empty index on one backend."""
    name = request.param
    chosen: SearchBackend
    if name == "tantivy":  # tested on every run, whichever the test database
        from search.backends.tantivy import TantivySearch

        chosen = TantivySearch(tmp_path / "search")
    elif name.startswith("postgres"):
        if engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL search runs when MARKETPLACE_TEST_DATABASE is PostgreSQL")
        from search.backends.postgres import PostgresSearch

        chosen = PostgresSearch(engine, rum=False if name == "postgres-gin" else None)
    else:
        url = os.environ.get("MARKETPLACE_MEILI_URL")
        if not url:
            pytest.skip("Meilisearch runs when MARKETPLACE_MEILI_URL is set")
        from search.backends.meili import MeiliSearch

        chosen = MeiliSearch(
            url, os.environ.get("MARKETPLACE_MEILI_API_KEY"), index=f"test_{secrets.token_hex(4)}"
        )
    await chosen.ensure_ready()
    await chosen.rebuild([])
    yield chosen
    if name == "meilisearch":
        await chosen.client.delete_index_if_exists(chosen.uid)  # type: ignore[attr-defined]
    await chosen.close()
