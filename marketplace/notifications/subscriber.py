"""The `notifications` subscriber: turns outbox events into notifications (and queued
mail) for the people each concerns, one transaction per batch."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.listings.models import Listing
from marketplace.notifications import services
from marketplace.notifications.recipients import RULES, Draft, drafts_for, members
from marketplace.notifications.wording import At, Words, say
from marketplace.settings import Settings

log = logging.getLogger(__name__)

SUBSCRIBER = "notifications"
MATCHES = 20  # SMEs told of a new tender: those with the best-matching listings


class Notifier:
    name = SUBSCRIBER
    kinds: frozenset[str] | None = frozenset(RULES)
    transient: tuple[type[BaseException], ...] = ()

    def __init__(self, settings: Settings, search_backend: Any | None = None) -> None:
        self.settings = settings
        self.search_backend = search_backend
        if search_backend is not None:
            from marketplace.searching.services import SearchUnavailable

            self.transient = (SearchUnavailable,)

    async def handle(
        self,
        events: Sequence[Event],
        sessions: async_sessionmaker[AsyncSession],
        now: datetime,
    ) -> None:
        async with sessions() as session, session.begin():
            await services.write_first(session)
            for event in events:
                drafts = await drafts_for(session, event, now)
                if event.kind == "tender.published":
                    drafts = await self._matching(session, event, now) + drafts
                    drafts = list({d.user_id: d for d in drafts}.values())
                await services.notify(
                    session, self.settings, drafts, f"event:{event.id}", now, event_id=event.id
                )

    async def _matching(self, session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
        """Members of the SMEs whose published listings the matching engine ranks for the
        new tender (the same ranking as the tender's "matching solutions" page)."""
        if self.search_backend is None:
            return []
        from marketplace.matching.services import tender_matches

        matches = await tender_matches(session, self.search_backend, None, event.subject_id, now,
                                       limit=MATCHES)  # fmt: skip
        ids = [m.listing_id for m in matches if m.score > 0]
        if not ids:
            return []
        rows = (
            await session.execute(
                select(Listing.organisation_id, Listing.title).where(Listing.id.in_(ids))
            )
        ).all()
        from marketplace.tenders.models import Tender

        tender = await session.get(Tender, event.subject_id)
        if tender is None:
            return []

        def body(listing_title: str) -> tuple[Words, ...]:
            matched = say("It matches your listing “%(listing)s”.", listing=listing_title)
            if tender is None or tender.submission_deadline is None:
                return (matched,)
            return (matched, say("Responses until %(responses)s.",
                                 responses=At(tender.submission_deadline)))  # fmt: skip

        drafts: list[Draft] = []
        for organisation_id, listing_title in rows:
            for user_id in await members(session, [organisation_id]):
                drafts.append(
                    Draft(
                        user_id, "tender.matching",
                        say("A new tender matches your solution: %(title)s", title=tender.title),
                        f"/tenders/{tender.id}", body(listing_title),
                    )
                )  # fmt: skip
        return drafts
