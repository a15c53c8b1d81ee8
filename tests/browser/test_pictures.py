"""Issue 19, pictures in a real browser on a 390 px phone with JavaScript off: the tender's
timeline, the call's funding and the city officer's home pictures are drawn, fit the screen
with readable text, and "Show as table" opens the same figures."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_phone_and_no_js import _seed, _sign_in

pytestmark = pytest.mark.browser


def _pictured(page: Page, url: str, ids: list[str]) -> None:
    page.goto(url)
    for id in ids:
        figure = page.locator(f"figure#{id}")
        svg = figure.locator("svg[role=img]")
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, id, box)
        # 13-unit text on a 400-unit drawing: at least 10 px on the phone.
        assert box["width"] / 400 * 13 >= 10, (url, id, box)
        table = figure.locator("details table")
        expect(table).to_be_hidden()
        figure.get_by_text("Show as table").click()
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, url


def test_pictures_on_a_phone_without_javascript(page: Page, live_server: Any) -> None:
    _seed(live_server)
    base = live_server.url
    browser = page.context.browser
    assert browser is not None
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                java_script_enabled=False)  # fmt: skip
    p = phone.new_page()
    p.goto(f"{base}/tenders")
    tender = p.locator("main a[href^='/tenders/']:not([href='/tenders/new'])").first
    _pictured(p, base + str(tender.get_attribute("href")), ["tender-timeline"])
    p.goto(f"{base}/funding-calls")
    call = p.locator("main a[href^='/funding-calls/']").first
    _pictured(p, base + str(call.get_attribute("href")), ["call-funding"])
    _sign_in(p, base, "city.of.espoo@demo.icc.example")
    _pictured(p, f"{base}/home", ["tender-pipeline", "theme-spend-1"])
    phone.close()
