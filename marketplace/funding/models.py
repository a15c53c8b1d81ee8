"""Funding calls, their partner cities, funders' profiles, interests and shortlists.

Amounts are `Numeric(16, 2)`: exact on PostgreSQL. SQLite keeps NUMERIC values as REAL, so
totals are never summed in SQL: services add the `Decimal` values read back row by row
(each one rounded to the cent by the column type), which is exact on both databases.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from marketplace.accounts.models import Organisation
from marketplace.db import Base, id_column

# Tables this module's foreign keys point at must be in the metadata whenever it is used
# (the CLI imports only what it needs, not `marketplace.models`).
from marketplace.reference.models import Theme  # noqa: F401
from marketplace.standards.models import Standard  # noqa: F401

INSTRUMENTS = ("grant", "loan", "equity", "guarantee", "blended")
INTEREST_STATUSES = ("pending", "accepted", "declined")
AMOUNT = Numeric(16, 2)
PERCENT = Numeric(5, 2)


class FundingCall(Base):
    __tablename__ = "funding_calls"

    id: Mapped[str] = id_column()
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    amount_sought: Mapped[Decimal] = mapped_column(AMOUNT, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    co_financing_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    # KPIs [{metric, unit, baseline, target, timeframe_months}], read and written whole.
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Tenders live in another package that may not exist in every deployment: the ids are
    # kept as opaque references, without a foreign key.
    tender_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime] = mapped_column(index=True)
    # The status is derived from these and the clock (see `services.status_of`), so a
    # deadline passing needs no job.
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    # In the order cities were invited; the id settles invitations sent at the same moment.
    partners: Mapped[list[FundingCallPartner]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: (FundingCallPartner.invited_at, FundingCallPartner.id),
    )
    themes: Mapped[list[FundingCallTheme]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )
    instruments: Mapped[list[FundingCallInstrument]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )
    standards: Mapped[list[FundingCallStandard]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class FundingCallPartner(Base):
    """A partner city: invited by the lead city, confirmed by one of its own editors."""

    __tablename__ = "funding_call_partners"
    __table_args__ = (UniqueConstraint("call_id", "organisation_id"),)

    id: Mapped[str] = id_column()
    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    invited_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class FundingCallTheme(Base):
    __tablename__ = "funding_call_themes"

    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), primary_key=True
    )
    theme_code: Mapped[str] = mapped_column(ForeignKey("themes.code"), primary_key=True, index=True)


class FundingCallInstrument(Base):
    __tablename__ = "funding_call_instruments"
    __table_args__ = (
        CheckConstraint(
            "instrument IN ('grant', 'loan', 'equity', 'guarantee', 'blended')", name="instrument"
        ),
    )

    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), primary_key=True
    )
    instrument: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)


class FundingCallStandard(Base):
    __tablename__ = "funding_call_standards"

    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), primary_key=True
    )
    standard_code: Mapped[str] = mapped_column(
        ForeignKey("standards.code", ondelete="CASCADE"), primary_key=True
    )


class FunderProfile(Base):
    """A funder's investment focus; read whole and scored in Python (see `fit.py`)."""

    __tablename__ = "funder_profiles"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)
    ticket_min: Mapped[Decimal | None] = mapped_column(AMOUNT)
    ticket_max: Mapped[Decimal | None] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    nuts_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_co_financing_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    updated_at: Mapped[datetime]


LIVE_INTEREST = "status IN ('pending', 'accepted')"


class FundingInterest(Base):
    __tablename__ = "funding_interests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')", name="status"
        ),
        CheckConstraint(
            "instrument IN ('grant', 'loan', 'equity', 'guarantee', 'blended')", name="instrument"
        ),
        Index("ix_funding_interests_call_status", "call_id", "status"),
        # One live interest per funder and call, whatever two clicks at once try.
        Index(
            "uq_funding_interests_live",
            "call_id",
            "funder_id",
            unique=True,
            sqlite_where=text(LIVE_INTEREST),
            postgresql_where=text(LIVE_INTEREST),
        ),
    )

    id: Mapped[str] = id_column()
    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), index=True
    )
    funder_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    instrument: Mapped[str] = mapped_column(String(12))
    conditions: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    named_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]

    funder: Mapped[Organisation] = relationship(lazy="raise")
    call: Mapped[FundingCall] = relationship(lazy="raise")


class ShortlistEntry(Base):
    """A funder's private note on a call it is watching."""

    __tablename__ = "funding_shortlist"
    __table_args__ = (UniqueConstraint("funder_id", "call_id"),)

    id: Mapped[str] = id_column()
    funder_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[str] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    call: Mapped[FundingCall] = relationship(lazy="raise")


# Everything a call's page, its fit and its search document read, loaded in one go per
# collection (relationships are lazy="raise").
CALL_LOAD = (
    selectinload(FundingCall.organisation),
    selectinload(FundingCall.partners).selectinload(FundingCallPartner.organisation),
    selectinload(FundingCall.themes),
    selectinload(FundingCall.instruments),
    selectinload(FundingCall.standards),
)
