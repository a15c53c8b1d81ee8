"""What time alone causes: deadline reminders, responses opening at the deadline,
saved-search alerts and daily digests. `tick` runs each of them once, each in its own
transaction, and is safe to run as often as one likes and from several processes: every
notification and message has its unique key (`reminder:<tender>:<deadline>:<days>:...`),
so a second run finds nothing left to do.

It runs in-process beside the event worker (`MARKETPLACE_EVENT_WORKER`), every
`MARKETPLACE_NOTIFICATIONS_TICK_SECONDS`, or from cron as `marketplace notifications tick`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace import i18n
from marketplace.accounts.models import User
from marketplace.core.module import SearchKind
from marketplace.i18n import gettext as _
from marketplace.notifications import mail, services, wording
from marketplace.notifications.catalogue import BY_NAME
from marketplace.notifications.models import Notification, SavedSearch
from marketplace.notifications.recipients import (
    Draft,
    buyer_organisations,
    followers,
    members,
    responding_organisations,
)
from marketplace.notifications.wording import At, Words, say, say_n
from marketplace.settings import Settings
from marketplace.tenders.models import Tender

log = logging.getLogger(__name__)

REMINDER_DAYS = (7, 1)
# A deadline that passed longer ago than this is history: no "responses opened" for it.
OPENED_WINDOW = timedelta(days=2)
ALERT_EVERY = {"instant": timedelta(0), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
ALERT_HITS = 100  # the newest results an alert looks at


@dataclass
class TickResult:
    reminders: int = 0
    opened: int = 0
    alerts: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def _window(deadline: datetime, days: int, now: datetime) -> bool:
    """The `days`-before reminder is due from `deadline - days` until the next shorter
    reminder's moment (or the deadline), so a late tick sends one, not both."""
    shorter = [d for d in REMINDER_DAYS if d < days]
    end = deadline - timedelta(days=max(shorter)) if shorter else deadline
    return deadline - timedelta(days=days) <= now < end


def _reminder(which: str, days: int, title: str) -> Words:
    if which == "questions":
        if days == 1:
            return say("Questions close tomorrow: %(title)s", title=title)
        return say("Questions close in %(days)s days: %(title)s", days=days, title=title)
    if days == 1:
        return say("Responses are due tomorrow: %(title)s", title=title)
    return say("Responses are due in %(days)s days: %(title)s", days=days, title=title)


