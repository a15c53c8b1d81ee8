"""What the standards package publishes to the event outbox (see marketplace.core.events)."""

from __future__ import annotations

from marketplace.core.events import Event, EventType

STANDARD_CREATED = EventType(
    "standard.created", "A platform admin added a standard to the catalogue (subject: its code)."
)
STANDARD_UPDATED = EventType(
    "standard.updated",
    "A standard's catalogue entry changed; `data.changed` lists the fields (subject: its "
    "code). Records that show its title are re-sent to search.",
)
COMMITMENT_MADE = EventType(
    "commitment.made",
    "A city committed to a standard or changed its commitment; `data`: standard_code, "
    "status (subject: the city).",
)
COMMITMENT_WITHDRAWN = EventType(
    "commitment.withdrawn",
    "A city withdrew its commitment to a standard; `data`: standard_code (subject: the city).",
)

CATALOGUE = (STANDARD_CREATED, STANDARD_UPDATED, COMMITMENT_MADE, COMMITMENT_WITHDRAWN)


def title_changed(event: Event) -> bool:
    """True for a `standard.updated` that changed the title other records show."""
    return event.kind == STANDARD_UPDATED.kind and "title" in event.data.get("changed", ())
