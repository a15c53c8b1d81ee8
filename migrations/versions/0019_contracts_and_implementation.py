"""contracts and implementation: the contract of each awarded lot, its milestones,
transactions and amendments

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 13:20:00

Tenders run on the marketplace record the contract of an awarded lot (signed date, value,
period, each buying city's share), then its implementation: milestones, payments from the
buying cities to the supplier, amendments and termination (`marketplace/tenders/
contract_models.py`). Imported tenders keep theirs in `tender_lot_decisions.contracts`.
New tables only: the downgrade drops them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tender_contracts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("lot_id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("date_signed", sa.Date(), nullable=False),
        sa.Column("value_amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("terminated_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "period_start <= period_end", name=op.f("ck_tender_contracts_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_tender_contracts_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["tender_lot_decisions.id"],
            name=op.f("fk_tender_contracts_decision_id_tender_lot_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["tender_lots.id"],
            name=op.f("fk_tender_contracts_lot_id_tender_lots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tenders.id"],
            name=op.f("fk_tender_contracts_tender_id_tenders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_contracts")),
        sa.UniqueConstraint("lot_id", name=op.f("uq_tender_contracts_lot_id")),
    )
    with op.batch_alter_table("tender_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_contracts_tender_id"), ["tender_id"], unique=False
        )

    op.create_table(
        "tender_contract_amendments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["tender_contracts.id"],
            name=op.f("fk_tender_contract_amendments_contract_id_tender_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_tender_contract_amendments_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_contract_amendments")),
        sa.UniqueConstraint(
            "contract_id", "number", name=op.f("uq_tender_contract_amendments_contract_id_number")
        ),
    )
    with op.batch_alter_table("tender_contract_amendments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_contract_amendments_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "tender_contract_milestones",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("date_met", sa.Date(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'met', 'notMet')",
            name=op.f("ck_tender_contract_milestones_milestone_status"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["tender_contracts.id"],
            name=op.f("fk_tender_contract_milestones_contract_id_tender_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_contract_milestones")),
        sa.UniqueConstraint(
            "contract_id", "number", name=op.f("uq_tender_contract_milestones_contract_id_number")
        ),
    )
    with op.batch_alter_table("tender_contract_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_contract_milestones_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "tender_contract_transactions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("payer_id", sa.String(length=36), nullable=False),
        sa.Column("payee_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["tender_contracts.id"],
            name=op.f("fk_tender_contract_transactions_contract_id_tender_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_tender_contract_transactions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payee_id"],
            ["organisations.id"],
            name=op.f("fk_tender_contract_transactions_payee_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["organisations.id"],
            name=op.f("fk_tender_contract_transactions_payer_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_contract_transactions")),
        sa.UniqueConstraint(
            "contract_id", "number", name=op.f("uq_tender_contract_transactions_contract_id_number")
        ),
    )
    with op.batch_alter_table("tender_contract_transactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_contract_transactions_contract_id"), ["contract_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tender_contract_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_contract_transactions_contract_id"))

    op.drop_table("tender_contract_transactions")
    with op.batch_alter_table("tender_contract_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_contract_milestones_contract_id"))

    op.drop_table("tender_contract_milestones")
    with op.batch_alter_table("tender_contract_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_contract_amendments_contract_id"))

    op.drop_table("tender_contract_amendments")
    with op.batch_alter_table("tender_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_contracts_tender_id"))

    op.drop_table("tender_contracts")
