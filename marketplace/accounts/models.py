"""Who acts: users, the organisations they belong to, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, id_column

# A city is what the ICC network is about; other public buyers (regions, central purchasing
# bodies, publicly owned companies) take part in joint tenders beside cities and may lead
# one on behalf of them. `BUYER_KINDS` are the kinds that may buy.
ORGANISATION_KINDS = ("sme", "city", "public_buyer", "large_company", "funder")
BUYER_KINDS = ("city", "public_buyer")
BUYER_TYPES = ("city", "region", "central_purchasing_body", "public_company", "other_public_body")
ROLES = ("owner", "editor", "viewer")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # When the person followed the link mailed to `email` (None: not verified yet).
    email_verified_at: Mapped[datetime | None]
    # The language the person chose (en, fr, de); None: none chosen, the browser's is used.
    locale: Mapped[str | None] = mapped_column(String(5))

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="raise")


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('sme', 'city', 'public_buyer', 'large_company', 'funder')", name="kind"
        ),
        CheckConstraint(
            "buyer_type IS NULL OR buyer_type IN ('city', 'region', 'central_purchasing_body', "
            "'public_company', 'other_public_body')",
            name="buyer_type",
        ),
    )

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Public buyers only: what kind of public body (a city's is "city").
    buyer_type: Mapped[str | None] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))
    nuts_code: Mapped[str | None] = mapped_column(String(5))
    website: Mapped[str | None] = mapped_column(String(500))
    vat_id: Mapped[str | None] = mapped_column(String(20))
    # Postal address and contact point, as OCDS `parties` and TED notices carry them.
    street_address: Mapped[str | None] = mapped_column(String(300))
    locality: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    telephone: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )
    identifiers: Mapped[list[OrganisationIdentifier]] = relationship(
        back_populates="organisation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: (OrganisationIdentifier.position, OrganisationIdentifier.id),
    )


class OrganisationIdentifier(Base):
    """A legal identifier with its org-id.guide scheme (`NL-KVK`, `GB-COH`, `EU-VAT`, ...).

    One (scheme, identifier) names one organisation, which is how imported notices find the
    buyer they name. `scheme` is None for a number of an unknown register: kept, not matched
    on. The first (position 0) is the organisation's main identifier in OCDS.
    """

    __tablename__ = "organisation_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "identifier"),)

    id: Mapped[str] = id_column()
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str | None] = mapped_column(String(20))
    # Compacted (no spaces or dots, upper case) so that one number is stored one way.
    identifier: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship(back_populates="identifiers", lazy="raise")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="raise")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the token: tokens are long random strings, so a fast hash is enough and
    # lets every request find its token with one indexed lookup.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


ACCOUNT_TOKEN_PURPOSES = ("password_reset", "email_verification")


class AccountToken(Base):
    """A link mailed to a person: a password reset or an address verification.

    The link carries the row's id signed with the app secret (HMAC), so nothing secret is
    stored here; `used_at`, set by one conditional UPDATE, makes each link work once, and
    `expires_at` makes it stop working. `email` is the address the link was sent to: a
    verification proves that address, not whatever the account's address is later.
    """

    __tablename__ = "account_tokens"
    __table_args__ = (
        CheckConstraint("purpose IN ('password_reset', 'email_verification')", name="purpose"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
