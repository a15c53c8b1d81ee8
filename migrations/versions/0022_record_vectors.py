"""record vectors: a sentence-embedding vector per published listing, tender and call

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-03 11:45:00

One table, `record_vectors` (see `marketplace.matching.models.RecordVector`), filled only
when the optional embeddings are on (`MARKETPLACE_EMBEDDINGS`); empty otherwise. The
downgrade drops it (`marketplace matching embed` fills it again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_vectors",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_vectors")),
    )
    op.create_index("ix_record_vectors_kind_model", "record_vectors", ["kind", "model"])


def downgrade() -> None:
    op.drop_index("ix_record_vectors_kind_model", table_name="record_vectors")
    op.drop_table("record_vectors")
