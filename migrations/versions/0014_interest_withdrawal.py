"""funding interests: a funder may withdraw its interest, and holds one live interest a call

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-01 19:40:00

`status` gains `withdrawn` (withdrawn interests stay, so the city's history is honest); a
partial unique index keeps one pending or accepted interest per funder and call, which a
race between two clicks cannot get round. Before the index is created, older duplicates
(the platform allowed them) are resolved: of a funder's live interests in a call, the
accepted one, else the newest pending one, stays; the others become `withdrawn`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status IN ('pending', 'accepted')"


def upgrade() -> None:
    with op.batch_alter_table("funding_interests") as batch:
        batch.drop_constraint(op.f("ck_funding_interests_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_funding_interests_status"),
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')",
        )
    # Keep one live interest per funder and call: the accepted one, else the newest.
    op.execute(
        sa.text(
            f"""
            UPDATE funding_interests SET status = 'withdrawn'
            WHERE {LIVE} AND EXISTS (
                SELECT 1 FROM funding_interests other
                WHERE other.call_id = funding_interests.call_id
                  AND other.funder_id = funding_interests.funder_id
                  AND other.id <> funding_interests.id
                  AND other.status IN ('pending', 'accepted')
                  AND (other.status = 'accepted' AND funding_interests.status = 'pending'
                       OR (other.status = funding_interests.status
                           AND (other.created_at > funding_interests.created_at
                                OR (other.created_at = funding_interests.created_at
                                    AND other.id > funding_interests.id)))))
            """  # noqa: S608 - constant text only
        )
    )
    op.create_index(
        "uq_funding_interests_live",
        "funding_interests",
        ["call_id", "funder_id"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_funding_interests_live", table_name="funding_interests")
    op.execute(
        sa.text("UPDATE funding_interests SET status = 'declined' WHERE status = 'withdrawn'")
    )
    with op.batch_alter_table("funding_interests") as batch:
        batch.drop_constraint(op.f("ck_funding_interests_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_funding_interests_status"), "status IN ('pending', 'accepted', 'declined')"
        )
