"""search: the SQLite index's generation counter and change log, ranked FTS5, sort indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:50:00

The SQLite backend keeps filters and facet counts as bitmaps in memory; the generation
counter and the change log (`searchidx_meta`, `searchidx_changes`) tell each process what
changed since it last looked. FTS5's `rank` gets the column weights, and the documents get
an index per sort key. A frozen copy of `search.backends._bitmaps.DDL` and of
`search.backends.sqlite.schema()` as of this revision; `ensure_ready()` does the same when
missing. Nothing changes on PostgreSQL.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = [
    "CREATE TABLE IF NOT EXISTS searchidx_meta (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, reset_generation INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO searchidx_meta (id, generation, reset_generation) VALUES (1, 0, 0)",
    "CREATE TABLE IF NOT EXISTS searchidx_changes (generation INTEGER NOT NULL, doc_rowid INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_changes_generation ON searchidx_changes (generation)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_published_at ON searchidx_documents (published_at, doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_deadline ON searchidx_documents (deadline, doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_value ON searchidx_documents (value, doc_id)",
    "INSERT INTO searchidx_fts(searchidx_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 4.0, 1.0, 3.0, 2.0)')",
]  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("published_at", "deadline", "value"):
        op.execute(f"DROP INDEX IF EXISTS ix_searchidx_documents_{name}")
    op.execute("DROP TABLE IF EXISTS searchidx_changes")
    op.execute("DROP TABLE IF EXISTS searchidx_meta")
    op.execute("INSERT INTO searchidx_fts(searchidx_fts, rank) VALUES ('rank', 'bm25()')")
