"""Choosing the search backend from settings: `auto` is tantivy beside a SQLite database
(one machine) and the database's own engine on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.settings import Settings
from search import SearchBackend


def create_backend(settings: Settings, engine: AsyncEngine) -> SearchBackend:
    chosen = settings.search_backend
    dialect = engine.dialect.name
    if chosen == "auto":
        chosen = "tantivy" if dialect == "sqlite" else "postgres"
    if chosen == "meilisearch":
        if not settings.meili_url:
            raise ValueError("MARKETPLACE_MEILI_URL must be set for the meilisearch backend")
        from marketplace.matching.embeddings import DIMENSIONS, ENGINE_EMBEDDER
        from search.backends.meili import MeiliSearch, Vectors

        key = settings.meili_api_key.get_secret_value() if settings.meili_api_key else None
        # With embeddings not off, the index declares the embedder its documents' vectors
        # belong to, and matching asks Meilisearch for the nearest in meaning (hybrid search).
        vectors = Vectors(ENGINE_EMBEDDER, DIMENSIONS) if settings.embeddings != "off" else None
        return MeiliSearch(settings.meili_url, key, index=settings.meili_index, vectors=vectors)
    if chosen == "tantivy":
        from search.backends.tantivy import TantivySearch

        assert settings.search_index_dir is not None  # set by the settings' defaults
        return TantivySearch(settings.search_index_dir)
    if dialect != "postgresql":
        raise ValueError("the postgres search backend needs a PostgreSQL database")
    from search.backends.postgres import PostgresSearch

    return PostgresSearch(engine, rum=None if settings.search_pg_rum else False)
