"""The search outbox: one row per change to a searchable record, written in the change's
own transaction and deleted only after the search backend acknowledged it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base

OPS = ("upsert", "delete", "reindex")


class SearchOutbox(Base):
    __tablename__ = "search_outbox"
    __table_args__ = (
        CheckConstraint("op IN ('upsert', 'delete', 'reindex')", name="op"),
        Index("ix_search_outbox_kind_id", "kind", "id"),
    )

    # An increasing integer: rows drain in the order they were written.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))
    # `upsert` and `delete` are hints: the registered loader decides what the index gets.
    # `reindex` marks a full rebuild in progress (drained rows would land in the old index).
    op: Mapped[str] = mapped_column(String(10), default="upsert")
    enqueued_at: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
