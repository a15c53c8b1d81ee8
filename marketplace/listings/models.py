"""SME solution listings and their conformance claims to catalogue standards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, id_column

LISTING_STATUSES = ("draft", "published", "archived")


class Listing(Base):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status"),
        CheckConstraint("trl IS NULL OR (trl >= 1 AND trl <= 9)", name="trl"),
    )

    id: Mapped[str] = id_column()
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on render
    # Closed vocabularies kept as JSON lists in their given order; the theme filter matches
    # the quoted code inside the JSON text, which is exact because codes contain no quotes.
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    cpv_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # canonical, with check digit
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    trl: Mapped[int | None] = mapped_column(Integer)
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pricing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]

    claims: Mapped[list[ListingStandard]] = relationship(
        back_populates="listing",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ListingStandard.position",
    )


class ListingStandard(Base):
    """A listing's conformance claim; the version current when it was made is kept, so an
    admin's new version of the standard leaves the claim valid and shown as such."""

    __tablename__ = "listing_standards"

    listing_id: Mapped[str] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    standard_code: Mapped[str] = mapped_column(
        ForeignKey("standards.code", ondelete="CASCADE"), primary_key=True, index=True
    )
    standard_version: Mapped[str] = mapped_column(String(120))
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]

    listing: Mapped[Listing] = relationship(back_populates="claims", lazy="raise")
