"""The one place that assembles the Litestar application from settings."""

from __future__ import annotations

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
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from marketplace import health
from marketplace.accounts import api as accounts_api
from marketplace.accounts import pages as accounts_pages
from marketplace.accounts.throttle import LoginThrottle
from marketplace.clock import Clock
from marketplace.db import create_engine
from marketplace.funding import api as funding_api
from marketplace.funding import pages as funding_pages
from marketplace.funding import search as funding_search
from marketplace.listings import api as listings_api
from marketplace.listings import pages as listings_pages
from marketplace.listings import search as listings_search
from marketplace.matching import api as matching_api
from marketplace.matching import pages as matching_pages
from marketplace.reference import api as reference_api
from marketplace.reference import pages as reference_pages
from marketplace.searching import api as searching_api
from marketplace.searching import pages as searching_pages
from marketplace.searching.backend import create_backend
from marketplace.searching.runtime import start_search, stop_search
from marketplace.settings import Settings, get_settings
from marketplace.standards import api as standards_api
from marketplace.standards import pages as standards_pages
from marketplace.tenders import api as tenders_api
from marketplace.tenders import pages as tenders_pages
from marketplace.tenders import search as tenders_search
from marketplace.web import home
from marketplace.web.deps import provide_actor, provide_clock, provide_settings
from marketplace.web.problems import EXCEPTION_HANDLERS
from marketplace.web.templating import PACKAGE_ROOT, template_config

# The searchable kinds register their loaders on import (see `marketplace.searching`).
SEARCHABLE = (listings_search, tenders_search, funding_search)

ROUTE_HANDLERS: list[Any] = [
    *health.handlers,
    *home.handlers,
    *accounts_api.handlers,
    *accounts_pages.handlers,
    *reference_api.handlers,
    *reference_pages.handlers,
    *standards_api.handlers,
    *standards_pages.handlers,
    *listings_api.handlers,
    *listings_pages.handlers,
    *tenders_api.handlers,
    *tenders_pages.handlers,
    *funding_api.handlers,
    *matching_api.handlers,
    *matching_pages.handlers,
    *funding_pages.handlers,
    *searching_api.handlers,
    *searching_pages.handlers,
]

# Links in the site header, in order: each package adds its own entry point here.
NAV_ITEMS: list[dict[str, str]] = [
    {"href": "/search", "label": "Search"},
    {"href": "/tenders", "label": "Tenders"},
    {"href": "/listings", "label": "Solutions"},
    {"href": "/funding-calls", "label": "Funding calls"},
    {"href": "/standards", "label": "Standards"},
    {"href": "/listings/mine", "label": "My listings"},
]

# Sections on an organisation's profile page, each `async (session, actor, organisation)
# -> (template name, context) | None`; packages add what they show there (listings, ...).
PROFILE_SECTIONS: list[Any] = [
    standards_pages.commitments_section,
    listings_pages.solutions_section,
    funding_pages.profile_section,
]

SWAGGER = "/static/vendor/swagger-ui"


async def _dispose_engine(app: Litestar) -> None:
    await app.state.engine.dispose()


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = create_engine(settings.database_url)
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_dependency_key="db_session",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # A form POST answered by a redirect must commit too, or the write is rolled back.
        before_send_handler="autocommit_include_redirects",
    )
    secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
    session_config = CookieBackendConfig(
        secret=settings.secret_bytes,
        key="icc_session",
        httponly=True,
        samesite="lax",
        secure=settings.env == "production",
        max_age=int(timedelta(days=14).total_seconds()),
    )
    app = Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            create_static_files_router(
                path="/static", directories=[PACKAGE_ROOT / "web" / "static"], name="static"
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        middleware=[session_config.middleware],
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
                SwaggerRenderPlugin(
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
        },
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[start_search],
        on_shutdown=[stop_search, _dispose_engine],
        debug=settings.env == "development" and False,
    )
    app.state.settings = settings
    app.state.clock = clock or Clock()
    app.state.engine = engine
    app.state.search = create_backend(settings, engine)
    app.state.nav_items = NAV_ITEMS
    app.state.profile_sections = PROFILE_SECTIONS
    app.state.login_throttle = LoginThrottle(
        settings.login_max_failures, settings.login_window_seconds
    )
    return app
