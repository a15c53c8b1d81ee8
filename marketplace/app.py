"""The one place that assembles the Litestar application from settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from marketplace.accounts import passwords
from marketplace.accounts.services import TokenUse
from marketplace.accounts.throttle import SignInThrottle
from marketplace.clock import Clock
from marketplace.core.module import Module, Modules, Runtime, build_runtime
from marketplace.core.storage import storage_from
from marketplace.core.stores import RATE_LIMITS, SESSIONS, RateLimiter, build_stores
from marketplace.db import engine_from, session_maker
from marketplace.settings import Settings, get_settings
from marketplace.web import openapi_doc, transactions
from marketplace.web.deps import (
    TOKEN_USE,
    provide_actor,
    provide_clock,
    provide_runtime,
    provide_settings,
    record_token_use,
)
from marketplace.web.edge import (
    EdgeRequest,
    TrustedProxyMiddleware,
    close_uploads,
    refuse_nul,
    security_headers_hook,
)
from marketplace.web.locale import locale_middleware
from marketplace.web.openapi_ui import StaticSwaggerRenderPlugin
from marketplace.web.problems import EXCEPTION_HANDLERS
from marketplace.web.ratelimit import RequestLimits, limit_requests
from marketplace.web.sessions import UserSessions, session_config
from marketplace.web.templating import PACKAGE_ROOT, template_config

SWAGGER = "/static/vendor/swagger-ui"


def _constant(value: Any) -> Provide:
    def provide() -> Any:
        return value

    return Provide(provide, use_cache=True, sync_to_thread=False)


def _hooks(runtime: Runtime, stores: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The modules' startup hooks in order, their shutdown hooks in reverse, then the engine
    and the stores' connections."""

    async def startup(app: Litestar) -> None:
        for hook in runtime.modules.on_startup:
            await hook(runtime)

    async def shutdown(app: Litestar) -> None:
        try:
            for hook in reversed(runtime.modules.on_shutdown):
                await hook(runtime)
        finally:
            await runtime.engine.dispose()
            # The Redis stores share one client; closing it once closes the pool.
            await stores[SESSIONS].__aexit__(None, None, None)

    return [startup], [shutdown]


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    modules: Sequence[Module] | None = None,
) -> Litestar:
    """The app from exactly the modules it is given (`marketplace.modules.ALL` by default):
    their routes, header links, profile sections, search kinds, subscribers and services."""
    settings = settings or get_settings()
    passwords.configure(settings.password_hash_profile)
    if modules is None:
        from marketplace.modules import ALL

        modules = ALL
    assembly = Modules(modules)
    storage_from(settings)  # S3 chosen without boto3 or a bucket: said now, not at an upload
    engine = engine_from(settings)
    runtime = build_runtime(settings, clock or Clock(), assembly, engine, session_maker(engine))
    stores = build_stores(settings)
    on_startup, on_shutdown = _hooks(runtime, stores)
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_dependency_key="db_session",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # A form POST answered by a redirect must commit too, or the write is rolled back.
        before_send_handler="autocommit_include_redirects",
    )
    secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
    sessions = session_config(settings)
    app = Litestar(
        route_handlers=[
            *assembly.handlers,
            create_static_files_router(
                path="/static", directories=[PACKAGE_ROOT / "web" / "static"], name="static"
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        # The client's real address first: sessions and rate limits key on it.
        middleware=[
            DefineMiddleware(TrustedProxyMiddleware, settings=settings),
            refuse_nul,
            transactions.read_only_requests,
            locale_middleware,
            sessions.middleware,
        ],
        stores=stores,
        before_request=limit_requests,
        after_request=transactions.commit_before_answering(db_config.session_scope_key),
        request_class=EdgeRequest,
        request_max_body_size=settings.max_body_bytes,
        before_send=[security_headers_hook(settings), close_uploads],
        csrf_config=CSRFConfig(
            secret=secret,
            cookie_name="icc_csrf",
            cookie_secure=settings.env == "production",
            # The API authenticates writes by Bearer token only, never by cookie.
            exclude=["^/api/"],
        ),
        template_config=template_config(),
        openapi_config=OpenAPIConfig(
            title="ICC Marketplace API",
            version="1.0.0",
            path="/schema",
            render_plugins=[
                StaticSwaggerRenderPlugin(
                    path="/docs",
                    js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
                    favicon="<link rel='icon' href='/static/favicon.svg'>",
                )
            ],
        ),
        dependencies={
            "actor": Provide(provide_actor),
            "clock": Provide(provide_clock, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            # Each service a module provides, under its name (`search_backend`).
            **{name: _constant(service) for name, service in runtime.services.items()},
        },
        exception_handlers={**EXCEPTION_HANDLERS, **transactions.EXCEPTION_HANDLERS},
        after_response=record_token_use,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        debug=settings.env == "development" and False,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.clock = runtime.clock
    app.state.engine = engine
    app.state.nav_items = assembly.navigation
    app.state.profile_sections = assembly.profile_sections
    setattr(
        app.state,
        TOKEN_USE,
        TokenUse(runtime.sessions, timedelta(seconds=settings.token_use_interval_seconds)),
    )
    app.state.home_sections = assembly.home_sections
    limiter = RateLimiter(stores[RATE_LIMITS], runtime.clock)
    app.state.rate_limiter = limiter
    app.state.request_limits = RequestLimits(limiter, settings)
    app.state.sign_in_throttle = SignInThrottle(limiter, settings)
    app.state.user_sessions = UserSessions(stores[SESSIONS], sessions.max_age)
    openapi_doc.install(app)
    return app
