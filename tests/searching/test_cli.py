"""`marketplace search reindex | status` from the command line."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from marketplace.cli import main
from marketplace.core.module import Module
from marketplace.modules import ALL
from marketplace.searching.cli import long_lived_frozen
from marketplace.settings import Settings, get_settings
from search import SearchBackend, SearchQuery
from tests.searching.conftest import GADGETS, Gadgets

# The app's modules and one that makes gadgets searchable, as a new package would.
WITH_GADGETS = [*ALL, Module(name="gadgets", search_kinds=(GADGETS,))]


@pytest.fixture
def environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    monkeypatch.setenv("MARKETPLACE_ENV", "test")
    monkeypatch.setenv("MARKETPLACE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MARKETPLACE_VAR_DIR", str(tmp_path))
    # The same index as the test's backend reads, as a server and the CLI share one.
    monkeypatch.setenv("MARKETPLACE_SEARCH_INDEX_DIR", str(settings.search_index_dir))
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
    assert await asyncio.to_thread(main, ["search", "reindex"], WITH_GADGETS) == 0
    assert "rebuilt: 1 documents" in capsys.readouterr().err
    assert [h.title for h in (await index.search(SearchQuery(text="flood"))).hits] == [
        "Flood barrier"
    ]
    assert await asyncio.to_thread(main, ["search", "status"], WITH_GADGETS) == 0
    out = capsys.readouterr().err
    assert "outbox backlog:   0 row(s)" in out and "documents:        1" in out
    assert f"backend:          auto = {index.name}" in out  # tantivy on SQLite


async def test_a_reindex_in_its_own_process_never_fails_the_servers_searches(
    settings: Settings, index: SearchBackend
) -> None:
    """`marketplace search reindex` as an operator runs it, beside a serving process: every
    search made while it runs answers, from the old index until the swap."""
    import asyncio
    import os
    import sys

    from tests.search.corpus import CORPUS

    if index.name != "tantivy":
        pytest.skip("the embedded index is shared between processes; this database's is not")
    await index.upsert(CORPUS)
    env = {
        **os.environ, "MARKETPLACE_ENV": "test", "MARKETPLACE_DATABASE_URL": settings.database_url,
        "MARKETPLACE_SEARCH_INDEX_DIR": str(settings.search_index_dir),
        "MARKETPLACE_VAR_DIR": str(settings.var_dir), "MARKETPLACE_SECRET_KEY": "cli-test-secret",
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "marketplace.cli", "search", "reindex", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    answers: list[int] = []
    while process.returncode is None:
        found = await index.search(SearchQuery(text="Malmo"))
        answers.append(found.total)
        await asyncio.sleep(0.01)
    _, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert "rebuilt: 0 documents" in err.decode()  # the database has no records
    assert set(answers) <= {0, 1} and answers[0] == 1  # the old index, then the new
    assert (await index.search(SearchQuery(text="Malmo"))).total == 0


def test_a_rebuild_leaves_the_collector_as_it_found_it() -> None:
    """A rebuild quiets the cycle collector while it runs (fewer, smaller passes); the
    process it runs in (a server's, a test's) gets its settings back afterwards, and after
    an error too."""
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), long_lived_frozen():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= before[0]
        raise RuntimeError("a loader failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_reindex_if_needed_rebuilds_an_empty_index_or_one_built_with_other_fields(
    environment: None, gadgets: Gadgets, index: SearchBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    """After an upgrade whose index has other fields, searches are refused saying to run
    `marketplace search reindex` — which must then work on that very index."""
    import asyncio

    if index.name != "tantivy":
        pytest.skip("the schema version is the embedded tantivy index's")
    from search.backends.tantivy import POINTER, VERSION_FILE

    async with gadgets.sessions() as session, session.begin():
        await gadgets.put(session, "g1", "Flood barrier")
    assert await asyncio.to_thread(main, ["search", "reindex", "--if-needed"], WITH_GADGETS) == 0
    assert "it is empty" in capsys.readouterr().err  # a new index beside the records
    root = Path(str(get_settings().search_index_dir))
    live = (root / POINTER).read_text().strip()
    (root / live / VERSION_FILE).write_text("0\n")  # as an older release left it
    assert await asyncio.to_thread(main, ["search", "reindex", "--if-needed"], WITH_GADGETS) == 0
    out = capsys.readouterr().err
    assert "built with other fields" in out and "rebuilt: 1 documents" in out
    assert await asyncio.to_thread(main, ["search", "reindex", "--if-needed"], WITH_GADGETS) == 0
    assert "up to date: not rebuilt" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["search", "status"], WITH_GADGETS) == 0
    assert "documents:        1" in capsys.readouterr().err
