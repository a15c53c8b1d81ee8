"""A published record's sentence-embedding vector (see `marketplace.matching.embeddings`)."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class RecordVector(Base):
    """One row per published listing, tender or funding call: its vector (384 little-endian
    float32, normalised), the model that made it and the SHA-256 of the text it was made
    from, so an unchanged record is never embedded again."""

    __tablename__ = "record_vectors"
    __table_args__ = (Index("ix_record_vectors_kind_model", "kind", "model"),)

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(80))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
