"""Per-request dependencies: the acting principal, the clock and page rendering."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import services as accounts
from marketplace.accounts.principal import Actor
from marketplace.clock import Clock
from marketplace.errors import Unauthorized
from marketplace.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Handler parameter types: Litestar wants injected dependencies marked explicitly.
DbSession = NamedDependency[AsyncSession]
CurrentActor = NamedDependency[Actor | None]
AppClock = NamedDependency[Clock]
AppSettings = NamedDependency[Settings]
PageNumber = Annotated[int, Parameter(ge=1)]
PerPage = Annotated[int, Parameter(ge=1, le=100)]


async def provide_actor(request: Request[Any, Any, Any], db_session: DbSession) -> Actor | None:
    """API callers authenticate with a Bearer token only, so a browser's session cookie can
    never be used for a cross-site write against the API; pages use the session."""
    if request.url.path.startswith("/api/"):
        header = request.headers.get("authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() == "bearer" and raw:
            actor = await accounts.actor_for_token(db_session, raw.strip(), clock_of(request).now())
            if actor is None:
                raise Unauthorized("The API token is unknown or revoked.")
            return actor
        if request.method not in SAFE_METHODS:
            return None
    user_id = request.session.get("user_id") if "session" in request.scope else None
    return await accounts.actor_for_user(db_session, user_id) if user_id else None


def clock_of(request: Request[Any, Any, Any]) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def provide_clock(request: Request[Any, Any, Any]) -> Clock:
    return clock_of(request)


def provide_settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthorized("Sign in (or send an API token) to do this.")
    return actor


def flash(request: Request[Any, Any, Any], message: str, category: str = "info") -> None:
    messages = list(request.session.get("flash", []))
    messages.append({"message": message, "category": category})
    request.session["flash"] = messages


def render(
    request: Request[Any, Any, Any],
    template: str,
    actor: Actor | None,
    status_code: int = 200,
    **context: Any,
) -> Template:
    messages = request.session.pop("flash", []) if "session" in request.scope else []
    return Template(
        template,
        context={"actor": actor, "flashes": messages, "request": request, **context},
        status_code=status_code,
    )


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """An HTMX request for part of a page (not a history restore, which needs it whole)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def redirect_to_sign_in(request: Request[Any, Any, Any]) -> Redirect:
    return Redirect(f"/sign-in?next={request.url.path}")
