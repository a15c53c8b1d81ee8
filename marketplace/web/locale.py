"""The reader's language: a remembered choice (cookie), else the language stored on the
signed-in person's account, else `Accept-Language`, else English.

A plain ASGI middleware sets the locale once per request before anything renders, so the
page, its messages and the API's problem details agree. The language switch is a link
(works without JavaScript); the choice is kept for a year in a cookie that only this site
reads and, for a signed-in person, on their account (`users.locale`): e-mail is written in
it, and signing in on another browser sets that browser's cookie from it. A signed-in page
rendered without the cookie uses the stored language (`marketplace.web.deps.render`).
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from litestar import Request, get
from litestar.datastructures import Cookie
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send

from marketplace import i18n
from marketplace.accounts import services as accounts
from marketplace.db import write_session

COOKIE = "icc_lang"


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _accept_language(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            return str(value.decode("latin-1"))
    return None


def locale_of(scope: Scope) -> str:
    chosen = _cookie(scope)
    if chosen in i18n.LOCALES:
        return str(chosen)
    return i18n.negotiate(_accept_language(scope))


def locale_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            i18n.set_current(locale_of(scope))
        await app(scope, receive, send)

    return middleware


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def language_cookie(code: str) -> Cookie:
    return Cookie(key=COOKIE, value=code, max_age=365 * 86400, samesite="lax", httponly=True)


def has_choice(request: Request[Any, Any, Any]) -> bool:
    """True when this browser chose a language (its cookie names one of ours)."""
    return request.cookies.get(COOKIE) in i18n.LOCALES


@get("/language/{code:str}", include_in_schema=False)
async def choose_language(
    request: Request[Any, Any, Any], code: str, next: str | None = None
) -> Redirect:
    response = Redirect(_safe_next(next))
    if code in i18n.LOCALES:
        response.cookies.append(language_cookie(code))
        user_id = request.session.get("user_id") if "session" in request.scope else None
        if user_id:
            # A link (a GET, in a read transaction): the account's language is written in a
            # short write of its own, as the person asked for it.
            async with write_session(request.app.state.runtime.sessions) as session:
                await accounts.set_locale(session, str(user_id), code)
    return response


handlers = [choose_language]
