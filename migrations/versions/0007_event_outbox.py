"""events: the outbox of domain events and per-subscriber deliveries replace search_outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:30:00

Every service now writes an `events` row in the change's transaction; a worker routes each
event to the subscribers that want it (`event_deliveries`, one row per subscriber, keyed by
event id) and delivers it. Search indexing is one subscriber, `search`. `event_pauses` holds
a subscriber back (a full search rebuild).

Data: every pending `search_outbox` row becomes an `index.requested` event (subject: the
record, `data.kind`: its search kind) already routed to `search`, with its attempts, so
nothing the index was waiting for is lost; rebuild markers are dropped (no rebuild survives
a migration). The downgrade puts pending search deliveries back as outbox rows where the
record they concern can be told from the event (`index.requested`, listing, tender and
funding call events); run `marketplace search reindex` after a downgrade to be sure.
Self-contained: the table shapes here are frozen copies as of this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = DateTimeUTC(timezone=True)

outbox = sa.table(
    "search_outbox", sa.column("id", SERIAL), sa.column("kind", sa.String),
    sa.column("record_id", sa.String), sa.column("op", sa.String),
    sa.column("enqueued_at", WHEN), sa.column("attempts", sa.Integer),
)  # fmt: skip
events = sa.table(
    "events", sa.column("id", SERIAL), sa.column("kind", sa.String),
    sa.column("subject_id", sa.String), sa.column("data", sa.JSON),
    sa.column("occurred_at", WHEN), sa.column("sealed_until", WHEN),
    sa.column("routed", sa.Boolean),
)  # fmt: skip
deliveries = sa.table(
    "event_deliveries", sa.column("id", SERIAL), sa.column("event_id", SERIAL),
    sa.column("subscriber", sa.String), sa.column("status", sa.String),
    sa.column("attempts", sa.Integer), sa.column("next_attempt_at", WHEN),
)  # fmt: skip

# For the downgrade: the search kind whose record is the subject of events of this prefix.
SUBJECT_KIND = {"listing": "listing", "tender": "tender", "lot": "tender",
                "funding_call": "funding_call"}  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("occurred_at", WHEN, nullable=False),
        sa.Column("sealed_until", WHEN, nullable=True),
        sa.Column("routed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index("ix_events_routed_id", ["routed", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "event_deliveries",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("event_id", SERIAL, nullable=False),
        sa.Column("subscriber", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed')",
            name=op.f("ck_event_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_deliveries_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_deliveries")),
        sa.UniqueConstraint(
            "event_id", "subscriber", name=op.f("uq_event_deliveries_event_id_subscriber")
        ),
    )
    with op.batch_alter_table("event_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_event_deliveries_due",
            ["subscriber", "status", "next_attempt_at", "event_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_event_deliveries_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "event_pauses",
        sa.Column("marker", sa.String(length=64), nullable=False),
        sa.Column("subscriber", sa.String(length=40), nullable=False),
        sa.Column("until", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("marker", name=op.f("pk_event_pauses")),
    )
    with op.batch_alter_table("event_pauses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_pauses_subscriber"), ["subscriber"], unique=False
        )

    bind = op.get_bind()
    pending = bind.execute(
        sa.select(outbox.c.kind, outbox.c.record_id, outbox.c.enqueued_at, outbox.c.attempts)
        .where(outbox.c.op != "reindex")
        .order_by(outbox.c.id)
    ).all()
    for kind, record_id, enqueued_at, attempts in pending:
        event_id = bind.execute(
            events.insert()
            .values(
                kind="index.requested", subject_id=record_id, data={"kind": kind},
                occurred_at=enqueued_at, sealed_until=None, routed=True,
            )
            .returning(events.c.id)
        ).scalar_one()  # fmt: skip
        bind.execute(
            deliveries.insert().values(
                event_id=event_id, subscriber="search", status="pending", attempts=attempts,
                next_attempt_at=enqueued_at,
            )
        )  # fmt: skip

    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_search_outbox_kind_id")
        batch_op.drop_index(batch_op.f("ix_search_outbox_enqueued_at"))
    op.drop_table("search_outbox")


def downgrade() -> None:
    op.create_table(
        "search_outbox",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("enqueued_at", WHEN, nullable=False),
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

    bind = op.get_bind()
    waiting = bind.execute(
        sa.select(events.c.kind, events.c.subject_id, events.c.data, events.c.occurred_at,
                  deliveries.c.attempts)
        .join(deliveries, deliveries.c.event_id == events.c.id)
        .where(deliveries.c.subscriber == "search", deliveries.c.status != "delivered")
        .order_by(events.c.id)
    ).all()  # fmt: skip
    for kind, subject_id, data, occurred_at, attempts in waiting:
        record_kind = (
            (data or {}).get("kind") if kind == "index.requested"
            else SUBJECT_KIND.get(kind.split(".", 1)[0])
        )  # fmt: skip
        if record_kind:
            bind.execute(
                outbox.insert().values(
                    kind=record_kind, record_id=subject_id, op="upsert",
                    enqueued_at=occurred_at, attempts=attempts,
                )
            )  # fmt: skip

    with op.batch_alter_table("event_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_pauses_subscriber"))
    op.drop_table("event_pauses")
    with op.batch_alter_table("event_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_deliveries_event_id"))
        batch_op.drop_index("ix_event_deliveries_due")
    op.drop_table("event_deliveries")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_subject_id"))
        batch_op.drop_index("ix_events_routed_id")
        batch_op.drop_index(batch_op.f("ix_events_occurred_at"))
    op.drop_table("events")
