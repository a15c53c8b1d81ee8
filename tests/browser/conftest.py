"""Browser fixtures: a real server (uvicorn on a temporary SQLite file, tender time limits off)
driven by Debian's chromium through Playwright. `live_server.env` is the server's environment,
so a test can run `marketplace admin create` against the same database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

PASSWORD = "a long enough passphrase"


@dataclass
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    env = {
        **os.environ,
        "MARKETPLACE_DATABASE_URL": db,
        "MARKETPLACE_VAR_DIR": str(tmp_path),
        "MARKETPLACE_MIN_TENDER_PERIOD_DAYS": "0",
        "MARKETPLACE_PORT": str(port),
    }
    subprocess.run(
        [sys.executable, "-m", "marketplace.cli", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "marketplace.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/health")
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield LiveServer(url, db, env)
    proc.terminate()
    proc.wait()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser.new_page()
        browser.close()


def sign_up(page: Page, live_server: LiveServer, name: str, email: str) -> None:
    page.goto(f"{live_server.url}/sign-up")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
