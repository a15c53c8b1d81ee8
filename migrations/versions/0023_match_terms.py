"""match terms: each listing's and tender's weighted words, as matching weighs them

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 15:10:00

One table, `match_terms` (see `marketplace.matching.models.MatchTerms`), kept by the event
worker's `match_terms` subscriber. It starts empty: matching weighs a record's text itself
until its row exists, so nothing changes for a user before `marketplace matching terms`
fills it (which only makes match calls faster). The downgrade drops it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_terms",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("spelling", sa.JSON(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_match_terms")),
    )


def downgrade() -> None:
    op.drop_table("match_terms")
