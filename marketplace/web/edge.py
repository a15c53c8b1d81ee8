"""The edge every request crosses before a controller: which client it is (forwarded headers
only from trusted proxies), what body it may send (JSON endpoints read JSON only, bounded in
size and depth), and the security headers on every response, errors and 404s included."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import parse_qsl

from litestar import Request
from litestar.datastructures import FormMultiDict, MutableScopeHeaders, UploadFile
from litestar.enums import ScopeType
from litestar.exceptions import ClientException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.errors import DomainError, FieldError, NotFound, TooLarge
from marketplace.settings import Settings

# Deeper than any document the API accepts (a tender is about five levels); far below where
# decoding or validation would recurse out of stack.
MAX_JSON_DEPTH = 32
JSON_TYPES = ("application/json",)

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class BodyRefused(ClientException):
    """A body refused for its shape (not its syntax): the detail says why."""


class UnsupportedMediaType(BodyRefused):
    status_code = 415


# Where a request keeps the files of its multipart form until its response is sent.
_UPLOADS = "marketplace.uploads"
# A route handler's `opt` key naming the setting that bounds its uploads, and what a
# multipart body carries besides the file (boundaries, the other fields).
UPLOAD_LIMIT = "upload_limit_setting"
UPLOAD_ENVELOPE_BYTES = 64 * 1024


class EdgeRequest(Request[Any, Any, Any]):
    """Reads a JSON body only when it is declared as JSON and is not absurdly nested."""

    async def form(self) -> FormMultiDict:
        """The form, its uploaded files closed once the response is sent (`close_uploads`),
        also when the request never reaches a handler (a CSRF refusal reads the form too).
        A route that takes uploads names its size setting (`opt={UPLOAD_LIMIT: "..."}`): a
        body announced larger is refused before anything is read, whoever reads the form."""
        setting = (
            self.route_handler.opt.get(UPLOAD_LIMIT) if "route_handler" in self.scope else None
        )
        if setting:
            limit = int(getattr(self.app.state.settings, setting)) + UPLOAD_ENVELOPE_BYTES
            length = self.headers.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise TooLarge(
                    f"The file is larger than the {(limit - UPLOAD_ENVELOPE_BYTES) // 1_000_000}"
                    " MB accepted."
                )
        form = await super().form()
        files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
        if files:
            scope = cast(dict[str, Any], self.scope)
            kept: dict[int, UploadFile] = scope.setdefault(_UPLOADS, {})
            kept.update((id(f), f) for f in files)
        return form

    async def json(self) -> Any:
        body = await self.body()
        if body:
            media_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type not in JSON_TYPES and not media_type.endswith("+json"):
                raise UnsupportedMediaType(
                    detail="This endpoint reads JSON: send the body with "
                    "Content-Type: application/json."
                )
        try:
            value = await super().json()
        except RecursionError:
            raise BodyRefused(detail=_too_deep()) from None
        if _deeper_than(value, MAX_JSON_DEPTH):
            raise BodyRefused(detail=_too_deep())
        return value


def _too_deep() -> str:
    return f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."


def _deeper_than(value: Any, limit: int) -> bool:
    """Iterative, so measuring a hostile document cannot itself overflow the stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


# --- client address ----------------------------------------------------------------------


def parse_networks(value: str) -> tuple[IpNetwork, ...]:
    """`MARKETPLACE_TRUSTED_PROXIES`: addresses or CIDR ranges, comma-separated."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in value.split(",")
        if part.strip()
    )


def _trusted(host: str, networks: tuple[IpNetwork, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_host(peer: str, forwarded_for: str, networks: tuple[IpNetwork, ...]) -> str:
    """The client as the nearest untrusted hop: a proxy we run appends the address it saw to
    X-Forwarded-For, so reading right to left and skipping our own proxies finds the client;
    anything further left was written by the client and proves nothing."""
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


class TrustedProxyMiddleware:
    """Rewrites the ASGI client (and scheme) from forwarded headers sent by a trusted proxy,
    and from nobody else. Uvicorn's own proxy handling is switched off in `serve`."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.networks = parse_networks(settings.trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            client = scope.get("client")
            peer = client[0] if client else ""
            if _trusted(peer, self.networks):
                headers = {k.lower(): v for k, v in scope.get("headers", [])}
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                host = client_host(peer, forwarded, self.networks)
                scope["client"] = (host, 0)
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


def refuse_nul(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: a NUL in the path or the query string is nobody's real input, and
    PostgreSQL refuses it in any text (a 500 where it reached a query). Bodies are checked
    field by field (`core.inputs`); the path is "not found", a query parameter is a 400
    naming it."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            if "\x00" in scope.get("path", ""):
                raise NotFound("No such page.")
            query = scope.get("query_string", b"").decode("latin-1")
            if "%00" in query or "\x00" in query:
                names = sorted({name for name, value in parse_qsl(query, keep_blank_values=True)
                                if "\x00" in name or "\x00" in value})  # fmt: skip
                raise DomainError(
                    "A query parameter contains a NUL character.",
                    [FieldError(n.replace("\x00", "") or "query", "must not contain NUL characters")
                     for n in names or ["query"]],
                )  # fmt: skip
        await app(scope, receive, send)

    return middleware


# --- response headers --------------------------------------------------------------------


def content_security_policy() -> str:
    """Scripts and styles from this site only; no inline script anywhere (the one page
    script and the API explorer's start-up are static files). Inline style attributes stay
    allowed: they cannot run code."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.env == "production":
        # Only where the site is served over HTTPS; a year, as preload lists expect.
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


async def close_uploads(message: Message, scope: Scope) -> None:
    """A `before_send` hook: the last body message of a response closes the request's
    uploaded files (their spooled temporary files)."""
    if message["type"] == "http.response.body" and not message.get("more_body", False):
        kept: dict[int, UploadFile] = cast(dict[str, Any], scope).pop(_UPLOADS, None) or {}
        for upload in kept.values():
            upload.file.close()


def security_headers_hook(settings: Settings) -> Any:
    """A `before_send` hook: Litestar calls it for every response, including 404s for
    unknown paths and error pages, which never reach route middleware."""
    headers = security_headers(settings)

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            mutable = MutableScopeHeaders.from_message(message)
            for name, value in headers.items():
                if name not in mutable:
                    mutable[name] = value

    return before_send


__all__ = [
    "MAX_JSON_DEPTH",
    "BodyRefused",
    "EdgeRequest",
    "TrustedProxyMiddleware",
    "client_host",
    "close_uploads",
    "parse_networks",
    "security_headers",
    "security_headers_hook",
]
