"""An SME creates and publishes a listing through the pages, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser
# The live server, page and sign-up helper come from main's tests/browser/conftest.py.
sign_up = pytest.importorskip("tests.browser.conftest").sign_up


def test_sme_creates_and_publishes_a_listing(page: Any, live_server: Any) -> None:
    sign_up(page, live_server, "Sara Supplier", "sara@kinetic.example")
    page.goto(f"{live_server.url}/organisations/new")
    page.get_by_label("Name").fill("Kinetic Mobility Oy")
    page.get_by_label("Kind").select_option("sme")
    page.get_by_label("Country").select_option("FI")
    page.get_by_role("button", name="Create organisation").click()
    page.wait_for_url("**/organisations/*")

    page.get_by_role("link", name="My listings", exact=True).click()
    page.get_by_role("link", name="New listing").click()
    page.get_by_label("Title").fill("Smart parking guidance")
    page.get_by_label("Summary").fill("Drivers find free spaces at once.")
    page.get_by_label("Description").fill("Sensors in every bay; **open API**.")
    page.get_by_label("Mobility").check()
    # The CPV picker finds codes as you type (HTMX).
    page.get_by_label("Find CPV codes by number or words").fill("parking meters")
    page.get_by_label("38730000-1 Parking meters").check()
    countries = page.get_by_role("group", name="Countries served")  # boxes, not Ctrl-click
    countries.get_by_label("Finland", exact=True).check()
    countries.get_by_label("Sweden", exact=True).check()
    page.get_by_label("Technology readiness level (TRL)").select_option("8")
    page.locator("#outcomes\\.0\\.metric").fill("Time spent searching for parking")
    page.locator("#outcomes\\.0\\.unit").fill("minutes")
    page.locator("#outcomes\\.0\\.baseline").fill("12")
    page.locator("#outcomes\\.0\\.verification").fill("Sensor logs")
    page.locator("#outcomes\\.0\\.timeframe_months").fill("12")
    page.get_by_label("Pricing model").select_option("outcome_based")
    page.get_by_label("Share of the price at risk, % (outcome-based pricing only)").fill("25")
    page.locator("#standards\\.0\\.code").select_option("GTFS")
    page.get_by_role("button", name="Save draft").click()

    # The target was forgotten: the form says so next to the input and keeps the rest.
    error = page.locator("#outcomes\\.0\\.target-error")
    error.wait_for()
    assert (
        page.locator("#outcomes\\.0\\.metric").input_value() == "Time spent searching for parking"
    )
    page.locator("#outcomes\\.0\\.target").fill("6")
    page.get_by_role("button", name="Save draft").click()

    page.get_by_text("saved as a draft").wait_for()
    assert "Draft" in page.content()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The listing is published").wait_for()
    listing_url = page.url

    # The public sees it, with its outcomes table and standards link.
    page.context.clear_cookies()
    page.goto(listing_url)
    assert page.get_by_role("heading", name="Smart parking guidance").is_visible()
    assert page.get_by_role("cell", name="Time spent searching for parking").is_visible()
    assert page.locator('a[href="/standards/GTFS"]').count() >= 1
    page.goto(f"{live_server.url}/listings?theme=mobility")
    assert page.get_by_role("link", name="Smart parking guidance").is_visible()

    # The in-process worker indexes it: it is found as you would search, and its page loads
    # the tenders it may answer (none yet) in place, with HTMX.
    for _ in range(50):  # the worker polls every second
        page.goto(f"{live_server.url}/search?q=parking+guid")
        if page.get_by_role("link", name="Smart parking guidance").count():
            break
        page.wait_for_timeout(200)
    assert page.get_by_role("link", name="Smart parking guidance").is_visible()
    page.goto(listing_url)
    page.get_by_text("No tender open for responses matches this solution right now.").wait_for()
    assert page.get_by_role("link", name="See the tenders open for responses").count() == 0