async def deadline_reminders(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Question and submission deadlines, 7 days and 1 day before: to the tender's
    followers, and (submission) to the members of SMEs that have responded."""
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    tenders = await session.scalars(
        select(Tender).where(
            Tender.published_at.is_not(None), Tender.cancelled_at.is_(None),
            Tender.completed_at.is_(None), Tender.unsuccessful_at.is_(None),
            Tender.submission_deadline > now, Tender.clarification_deadline <= horizon,
        )
    )  # fmt: skip
    told = 0
    for tender in list(tenders):
        for which, deadline in (("questions", tender.clarification_deadline),
                                ("responses", tender.submission_deadline)):  # fmt: skip
            if deadline is None:  # optional questions deadline; imported notices may lack one
                continue
            for days in REMINDER_DAYS:
                if not _window(deadline, days, now):
                    continue
                users = await followers(session, "tender", tender.id)
                if which == "responses":
                    users += await members(
                        session, await responding_organisations(session, tender.id)
                    )
                title = _reminder(which, days, tender.title)
                body = (say("Deadline: %(deadline)s.", deadline=At(deadline)),)
                drafts = [
                    Draft(u, "deadline.reminder", title, f"/tenders/{tender.id}", body)
                    for u in dict.fromkeys(users)
                ]
                key = f"reminder:{tender.id}:{which}:{days}:{deadline.isoformat()}"
                told += len(await services.notify(session, settings, drafts, key, now))
    return told


async def responses_opened(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """The submission deadline passed: the buying cities may open and score the responses."""
    from sqlalchemy import func

    from marketplace.tenders.models import TenderResponse

    tenders = await session.scalars(
        select(Tender).where(
            Tender.published_at.is_not(None), Tender.cancelled_at.is_(None),
            Tender.submission_deadline <= now, Tender.submission_deadline > now - OPENED_WINDOW,
        )
    )  # fmt: skip
    told = 0
    for tender in list(tenders):
        count = await session.scalar(
            select(func.count(TenderResponse.id)).where(TenderResponse.tender_id == tender.id)
        )
        users = await members(session, await buyer_organisations(session, tender))
        title = say_n("%(num)d response to %(title)s can be opened",
                      "%(num)d responses to %(title)s can be opened", count or 0,
                      title=tender.title)  # fmt: skip
        body = (say("The submission deadline has passed; responses are unsealed for evaluation."),)
        drafts = [
            Draft(u, "responses.opened", title, f"/tenders/{tender.id}/responses", body)
            for u in users
        ]
        opened_at = tender.submission_deadline
        if opened_at is None:  # the query asks for a deadline; an imported notice may lack one
            continue
        key = f"opened:{tender.id}:{opened_at.isoformat()}"
        told += len(await services.notify(session, settings, drafts, key, now))
    return told


# --- saved searches ------------------------------------------------------------------------


async def found(
    backend: Any, kinds: Sequence[SearchKind], query: str, now: datetime, per_page: int = ALERT_HITS
) -> list[Any]:
    """The newest hits of a saved search (the search page's own query building)."""
    from marketplace.searching.services import SearchParams, build_query, run_search

    params = services.params_of(query)
    single = {k: (v[-1] if v else None) for k, v in params.items()}
    search = SearchParams(
        q=single.get("q"), type=params.get("type", []), theme=params.get("theme", []),
        cpv=params.get("cpv", []), country=params.get("country", []),
        nuts=params.get("nuts", []), standard=params.get("standard", []),
        status=params.get("status", []), value_min=single.get("value_min"),
        value_max=single.get("value_max"), deadline_from=single.get("deadline_from"),
        deadline_to=single.get("deadline_to"), sort="newest", page=1, per_page=per_page,
    )  # fmt: skip
    result = await run_search(backend, build_query(search, now, [k.name for k in kinds]))
    return list(result.hits)


async def saved_search_alerts(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    backend: Any,
    kinds: Sequence[SearchKind],
    now: datetime,
) -> int:
    """Each due saved search: what it finds now that it had not reported before."""
    paths = {k.name: k.path for k in kinds}
    async with sessions() as session:
        searches = list(
            await session.scalars(select(SavedSearch).where(SavedSearch.frequency != "off"))
        )
    told = 0
    for saved in searches:
        every = ALERT_EVERY.get(saved.frequency)
        if every is None or (saved.last_alerted_at and now < saved.last_alerted_at + every):
            continue
        try:
            hits = await found(backend, kinds, saved.query, now)
        except Exception as error:  # a broken saved search must not stop the others
            log.warning("saved search %s could not run: %s", saved.id, error)
            continue
        if not [h for h in hits if h.id not in set(saved.seen or [])]:
            if saved.frequency != "instant":  # checked: the next check is a period away
                async with sessions() as session, session.begin():
                    await session.execute(
                        update(SavedSearch).where(SavedSearch.id == saved.id)
                        .values(last_alerted_at=now)
                    )  # fmt: skip
            continue
        async with sessions() as session, session.begin():
            await services.write_first(session)
            row = await session.get(SavedSearch, saved.id, with_for_update=True)
            if row is None:
                continue
            seen = set(row.seen or [])
            new = [h for h in hits if h.id not in seen]
            row.last_alerted_at = now
            if not new:
                continue
            row.seen = [*(row.seen or []), *(h.id for h in new)][-services.MAX_SEEN :]
            first = new[0]
            title = (
                say_n("“%(name)s”: %(title)s and %(num)d more",
                      "“%(name)s”: %(title)s and %(num)d more", len(new) - 1,
                      name=row.name, title=first.title)
                if len(new) > 1 else say("“%(name)s”: %(title)s", name=row.name, title=first.title)
            )  # fmt: skip
            lines = "\n".join(f"- {h.title}" for h in new[:10])
            link = (
                f"/search?{row.query}"
                if len(new) > 1
                else paths.get(first.type, "/search").format(id=first.id)
            )
            draft = Draft(
                row.user_id, "search.alert", title, link,
                (say("New results for your saved search:\n%(lines)s", lines=lines),),
            )  # fmt: skip
            key = f"alert:{row.id}:{now.isoformat()}"
            told += len(await services.notify(session, settings, [draft], key, now))
    return told


# --- digests -------------------------------------------------------------------------------


async def daily_digests(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """One message a day per person with the notifications they chose to get daily."""
    if now.hour < settings.digest_hour:
        return 0
    day = now.date().isoformat()
    users = list(
        await session.scalars(
            select(Notification.user_id).where(Notification.mail_state == "digest").distinct()
        )
    )
    sent = 0
    for user_id in users:
        user = await session.get(User, user_id)
        if user is None:
            continue
        pending = list(
            await session.scalars(
                select(Notification)
                .where(Notification.user_id == user_id, Notification.mail_state == "digest")
                .order_by(Notification.created_at)
            )
        )
        kinds = sorted({n.kind for n in pending})
        with i18n.using(user.locale or i18n.DEFAULT):
            subject = _("Your daily ICC Marketplace digest: %(n)s new", n=len(pending))
            written = [wording.read(n.wording, n.title, n.body) for n in pending]
        queued = await mail.queue(
            session, settings, key=f"digest:{user_id}:{day}", user_id=user_id, to=user.email,
            subject=subject, template="digest", locale=user.locale,
            now=now, unsubscribe_kinds=kinds, name=user.name,
            items=[{"title": t, "body": b, "link": mail.absolute(settings, n.link),
                    "kind": BY_NAME[n.kind].label if n.kind in BY_NAME else n.kind}
                   for n, (t, b) in zip(pending, written, strict=True)],
        )  # fmt: skip
        if queued is None:
            continue  # today's digest went out already; these wait for tomorrow's
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in pending]))
            .values(mail_state="digested")
            .execution_options(synchronize_session=False)
        )
        sent += 1
    return sent


# --- the tick ------------------------------------------------------------------------------


async def tick(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime,
    *,
    backend: Any | None = None,
    kinds: Sequence[SearchKind] = (),
) -> TickResult:
    result = TickResult()
    for name, step in (("reminders", deadline_reminders), ("opened", responses_opened),
                       ("digests", daily_digests)):  # fmt: skip
        try:
            async with sessions() as session, session.begin():
                await services.write_first(session)
                setattr(result, name, await step(session, settings, now))
        except Exception as error:
            log.exception("notifications: %s failed", name)
            result.errors.append(f"{name}: {error}")
    if backend is not None:
        try:
            result.alerts = await saved_search_alerts(sessions, settings, backend, kinds, now)
        except Exception as error:
            log.exception("notifications: saved-search alerts failed")
            result.errors.append(f"alerts: {error}")
    return result


class Scheduler:
    """`tick` every `interval` seconds in a background task until stopped."""

    def __init__(self, run: Callable[[], Any], interval: float) -> None:
        self.run = run
        self.interval = interval
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._loop(), name="notifications-scheduler")

    async def _loop(self) -> None:
        while True:
            try:
                await self.run()
            except Exception:
                log.exception("notifications tick failed")
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
