"""A funder finds a call, shortlists it and expresses interest; the city accepts it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

# The live server and Playwright fixtures come from main's tests/browser/conftest.py; until
# that is merged here, this module is skipped rather than failing collection.
sign_up = pytest.importorskip("tests.browser.conftest").sign_up


def _database_file(live_server: Any) -> str:
    settings = getattr(live_server, "settings", None)
    url = settings.database_url if settings is not None else live_server.database_url
    return str(url).split("///", 1)[1]


def _verify(live_server: Any, organisation_name: str) -> None:
    """What a platform admin does on /admin/verification, done directly to stay short."""
    with sqlite3.connect(_database_file(live_server)) as conn:
        conn.execute("UPDATE organisations SET verified = 1 WHERE name = ?", (organisation_name,))


def _create_organisation(page: Page, base: str, name: str, kind: str, country: str) -> None:
    page.goto(f"{base}/organisations/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Country").select_option(country)
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


@pytest.mark.browser
def test_a_funder_finds_shortlists_and_backs_a_call_and_the_city_accepts(
    live_server: Any, page: Page
) -> None:
    base = live_server.url
    # A city officer drafts and publishes a call.
    sign_up(page, live_server, "Aino Virtanen", "aino@espoo.example")
    _create_organisation(page, base, "City of Espoo", "city", "FI")
    _verify(live_server, "City of Espoo")
    page.goto(f"{base}/funding-calls/new")
    page.get_by_label("Title").fill("Electric bus depot in Kivenlahti")
    page.get_by_label("Summary").fill("Overnight charging for 120 electric buses.")
    page.get_by_label("Mobility").check()
    page.get_by_label("Loan").check()
    page.get_by_label("Amount sought").fill("2500000")
    page.get_by_label("Co-financing the cities bring (%)").fill("30")
    deadline = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Deadline (UTC)").fill(deadline)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_contain_text("The draft was saved")
    page.get_by_role("button", name="Publish the call").click()
    expect(page.get_by_role("status").first).to_contain_text("The call is open")
    _sign_out(page)

    # A funder finds it by filtering, shortlists it and expresses interest.
    sign_up(page, live_server, "Marco Bianchi", "marco@eib.example")
    _create_organisation(page, base, "European Investment Bank", "funder", "LU")
    page.get_by_role("link", name="Funding calls").first.click()
    page.get_by_label("Mobility").check()
    page.get_by_label("Instrument").select_option("loan")
    page.get_by_role("button", name="Filter calls").click()
    expect(page.get_by_role("status").first).to_contain_text("1 call found")
    page.get_by_role("link", name="Electric bus depot in Kivenlahti").click()
    page.get_by_label("Private note for European Investment Bank").fill("Check grid capacity")
    page.get_by_role("button", name="Add to European Investment Bank's shortlist").click()
    expect(page.get_by_role("status").first).to_contain_text("on your shortlist")
    page.get_by_label("Amount (EUR)").fill("750000.00")
    page.get_by_label("Instrument").select_option("loan")
    page.get_by_label("Conditions").fill("15-year tenor")
    page.get_by_label("Name us publicly as a backer if the cities accept").check()
    page.get_by_role("button", name="Send interest").click()
    expect(page.get_by_role("status").first).to_contain_text("Your interest was sent")
    page.goto(f"{base}/funding/dashboard")
    shortlist = page.locator("#shortlist + p + table")
    expect(shortlist).to_contain_text("Electric bus depot in Kivenlahti")
    expect(page.get_by_label("Note on Electric bus depot in Kivenlahti")).to_have_value(
        "Check grid capacity"
    )
    interests = page.locator("#interests + p + table")
    expect(interests).to_contain_text("€750,000.00")
    expect(interests).to_contain_text("Waiting for the cities")
    _sign_out(page)

    # The city accepts; the public page shows the pledged total and the named backer.
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("aino@espoo.example")
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/funding/workspace")
    page.get_by_role("link", name="Electric bus depot in Kivenlahti").click()
    page.get_by_label("Note to the funder").fill("Welcome aboard")
    page.get_by_role("button", name="Accept European Investment Bank's interest").click()
    expect(page.get_by_role("status").first).to_contain_text("The interest was accepted")
    _sign_out(page)
    page.goto(f"{base}/funding-calls")
    page.get_by_role("link", name="Electric bus depot in Kivenlahti").click()
    amounts = page.locator(".pledged dl.amounts")
    expect(amounts).to_contain_text("Sought")
    expect(amounts).to_contain_text("€2,500,000.00")
    expect(amounts).to_contain_text("Accepted")
    expect(amounts).to_contain_text("€750,000.00")
    expect(page.get_by_text("European Investment Bank: €750,000.00 (loan)")).to_be_visible()
