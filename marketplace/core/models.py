"""The outbox of domain events and each subscriber's delivery state.

An `events` row is written in the same transaction as the change it describes, so an event
exists exactly when its change committed. A worker routes each new event to the subscribers
that want its kind (one `event_deliveries` row each) and delivers it; the delivery row is the
subscriber's own record of that event (pending, delivered, or failed for good), keyed by
event id, so a subscriber never depends on another one's progress.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base

DELIVERY_STATUSES = ("pending", "delivered", "failed")
# SQLite's INTEGER PRIMARY KEY is its rowid: increasing, so events keep the order they
# were written in on both databases.
_SERIAL = BigInteger().with_variant(Integer, "sqlite")


class EventRecord(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_routed_id", "routed", "id"),)

    id: Mapped[int] = mapped_column(_SERIAL, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    # An event about a sealed response: until then only the responding organisation may
    # learn of it, whatever a subscriber does with it (see docs/architecture.md).
    sealed_until: Mapped[datetime | None]
    # Set once the worker has written a delivery row for every subscriber that wants it.
    routed: Mapped[bool] = mapped_column(Boolean, default=False)


class EventDelivery(Base):
    __tablename__ = "event_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "subscriber"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        Index("ix_event_deliveries_due", "subscriber", "status", "next_attempt_at", "event_id"),
    )

    id: Mapped[int] = mapped_column(_SERIAL, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(
        _SERIAL, ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    subscriber: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not before: a failed delivery waits here (exponential backoff).
    next_attempt_at: Mapped[datetime]
    # A worker's claim: other workers leave the row alone until it lapses (a worker killed
    # mid-batch loses its claim this way; nothing else is needed to recover).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]


class EventPause(Base):
    """A subscriber told to hold back (a full search rebuild is running): one row per
    holder, so two holders never release each other's pause; a lapsed row is ignored."""

    __tablename__ = "event_pauses"

    marker: Mapped[str] = mapped_column(String(64), primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(40), index=True)
    until: Mapped[datetime]
