"""Choosing the search backend from settings: `auto` is the database's own engine."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.settings import Settings
from search import SearchBackend


def create_backend(settings: Settings, engine: AsyncEngine) -> SearchBackend:
    chosen = settings.search_backend
    dialect = engine.dialect.name
    if chosen == "auto":
        chosen = "sqlite" if dialect == "sqlite" else "postgres"
    if chosen == "meilisearch":
        if not settings.meili_url:
            raise ValueError("MARKETPLACE_MEILI_URL must be set for the meilisearch backend")
        from search.backends.meili import MeiliSearch

        key = settings.meili_api_key.get_secret_value() if settings.meili_api_key else None
        return MeiliSearch(settings.meili_url, key, index=settings.meili_index)
    if chosen == "sqlite":
        if dialect != "sqlite":
            raise ValueError("the sqlite search backend needs a SQLite database")
        from search.backends.sqlite import SqliteSearch

        return SqliteSearch(engine, result_pages=settings.search_result_cache)
    if dialect != "postgresql":
        raise ValueError("the postgres search backend needs a PostgreSQL database")
    from search.backends.postgres import PostgresSearch

    return PostgresSearch(engine)
