"""search: the outbox, and the index tables of the SQL search backends

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-29 02:34:14.900125

The index tables (`searchidx_*`) are not models: the backends own them (a full rebuild
replaces them by rename). They are created here so a migrated database is ready to search;
the DDL is a frozen copy of `search.backends.sqlite.schema()` / `postgres.schema()` as of
this revision. `ensure_ready()` creates them too when missing.
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = [
    "CREATE TABLE IF NOT EXISTS searchidx_documents ( rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, value REAL, deadline REAL, published_at REAL)",
    "CREATE TABLE IF NOT EXISTS searchidx_terms ( field TEXT NOT NULL, value TEXT NOT NULL, doc_rowid INTEGER NOT NULL, PRIMARY KEY (field, value, doc_rowid)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_terms_doc ON searchidx_terms (doc_rowid)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS searchidx_fts USING fts5(title, summary, organisation, body, classification, outcomes, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS searchidx_vocab USING fts5vocab(searchidx_fts, 'row')",
]
SQLITE_DROP = ["searchidx_vocab", "searchidx_fts", "searchidx_terms", "searchidx_documents"]

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS searchidx_documents ( doc_id TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, value DOUBLE PRECISION, deadline TIMESTAMPTZ, published_at TIMESTAMPTZ, tsv TSVECTOR NOT NULL, CONSTRAINT pk_searchidx_documents PRIMARY KEY (doc_id))",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_documents_tsv ON searchidx_documents USING GIN (tsv)",
    "CREATE TABLE IF NOT EXISTS searchidx_terms ( field TEXT NOT NULL, value TEXT NOT NULL, doc_id TEXT NOT NULL, CONSTRAINT pk_searchidx_terms PRIMARY KEY (field, value, doc_id))",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_terms_doc ON searchidx_terms (doc_id)",
    "CREATE TABLE IF NOT EXISTS searchidx_lexicon (word TEXT NOT NULL, CONSTRAINT pk_searchidx_lexicon PRIMARY KEY (word))",
    "CREATE INDEX IF NOT EXISTS ix_searchidx_lexicon_trgm ON searchidx_lexicon USING GIN (word gin_trgm_ops)",
]
POSTGRES_DROP = ["searchidx_lexicon", "searchidx_terms", "searchidx_documents"]


def _postgres_prelude() -> None:
    available = {
        row[0]
        for row in op.get_bind().execute(
            sa.text(
                "SELECT name FROM pg_available_extensions WHERE name IN ('unaccent', 'pg_trgm')"
            )
        )
    }
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Without unaccent the configuration is plain `simple`: diacritics must then match exactly.
    mapping = "simple"
    if "unaccent" in available:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        mapping = "unaccent, simple"
    # A constant mapping, no input.
    op.execute(
        "DO $$"  # noqa: S608
        " BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'icc_search') THEN"
        " CREATE TEXT SEARCH CONFIGURATION icc_search (COPY = simple);"
        " ALTER TEXT SEARCH CONFIGURATION icc_search"
        f" ALTER MAPPING FOR hword, hword_part, word WITH {mapping}; END IF; END $$"
    )


def upgrade() -> None:
    op.create_table(
        "search_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column(
            "enqueued_at",
            advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "op IN ('upsert', 'delete', 'reindex')", name=op.f("ck_search_outbox_op")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_outbox_enqueued_at"), ["enqueued_at"], unique=False
        )
        batch_op.create_index("ix_search_outbox_kind_id", ["kind", "id"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
    elif dialect == "postgresql":
        _postgres_prelude()
        for statement in POSTGRES:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP:
        op.execute(f"DROP TABLE IF EXISTS {table}")
    if dialect == "postgresql":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS icc_search")
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_search_outbox_kind_id")
        batch_op.drop_index(batch_op.f("ix_search_outbox_enqueued_at"))
    op.drop_table("search_outbox")
