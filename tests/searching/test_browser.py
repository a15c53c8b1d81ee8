"""The search page in a real browser (Debian's chromium): results update while typing
(HTMX), the URL follows, facets filter in place, and the same form works without JavaScript.

Runs its own server on a temporary SQLite database whose tantivy index holds the contract
corpus.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from marketplace.cli import upgrade_database
from marketplace.settings import Settings
from search.backends.tantivy import TantivySearch
from tests.search.corpus import CORPUS

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _fill(var: Path, url: str) -> None:
    # The migration runs its own event loop, so it goes to a thread.
    await asyncio.to_thread(
        upgrade_database, Settings(env="development", var_dir=var, database_url=url)
    )
    backend = TantivySearch(var / "search")  # where the server's settings look by default
    await backend.ensure_ready()
    await backend.rebuild(CORPUS)
    await backend.close()


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    var = tmp_path_factory.mktemp("browser")
    url = f"sqlite+aiosqlite:///{var / 'marketplace.db'}"
    await _fill(var, url)
    port = _free_port()
    env = {**os.environ, "MARKETPLACE_DATABASE_URL": url, "MARKETPLACE_VAR_DIR": str(var),
           "MARKETPLACE_SEARCH_WORKER": "off"}  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "marketplace.app:create_app", "--factory",
        "--port", str(port), "--log-level", "warning", env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            # Waiting for the server to start (two minutes on a busy machine), not timing it.
            deadline = asyncio.get_running_loop().time() + 120
            while True:
                if process.returncode is not None:
                    pytest.fail(f"the server exited with {process.returncode}")
                try:
                    if (await client.get(f"{base}/health", timeout=2)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    pytest.fail("the server did not start")
                await asyncio.sleep(0.1)
        yield base
    finally:
        process.terminate()
        await process.wait()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


async def test_typing_updates_results_and_the_url_in_place(server: str, page: Page) -> None:
    await page.goto(f"{server}/search")
    await page.evaluate("window.sameDocument = true")
    await page.get_by_label("Search for").press_sequentially("public transp", delay=30)
    await expect(page).to_have_url(re.compile(r"/search\?q=public(\+|%20)transp"))
    await expect(page.locator("#result-count")).to_have_text("2 results for “public transp”")
    await expect(page.locator(".snippet mark").first).to_have_text("public")
    assert await page.evaluate("window.sameDocument") is True  # updated in place, not reloaded

    await page.get_by_label("Solutions (1)").check()
    await expect(page).to_have_url(re.compile(r"type=listing"))
    await expect(page.locator("#result-count")).to_have_text("1 result for “public transp”")
    await expect(
        page.get_by_role("link", name="Public transport planning software")
    ).to_be_visible()
    assert await page.evaluate("window.sameDocument") is True


async def test_a_shared_url_opens_the_same_search(server: str, page: Page) -> None:
    await page.goto(f"{server}/search?q=Munchen&sort=newest")
    await expect(page.get_by_label("Search for")).to_have_value("Munchen")
    await expect(page.locator("#result-count")).to_have_text("1 result for “Munchen”")
    await expect(page.locator(".snippet mark").first).to_have_text("München")


async def test_the_form_works_without_javascript(server: str, browser: Browser) -> None:
    context = await browser.new_context(java_script_enabled=False)
    try:
        plain = await context.new_page()
        await plain.goto(f"{server}/search")
        await plain.get_by_label("Search for").fill("electric buses")
        await plain.get_by_role("button", name="Search", exact=True).click()
        await expect(plain).to_have_url(re.compile(r"q=electric\+buses"))
        await expect(plain.locator("#result-count")).to_have_text("1 result for “electric buses”")
        await plain.get_by_label("Germany (1)").check()
        await plain.get_by_role("button", name="Apply filters").click()
        await expect(plain).to_have_url(re.compile(r"country=DE"))
        await expect(plain.locator("#result-count")).to_have_text("1 result for “electric buses”")
    finally:
        await context.close()
