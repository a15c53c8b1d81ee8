"""documents: files and links of tenders, lots and awards; sealed responses' attachments

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-02 13:22:55

One table, `tender_documents`, one row per version of a document (see
`marketplace.tenders.models.Document`). The files themselves are outside the database
(`MARKETPLACE_DOCUMENTS_DIR`, named by their SHA-256); the downgrade drops the rows and leaves
the files where they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tender_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("lot_id", sa.String(length=36), nullable=True),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("response_id", sa.String(length=36), nullable=True),
        sa.Column("series_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("media_type", sa.String(length=120), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("published_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("modified_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=36), nullable=True),
        sa.Column("replaced_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("replaced_by_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint(
            "response_id IS NULL OR (lot_id IS NULL AND decision_id IS NULL)",
            name=op.f("ck_tender_documents_attachment"),
        ),
        sa.CheckConstraint(
            "sha256 IS NOT NULL OR url IS NOT NULL", name=op.f("ck_tender_documents_file_or_link")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["tender_lot_decisions.id"],
            name=op.f("fk_tender_documents_decision_id_tender_lot_decisions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["tender_lots.id"],
            name=op.f("fk_tender_documents_lot_id_tender_lots"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["tender_responses.id"],
            name=op.f("fk_tender_documents_response_id_tender_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tenders.id"],
            name=op.f("fk_tender_documents_tender_id_tenders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_tender_documents_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_documents")),
    )
    with op.batch_alter_table("tender_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_documents_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tender_documents_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tender_documents_response_id"), ["response_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tender_documents_series_id"), ["series_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tender_documents_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tender_documents_tender_id"), ["tender_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tender_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_documents_tender_id"))
        batch_op.drop_index(batch_op.f("ix_tender_documents_sha256"))
        batch_op.drop_index(batch_op.f("ix_tender_documents_series_id"))
        batch_op.drop_index(batch_op.f("ix_tender_documents_response_id"))
        batch_op.drop_index(batch_op.f("ix_tender_documents_lot_id"))
        batch_op.drop_index(batch_op.f("ix_tender_documents_decision_id"))

    op.drop_table("tender_documents")
