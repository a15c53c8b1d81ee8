"""joint order shares: each city of a joint pilot order pays its own share

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 09:00:00

`pilot_order_buyers` keeps each city's payment: its Checkout Session, PaymentIntent and
charge, when it was paid and what was refunded to it. Orders placed before paid at once, by
the ordering city: their shares are marked paid with the order, and the ordering city's
share keeps the order's own session, PaymentIntent and charge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pilot_order_buyers") as batch:
        batch.add_column(sa.Column("checkout_session_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("checkout_url", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("checkout_expires_at", DateTimeUTC(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("checkout_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("payment_intent_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("charge_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("paid_at", DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("refunded_minor", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.create_index("ix_pilot_order_buyers_payment_intent_id", ["payment_intent_id"])
        batch.create_index("ix_pilot_order_buyers_charge_id", ["charge_id"])
    # Before: the ordering city paid the whole price at once.
    op.execute(
        "UPDATE pilot_order_buyers SET paid_at = (SELECT o.paid_at FROM pilot_orders o "
        "WHERE o.id = pilot_order_buyers.order_id) "
        "WHERE order_id IN (SELECT id FROM pilot_orders WHERE paid_at IS NOT NULL)"
    )
    for column in ("checkout_session_id", "checkout_url", "checkout_expires_at",
                   "checkout_attempts", "payment_intent_id", "charge_id"):  # fmt: skip
        op.execute(  # the column names are the constants above, not input
            f"UPDATE pilot_order_buyers SET {column} = (SELECT o.{column} FROM pilot_orders o "  # noqa: S608
            "WHERE o.id = pilot_order_buyers.order_id) WHERE organisation_id = "
            "(SELECT o.buyer_id FROM pilot_orders o WHERE o.id = pilot_order_buyers.order_id)"
        )


def downgrade() -> None:
    with op.batch_alter_table("pilot_order_buyers") as batch:
        batch.drop_index("ix_pilot_order_buyers_charge_id")
        batch.drop_index("ix_pilot_order_buyers_payment_intent_id")
        for column in ("refunded_minor", "paid_at", "charge_id", "payment_intent_id",
                       "checkout_attempts", "checkout_expires_at", "checkout_url",
                       "checkout_session_id"):  # fmt: skip
            batch.drop_column(column)
