"""Atom feeds (RFC 4287, through feedgen) and iCalendar deadlines (RFC 5545, through
icalendar). Only what is public goes in: published tenders and calls, amendments and
answered questions (never who asked), never anything about responses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent
from litestar import Response, get
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.errors import NotFound
from marketplace.funding.models import FundingCall
from marketplace.notifications import scheduler, services
from marketplace.notifications.models import Follow, SavedSearch
from marketplace.settings import Settings
from marketplace.tenders.models import Amendment, Question, Tender
from marketplace.web.deps import AppClock, AppRuntime, AppSettings, DbSession

ATOM = "application/atom+xml; charset=utf-8"
ICS = "text/calendar; charset=utf-8"
ENTRIES = 50


def _tag(settings: Settings, path: str) -> str:
    """Stable entry ids: the record's own address (never changes for a record)."""
    return settings.base_url.rstrip("/") + path


def _feed(
    settings: Settings, path: str, title: str, alternate: str, updated: datetime
) -> FeedGenerator:
    feed = FeedGenerator()
    base = settings.base_url.rstrip("/")
    feed.id(base + path)
    feed.title(title)
    feed.author({"name": "ICC Marketplace"})
    feed.link(href=base + path, rel="self", type="application/atom+xml")
    feed.link(href=base + alternate, rel="alternate", type="text/html")
    feed.updated(updated)
    return feed


def _entry(
    feed: FeedGenerator, settings: Settings, path: str, title: str, summary: str,
    updated: datetime, published: datetime | None = None, entry_id: str | None = None,
) -> None:  # fmt: skip
    entry = feed.add_entry(order="append")
    entry.id(entry_id or _tag(settings, path))
    entry.title(title)
    entry.link(href=_tag(settings, path), rel="alternate")
    entry.updated(updated)
    if published:
        entry.published(published)
    entry.summary(summary[:1000] or title)


def _atom(feed: FeedGenerator) -> Response[str]:
    return Response(feed.atom_str(pretty=True), media_type=ATOM)


async def _published_tenders(session: AsyncSession, where: Sequence[Any] = ()) -> list[Tender]:
    rows = await session.scalars(
        select(Tender)
        .where(Tender.published_at.is_not(None), *where)
        .order_by(Tender.published_at.desc(), Tender.id)
        .limit(ENTRIES)
    )
    return list(rows)


async def _open_calls(session: AsyncSession, where: Sequence[Any] = ()) -> list[FundingCall]:
    rows = await session.scalars(
        select(FundingCall)
        .where(FundingCall.published_at.is_not(None), *where)
        .order_by(FundingCall.published_at.desc(), FundingCall.id)
        .limit(ENTRIES)
    )
    return list(rows)


def _tender_summary(t: Tender) -> str:
    return f"{t.description[:600]}\n\nResponses due {t.submission_deadline:%d %B %Y, %H:%M UTC}."


def _latest(moments: Sequence[datetime | None], fallback: datetime) -> datetime:
    present = [m for m in moments if m is not None]
    return max(present) if present else fallback


@get("/feeds/tenders.atom", include_in_schema=False)
async def tenders_feed(
    db_session: DbSession, settings: AppSettings, clock: AppClock
) -> Response[str]:
    tenders = await _published_tenders(db_session)
    feed = _feed(settings, "/feeds/tenders.atom", "ICC Marketplace: new tenders", "/tenders",
                 _latest([t.updated_at for t in tenders], clock.now()))  # fmt: skip
    for t in tenders:
        _entry(
            feed,
            settings,
            f"/tenders/{t.id}",
            t.title,
            _tender_summary(t),
            t.updated_at,
            t.published_at,
        )
    return _atom(feed)


