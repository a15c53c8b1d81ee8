"""Who acts: users, the organisations they belong to, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, id_column

ORGANISATION_KINDS = ("sme", "city", "funder")
ROLES = ("owner", "editor", "viewer")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="raise")


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("kind IN ('sme', 'city', 'funder')", name="kind"),)

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    country: Mapped[str] = mapped_column(String(2))
    nuts_code: Mapped[str | None] = mapped_column(String(5))
    website: Mapped[str | None] = mapped_column(String(500))
    vat_id: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )


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
