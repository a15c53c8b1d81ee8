"""What matching keeps per record: sentence-embedding vectors (`marketplace.matching.embeddings`)
and weighted words (`marketplace.matching.terms`)."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Index, LargeBinary, String
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


class MatchTerms(Base):
    """A listing's or tender's weighted words as matching weighs them (`keywords.weighted`
    over its parts), with the hash of the parts they were made from: a candidate's words
    are read, not re-tokenised, on every match call, and a stale row is simply not used."""

    __tablename__ = "match_terms"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    text_hash: Mapped[str] = mapped_column(String(32))
    keywords: Mapped[dict[str, float]] = mapped_column(JSON)  # term → weight
    spelling: Mapped[dict[str, str]] = mapped_column(JSON)  # term → the word as written
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
