"""The journey in a real browser against a running server with its event worker and a real
SMTP server on loopback: an SME saves a search, a city publishes a matching tender, the SME
sees the notification in the header and inbox, and the e-mail arrives."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, LiveServer, sign_up
from tests.browser.conftest import page as page
from tests.notifications.smtp import Server
from tests.tenders.helpers import tender_body

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    server.start()
    yield server
    server.stop()


class Live(LiveServer):
    """The server process, restartable: accounts are made while the event worker is off
    (on SQLite a sign-up's slow password hashing between its read and its write loses the
    race against the worker's writes: "database is locked" — see the report on issue 13),
    then the journey runs with the worker and the scheduler on."""

    proc: subprocess.Popen[bytes] | None = None
    log: Any = None

    def start(self, worker: str) -> None:
        self.env["MARKETPLACE_EVENT_WORKER"] = worker
        self.proc = subprocess.Popen([sys.executable, "-m", "marketplace.cli", "serve"],
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT)  # fmt: skip
        for _ in range(300):
            try:
                httpx.get(self.url + "/health")
                return
            except httpx.HTTPError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def server(tmp_path: Path, smtp: Server) -> Iterator[Live]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "MARKETPLACE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'live.db'}",
        "MARKETPLACE_VAR_DIR": str(tmp_path),
        "MARKETPLACE_MIN_TENDER_PERIOD_DAYS": "0",
        "MARKETPLACE_PORT": str(port),
        "MARKETPLACE_BASE_URL": f"http://127.0.0.1:{port}",
        "MARKETPLACE_SMTP_URL": smtp.url,
        "MARKETPLACE_NOTIFICATIONS_TICK_SECONDS": "1",
    }
    subprocess.run([sys.executable, "-m", "marketplace.cli", "db", "upgrade"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    live = Live(f"http://127.0.0.1:{port}", env["MARKETPLACE_DATABASE_URL"], env)
    live.log = (tmp_path / "server.log").open("ab")  # read it when the journey fails
    live.start("off")
    yield live
    live.stop()
    live.log.close()


def city_with_tender(server: Live) -> tuple[dict[str, str], str]:
    """A verified city with a draft tender, through the API (as its procurement system
    would): the lead's credentials and the tender's id."""
    with httpx.Client(base_url=server.url, timeout=30) as c:

        def person(name: str, email: str) -> dict[str, str]:
            assert c.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD,
                                                         "name": name}).status_code == 201  # fmt: skip
            token = c.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD,
                                                        "label": "journey"}).json()["token"]  # fmt: skip
            return {"Authorization": f"Bearer {token}"}

        lead = person("Anna Lead", "anna@espoo.example")
        admin = person("Admin", "admin@icc.example")
        subprocess.run([sys.executable, "-m", "marketplace.cli", "admin", "create", "admin@icc.example"],
                       env=server.env, check=True, capture_output=True)  # fmt: skip
        city = c.post("/api/v1/organisations", json={"name": "Espoo Journey", "kind": "city",
                                                     "country": "FI", "nuts_code": "FI1B1"},
                      headers=lead).json()  # fmt: skip
        assert (
            c.post(f"/api/v1/organisations/{city['id']}/verify", headers=admin).status_code == 200
        )
        fake: Any = type("J", (), {"city_a": city, "city_b": city})()
        body = tender_body(fake, datetime.now(UTC))
        body["buyers"] = [body["buyers"][0]]
        tender = c.post("/api/v1/tenders", json=body, headers=lead)
        assert tender.status_code == 201, tender.text
        return lead, str(tender.json()["id"])


def publish(server: Live, lead: dict[str, str], tender_id: str) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/api/v1/tenders/{tender_id}/publish", headers=lead, timeout=30)
    assert r.status_code == 200, r.text
    published: dict[str, Any] = r.json()
    return published


def test_sme_saves_a_search_and_is_told_of_a_matching_tender(
    page: Page, server: Live, smtp: Server
) -> None:
    url = server.url
    lead, draft = city_with_tender(server)
    sign_up(page, server, "Sam Supplier", "sam@kinetic.example")
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()
    server.stop()
    server.start("on")
    page.goto(f"{url}/search?q=passenger&type=tender")
    page.get_by_label("Save this search as").fill("Passenger info tenders")
    page.get_by_label("and tell me").select_option("instant")
    page.get_by_role("button", name="Save search").click()
    expect(page.locator("p.save-search")).to_contain_text("Saved “Passenger info tenders”")

    tender = publish(server, lead, draft)

    deadline = time.monotonic() + 60
    expected = f"“Passenger info tenders”: {tender['title']}"
    while time.monotonic() < deadline:
        page.goto(f"{url}/notifications")
        if page.get_by_text(expected).count():
            break
        time.sleep(0.5)
    expect(page.get_by_role("button", name=expected)).to_be_visible()
    expect(page.locator("#unread-badge")).to_have_text("1")
    page.get_by_role("button", name=expected).click()
    expect(page.get_by_role("heading", name=tender["title"])).to_be_visible()
    assert page.url == f"{url}/tenders/{tender['id']}"

    def told_by_mail() -> list[Any]:
        # Sam's sign-up also mailed a link to verify the address: only the tender's mail here.
        return [m for m in smtp.inbox.to("sam@kinetic.example") if m["Subject"] == expected]

    while time.monotonic() < deadline and not told_by_mail():
        time.sleep(0.2)
    [mail] = told_by_mail()
    body = mail.get_body(("plain",))
    assert body is not None and f"{url}/tenders/{tender['id']}" in body.get_content()
