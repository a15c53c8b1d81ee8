"""What the searching package publishes to the event outbox (see marketplace.core.events)."""

from __future__ import annotations

from marketplace.core.events import EventType

INDEX_REQUESTED = EventType(
    "index.requested",
    "Re-send one record to the search index; `data.kind` is its search kind (subject: the "
    "record). For writers that bypass the services (the bench's generator) and for rows "
    "carried over from the search outbox this replaced.",
)

CATALOGUE = (INDEX_REQUESTED,)
