"""What matching keeps per record: sentence-embedding vectors (`marketplace.matching.embeddings`),
weighted words (`marketplace.matching.terms`) and the stored match lists
(`marketplace.matching.stored`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
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


class StoredMatches(Base):
    """A published tender's or listing's matches as the event worker last worked them out
    (`marketplace.matching.stored`): the API's items, best first, up to `STORED` of them, so
    a match call reads a row instead of asking the engine and weighing sixty candidates."""

    __tablename__ = "stored_matches"

    subject_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # the subject's: "tender" or "listing"
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The subject's `updated_at` when the list was worked out: an edit since makes it stale.
    subject_updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    computed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class StoredMatchMember(Base):
    """Which stored lists name a record: the lists to work out again when it changes."""

    __tablename__ = "stored_match_members"
    __table_args__ = (Index("ix_stored_match_members_subject_id", "subject_id"),)

    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_id: Mapped[str] = mapped_column(
        ForeignKey("stored_matches.subject_id", ondelete="CASCADE"), primary_key=True
    )
