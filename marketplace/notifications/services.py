"""Notifying people and what they do with it: the inbox, preferences, follows, saved
searches and calendar subscriptions. Services never commit; callers own the transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import case, delete, false, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import i18n
from marketplace.accounts.models import User
from marketplace.accounts.principal import Actor
from marketplace.core.paging import paged
from marketplace.core.sorting import checked_sort
from marketplace.errors import Invalid, NotFound
from marketplace.notifications import mail, wording
from marketplace.notifications.catalogue import BY_NAME, KINDS
from marketplace.notifications.models import (
    ALERT_FREQUENCIES,
    EMAIL_CHOICES,
    FOLLOW_TARGETS,
    CalendarToken,
    Follow,
    Notification,
    Preference,
    SavedSearch,
)
from marketplace.notifications.recipients import Draft
from marketplace.notifications.schemas import NotificationOut
from marketplace.settings import Settings

MAX_SEEN = 2000  # ids a saved search remembers as already reported
MAX_SAVED_SEARCHES = 50


# --- telling people ------------------------------------------------------------------------


async def write_first(session: AsyncSession) -> None:
    """On SQLite, take the write lock before reading: a transaction that reads and then
    writes fails at once ("database is locked") when another writer committed in between;
    one that writes first waits its turn on the busy timeout instead (as the outbox does)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(Notification).where(false()).values(read_at=Notification.read_at)
        )


async def email_choices(session: AsyncSession, user_id: str) -> dict[str, str]:
    """Every kind's e-mail choice for the user (their own, or the kind's default)."""
    rows = await session.execute(
        select(Preference.kind, Preference.email).where(Preference.user_id == user_id)
    )
    chosen = {kind: email for kind, email in rows.tuples()}
    return {k.name: chosen.get(k.name, k.default_email) for k in KINDS}


async def notify(
    session: AsyncSession,
    settings: Settings | None,
    drafts: Sequence[Draft],
    key: str,
    now: datetime,
    *,
    event_id: int | None = None,
) -> list[Notification]:
    """In-app notifications for `drafts`, and their instant e-mail where the recipient
    wants it, in the caller's transaction. `key` names the cause (`event:42`); a recipient
    already told for that key is skipped, so handling a cause twice tells no one twice.
    Without `settings` (the demo seed) nothing is mailed."""
    if not drafts:
        return []
    told = set(
        await session.scalars(
            select(Notification.user_id).where(
                Notification.key == key,
                Notification.user_id.in_(sorted({d.user_id for d in drafts})),
            )
        )
    )
    created: list[Notification] = []
    for draft in drafts:
        if draft.user_id in told:
            continue
        told.add(draft.user_id)
        user = await session.get(User, draft.user_id)
        if user is None:
            continue
        choice = (await email_choices(session, user.id)).get(draft.kind, "instant")
        state = (
            {"instant": "instant", "daily": "digest"}.get(choice, "none") if settings else "none"
        )
        with i18n.using(i18n.DEFAULT):
            title, body = str(draft.title), wording.written(draft.body)
        notification = Notification(
            user_id=user.id, key=key, kind=draft.kind, title=title[:300], body=body,
            wording=wording.stored(draft.title, draft.body), link=draft.link,
            event_id=event_id, created_at=now, mail_state=state,
        )  # fmt: skip
        session.add(notification)
        created.append(notification)
        if state == "instant" and settings is not None:
            with i18n.using(user.locale or i18n.DEFAULT):
                title, body = str(draft.title), wording.written(draft.body)
            await mail.queue(
                session, settings, key=f"{key}:{user.id}", user_id=user.id, to=user.email,
                subject=title, template="notification", now=now, locale=user.locale,
                unsubscribe_kinds=[draft.kind], name=user.name, title=title,
                body=body, link=mail.absolute(settings, draft.link),
                kind_label=BY_NAME[draft.kind].label if draft.kind in BY_NAME else draft.kind,
            )  # fmt: skip
    await session.flush()
    return created


# --- the inbox -----------------------------------------------------------------------------


def as_read(notification: Notification) -> NotificationOut:
    """The notification as its reader reads it: written in the reader's language."""
    title, body = wording.read(notification.wording, notification.title, notification.body)
    n = notification
    return NotificationOut(id=n.id, kind=n.kind, title=title, body=body, link=n.link,
                           created_at=n.created_at, read_at=n.read_at)  # fmt: skip


# The inbox's orders: newest first (the default), oldest first, the unread ones first.
INBOX_SORTS = ("newest", "oldest", "unread")


async def inbox(
    session: AsyncSession, actor: Actor, *, unread: bool = False, page: int = 1,
    per_page: int = 20, sort: str | None = None,
) -> tuple[list[NotificationOut], int]:  # fmt: skip
    where = [Notification.user_id == actor.user_id]
    if unread:
        where.append(Notification.read_at.is_(None))
    # Ids grow with time, so they order by arrival and break ties between equal times.
    match checked_sort(sort, INBOX_SORTS):
        case "oldest":
            order: list[Any] = [Notification.id]
        case "unread":
            order = [case((Notification.read_at.is_(None), 0), else_=1), Notification.id.desc()]
        case _:
            order = [Notification.id.desc()]
    rows, total = await paged(session, select(Notification).where(*where), order, page, per_page)
    return [as_read(n) for n in rows], total


