"""What the listings package publishes to the event outbox (see marketplace.core.events).
Every event's subject is the listing."""

from __future__ import annotations

from marketplace.core.events import EventType

LISTING_CREATED = EventType("listing.created", "An SME drafted a solution listing.")
LISTING_UPDATED = EventType("listing.updated", "A listing was edited (draft or published).")
LISTING_PUBLISHED = EventType("listing.published", "A listing became public.")
LISTING_ARCHIVED = EventType("listing.archived", "A listing left the public view for good.")
LISTING_REOPENED = EventType(
    "listing.reopened", "A listing went back to draft for a new round of edits (not public)."
)

CATALOGUE = (
    LISTING_CREATED, LISTING_UPDATED, LISTING_PUBLISHED, LISTING_ARCHIVED, LISTING_REOPENED,
)  # fmt: skip
