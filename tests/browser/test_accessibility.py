"""axe-core (from npm, tests/browser/axe) on every main page of the demo network: signed out
and as each role, in English, French and German, on a laptop and on a phone. No page may
have a critical or serious violation; the message names the rule, the page and the element.

axe is evaluated through Playwright's page.evaluate (the DevTools protocol), so the
product's Content-Security-Policy stays as it is: nothing inline is allowed for the test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.test_phone_and_no_js import DEMO_PASSWORD, _seed

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "fr", "de")
BLOCKING = ("critical", "serious")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
ROLES = {
    "city": "city.of.espoo@demo.icc.example",
    "sme": "heatshift.energi.ab@demo.icc.example",
    "funder": "european.investment.bank..urban.developm@demo.icc.example",
    "admin": "admin@demo.icc.example",
}
SIGNED_IN_PAGES = {
    "city": ["/home", "/tenders/new", "/funding-calls/new", "/funding/workspace", "/pilots",
             "/account", "/notifications", "/notifications/preferences", "/organisations/new"],
    "sme": ["/home", "/listings/mine", "/listings/new", "/my/responses", "/my/questions",
            "/pilots"],
    "funder": ["/home", "/funding/dashboard"],
    "admin": ["/home", "/admin/verification", "/admin/payments", "/tenders/import",
              "/standards/new"],
}  # fmt: skip


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci in tests/browser/axe)")
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests/browser/axe`")
    return AXE.read_text()


def _violations(page: Page, source: str, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{url} [{v['impact']}] {v['id']}: {v['help']} — "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:3])
        for v in found
        if v.get("impact") in BLOCKING
    ]


def _context(browser: Browser, base: str, language: str, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.add_cookies([{"name": "icc_lang", "value": language, "url": base}])
    return context


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _public_pages(page: Page, base: str) -> list[str]:
    """The lists and one record of each kind, found by following the lists' links."""
    pages = ["/", "/tenders", "/search?q=energy", "/funding-calls", "/listings",
             "/organisations", "/standards", "/cpv", "/sign-in", "/sign-up"]  # fmt: skip
    for listing, prefix in (("/tenders", "/tenders/"), ("/funding-calls", "/funding-calls/"),
                            ("/listings", "/listings/"), ("/organisations", "/organisations/"),
                            ("/standards", "/standards/")):  # fmt: skip
        page.goto(base + listing)
        links = page.locator(f"main a[href^='{prefix}']:not([href$='/new'])")
        if links.count():
            pages.append(str(links.first.get_attribute("href")))
    return pages


def test_no_page_has_a_critical_or_serious_violation_in_any_language_or_on_a_phone(
    page: Page, live_server: Any
) -> None:
    source = _axe_source()
    _seed(live_server)
    base = live_server.url
    browser = page.context.browser
    assert browser is not None
    public = _public_pages(page, base)
    # The checker itself: an image without a text alternative is a critical violation.
    page.goto(base + "/")
    page.evaluate(source)
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    seeded = page.evaluate("async () => (await axe.run()).violations.map(v => [v.id, v.impact])")
    assert ["image-alt", "critical"] in seeded
    problems: list[str] = []
    for language in LANGUAGES:
        for options in ({}, PHONE):
            context = _context(browser, base, language, **options)
            p = context.new_page()
            for url in public:
                problems += _violations(p, source, base + url)
            context.close()
        for role, email in ROLES.items():
            context = _context(browser, base, language)
            p = context.new_page()
            _sign_in(p, base, email)
            for url in SIGNED_IN_PAGES[role]:
                problems += _violations(p, source, base + url)
            context.close()
    assert problems == [], "\n".join(problems)
