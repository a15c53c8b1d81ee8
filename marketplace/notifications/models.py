"""What people are told and how: notifications, the mail queue, preferences, follows,
saved searches and private calendar/feed tokens.

Every row a subscriber writes carries a `key` unique per recipient (`event:<id>` for an
outbox event, `reminder:...` for a scheduled one), so handling an event twice — the outbox
delivers at least once — never tells anyone twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, id_column

EMAIL_CHOICES = ("instant", "daily", "off")
FOLLOW_TARGETS = ("tender", "funding_call", "organisation")
ALERT_FREQUENCIES = ("instant", "daily", "weekly", "off")
# How a notification reaches the mailbox: not at all, in its own message, or in the digest.
MAIL_STATES = ("none", "instant", "digest", "digested")
_SERIAL = BigInteger().with_variant(Integer, "sqlite")


class Notification(Base):
    __tablename__ = "notifications"
    # A serial id: notifications made at the same moment keep the order they were made in.
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        CheckConstraint(
            "mail_state IN ('none', 'instant', 'digest', 'digested')", name="mail_state"
        ),
        Index("ix_notifications_inbox", "user_id", "read_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(_SERIAL, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    # In English, as written when it was decided; `wording` keeps the sentences with the
    # values they name, so each reader reads them in their own language (wording.py).
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    wording: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where the notification leads: the tender, call or organisation it is about.
    link: Mapped[str] = mapped_column(String(500))
    # The outbox event that caused it (events are pruned, so no foreign key).
    event_id: Mapped[int | None] = mapped_column(_SERIAL)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    mail_state: Mapped[str] = mapped_column(String(10), default="none")


class OutgoingMail(Base):
    """One message to one address. Queued in the transaction that decided to send it, with
    a `mail.queued` outbox event; the mailer marks it sent in its own transaction right
    after the server accepted it, and skips it when it is delivered again."""

    __tablename__ = "outgoing_mail"

    id: Mapped[str] = id_column()
    key: Mapped[str] = mapped_column(String(250), unique=True)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # Extra headers (List-Unsubscribe, List-Unsubscribe-Post).
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Preference(Base):
    """E-mail for one kind of notification; in-app is always on. No row: the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint("email IN ('instant', 'daily', 'off')", name="email"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime]


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        CheckConstraint(
            "target_type IN ('tender', 'funding_call', 'organisation')", name="target_type"
        ),
        Index("ix_follows_target", "target_type", "target_id"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime]


class SavedSearch(Base):
    """A search's URL parameters and how often to be told of what is new in its results.
    `seen` holds the ids already reported (bounded), so an alert sends only new ones."""

    __tablename__ = "saved_searches"
    __table_args__ = (
        CheckConstraint("frequency IN ('instant', 'daily', 'weekly', 'off')", name="frequency"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(String(2000))
    frequency: Mapped[str] = mapped_column(String(10))
    seen: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    last_alerted_at: Mapped[datetime | None]
    # The secret part of the search's private Atom feed URL.
    feed_token: Mapped[str] = mapped_column(String(64), unique=True)


class CalendarToken(Base):
    """The private, revocable address of a user's followed-deadlines calendar: only its
    SHA-256 is stored; a new token revokes the old one."""

    __tablename__ = "calendar_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
