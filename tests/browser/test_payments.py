"""A city orders a pilot and accepts a milestone in offline mode, in a real browser."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.listings.conftest import complete_listing

conftest = pytest.importorskip("tests.browser.conftest")
PASSWORD = conftest.PASSWORD


class Api(httpx.Client):
    """The set-up goes through the API. On this loaded 2-core machine the live server's
    SQLite file sometimes answers a write with "database is locked" (a 500 that saved
    nothing, outside what this test is about): such a call is sent again, a few times."""

    def post(self, url: Any, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        for _ in range(5):
            r = super().post(url, **kwargs)
            if r.status_code != 500:
                return r
            time.sleep(1)
        return r


def _person(api: httpx.Client, name: str, email: str) -> dict[str, str]:
    r = api.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name})
    assert r.status_code == 201, r.text
    r = api.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD, "label": "t"})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _ok(r: httpx.Response) -> Any:
    assert r.status_code in (200, 201), r.text
    return r.json()


def _sql(live_server: Any, statement: str, *params: str) -> None:
    with sqlite3.connect(str(live_server.database_url).split("///", 1)[1]) as conn:
        conn.execute(statement, params)


@pytest.fixture
def no_event_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline mode needs no event worker; without it the server's SQLite file has fewer
    writers at once."""
    monkeypatch.setenv("MARKETPLACE_EVENT_WORKER", "off")


def _wait_until_up(api: httpx.Client) -> None:
    for _ in range(120):  # a loaded machine starts the server slowly
        try:
            if api.get("/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("the server did not start")


@pytest.fixture
def api(no_event_worker: None, live_server: Any) -> Iterator[Api]:
    with Api(base_url=live_server.url, timeout=30) as client:
        _wait_until_up(client)
        yield client


@pytest.mark.browser
def test_a_city_orders_a_pilot_and_accepts_a_milestone_offline(
    api: Api, live_server: Any, page: Page
) -> None:
    base = live_server.url
    # The SME (through the API): a published listing with a pilot package on it.
    sme_headers = _person(api, "Sanna Sme", "sanna@lumo.example")
    sme = _ok(api.post("/api/v1/organisations", headers=sme_headers,
                       json={"name": "Lumo Lighting Oy", "kind": "sme", "country": "FI"}))  # fmt: skip
    listing = _ok(api.post("/api/v1/listings", headers=sme_headers,
                           json=complete_listing(sme["id"])))  # fmt: skip
    r = api.post(f"/api/v1/listings/{listing['id']}/publish", headers=sme_headers)
    assert r.status_code == 200, r.text
    r = api.post(f"/api/v1/listings/{listing['id']}/pilot-packages", headers=sme_headers, json={
        "title": "Adaptive lighting in one district", "price": {"amount": "12000.00", "currency": "EUR"},
        "duration_weeks": 20, "milestones": [
            {"title": "Lights installed", "share_percent": "60", "outcome_index": 0,
             "evidence": "Commissioning report"},
            {"title": "Savings measured", "share_percent": "40", "outcome_index": 0,
             "evidence": "Metering report"}]})  # fmt: skip
    assert r.status_code == 201, r.text
    # The city officer's account and verified city; the platform admin.
    city_headers = _person(api, "Aino Virtanen", "aino@espoo.example")
    city = _ok(api.post("/api/v1/organisations", headers=city_headers,
                        json={"name": "City of Espoo", "kind": "city", "country": "FI"}))  # fmt: skip
    _sql(live_server, "UPDATE organisations SET verified = 1 WHERE id = ?", city["id"])
    admin_headers = _person(api, "Platform Admin", "admin@platform.example")
    _sql(live_server, "UPDATE users SET is_admin = 1 WHERE email = ?", "admin@platform.example")

    # The city officer finds the pilot, sees that payments are offline, and orders.
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("aino@espoo.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Pilots").first.click()
    expect(page.get_by_role("heading", name="Payments are offline")).to_be_visible()
    page.get_by_role("link", name="Adaptive lighting in one district").click()
    expect(page.get_by_role("cell", name="€7,200.00")).to_be_visible()
    page.get_by_label("Ordering city").select_option(label="City of Espoo")
    page.get_by_role("button", name="Order for €12,000.00").click()
    expect(page.get_by_role("status").first).to_contain_text("Ordered.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awaiting payment")
    expect(page.get_by_text("to the platform by bank transfer")).to_be_visible()
    order_id = page.url.rsplit("/", 1)[1]

    # Offline: the admin records the bank transfer, the SME reports the first milestone.
    r = api.post(f"/api/v1/pilot-orders/{order_id}/offline/payment", headers=admin_headers,
                 json={"note": "SEPA 2026-0117"})  # fmt: skip
    assert r.status_code == 200, r.text
    milestone = r.json()["milestones"][0]["id"]
    r = api.post(f"/api/v1/pilot-orders/{order_id}/milestones/{milestone}/report",
                 headers=sme_headers, json={"evidence": "Commissioning report signed on site."})  # fmt: skip
    assert r.status_code == 200, r.text

    # The city accepts it on the order page.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paid")
    expect(page.get_by_text("Commissioning report signed on site.")).to_be_visible()
    page.get_by_role("button", name="Accept “Lights installed” and pay €7,200.00").click()
    expect(page.get_by_role("status").first).to_contain_text("Accepted.")
    expect(page.locator("#milestone-" + milestone)).to_contain_text(
        "Waiting for the platform admin to pay it out"
    )
    page.screenshot(path=str(live_server.env["MARKETPLACE_VAR_DIR"]) + "/order.png", full_page=True)
    r = api.get(f"/api/v1/pilot-orders/{order_id}", headers=city_headers)
    assert r.json()["milestones"][0]["status"] == "accepted"
    assert r.json()["balances"]["held"] == {"amount": "12000.00", "currency": "EUR"}