async def unread_count(session: AsyncSession, user_id: str) -> int:
    return int(
        await session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


LARGEST_ID = 2**63


async def mark_read(
    session: AsyncSession, actor: Actor, notification_id: int, now: datetime
) -> Notification:
    """Someone else's notification is "not found", never "forbidden": its existence is theirs.
    So is an id no row can have (the databases' integers end at 2**63 - 1)."""
    if not 0 < notification_id < LARGEST_ID:
        raise NotFound("No such notification.")
    notification = await session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.user_id:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = now
        await session.flush()
    return notification


async def mark_all_read(session: AsyncSession, actor: Actor, now: datetime) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- preferences ---------------------------------------------------------------------------


async def set_preferences(
    session: AsyncSession, user_id: str, choices: dict[str, str], now: datetime
) -> dict[str, str]:
    """All or nothing: an unknown kind or choice is refused before anything is written."""
    for kind, choice in choices.items():
        if kind not in BY_NAME:
            raise Invalid.field(f"email.{kind}", "is not a kind of notification")
        if choice not in EMAIL_CHOICES:
            raise Invalid.field(f"email.{kind}", f"must be one of {', '.join(EMAIL_CHOICES)}")
    existing = {
        p.kind: p
        for p in await session.scalars(select(Preference).where(Preference.user_id == user_id))
    }
    for kind, choice in choices.items():
        row = existing.get(kind)
        if row is None:
            session.add(Preference(user_id=user_id, kind=kind, email=choice, updated_at=now))
        else:
            row.email, row.updated_at = choice, now
    await session.flush()
    return await email_choices(session, user_id)


async def unsubscribe(
    session: AsyncSession, settings: Settings, token: str, now: datetime
) -> tuple[str, list[str]]:
    """One-click unsubscribe: the signed token names the user and the kinds; e-mail for
    those kinds is switched off (in-app notifications stay)."""
    read = mail.read_unsubscribe_token(settings, token)
    if read is None:
        raise NotFound("This unsubscribe link is not valid.")
    user_id, kinds = read
    if await session.get(User, user_id) is None:
        raise NotFound("This unsubscribe link is not valid.")
    known = [k for k in kinds if k in BY_NAME]
    await set_preferences(session, user_id, dict.fromkeys(known, "off"), now)
    return user_id, known


# --- follows -------------------------------------------------------------------------------


async def follow(
    session: AsyncSession, actor: Actor, target_type: str, target_id: str, now: datetime
) -> Follow:
    if target_type not in FOLLOW_TARGETS:
        raise Invalid.field("target_type", f"must be one of {', '.join(FOLLOW_TARGETS)}")
    await _check_target(session, actor, target_type, target_id)
    existing = await session.scalar(
        select(Follow).where(
            Follow.user_id == actor.user_id, Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )  # fmt: skip
    if existing is not None:
        return existing
    row = Follow(user_id=actor.user_id, target_type=target_type, target_id=target_id,
                 created_at=now)  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def _check_target(
    session: AsyncSession, actor: Actor, target_type: str, target_id: str
) -> None:
    """Only what the person may see can be followed (a draft tender or call is not public)."""
    from marketplace.accounts.models import Organisation
    from marketplace.funding.models import FundingCall
    from marketplace.tenders.models import Tender

    if target_type == "organisation":
        found = await session.get(Organisation, target_id) is not None
    elif target_type == "tender":
        tender = await session.get(Tender, target_id)
        found = tender is not None and (
            tender.published_at is not None or actor.is_member(tender.lead_buyer_id)
        )
    else:
        call = await session.get(FundingCall, target_id)
        found = call is not None and (
            call.published_at is not None or actor.is_member(call.organisation_id)
        )
    if not found:
        raise NotFound(f"No such {target_type.replace('_', ' ')}.")


async def unfollow(session: AsyncSession, actor: Actor, target_type: str, target_id: str) -> bool:
    result = await session.execute(
        delete(Follow).where(
            Follow.user_id == actor.user_id, Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )  # fmt: skip
    return bool(getattr(result, "rowcount", 0))


async def follows(session: AsyncSession, user_id: str) -> list[Follow]:
    rows = await session.scalars(
        select(Follow).where(Follow.user_id == user_id).order_by(Follow.created_at.desc())
    )
    return list(rows)


async def followed_names(session: AsyncSession, follows: Sequence[Follow]) -> dict[str, str]:
    """What each followed record is called (its title or name), by target id: people
    follow a tender by what it is, not by its id. A record gone since keeps no name."""
    from marketplace.accounts.models import Organisation
    from marketplace.funding.models import FundingCall
    from marketplace.tenders.models import Tender

    names: dict[str, str] = {}
    for target_type, id_column, name_column in (
        ("tender", Tender.id, Tender.title),
        ("funding_call", FundingCall.id, FundingCall.title),
        ("organisation", Organisation.id, Organisation.name),
    ):
        ids = sorted({f.target_id for f in follows if f.target_type == target_type})
        if ids:
            rows = await session.execute(select(id_column, name_column).where(id_column.in_(ids)))
            names.update({str(i): str(n) for i, n in rows.all()})
    return names


async def is_following(
    session: AsyncSession, user_id: str, target_type: str, target_id: str
) -> bool:
    found = await session.scalar(
        select(Follow.id).where(
            Follow.user_id == user_id, Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )  # fmt: skip
    return found is not None


# --- saved searches ------------------------------------------------------------------------

# What a saved search may keep of the search page's URL (paging is not a search).
SEARCH_PARAMS = ("q", "type", "theme", "cpv", "country", "nuts", "standard", "status",
                 "value_min", "value_max", "deadline_from", "deadline_to")  # fmt: skip


def clean_query(raw: str) -> str:
    """The saved part of a search URL's query string, in a stable order."""
    raw = raw.split("?", 1)[-1]
    if len(raw) > 2000:
        raise Invalid.field("query", "is too long (at most 2000 characters)")
    items = [(k, v) for k, v in parse_qsl(raw, keep_blank_values=False) if k in SEARCH_PARAMS]
    return urlencode(sorted(items, key=lambda item: SEARCH_PARAMS.index(item[0])))


def params_of(query: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for k, v in parse_qsl(query):
        params.setdefault(k, []).append(v)
    return params


async def save_search(
    session: AsyncSession, actor: Actor, name: str, query: str, frequency: str, now: datetime,
    seen: Sequence[str] = (),
) -> SavedSearch:  # fmt: skip
    """`seen`: what the search finds now, so the first alert reports only what is new."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise Invalid.field("name", "must be 1 to 200 characters")
    if frequency not in ALERT_FREQUENCIES:
        raise Invalid.field("frequency", f"must be one of {', '.join(ALERT_FREQUENCIES)}")
    count = await session.scalar(
        select(func.count(SavedSearch.id)).where(SavedSearch.user_id == actor.user_id)
    )
    if (count or 0) >= MAX_SAVED_SEARCHES:
        raise Invalid.field("name", f"at most {MAX_SAVED_SEARCHES} saved searches each")
    row = SavedSearch(
        user_id=actor.user_id, name=name, query=clean_query(query), frequency=frequency,
        seen=list(seen)[-MAX_SEEN:], created_at=now, last_alerted_at=now,
        feed_token=secrets.token_urlsafe(24),
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def saved_searches(session: AsyncSession, user_id: str) -> list[SavedSearch]:
    rows = await session.scalars(
        select(SavedSearch)
        .where(SavedSearch.user_id == user_id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id)
    )
    return list(rows)


async def own_saved_search(session: AsyncSession, actor: Actor, search_id: str) -> SavedSearch:
    row = await session.get(SavedSearch, search_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound("No such saved search.")
    return row


async def update_saved_search(
    session: AsyncSession, actor: Actor, search_id: str, changes: dict[str, Any]
) -> SavedSearch:
    row = await own_saved_search(session, actor, search_id)
    if "frequency" in changes and changes["frequency"] is not None:
        if changes["frequency"] not in ALERT_FREQUENCIES:
            raise Invalid.field("frequency", f"must be one of {', '.join(ALERT_FREQUENCIES)}")
        row.frequency = changes["frequency"]
    if "name" in changes and changes["name"] is not None:
        name = str(changes["name"]).strip()
        if not 1 <= len(name) <= 200:
            raise Invalid.field("name", "must be 1 to 200 characters")
        row.name = name
    await session.flush()
    return row


async def delete_saved_search(session: AsyncSession, actor: Actor, search_id: str) -> None:
    row = await own_saved_search(session, actor, search_id)
    await session.delete(row)
    await session.flush()


# --- calendar subscriptions ----------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_calendar_token(session: AsyncSession, actor: Actor, now: datetime) -> str:
    """A new private calendar address; the previous one stops working at once."""
    token = secrets.token_urlsafe(32)
    await session.execute(delete(CalendarToken).where(CalendarToken.user_id == actor.user_id))
    session.add(CalendarToken(user_id=actor.user_id, token_hash=_hash(token), created_at=now))
    await session.flush()
    return token


async def revoke_calendar_token(session: AsyncSession, actor: Actor) -> None:
    await session.execute(delete(CalendarToken).where(CalendarToken.user_id == actor.user_id))


async def calendar_owner(session: AsyncSession, token: str) -> str | None:
    owner: str | None = await session.scalar(
        select(CalendarToken.user_id).where(CalendarToken.token_hash == _hash(token))
    )
    return owner
