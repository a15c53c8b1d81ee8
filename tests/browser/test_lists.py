"""Issue 19 in a real browser with JavaScript off: a list's order is chosen in its form,
its pages keep the order and the filter, its CSV link downloads that list, and the list
fits a 390 px phone."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser
PASSWORD = "a long enough passphrase"


def _organisations(base: str) -> None:
    """Five cities and an SME through the API, as their owners would create them."""
    with httpx.Client(base_url=base) as http:
        r = http.post("/api/v1/auth/register", json={"email": "owner@example.eu",
                                                     "password": PASSWORD, "name": "Owner"})  # fmt: skip
        assert r.status_code == 201, r.text
        r = http.post("/api/v1/auth/tokens", json={"email": "owner@example.eu",
                                                   "password": PASSWORD, "label": "browser"})  # fmt: skip
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        for name, kind in (("Espoo", "city"), ("Bergen", "city"), ("Dublin", "city"),
                           ("Aarhus", "city"), ("Cork", "city"), ("Kinetic Oy", "sme")):  # fmt: skip
            r = http.post("/api/v1/organisations", headers=headers,
                          json={"name": name, "kind": kind, "country": "FI"})  # fmt: skip
            assert r.status_code == 201, r.text


def _names(p: Any) -> list[str]:
    return [str(t) for t in p.locator("main ul.cards h3 a").all_inner_texts()]


def test_sort_pages_and_download_without_javascript(page: Any, live_server: Any) -> None:
    base = live_server.url
    _organisations(base)
    browser = page.context.browser
    phone = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    p = phone.new_page()
    p.goto(f"{base}/organisations?per_page=2")
    p.get_by_label("Kind").select_option("city")
    p.get_by_label("Sort by").select_option("name")
    p.get_by_role("button", name="Filter").click()
    assert _names(p) == ["Aarhus", "Bergen"]
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    p.get_by_role("link", name="Next").click()
    assert _names(p) == ["Cork", "Dublin"]
    assert "kind=city" in p.url and "per_page=2" in p.url and "page=2" in p.url
    assert p.get_by_text("Page 2 of 3").is_visible()
    # Another order from page 2 starts again at page 1, keeping the filter.
    p.get_by_label("Sort by").select_option("newest")
    p.get_by_role("button", name="Filter").click()
    assert _names(p) == ["Cork", "Aarhus"] and "&page=" not in p.url
    link = p.get_by_role("link", name="Download CSV")
    href = str(link.get_attribute("href"))
    assert href == "/organisations.csv?kind=city&sort=newest"
    with p.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # the byte order mark spreadsheets look for
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["Name"] for r in rows] == ["Cork", "Aarhus", "Dublin", "Bergen", "Espoo"]
    phone.close()
