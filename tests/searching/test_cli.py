"""`marketplace search reindex | status` from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marketplace.cli import main
from marketplace.settings import Settings, get_settings
from search import SearchBackend, SearchQuery
from tests.searching.conftest import Gadgets


@pytest.fixture
def environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    monkeypatch.setenv("MARKETPLACE_ENV", "test")
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MARKETPLACE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "cli-test-secret")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def test_reindex_then_status(
    environment: None, gadgets: Gadgets, index: SearchBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    async with gadgets.sessions() as session, session.begin():
        await gadgets.put(session, "g1", "Flood barrier")
        await gadgets.put(session, "g2", "Flood sensor draft", public=False)
    # The CLI runs its own event loop, as it does from a shell.
    assert await asyncio.to_thread(main, ["search", "reindex"]) == 0
    assert "rebuilt: 1 documents" in capsys.readouterr().err
    assert [h.title for h in (await index.search(SearchQuery(text="flood"))).hits] == [
        "Flood barrier"
    ]
    assert await asyncio.to_thread(main, ["search", "status"]) == 0
    out = capsys.readouterr().err
    assert "outbox backlog:   0 row(s)" in out and "documents:        1" in out
