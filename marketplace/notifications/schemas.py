"""Shapes of the notifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from marketplace.schemas import CleanLine, Page, Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationOut]):
    unread: int


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferenceKindOut(Schema):
    kind: str
    label: str
    email: Literal["instant", "daily", "off"]


class PreferencesOut(Schema):
    in_app: Literal["always"] = "always"
    kinds: list[PreferenceKindOut]


class PreferencesIn(Schema):
    # kind -> instant | daily | off
    email: dict[str, str] = Field(max_length=50)


class FollowOut(Schema):
    target_type: str
    target_id: str
    created_at: datetime


class SavedSearchIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200), CleanLine]
    # The search's URL query string (as on /search), e.g. "q=sensors&type=tender".
    query: Annotated[str, Field(max_length=2000), CleanLine]
    frequency: Literal["instant", "daily", "weekly", "off"] = "daily"


class SavedSearchUpdate(Schema):
    name: Annotated[str | None, Field(min_length=1, max_length=200), CleanLine] = None
    frequency: Literal["instant", "daily", "weekly", "off"] | None = None


class SavedSearchOut(Schema):
    id: str
    name: str
    query: str
    frequency: str
    created_at: datetime
    last_alerted_at: datetime | None
    search_url: str
    feed_url: str


class CalendarOut(Schema):
    url: str
