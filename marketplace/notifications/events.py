"""What the notifications package publishes to the event outbox (see marketplace.core.events)."""

from __future__ import annotations

from marketplace.core.events import EventType

MAIL_QUEUED = EventType(
    "mail.queued",
    "A message was queued for one recipient (subject: the queued message); the mailer "
    "subscriber sends it.",
)

CATALOGUE = (MAIL_QUEUED,)
