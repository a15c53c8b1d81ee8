"""Demo data: what the earlier seeders' events tell people, so a newcomer's inbox shows
what the marketplace tells (funders' interest to cities, decisions to funders, ...), and
follows that bring deadline reminders.

The notifications are made here from the events already in the outbox, with the same rules
and keys (`event:<id>`) the subscriber uses: when the event worker delivers those events
later it finds everyone already told and adds nothing. No mail is queued here (the seeder has
no mail settings); notifications the worker adds later (matching SMEs) are mailed as usual.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.delivery import event_of
from marketplace.core.models import EventRecord
from marketplace.notifications import services
from marketplace.notifications.models import Follow
from marketplace.notifications.recipients import RULES, drafts_for
from marketplace.tenders.models import Tender

FOLLOWED = 2  # tenders each demo SME editor follows


async def seed_notifications(session: AsyncSession, network: Any, progress: Any) -> None:
    now = network.now
    await session.flush()
    events = list(
        await session.scalars(
            select(EventRecord)
            .where(EventRecord.routed.is_(False), EventRecord.kind.in_(sorted(RULES)))
            .order_by(EventRecord.id)
        )
    )
    task = progress.add_task("notifications", total=len(events) + 1)
    for row in events:
        event = event_of(row)
        drafts = await drafts_for(session, event, now)
        await services.notify(session, None, drafts, f"event:{event.id}", now, event_id=event.id)
        progress.advance(task)
    tenders = list(
        await session.scalars(
            select(Tender)
            .where(Tender.published_at.is_not(None), Tender.cancelled_at.is_(None),
                   Tender.submission_deadline > now)
            .order_by(Tender.submission_deadline)
            .limit(FOLLOWED)
        )
    )  # fmt: skip
    for sme in network.smes:
        editor = network.users.get(sme.id)
        if editor is None:
            continue
        for tender in tenders:
            session.add(Follow(user_id=editor.id, target_type="tender", target_id=tender.id,
                               created_at=now))  # fmt: skip
    await session.flush()
    progress.advance(task)
