"""Domain events: what happened, written to the outbox in the change's own transaction.

A service that changes state calls `publish(session, TENDER_PUBLISHED, tender.id, now)`
beside the change; it never commits, so the event exists exactly when the change does.
Subscribers (search indexing now; notifications and payments next) receive events later,
each at least once, from the worker in `marketplace.core.delivery`.

Conventions (the catalogue is in docs/architecture.md):

- `kind` is `<thing>.<what happened>` in the past tense: `tender.published`, `lot.awarded`;
- `subject_id` is the id of the record a reader would open to see the change: the tender
  for `lot.awarded` and `question.answered`, the funding call for `interest.expressed`;
  `data` names the parts (`lot_id`, `question_id`, ...) and never carries a copy of them;
- events about a sealed response carry `sealed_until` (the submission deadline): until
  then a subscriber may tell only the responding organisation (`data["organisation_id"]`).
  Events are internal: no page or API shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.models import EventRecord

MAX_KIND = 60


@dataclass(frozen=True)
class EventType:
    """One entry of the event catalogue: a kind a package publishes and what it means."""

    kind: str
    description: str
    # About a sealed response: publishing one requires `sealed_until`.
    sealed: bool = False

    def __post_init__(self) -> None:
        thing, _, happened = self.kind.partition(".")
        if not thing or not happened or len(self.kind) > MAX_KIND or self.kind != self.kind.lower():
            raise ValueError(f"an event kind is 'thing.what_happened' in lower case: {self.kind!r}")


@dataclass(frozen=True)
class Event:
    """An event as subscribers receive it (`id` and `occurred_at` come from the outbox)."""

    kind: str
    subject_id: str
    data: Mapping[str, Any] = field(default_factory=dict)
    id: int = 0
    occurred_at: datetime | None = None
    sealed_until: datetime | None = None

    def sealed_at(self, now: datetime) -> bool:
        """True while only the responding organisation may learn of this event."""
        return self.sealed_until is not None and now < self.sealed_until


async def publish(
    session: AsyncSession,
    type_: EventType,
    subject_id: str,
    now: datetime,
    *,
    data: Mapping[str, Any] | None = None,
    sealed_until: datetime | None = None,
) -> None:
    """Write the event into the caller's transaction (never commits, never flushes)."""
    if type_.sealed and sealed_until is None:
        raise ValueError(f"{type_.kind} is about a sealed response: give sealed_until")
    session.add(
        EventRecord(
            kind=type_.kind, subject_id=subject_id, data=dict(data or {}), occurred_at=now,
            sealed_until=sealed_until, routed=False,
        )
    )  # fmt: skip
