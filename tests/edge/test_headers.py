"""The hardened edge: security headers on every response, no inline script in any page,
forwarded addresses believed only from trusted proxies, a bounded request body."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.settings import Settings
from marketplace.web.edge import client_host, parse_networks
from tests.factories import Api

PAGES = ["/", "/tenders", "/organisations", "/search", "/sign-in", "/schema/docs",
         "/static/site.css", "/api/v1/tenders", "/no/such/page", "/api/v1/no-such-thing",
         "/schema/openapi.json"]  # fmt: skip
TEMPLATES = Path(__file__).parents[2] / "marketplace"


async def test_every_response_carries_the_security_headers(api: Api) -> None:
    for path in PAGES:
        r = await api.client.get(path)
        csp = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], path
        assert "frame-ancestors 'none'" in csp, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in r.headers["permissions-policy"], path
        # Not in development or tests: HSTS would pin a plain-HTTP localhost to HTTPS.
        assert "strict-transport-security" not in r.headers, path


async def test_errors_and_bad_requests_carry_them_too(api: Api) -> None:
    r = await api.client.post(
        "/api/v1/organisations", content=b"x", headers={"content-type": "text/plain"}
    )
    assert r.status_code in (401, 415)
    assert "content-security-policy" in r.headers
    r = await api.client.get("/api/v1/tenders?page=0")
    assert r.status_code == 400 and "x-frame-options" in r.headers


@pytest.fixture
def production(settings: Settings) -> Settings:
    return settings.model_copy(update={"env": "production"})


async def test_hsts_in_production(production: Settings, clock: FrozenClock) -> None:
    async with AsyncTestClient(app=create_app(production, clock=clock)) as client:
        r = await client.get("/health")
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_template_has_an_inline_script() -> None:
    """Every <script> loads a file: the policy would block inline code in the browser."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if "src=" not in tag:
                offenders.append(f"{template.relative_to(TEMPLATES)}: {tag}")
        if re.search(r"\son[a-z]+\s*=", template.read_text()):
            offenders.append(f"{template.relative_to(TEMPLATES)}: inline event handler")
    assert offenders == []


async def test_pages_with_deadlines_load_the_script_from_a_file(api: Api) -> None:
    r = await api.client.get("/tenders")
    assert '<script src="/static/js/local-time.js"' in r.text
    assert (await api.client.get("/static/js/local-time.js")).status_code == 200


async def test_the_api_explorer_has_no_inline_script(api: Api) -> None:
    r = await api.client.get("/schema/docs")
    assert r.status_code == 200
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", r.text))
    assert 'data-schema-url="/schema/openapi.json"' in r.text
    assert (await api.client.get("/static/js/swagger-init.js")).status_code == 200


# --- client address ----------------------------------------------------------------------


def test_forwarded_for_is_believed_only_from_trusted_proxies() -> None:
    proxies = parse_networks("10.0.0.0/8, 127.0.0.1")
    # A client talking to us directly cannot name itself someone else.
    assert client_host("203.0.113.9", "198.51.100.1", proxies) == "203.0.113.9"
    # Through our proxy: the address the proxy saw, not what the client wrote before it.
    assert client_host("127.0.0.1", "198.51.100.1, 203.0.113.9", proxies) == "203.0.113.9"
    assert client_host("127.0.0.1", "203.0.113.9, 10.1.2.3", proxies) == "203.0.113.9"
    assert client_host("127.0.0.1", "", proxies) == "127.0.0.1"
    assert client_host("127.0.0.1", "garbage", proxies) == "garbage"
    # No trusted proxies configured: forwarded headers mean nothing.
    assert client_host("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


@pytest.fixture
async def behind_proxy(settings: Settings, clock: FrozenClock) -> AsyncIterator[Litestar]:
    app = create_app(settings.model_copy(update={"trusted_proxies": "127.0.0.1"}), clock=clock)
    yield app


async def test_the_app_sees_the_forwarded_client_only_through_a_trusted_proxy(
    behind_proxy: Litestar, settings: Settings, clock: FrozenClock
) -> None:
    from litestar import get

    seen: list[str] = []

    @get("/whoami", sync_to_thread=False)
    def whoami(request: object) -> str:
        host = request.client.host  # type: ignore[attr-defined]
        seen.append(host)
        return str(host)

    behind_proxy.register(whoami)
    # The test client connects from "testclient", which is not a trusted proxy.
    async with AsyncTestClient(app=behind_proxy) as client:
        await client.get("/whoami", headers={"x-forwarded-for": "198.51.100.1"})
    assert seen == ["testclient"]


# --- body size ---------------------------------------------------------------------------


async def test_a_body_over_the_limit_is_413(api: Api, settings: Settings) -> None:
    person = await api.person("Big")
    big = b'{"name": "' + b"x" * (settings.max_body_bytes + 10) + b'"}'
    r = await api.client.post(
        "/api/v1/organisations", content=big,
        headers={**person.headers, "content-type": "application/json"},
    )  # fmt: skip
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
