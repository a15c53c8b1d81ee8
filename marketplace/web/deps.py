"""Per-request dependencies: the acting principal, the clock and page rendering."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import Parameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import i18n
from marketplace.accounts import services as accounts
from marketplace.accounts.policies import platform_actions
from marketplace.accounts.principal import Actor
from marketplace.accounts.throttle import SignInThrottle
from marketplace.clock import Clock
from marketplace.core.inputs import MAX_PAGE, MAX_PER_PAGE
from marketplace.core.module import Runtime
from marketplace.errors import Unauthorized
from marketplace.settings import Settings
from marketplace.web.locale import has_choice
from marketplace.web.sessions import UserSessions
from search import SearchBackend

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Handler parameter types: Litestar wants injected dependencies marked explicitly.
DbSession = NamedDependency[AsyncSession]
CurrentActor = NamedDependency[Actor | None]
AppClock = NamedDependency[Clock]
AppSettings = NamedDependency[Settings]
AppRuntime = NamedDependency[Runtime]
# A service a module provides is a dependency of the same name: `search_backend: SearchService`.
SearchService = NamedDependency[SearchBackend]
# Bounded on every list endpoint and page: `page=9223372036854775808` is a 400 naming `page`,
# never an OFFSET that overflows in the database.
PageNumber = Annotated[int, Parameter(ge=1, le=MAX_PAGE)]
PerPage = Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE)]


async def provide_actor(request: Request[Any, Any, Any], db_session: DbSession) -> Actor | None:
    """API callers authenticate with a Bearer token only, so a browser's session cookie can
    never be used for a cross-site write against the API; pages use the session."""
    if request.url.path.startswith("/api/"):
        header = request.headers.get("authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() == "bearer" and raw:
            found = await accounts.token_actor(db_session, raw.strip())
            if found is None:
                raise Unauthorized("The API token is unknown or revoked.")
            note_token_use(request, found)
            return found.actor
        if request.method not in SAFE_METHODS:
            return None
    user_id = request.session.get("user_id") if "session" in request.scope else None
    return await accounts.actor_for_user(db_session, user_id) if user_id else None


TOKEN_USE = "token_use"


def note_token_use(request: Request[Any, Any, Any], found: accounts.TokenActor) -> None:
    """Leave the token's use to be written after the response (`record_token_use`), when
    it is due: never in the request's own transaction, which may be a read."""
    usage: accounts.TokenUse | None = getattr(request.app.state, TOKEN_USE, None)
    now = clock_of(request).now()
    if usage is not None and usage.due(found.token_id, found.last_used_at, now):
        request.state[TOKEN_USE] = (found.token_id, now)


async def record_token_use(request: Request[Any, Any, Any]) -> None:
    """After the response: the short write of a token's last use, if one is due."""
    pending = request.state.get(TOKEN_USE) if "state" in request.scope else None
    usage: accounts.TokenUse | None = getattr(request.app.state, TOKEN_USE, None)
    if pending is None or usage is None:
        return
    token_id, now = pending
    try:
        await usage.record(token_id, now)
    except Exception as error:  # a busy database must not turn a served answer into an error
        request.logger.warning("could not record the use of token %s: %s", token_id, error)


async def provide_signed_in(request: Request[Any, Any, Any], db_session: DbSession) -> Actor:
    """For pages only the signed-in may use: the person, or `Unauthorized`, which the error
    handler answers on a page with a redirect to sign in (and back here afterwards)."""
    return signed_in(await provide_actor(request, db_session))


# A page handler declares `dependencies=SIGNED_IN` and takes `actor: SignedIn`: no page repeats
# "not signed in → redirect".
SignedIn = NamedDependency[Actor]
SIGNED_IN = {"actor": Provide(provide_signed_in)}


def clock_of(request: Request[Any, Any, Any]) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def provide_clock(request: Request[Any, Any, Any]) -> Clock:
    return clock_of(request)


def runtime_of(request: Request[Any, Any, Any]) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def provide_runtime(request: Request[Any, Any, Any]) -> Runtime:
    return runtime_of(request)


def provide_settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthorized("Sign in (or send an API token) to do this.")
    return actor


def sign_in_throttle(request: Request[Any, Any, Any]) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    return throttle


def user_sessions(request: Request[Any, Any, Any]) -> UserSessions:
    sessions: UserSessions = request.app.state.user_sessions
    return sessions


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
    if actor is not None and actor.locale and not has_choice(request):
        # No choice on this browser: the language stored on the account.
        i18n.set_current(actor.locale)
    return Template(
        template,
        context={
            "actor": actor,
            # What the person may do on the platform as a whole (the header's admin links).
            "platform": platform_actions(actor),
            "flashes": messages,
            "request": request,
            **context,
        },
        status_code=status_code,
    )


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """An HTMX request for part of a page (not a history restore, which needs it whole)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )
