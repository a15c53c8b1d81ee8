"""The CPV picker with JavaScript: a city officer types words of a name in the tender form,
ticks a code from the list htmx brings, searches again (the ticked code stays), and saves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_up

pytestmark = pytest.mark.browser


def test_a_cpv_code_is_chosen_by_typing_its_name(page: Page, live_server: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_up(page, live_server, "Anna Lead", "anna@espoo.example")
    page.goto(f"{live_server.url}/organisations/new")
    page.get_by_label("Name").fill("Espoo Picker City")
    page.get_by_label("Kind").select_option("city")
    page.get_by_label("Country").select_option("FI")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Espoo Picker City")).to_be_visible()

    page.goto(f"{live_server.url}/tenders/new")
    page.locator("#title").fill("Smart street lighting")
    page.locator("#description").fill("Adaptive LED street lighting on the main avenues.")
    box = page.locator("#cpv_codes-q")
    box.press_sequentially("street lighting", delay=20)
    found = page.locator("#cpv_codes-results").get_by_label("34928500-3 Street-lighting equipment")
    expect(found).to_be_visible()
    found.check()
    chosen = page.locator("#cpv_codes-chosen")
    expect(chosen.get_by_label("34928500-3 Street-lighting equipment")).to_be_checked()
    expect(box).to_have_value("")
    # A second search replaces the list; the code ticked from the first one stays chosen.
    box.press_sequentially("parking", delay=20)
    expect(page.locator("#cpv_codes-results")).to_contain_text("Parking")
    expect(page.locator("#cpv_codes-results")).not_to_contain_text("Street-lighting equipment")
    expect(chosen.get_by_label("34928500-3 Street-lighting equipment")).to_be_checked()
    # Enter in the box searches instead of saving the form.
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/tenders/new")
    box.fill("")

    page.locator("#lot_1_title").fill("Luminaires")
    page.locator("#criterion_1_name").fill("Price")
    page.locator("#criterion_1_weight").fill("40")
    page.locator("#criterion_2_name").fill("Quality")
    page.locator("#criterion_2_weight").fill("60")
    deadline = datetime.now(UTC) + timedelta(days=40)
    page.get_by_label("Responses close").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="Smart street lighting")).to_be_visible()
    expect(page.get_by_text("Street-lighting equipment").first).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

    # On a phone the picker and what it finds fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/tenders/new")
    page.locator("#cpv_codes-q").press_sequentially("software package", delay=20)
    expect(page.locator("#cpv_codes-results")).to_contain_text("48000000-8")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_city_officer_picks_two_partner_cities_on_a_phone_by_typing_and_ticking(
    page: Page, live_server: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_up(page, live_server, "Anna Lead", "anna@espoo.example")
    for name, country in (("Espoo Choice City", "FI"), ("Stadt Wien Choice", "AT"),
                          ("Ville de Besançon Choice", "FR"), ("Tartu Choice", "EE")):  # fmt: skip
        page.goto(f"{live_server.url}/organisations/new")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Kind").select_option("city")
        page.get_by_label("Country").select_option(country)
        page.get_by_role("button", name="Create organisation").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.goto(f"{live_server.url}/tenders/new")
    invited = page.locator("#invited")
    summary = invited.locator(".choices-summary")
    expect(summary).to_have_text("None chosen yet.")
    box = invited.get_by_label("Find a city")
    # Typing shortens the list (accents and case aside); ticking takes the city.
    box.press_sequentially("wien", delay=20)
    expect(invited.get_by_label("Stadt Wien Choice")).to_be_visible()
    expect(invited.get_by_label("Tartu Choice")).to_be_hidden()
    invited.get_by_label("Stadt Wien Choice").check()
    box.fill("")
    box.press_sequentially("besancon", delay=20)
    expect(invited.get_by_label("Ville de Besançon Choice")).to_be_visible()
    expect(invited.get_by_label("Tartu Choice")).to_be_hidden()
    # The city ticked before stays in view; Enter takes the only match instead of saving.
    expect(invited.get_by_label("Stadt Wien Choice")).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/tenders/new")
    expect(invited.get_by_label("Ville de Besançon Choice")).to_be_checked()
    expect(summary).to_have_text("Chosen: Stadt Wien Choice, Ville de Besançon Choice")
    box.press_sequentially("nowhere", delay=20)
    expect(invited.get_by_text("Nothing in the list matches.")).to_be_visible()
    box.fill("")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator("#title").fill("Shared e-bike docks")
    page.locator("#description").fill("Docking stations for shared e-bikes in three cities.")
    page.locator("#cpv_codes-q").fill("34430000")
    page.locator("#lot_1_title").fill("Docks")
    page.locator("#criterion_1_name").fill("Price")
    page.locator("#criterion_1_weight").fill("40")
    page.locator("#criterion_2_name").fill("Quality")
    page.locator("#criterion_2_weight").fill("60")
    deadline = datetime.now(UTC) + timedelta(days=40)
    page.get_by_label("Responses close").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="Shared e-bike docks")).to_be_visible()
    expect(page.get_by_text("Invited, not yet confirmed")).to_have_count(2)

    # Editing the draft shows the two cities ticked, first in the list.
    page.goto(page.url + "/edit")
    first = page.locator("#invited-options li input").nth(0)
    expect(first).to_be_checked()
    expect(page.locator("#invited-options input:checked")).to_have_count(2)
    expect(page.locator("#invited .choices-summary")).to_contain_text("Stadt Wien Choice")
