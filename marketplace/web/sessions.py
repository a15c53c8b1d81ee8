"""Server-side sessions in the sessions store: the cookie carries only a random id, so
signing out, a password change or an operator can end a session at once, and several
workers share the sessions through Redis.

Two things Litestar's server-side backend does not do on its own, done here:
- no store entry and no cookie for a visitor with nothing in their session (otherwise
  every anonymous request, API calls included, would write a session);
- a new session id at sign-in (`begin`), so an id planted before sign-in (session
  fixation) is worth nothing after it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message

from marketplace.core.stores import SESSIONS
from marketplace.settings import Settings

COOKIE = "icc_session"
# The id a `begin` chose for the session being started (set on the ASGI scope).
NEW_ID = "marketplace.new_session_id"
# The session as loaded at the start of the request (serialised), to write only changes.
LOADED = "marketplace.loaded_session"


class SessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        chosen = connection.scope.get(NEW_ID)
        if chosen:
            return str(chosen)
        return super().get_session_id(connection)

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope[LOADED] = self.serialize_data(data, connection.scope) if data else b""  # type: ignore[literal-required]
        return data

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        cookie = connection.cookies.get(self.config.key)
        had_cookie = bool(cookie) and cookie != "null"
        if scope_session is Empty or not scope_session:
            if had_cookie:  # ended or emptied: forget it here and in the browser
                await super().store_in_message(Empty, message, connection)
            return
        store = self.config.get_store_from_app(connection.scope["app"])
        if connection.scope.get(NEW_ID):
            if had_cookie:
                await self.delete(str(cookie), store=store)
        elif had_cookie:
            loaded = connection.scope.get(LOADED)
            if loaded == self.serialize_data(scope_session, connection.scope):
                return  # unchanged: nothing to write, and nothing to resurrect
            if not await store.exists(str(cookie)):
                return  # ended (sign-out elsewhere, password change) while this ran
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SessionConfig(ServerSideSessionConfig):
    _backend_class = SessionBackend


def session_config(settings: Settings) -> SessionConfig:
    return SessionConfig(
        key=COOKIE,
        store=SESSIONS,
        httponly=True,
        samesite="lax",
        secure=settings.env == "production",
        max_age=int(timedelta(days=settings.session_days).total_seconds()),
    )


def current_id(request: Request[Any, Any, Any]) -> str | None:
    chosen = request.scope.get(NEW_ID)
    if chosen:
        return str(chosen)
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie and cookie != "null" else None


def handle_of(session_id: str) -> str:
    """What pages show and post for a session: never the id itself, which is a credential."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class SessionInfo:
    handle: str
    started_at: datetime
    address: str
    agent: str
    current: bool = False


class UserSessions:
    """Which sessions each user has, kept beside the sessions in the same store, so that
    ending all of them (password change) or one of them (the account page) works on every
    worker. An entry whose session has expired is dropped when next read."""

    def __init__(self, store: Store, max_age: int) -> None:
        self.store = store
        self.max_age = max_age

    @staticmethod
    def _key(user_id: str) -> str:
        return f"user:{user_id}"

    async def _read(self, user_id: str) -> dict[str, dict[str, str]]:
        raw = await self.store.get(self._key(user_id))
        value = json.loads(raw) if raw else {}
        return value if isinstance(value, dict) else {}

    async def _write(self, user_id: str, entries: dict[str, dict[str, str]]) -> None:
        if entries:
            await self.store.set(self._key(user_id), json.dumps(entries), expires_in=self.max_age)
        else:
            await self.store.delete(self._key(user_id))

    async def begin(self, request: Request[Any, Any, Any], user_id: str, now: datetime) -> None:
        """Sign `user_id` in on this browser under a fresh session id."""
        new_id = secrets.token_hex(32)
        request.scope[NEW_ID] = new_id  # type: ignore[literal-required]
        request.set_session({"user_id": user_id})
        entries = await self._read(user_id)
        old = request.cookies.get(COOKIE)
        entries.pop(old or "", None)
        entries[new_id] = {
            "started_at": now.isoformat(),
            "address": request.client.host if request.client else "unknown",
            "agent": request.headers.get("user-agent", "")[:200],
        }
        await self._write(user_id, entries)

    async def end_current(self, request: Request[Any, Any, Any]) -> None:
        """Sign out: the session is deleted from the store, not only from the browser."""
        session_id = current_id(request)
        user_id = request.session.get("user_id") if "session" in request.scope else None
        if session_id:
            await self.store.delete(session_id)
            if user_id:
                entries = await self._read(str(user_id))
                entries.pop(session_id, None)
                await self._write(str(user_id), entries)
        request.clear_session()

    async def list(self, user_id: str, current: str | None) -> list[SessionInfo]:
        entries = await self._read(user_id)
        alive = {sid: e for sid, e in entries.items() if await self.store.exists(sid)}
        if alive != entries:
            await self._write(user_id, alive)
        sessions = [
            SessionInfo(
                handle=handle_of(sid),
                started_at=datetime.fromisoformat(e["started_at"]),
                address=e.get("address", ""),
                agent=e.get("agent", ""),
                current=sid == current,
            )
            for sid, e in alive.items()
        ]
        return sorted(sessions, key=lambda s: s.started_at, reverse=True)

    async def end(self, user_id: str, handle: str) -> bool:
        """End one of the user's sessions by its handle (only theirs: it must be in their
        list)."""
        entries = await self._read(user_id)
        session_id = next((sid for sid in entries if handle_of(sid) == handle), None)
        if session_id is None:
            return False
        await self.store.delete(session_id)
        entries.pop(session_id)
        await self._write(user_id, entries)
        return True

    async def end_all(self, user_id: str, keep: str | None = None) -> int:
        """End every session of the user but `keep` (a password change keeps the one it was
        made from); the number ended."""
        entries = await self._read(user_id)
        ended = 0
        for session_id in list(entries):
            if session_id != keep:
                await self.store.delete(session_id)
                entries.pop(session_id)
                ended += 1
        await self._write(user_id, entries)
        return ended
