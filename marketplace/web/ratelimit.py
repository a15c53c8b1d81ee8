"""Request rate limits, per client address, in the shared rate-limit store: answered with
429 and Retry-After (problem+json for the API, the error page for people).

What is limited and why:
- every write (any method but GET/HEAD/OPTIONS): spam and scripted abuse;
- registration and token creation, per hour: account farming and credential stuffing;
- password reset requests, per hour: mail bombing through our mail server;
- search, per minute: the most expensive read;
- the whole API, per minute: one client cannot starve the rest.
The sign-in throttle (failed passwords) is a separate policy in accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from marketplace.core.stores import RateLimiter, Window
from marketplace.settings import Settings

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
EXEMPT = ("/static/", "/health", "/schema")


@dataclass(frozen=True)
class Rule:
    bucket: str
    window: Window
    what: str
    methods: frozenset[str] | None  # None: any method
    paths: tuple[str, ...]  # exact paths; empty: any path
    prefix: str = ""

    def applies(self, method: str, path: str) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        if self.paths and path.rstrip("/") not in self.paths:
            return False
        return path.startswith(self.prefix)


def rules(settings: Settings) -> list[Rule]:
    post = frozenset({"POST"})
    return [
        Rule("register", Window(settings.rate_limit_registrations_per_hour, 3600),
             "registrations from this address", post, ("/api/v1/auth/register", "/sign-up")),
        Rule("tokens", Window(settings.rate_limit_tokens_per_hour, 3600),
             "API tokens created from this address", post,
             ("/api/v1/auth/tokens", "/account/tokens")),
        Rule("reset", Window(settings.rate_limit_password_resets_per_hour, 3600),
             "password reset requests from this address", post,
             ("/api/v1/auth/password-reset", "/password-reset")),
        Rule("search", Window(settings.rate_limit_search_per_minute, 60),
             "searches from this address", frozenset({"GET"}), ("/api/v1/search", "/search")),
        Rule("writes", Window(settings.rate_limit_writes_per_minute, 60),
             "changes from this address", None, (), ""),
        Rule("api", Window(settings.rate_limit_api_per_minute, 60),
             "API requests from this address", None, (), "/api/"),
    ]  # fmt: skip


class RequestLimits:
    def __init__(self, limiter: RateLimiter, settings: Settings) -> None:
        self.limiter = limiter
        self.rules = rules(settings)
        self.enabled = settings.rate_limits

    async def check(self, method: str, path: str, address: str) -> None:
        if not self.enabled or path.startswith(EXEMPT):
            return
        for rule in self.rules:
            if rule.bucket == "writes" and method in SAFE:
                continue
            if rule.applies(method, path):
                await self.limiter.hit(rule.bucket, address, rule.window, rule.what)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client as the edge resolved it (forwarded headers from trusted proxies only)."""
    return request.client.host if request.client else "unknown"


async def limit_requests(request: Request[Any, Any, Any]) -> None:
    """`before_request`: refuse a request over its limits before the handler runs."""
    limits: RequestLimits = request.app.state.request_limits
    await limits.check(request.method, request.url.path, client_address(request))
