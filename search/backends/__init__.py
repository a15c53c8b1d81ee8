"""Search backends: SQLite FTS5, PostgreSQL full-text search and Meilisearch."""
