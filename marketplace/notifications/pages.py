"""Pages: the inbox, the header badge, preferences, one-click unsubscribe, follow buttons
and saved searches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from marketplace.errors import DomainError
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.notifications import services
from marketplace.notifications.catalogue import KINDS
from marketplace.notifications.models import EMAIL_CHOICES
from marketplace.notifications.saving import save_with_current_results
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    AppRuntime,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SignedIn,
    flash,
    render,
    wants_fragment,
)
from marketplace.web.forms import FormData
from marketplace.web.lists import pager, sort_labels, sorting
from marketplace.web.problems import sign_in_redirect

PER_PAGE = 30


def _local(target: str | None, default: str = "/notifications") -> str:
    """Only a path on this site may be a redirect target (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def inbox_sorts() -> dict[str, str]:
    return sort_labels("newest", "oldest", "unread", oldest=_("Oldest first"),
                       unread=_("Unread first"))  # fmt: skip


@get("/notifications", include_in_schema=False, dependencies=SIGNED_IN)
async def inbox_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    page: PageNumber = 1, per_page: PerPage = PER_PAGE, unread: bool = False,
    sort: str | None = None,
) -> Template:  # fmt: skip
    order = sorting(sort, inbox_sorts(), "newest")
    rows, total = await services.inbox(
        db_session, actor, unread=unread, page=page, per_page=per_page, sort=order.chosen
    )
    query = [("unread", "true")] if unread else []
    query += [("sort", order.chosen)] if order.chosen != "newest" else []
    query += [("per_page", str(per_page))] if per_page != PER_PAGE else []
    return render(
        request, "notifications/inbox.html", actor, notifications=rows, total=total,
        pages=pager("/notifications", query, page, per_page, total), order=order,
        per_page=per_page,
        unread_only=unread, unread=await services.unread_count(db_session, actor.user_id),
    )  # fmt: skip


@get("/notifications/badge", include_in_schema=False)
async def badge(db_session: DbSession, actor: CurrentActor) -> Response[str]:
    """The header's unread count (fetched by the header; empty when there is none)."""
    count = await services.unread_count(db_session, actor.user_id) if actor else 0
    label = ngettext("%(num)d unread", "%(num)d unread", count)
    text = f'<span class="badge" aria-label="{label}">{count}</span>' if count else ""
    return Response(text, media_type="text/html", headers={"Cache-Control": "no-store"})


@post("/notifications/{notification_id:int}/open", include_in_schema=False, dependencies=SIGNED_IN)
async def open_notification(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    notification_id: int, clock: AppClock,
) -> Redirect:  # fmt: skip
    """Following a notification marks it read and leads to what it is about."""
    row = await services.mark_read(db_session, actor, notification_id, clock.now())
    return Redirect(_local(row.link))


@post("/notifications/read-all", include_in_schema=False, dependencies=SIGNED_IN)
async def read_all(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, clock: AppClock
) -> Redirect:
    marked = await services.mark_all_read(db_session, actor, clock.now())
    flash(request, ngettext("%(num)d notification marked as read.",
                            "%(num)d notifications marked as read.", marked), "success")  # fmt: skip
    return Redirect("/notifications")


@get("/notifications/preferences", include_in_schema=False, dependencies=SIGNED_IN)
async def preferences_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    settings: AppSettings,
) -> Template:  # fmt: skip
    return render(
        request, "notifications/preferences.html", actor, kinds=KINDS, choices_of=EMAIL_CHOICES,
        chosen=await services.email_choices(db_session, actor.user_id),
        follows=(follows := await services.follows(db_session, actor.user_id)),
        followed_names=await services.followed_names(db_session, follows),
        searches=await services.saved_searches(db_session, actor.user_id),
        base_url=settings.base_url.rstrip("/"),
    )  # fmt: skip


@post("/notifications/preferences", include_in_schema=False, dependencies=SIGNED_IN)
async def save_preferences(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    data: FormData, clock: AppClock,
) -> Redirect:  # fmt: skip
    choices = {k.name: str(data[f"email.{k.name}"]) for k in KINDS if f"email.{k.name}" in data}
    await services.set_preferences(db_session, actor.user_id, choices, clock.now())
    flash(request, _("Your notification preferences are saved."), "success")
    return Redirect("/notifications/preferences")


@get("/unsubscribe/{token:str}", include_in_schema=False)
async def unsubscribe_page(
    request: Request[Any, Any, Any], actor: CurrentActor, settings: AppSettings, token: str
) -> Template:
    """A GET never unsubscribes (mail scanners follow links): it shows a one-button form."""
    from marketplace.notifications.mail import read_unsubscribe_token

    read = read_unsubscribe_token(settings, token)
    labels = [_(k.label) for k in KINDS if read and k.name in read[1]]
    return render(
        request, "notifications/unsubscribe.html", actor, token=token, valid=read is not None,
        labels=labels, done=False, status_code=200 if read else 404,
    )  # fmt: skip


