"""search: the embedded index moves to tantivy files; SQLite's search tables go

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 19:20:00

The embedded search backend is tantivy, with its index under `var/search`
(`MARKETPLACE_SEARCH_INDEX_DIR`), no longer FTS5 and bitmap tables in the application's
SQLite file. On SQLite every `searchidx_*` table (0005's and 0006's, and any a half-finished
rebuild of the old backend left) is dropped; run `marketplace search reindex` once after
upgrading to fill the new index. PostgreSQL's search tables are its search backend's and
stay. The downgrade recreates the old tables empty (frozen copies as of 0006): the old
backend then needs its own `search reindex`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As 0005 and 0006 made them on SQLite.
OLD_SQLITE = [
    "CREATE TABLE IF NOT EXISTS searchidx_documents ( rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, value REAL, deadline REAL, published_at REAL)",
    "CREATE TABLE IF NOT EXISTS searchidx_terms ( field TEXT NOT NULL, value TEXT NOT NULL, doc_rowid INTEGER NOT NULL, PRIMARY KEY (field, value, doc_rowid)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_terms_doc ON searchidx_terms (doc_rowid)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS searchidx_fts USING fts5(title, summary, organisation, body, classification, outcomes, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS searchidx_vocab USING fts5vocab(searchidx_fts, 'row')",
    "CREATE TABLE IF NOT EXISTS searchidx_meta (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, reset_generation INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO searchidx_meta (id, generation, reset_generation) VALUES (1, 0, 0)",
    "CREATE TABLE IF NOT EXISTS searchidx_changes (generation INTEGER NOT NULL, doc_rowid INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_changes_generation ON searchidx_changes (generation)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_published_at ON searchidx_documents (published_at, doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_deadline ON searchidx_documents (deadline, doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_value ON searchidx_documents (value, doc_id)",
    "INSERT INTO searchidx_fts(searchidx_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 4.0, 1.0, 3.0, 2.0)')",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # fts5vocab views, then FTS5 tables (each drops its shadow tables), then the rest.
    for kind in ("%fts5vocab%", "%using fts5%", "%"):
        names = bind.execute(
            sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name LIKE 'searchidx%' AND lower(sql) LIKE :kind"
            ),
            {"kind": kind},
        ).scalars()
        for name in list(names):
            op.execute(f'DROP TABLE IF EXISTS "{name}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in OLD_SQLITE:
        op.execute(statement)
