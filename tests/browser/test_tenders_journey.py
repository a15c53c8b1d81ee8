"""The joint journey in a real browser against a running server, with real short deadlines
(the live server runs with MARKETPLACE_MIN_TENDER_PERIOD_DAYS=0): city A drafts and invites
city B, B confirms, A publishes, an SME asks and responds, the deadline passes, A scores and
awards."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_up

pytestmark = pytest.mark.browser
PASSWORD = "a long enough passphrase"


def _sign_in(page: Page, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _organisation(page: Page, live_server: Any, name: str, kind: str) -> None:
    page.goto(f"{live_server.url}/organisations/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Country").select_option("FI")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def _verify_as_admin(page: Page, live_server: Any, organisation: str) -> None:
    sign_up(page, live_server, "Platform Admin", "admin@icc.example")
    subprocess.run(
        [sys.executable, "-m", "marketplace.cli", "admin", "create", "admin@icc.example"],
        env=live_server.env, check=True, capture_output=True,
    )  # fmt: skip
    page.goto(f"{live_server.url}/admin/verification")
    page.get_by_role("button", name=f"Verify {organisation}").click()
    page.get_by_role("button", name=f"Yes, verify {organisation}").click()
    _sign_out(page)


def _utc_input(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def test_two_cities_buy_together_and_award_an_sme(page: Page, live_server: Any) -> None:
    sign_up(page, live_server, "Bea Partner", "bea@wien.example")
    _organisation(page, live_server, "Stadt Wien Test", "city")
    _sign_out(page)
    sign_up(page, live_server, "Sam Supplier", "sam@kinetic.example")
    _organisation(page, live_server, "Kinetic Test Oy", "sme")
    _sign_out(page)
    sign_up(page, live_server, "Anna Lead", "anna@espoo.example")
    _organisation(page, live_server, "Espoo Test City", "city")
    _sign_out(page)
    _verify_as_admin(page, live_server, "Espoo Test City")

    # City A drafts the tender and invites city B; deadlines seconds away.
    _sign_in(page, live_server, "anna@espoo.example")
    page.get_by_role("link", name="Tenders").click()
    page.get_by_role("link", name="Draft a tender").click()
    page.locator("#title").fill("Real-time passenger information")
    page.locator("#description").fill("Displays and open data for both cities' bus stops.")
    page.locator("#cpv_codes-q").fill("48000000")
    page.locator("#lot_1_title").fill("Displays")
    page.locator("#lot_1_amount").fill("150000")
    page.locator("#invited").get_by_label("Stadt Wien Test").check()
    page.locator("#outcome_1_metric").fill("Passenger wait time")
    page.locator("#outcome_1_target").fill("4")
    page.locator("#criterion_1_name").fill("Price")
    page.locator("#criterion_1_weight").fill("40")
    page.locator("#criterion_2_name").fill("Quality")
    page.locator("#criterion_2_weight").fill("60")
    now = datetime.now(UTC)
    submission = now + timedelta(seconds=45)
    page.get_by_label("Questions close").fill(_utc_input(now + timedelta(seconds=30)))
    page.get_by_label("Responses close").fill(_utc_input(submission))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Invited, not yet confirmed")).to_be_visible()
    tender_url = page.url
    assert re.search(r"/tenders/[0-9a-f-]{36}$", tender_url)
    _sign_out(page)

    # City B confirms with its share.
    _sign_in(page, live_server, "bea@wien.example")
    page.goto(tender_url)
    page.locator("#share_1_quantity").fill("80")
    page.locator("#share_1_unit").fill("displays")
    page.get_by_role("button", name="Confirm Stadt Wien Test's participation").click()
    expect(page.get_by_text("Lot 1: 80 displays")).to_be_visible()
    _sign_out(page)

    # City A publishes.
    _sign_in(page, live_server, "anna@espoo.example")
    page.goto(tender_url)
    page.get_by_role("button", name="Publish the tender").click()
    expect(page.get_by_text("Open for responses", exact=True)).to_be_visible()
    _sign_out(page)

    # The SME asks a question and responds.
    _sign_in(page, live_server, "sam@kinetic.example")
    page.goto(tender_url)
    page.get_by_label("Ask a question").fill("Are GTFS-RT feeds required?")
    page.get_by_role("button", name="Send the question").click()
    page.get_by_role("link", name="Respond to this tender").click()
    page.get_by_label("Lot 1: Displays").check()
    page.get_by_label("Price").fill("140000")
    page.get_by_label("Technical summary").fill("E-ink displays, solar powered, open APIs.")
    page.locator("#commitment_0_target").fill("3")
    page.get_by_role("button", name="Submit the sealed response").click()
    expect(page.get_by_role("heading", name="My responses")).to_be_visible()
    expect(page.get_by_text("Real-time passenger information")).to_be_visible()
    _sign_out(page)

    # City A cannot read the sealed response before the deadline.
    _sign_in(page, live_server, "anna@espoo.example")
    blocked = page.goto(tender_url + "/responses")
    assert blocked is not None and blocked.status == 403
    assert "E-ink" not in page.content()

    # Real time passes the deadline on the running server.
    time.sleep(max(0.0, (submission - datetime.now(UTC)).total_seconds()) + 1)
    page.goto(tender_url)
    expect(page.get_by_text("Evaluation", exact=True)).to_be_visible()
    page.get_by_role("link", name="Evaluate the responses side by side").click()
    expect(page.get_by_text("E-ink displays, solar powered, open APIs.")).to_be_visible()
    page.get_by_label("Price (40 %)").fill("90")
    page.get_by_label("Quality (60 %)").fill("70")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_role("cell", name="78.00")).to_be_visible()
    page.get_by_label("Contract value").fill("140000")
    page.get_by_role("button", name="Award lot 1").click()
    page.get_by_role("button", name="Yes, award the lot").click()
    page.goto(tender_url)
    expect(page.get_by_text("Awarded to Kinetic Test Oy")).to_be_visible()
    expect(page.get_by_text("Complete", exact=True)).to_be_visible()