@post("/unsubscribe/{token:str}", include_in_schema=False, exclude_from_csrf=True)
async def unsubscribe(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    settings: AppSettings, clock: AppClock, token: str,
) -> Template:  # fmt: skip
    """RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` without
    cookies, so the signed token is the only credential (hence no CSRF token here)."""
    try:
        _user, kinds = await services.unsubscribe(db_session, settings, token, clock.now())
    except DomainError:
        return render(request, "notifications/unsubscribe.html", actor, token=token, valid=False,
                      labels=[], done=False, status_code=404)  # fmt: skip
    labels = [_(k.label) for k in KINDS if k.name in kinds]
    return render(request, "notifications/unsubscribe.html", actor, token=token, valid=True,
                  labels=labels, done=True)  # fmt: skip


@post("/follow", include_in_schema=False)
async def follow_toggle(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    data: FormData, clock: AppClock,
) -> Redirect:  # fmt: skip
    target_type, target_id = str(data.get("target_type", "")), str(data.get("target_id", ""))
    back = _local(str(data.get("next", "")), "/notifications/preferences")
    if actor is None:
        return sign_in_redirect(back)
    if data.get("action") == "unfollow":
        await services.unfollow(db_session, actor, target_type, target_id)
        flash(request, _("You no longer follow this."), "success")
    else:
        await services.follow(db_session, actor, target_type, target_id, clock.now())
        flash(request, _("Followed: you will be told of its news and deadlines."), "success")
    return Redirect(back)


def _query_of(data: dict[str, Any]) -> str:
    """The search the form was sent from: its own fields when the search form came along
    (htmx includes it, so the saved search is what is on screen), else the hidden copy."""
    items: list[tuple[str, str]] = []
    for name in services.SEARCH_PARAMS:
        value = data.get(name)
        for v in value if isinstance(value, list) else [value]:
            if v not in (None, ""):
                items.append((name, str(v)))
    return urlencode(items) if items else str(data.get("query", ""))


@get("/follow/button", include_in_schema=False)
async def follow_button(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    target_type: str = "", target_id: str = "", next_page: str = "",
) -> Template:  # fmt: skip
    """The follow button in its current state (pages of other modules load it)."""
    following = bool(actor) and await services.is_following(
        db_session, actor.user_id if actor else "", target_type, target_id
    )
    back = _local(next_page, "/notifications/preferences")
    return render(request, "notifications/_follow_button.html", actor, target_type=target_type,
                  target_id=target_id, following=following, next=back)  # fmt: skip


@post("/saved-searches", include_in_schema=False)
async def save_search(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
    data: FormData, clock: AppClock, runtime: AppRuntime,
) -> Redirect | Template:  # fmt: skip
    query = _query_of(data)
    if actor is None:
        return sign_in_redirect(_local("/search?" + query, "/search"))
    name = str(data.get("save_name") or data.get("name") or "").strip() or _("My search")
    try:
        saved = await save_with_current_results(
            db_session,
            actor,
            name,
            query,
            str(data.get("frequency", "daily")),
            clock.now(),
            runtime,
        )
    except DomainError as error:
        if wants_fragment(request):
            return render(request, "notifications/_saved.html", actor, saved=None,
                          error=error.detail, status_code=422)  # fmt: skip
        flash(request, _("The search was not saved: %(error)s", error=error.detail), "error")
        return Redirect(_local("/search?" + services.clean_query(query), "/search"))
    if wants_fragment(request):
        return render(request, "notifications/_saved.html", actor, saved=saved, error=None)
    flash(
        request,
        _("Search “%(name)s” saved: new results will be sent to you.", name=name),
        "success",
    )
    return Redirect("/notifications/preferences#saved-searches")


@post("/saved-searches/{search_id:str}/delete", include_in_schema=False, dependencies=SIGNED_IN)
async def delete_search(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, search_id: str
) -> Redirect:
    await services.delete_saved_search(db_session, actor, search_id)
    flash(request, _("Saved search deleted."), "success")
    return Redirect("/notifications/preferences#saved-searches")


@post("/notifications/calendar", include_in_schema=False, dependencies=SIGNED_IN)
async def calendar_token(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn,
    clock: AppClock, settings: AppSettings,
) -> Redirect:  # fmt: skip
    token = await services.new_calendar_token(db_session, actor, clock.now())
    flash(request, _("Your private calendar address (the old one no longer works): %(url)s",
                     url=f"{settings.base_url.rstrip('/')}/calendar/{token}.ics"), "success")  # fmt: skip
    return Redirect("/notifications/preferences#calendar")


handlers = (
    inbox_page, badge, open_notification, read_all, preferences_page, save_preferences,
    unsubscribe_page, unsubscribe, follow_toggle, follow_button, save_search, delete_search,
    calendar_token,
)  # fmt: skip
