"""The standards catalogue (loaded from reference data, curated by platform admins) and the
cities' commitments to standards. Listings' conformance claims live in `listing_standards`
(see `marketplace.listings.models`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, id_column

COMMITMENT_STATUSES = ("planned", "adopted")


class Standard(Base):
    __tablename__ = "standards"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(60), index=True)
    url: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)


class CityStandard(Base):
    """A city's commitment to a standard: it plans to adopt it, or has adopted it."""

    __tablename__ = "city_standards"
    __table_args__ = (
        UniqueConstraint("organisation_id", "standard_code"),
        CheckConstraint("status IN ('planned', 'adopted')", name="status"),
    )

    id: Mapped[str] = id_column()
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    standard_code: Mapped[str] = mapped_column(
        ForeignKey("standards.code", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
