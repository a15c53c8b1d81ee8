"""`marketplace backup` and `marketplace restore`: a live database copied under writes comes
back with every write acknowledged before the backup began; mistakes are said clearly."""

from __future__ import annotations

import argparse
import asyncio
import io
import sqlite3
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from bench.load import account
from marketplace import backup
from marketplace.core.module import CommandContext, Modules
from marketplace.modules import ALL
from marketplace.settings import Settings
from marketplace.testing import served
from tests.test_concurrency import _run, server_env


def context(settings: Settings) -> tuple[CommandContext, io.StringIO]:
    out = io.StringIO()
    return CommandContext(settings, Modules(ALL), Console(file=out, width=200)), out


def run_backup(settings: Settings, path: Path, **options: bool) -> tuple[int, str]:
    ctx, out = context(settings)
    args = argparse.Namespace(path=str(path), overwrite=options.get("overwrite", False))
    return backup.backup(args, ctx), out.getvalue()


def run_restore(settings: Settings, path: Path, *, yes: bool = True) -> tuple[int, str]:
    ctx, out = context(settings)
    return backup.restore(argparse.Namespace(path=str(path), yes=yes), ctx), out.getvalue()


@pytest.fixture
def sqlite_settings(settings: Settings) -> Settings:
    if not settings.is_sqlite:
        pytest.skip("the SQLite backup API; PostgreSQL is backed up with pg_dump")
    return settings


class TestUnderWrites:
    async def test_a_backup_under_writes_restores_every_acknowledged_write(
        self, sqlite_settings: Settings, tmp_path: Path
    ) -> None:
        # One client writing as fast as it can would meet the write throttle (429) long
        # before the backup; what is measured here is the backup, not the throttle.
        env = {**server_env(sqlite_settings), "MARKETPLACE_RATE_LIMITS": "false"}
        copy = tmp_path / "marketplace-backup.db"
        before: list[str] = []  # organisations acknowledged before the backup began
        with served.served(env, tmp_path / "logs") as server:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
                person = await account(client, "writer")
                writing = True
                created: list[str] = []
                ten = asyncio.Event()

                async def writer() -> None:
                    n = 0
                    while writing:
                        n += 1
                        body = {"name": f"Backed-up city {n}", "kind": "city", "country": "FI"}
                        r = await client.post(
                            "/api/v1/organisations", json=body, headers=person.headers
                        )
                        assert r.status_code == 201, r.text
                        created.append(r.json()["id"])
                        if len(created) == 10:
                            ten.set()

                task = asyncio.create_task(writer())
                await asyncio.wait_for(ten.wait(), 120)
                before = list(created)
                done = await asyncio.to_thread(_run, env, "backup", str(copy))
                after_backup = len(created)
                await asyncio.sleep(0.5)  # writes go on after the copy
                writing = False
                await task
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Backed up" in done.stderr and "integrity ok" in done.stderr
        assert len(created) > after_backup >= len(before)

        code, said = run_restore(sqlite_settings, copy)
        assert code == 0, said
        with served.served(env, tmp_path / "logs") as server:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
                for organisation in before:
                    r = await client.get(f"/api/v1/organisations/{organisation}")
                    assert r.status_code == 200, organisation
                # what came after the backup is not in it
                r = await client.get(f"/api/v1/organisations/{created[-1]}")
                assert r.status_code == 404
        path = sqlite_settings.database_url.split(":///", 1)[1]
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


class TestMistakes:
    def test_an_existing_file_is_not_overwritten_unless_asked(
        self, sqlite_settings: Settings, tmp_path: Path
    ) -> None:
        target = tmp_path / "exists.db"
        target.write_text("keep me")
        code, said = run_backup(sqlite_settings, target)
        assert code == 1 and "exists" in said
        assert target.read_text() == "keep me"
        code, said = run_backup(sqlite_settings, target, overwrite=True)
        assert code == 0, said
        with sqlite3.connect(target) as conn:
            assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)

    def test_a_missing_directory_is_named(self, sqlite_settings: Settings, tmp_path: Path) -> None:
        code, said = run_backup(sqlite_settings, tmp_path / "nowhere" / "b.db")
        assert code == 1 and "does not exist" in said

    def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
        self, sqlite_settings: Settings, tmp_path: Path
    ) -> None:
        junk = tmp_path / "junk.db"
        junk.write_bytes(b"not a database at all" * 100)
        code, said = run_restore(sqlite_settings, junk)
        assert code == 1 and "not a SQLite database" in said
        code, said = run_restore(sqlite_settings, tmp_path / "missing.db")
        assert code == 1 and "no backup" in said.lower()

    def test_restore_asks_for_yes(self, sqlite_settings: Settings, tmp_path: Path) -> None:
        copy = tmp_path / "b.db"
        assert run_backup(sqlite_settings, copy)[0] == 0
        code, said = run_restore(sqlite_settings, copy, yes=False)
        assert code == 2 and "--yes" in said


def test_postgresql_is_pointed_to_pg_dump(settings: Settings, tmp_path: Path) -> None:
    pg = settings.model_copy(
        update={"database_url": "postgresql+asyncpg://app:secret@db.example:5433/market"}
    )
    code, said = run_backup(pg, tmp_path / "m.dump")
    assert code == 2
    assert "pg_dump --format=custom" in said and "postgresql://app@db.example:5433/market" in said
    assert "secret" not in said