@get("/feeds/funding-calls.atom", include_in_schema=False)
async def calls_feed(
    db_session: DbSession, settings: AppSettings, clock: AppClock
) -> Response[str]:
    calls = await _open_calls(db_session)
    feed = _feed(settings, "/feeds/funding-calls.atom", "ICC Marketplace: new funding calls",
                 "/funding-calls", _latest([c.updated_at for c in calls], clock.now()))  # fmt: skip
    for c in calls:
        _entry(feed, settings, f"/funding-calls/{c.id}", c.title,
               f"{c.summary}\n\nOpen until {c.deadline:%d %B %Y}.", c.updated_at, c.published_at)  # fmt: skip
    return _atom(feed)


def _named(file: str, suffix: str) -> str:
    """`<id>.atom` in a path (routes match whole segments): the id, or 404."""
    if not file.endswith(suffix) or len(file) == len(suffix):
        raise NotFound(f"Feeds and calendars end in {suffix}.")
    return file.removesuffix(suffix)


@get("/feeds/organisations/{file:str}", include_in_schema=False)
async def organisation_feed(
    db_session: DbSession, settings: AppSettings, clock: AppClock, file: str
) -> Response[str]:
    organisation = await db_session.get(Organisation, _named(file, ".atom"))
    if organisation is None:
        raise NotFound("No such organisation.")
    tenders = await _published_tenders(db_session, [Tender.lead_buyer_id == organisation.id])
    calls = await _open_calls(db_session, [FundingCall.organisation_id == organisation.id])
    items: list[tuple[datetime, str, str, str, datetime | None]] = [
        *((t.updated_at, f"/tenders/{t.id}", f"Tender: {t.title}", _tender_summary(t), t.published_at) for t in tenders),
        *((c.updated_at, f"/funding-calls/{c.id}", f"Funding call: {c.title}", c.summary, c.published_at) for c in calls),
    ]  # fmt: skip
    items.sort(key=lambda item: item[0], reverse=True)
    feed = _feed(settings, f"/feeds/organisations/{organisation.id}.atom",
                 f"{organisation.name} on ICC Marketplace", f"/organisations/{organisation.id}",
                 _latest([i[0] for i in items], organisation.created_at))  # fmt: skip
    for updated, path, title, summary, published in items[:ENTRIES]:
        _entry(feed, settings, path, title, summary, updated, published)
    return _atom(feed)


async def _public_tender(session: AsyncSession, tender_id: str) -> Tender:
    tender = await session.get(Tender, tender_id)
    if tender is None or tender.published_at is None:
        raise NotFound("No such tender.")
    return tender


@get("/tenders/{tender_id:str}/feed.atom", include_in_schema=False)
async def tender_feed(
    db_session: DbSession, settings: AppSettings, tender_id: str
) -> Response[str]:
    """A tender's amendments and published answers (the asker is never named)."""
    tender = await _public_tender(db_session, tender_id)
    amendments = list(await db_session.scalars(
        select(Amendment).where(Amendment.tender_id == tender.id).order_by(Amendment.number.desc())
    ))  # fmt: skip
    answered = list(await db_session.scalars(
        select(Question)
        .where(Question.tender_id == tender.id, Question.answered_at.is_not(None))
        .order_by(Question.answered_at.desc())
    ))  # fmt: skip
    items: list[tuple[datetime, str, str, str]] = [
        *((a.created_at, f"amendment-{a.number}", f"Amendment #{a.number}: {', '.join(sorted(a.changes))}", a.rationale) for a in amendments),
        *((q.answered_at, f"answer-{q.id}", f"Answer: {q.text[:120]}", q.answer or "") for q in answered if q.answered_at),
    ]  # fmt: skip
    items.sort(key=lambda item: item[0], reverse=True)
    path = f"/tenders/{tender.id}"
    feed = _feed(settings, f"{path}/feed.atom", f"{tender.title}: amendments and answers", path,
                 _latest([i[0] for i in items], tender.updated_at))  # fmt: skip
    for when, anchor, title, summary in items[:ENTRIES]:
        _entry(
            feed,
            settings,
            path,
            title,
            summary,
            when,
            when,
            entry_id=_tag(settings, f"{path}#{anchor}"),
        )
    return _atom(feed)


