"""stored matches: each published tender's and listing's match list, kept by the worker

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 18:20:00

Two tables (see `marketplace.matching.models.StoredMatches` and `StoredMatchMember`), kept by
the event worker's `stored_matches` subscriber. They start empty: a match call works its
list out itself while the subject has no row, so nothing changes for a user before
`marketplace matching store` fills them (which only makes match calls faster). The
downgrade drops both.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_matches",
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("subject_updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("computed_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_stored_matches")),
    )
    op.create_table(
        "stored_match_members",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["stored_matches.subject_id"],
            name=op.f("fk_stored_match_members_subject_id_stored_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "subject_id", name=op.f("pk_stored_match_members")),
    )
    op.create_index("ix_stored_match_members_subject_id", "stored_match_members", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_stored_match_members_subject_id", table_name="stored_match_members")
    op.drop_table("stored_match_members")
    op.drop_table("stored_matches")
