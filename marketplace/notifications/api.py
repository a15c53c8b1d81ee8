"""JSON API: the inbox, preferences, follows, saved searches and the calendar address."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, delete, get, patch, post, put
from litestar.params import JSONBody

from marketplace.notifications import services
from marketplace.notifications.catalogue import KINDS
from marketplace.notifications.models import SavedSearch
from marketplace.notifications.saving import save_with_current_results
from marketplace.notifications.schemas import (
    CalendarOut,
    FollowOut,
    MarkedOut,
    NotificationOut,
    NotificationPage,
    PreferenceKindOut,
    PreferencesIn,
    PreferencesOut,
    SavedSearchIn,
    SavedSearchOut,
    SavedSearchUpdate,
    UnreadOut,
)
from marketplace.settings import Settings
from marketplace.web.deps import (
    AppClock,
    AppRuntime,
    AppSettings,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    signed_in,
)


def preferences_out(choices: dict[str, str]) -> PreferencesOut:
    return PreferencesOut(
        kinds=[PreferenceKindOut(kind=k.name, label=k.label, email=choices[k.name]) for k in KINDS]
    )


def saved_out(row: SavedSearch, settings: Settings) -> SavedSearchOut:
    base = settings.base_url.rstrip("/")
    return SavedSearchOut(
        id=row.id, name=row.name, query=row.query, frequency=row.frequency,
        created_at=row.created_at, last_alerted_at=row.last_alerted_at,
        search_url=f"{base}/search?{row.query}",
        feed_url=f"{base}/feeds/searches/{row.feed_token}.atom",
    )  # fmt: skip


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["Notifications"]

    @get("/", summary="Your notifications, newest first, with the unread count")
    async def index(
        self, db_session: DbSession, actor: CurrentActor, unread: bool = False,
        page: PageNumber = 1, per_page: PerPage = 20,
        sort: Literal["newest", "oldest", "unread"] | None = None,
    ) -> NotificationPage:  # fmt: skip
        """`sort`: `newest` (the default), `oldest`, `unread` (the unread ones first)."""
        me = signed_in(actor)
        rows, total = await services.inbox(
            db_session, me, unread=unread, page=page, per_page=per_page, sort=sort
        )
        return NotificationPage(
            items=rows, total=total, page=page,
            per_page=per_page, unread=await services.unread_count(db_session, me.user_id),
        )  # fmt: skip

    @get("/unread-count", summary="How many notifications you have not read")
    async def unread(self, db_session: DbSession, actor: CurrentActor) -> UnreadOut:
        return UnreadOut(unread=await services.unread_count(db_session, signed_in(actor).user_id))

    @post("/{notification_id:int}/read", status_code=200, summary="Mark one as read")
    async def read(
        self, db_session: DbSession, actor: CurrentActor, notification_id: int, clock: AppClock
    ) -> NotificationOut:
        row = await services.mark_read(db_session, signed_in(actor), notification_id, clock.now())
        return services.as_read(row)

    @post("/read-all", status_code=200, summary="Mark every notification as read")
    async def read_all(
        self, db_session: DbSession, actor: CurrentActor, clock: AppClock
    ) -> MarkedOut:
        return MarkedOut(
            marked=await services.mark_all_read(db_session, signed_in(actor), clock.now())
        )

    @get("/preferences", summary="E-mail per kind of notification (in-app is always on)")
    async def preferences(self, db_session: DbSession, actor: CurrentActor) -> PreferencesOut:
        return preferences_out(await services.email_choices(db_session, signed_in(actor).user_id))

    @put("/preferences", summary="Set e-mail per kind: instant, daily (digest) or off")
    async def set_preferences(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[PreferencesIn],
        clock: AppClock,
    ) -> PreferencesOut:  # fmt: skip
        choices = await services.set_preferences(
            db_session, signed_in(actor).user_id, data.email, clock.now()
        )
        return preferences_out(choices)

    @post("/calendar", status_code=201, summary="A new private calendar URL (revokes the old one)")
    async def calendar(
        self, db_session: DbSession, actor: CurrentActor, clock: AppClock, settings: AppSettings
    ) -> CalendarOut:
        token = await services.new_calendar_token(db_session, signed_in(actor), clock.now())
        return CalendarOut(url=f"{settings.base_url.rstrip('/')}/calendar/{token}.ics")

    @delete("/calendar", status_code=204, summary="Revoke your private calendar URL")
    async def revoke_calendar(self, db_session: DbSession, actor: CurrentActor) -> None:
        await services.revoke_calendar_token(db_session, signed_in(actor))


class FollowController(Controller):
    path = "/api/v1/follows"
    tags = ["Notifications"]

    @get("/", summary="What you follow")
    async def index(self, db_session: DbSession, actor: CurrentActor) -> list[FollowOut]:
        rows = await services.follows(db_session, signed_in(actor).user_id)
        return [FollowOut.model_validate(r) for r in rows]

    @put(
        "/{target_type:str}/{target_id:str}",
        summary="Follow a tender, funding call or organisation",
    )
    async def follow(
        self, db_session: DbSession, actor: CurrentActor, target_type: str, target_id: str,
        clock: AppClock,
    ) -> FollowOut:  # fmt: skip
        row = await services.follow(
            db_session, signed_in(actor), target_type, target_id, clock.now()
        )
        return FollowOut.model_validate(row)

    @delete("/{target_type:str}/{target_id:str}", status_code=204, summary="Stop following")
    async def unfollow(
        self, db_session: DbSession, actor: CurrentActor, target_type: str, target_id: str
    ) -> None:
        await services.unfollow(db_session, signed_in(actor), target_type, target_id)


class SavedSearchController(Controller):
    path = "/api/v1/saved-searches"
    tags = ["Notifications"]

    @get("/", summary="Your saved searches")
    async def index(
        self, db_session: DbSession, actor: CurrentActor, settings: AppSettings
    ) -> list[SavedSearchOut]:
        rows = await services.saved_searches(db_session, signed_in(actor).user_id)
        return [saved_out(r, settings) for r in rows]

    @post("/", status_code=201, summary="Save a search with an alert frequency")
    async def create(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[SavedSearchIn],
        clock: AppClock, settings: AppSettings, runtime: AppRuntime,
    ) -> SavedSearchOut:  # fmt: skip
        row = await save_with_current_results(
            db_session,
            signed_in(actor),
            data.name,
            data.query,
            data.frequency,
            clock.now(),
            runtime,
        )
        return saved_out(row, settings)

    @patch("/{search_id:str}", summary="Rename or change the alert frequency")
    async def update(
        self, db_session: DbSession, actor: CurrentActor, search_id: str,
        data: JSONBody[SavedSearchUpdate], settings: AppSettings,
    ) -> SavedSearchOut:  # fmt: skip
        row = await services.update_saved_search(
            db_session, signed_in(actor), search_id, data.model_dump(exclude_unset=True)
        )
        return saved_out(row, settings)

    @delete("/{search_id:str}", status_code=204, summary="Delete a saved search")
    async def remove(self, db_session: DbSession, actor: CurrentActor, search_id: str) -> None:
        await services.delete_saved_search(db_session, signed_in(actor), search_id)


handlers = (NotificationController, FollowController, SavedSearchController)