@get("/feeds/searches/{file:str}", include_in_schema=False)
async def saved_search_feed(
    db_session: DbSession, settings: AppSettings, clock: AppClock, runtime: AppRuntime, file: str
) -> Response[str]:
    """A saved search's newest results; the address is private to its owner (a token)."""
    token = _named(file, ".atom")
    saved = await db_session.scalar(select(SavedSearch).where(SavedSearch.feed_token == token))
    if saved is None:
        raise NotFound("No such saved search.")
    backend = runtime.service("search_backend")
    kinds = runtime.modules.search_kinds
    paths = {k.name: k.path for k in kinds}
    hits = await scheduler.found(backend, kinds, saved.query, clock.now(), per_page=ENTRIES)
    feed = _feed(settings, f"/feeds/searches/{token}.atom", f"Saved search: {saved.name}",
                 f"/search?{saved.query}", clock.now())  # fmt: skip
    for hit in hits:
        _entry(feed, settings, paths.get(hit.type, "/search").format(id=hit.id), hit.title,
               f"{hit.type}: {hit.title}", clock.now())  # fmt: skip
    return _atom(feed)


# --- calendars -----------------------------------------------------------------------------


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//ICC Marketplace//Tender deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "UTC")
    return calendar


def _deadline_events(calendar: Calendar, tender: Tender, settings: Settings, now: datetime) -> None:
    url = _tag(settings, f"/tenders/{tender.id}")
    host = settings.base_url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "marketplace"
    for which, label, moment in (
        ("questions", "Questions close", tender.clarification_deadline),
        ("responses", "Responses due", tender.submission_deadline),
    ):
        if moment is None:  # an optional questions deadline, or an imported notice without one
            continue
        event = CalendarEvent()
        event.add("uid", f"{tender.id}-{which}@{host}")
        event.add("summary", f"{label}: {tender.title}")
        event.add("dtstart", moment)
        event.add("dtend", moment + timedelta(minutes=30))
        event.add("dtstamp", now)
        event.add("last-modified", tender.updated_at)
        event.add("url", url)
        event.add("description", f"{label} for {tender.title}.\n{url}")
        status = "CANCELLED" if tender.cancelled_at else "CONFIRMED"
        event.add("status", status)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{label} tomorrow: {tender.title}")
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)


def _ics(calendar: Calendar, filename: str) -> Response[str]:
    return Response(
        calendar.to_ical(), media_type=ICS,
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, max-age=300"},
    )  # fmt: skip


@get("/tenders/{tender_id:str}/deadlines.ics", include_in_schema=False)
async def tender_deadlines(
    db_session: DbSession, settings: AppSettings, clock: AppClock, tender_id: str
) -> Response[str]:
    tender = await _public_tender(db_session, tender_id)
    calendar = _calendar(f"Deadlines: {tender.title}")
    _deadline_events(calendar, tender, settings, clock.now())
    return _ics(calendar, f"tender-{tender.id}.ics")


@get("/calendar/{file:str}", include_in_schema=False)
async def followed_deadlines(
    db_session: DbSession, settings: AppSettings, clock: AppClock, file: str
) -> Response[str]:
    """The deadlines of every published tender the token's owner follows."""
    user_id = await services.calendar_owner(db_session, _named(file, ".ics"))
    if user_id is None:
        raise NotFound("This calendar address is not valid (it may have been replaced).")
    ids = list(await db_session.scalars(
        select(Follow.target_id).where(Follow.user_id == user_id, Follow.target_type == "tender")
    ))  # fmt: skip
    calendar = _calendar("ICC Marketplace: followed deadlines")
    if ids:
        for tender in await db_session.scalars(
            select(Tender).where(Tender.id.in_(ids), Tender.published_at.is_not(None))
        ):
            _deadline_events(calendar, tender, settings, clock.now())
    return _ics(calendar, "followed-deadlines.ics")


handlers = (
    tenders_feed, calls_feed, organisation_feed, tender_feed, saved_search_feed,
    tender_deadlines, followed_deadlines,
)  # fmt: skip
