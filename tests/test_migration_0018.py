"""Migration 0018 on stored releases: two releases of one process on the same second (and one
dated before the release made ahead of it) are moved a second apart in the order they were
made, in the column and in the published JSON; other processes' releases are untouched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command

from marketplace.cli import alembic_config
from marketplace.settings import Settings

# (id, tender, seq, stored date, JSON date)
ROWS = [
    ("r1", "t1", 1, "2026-03-02 09:00:00.250000", "2026-03-02T09:00:00Z"),
    ("r2", "t1", 2, "2026-03-02 09:00:00.750000", "2026-03-02T09:00:00Z"),  # same second
    ("r3", "t1", 3, "2026-03-02 08:59:59.000000", "2026-03-02T08:59:59Z"),  # before r2
    ("r4", "t1", 4, "2026-03-05 10:00:00.000000", "2026-03-05T10:00:00Z"),  # later: kept
    ("r5", "t2", 1, "2026-03-02 09:00:00.500000", "2026-03-02T09:00:00Z"),  # other process
]


def _seed(path: Path) -> None:
    with sqlite3.connect(path) as db:  # foreign keys are off on a plain connection
        for release_id, tender, seq, stored, date in ROWS:
            data = {"ocid": f"ocds-x-{tender}", "id": release_id, "date": date, "tag": ["tender"]}
            db.execute(
                "INSERT INTO ocds_releases (id, tender_id, ocid, release_id, seq, tag, date, data)"
                " VALUES (?, ?, ?, ?, ?, 'tender', ?, ?)",
                (release_id, tender, f"ocds-x-{tender}", release_id, seq, stored, json.dumps(data)),
            )


def test_0018_moves_releases_of_one_second_apart(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    config = alembic_config(Settings(database_url=f"sqlite+aiosqlite:///{path}"))
    command.upgrade(config, "0017")
    _seed(path)
    command.upgrade(config, "0018")

    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id, date, data FROM ocds_releases ORDER BY tender_id, seq")
        found = {rid: (stored, json.loads(data)["date"]) for rid, stored, data in rows}
    assert {rid: date for rid, (_stored, date) in found.items()} == {
        "r1": "2026-03-02T09:00:00Z",
        "r2": "2026-03-02T09:00:01Z",
        "r3": "2026-03-02T09:00:02Z",
        "r4": "2026-03-05T10:00:00Z",
        "r5": "2026-03-02T09:00:00Z",
    }
    assert found["r2"][0].startswith("2026-03-02 09:00:01")
    assert found["r3"][0].startswith("2026-03-02 09:00:02")
    assert found["r4"][0] == "2026-03-05 10:00:00.000000"  # untouched rows are not rewritten

    command.downgrade(config, "0017")  # keeps the new dates; nothing to undo
    command.upgrade(config, "0018")  # and running it again changes nothing
    with sqlite3.connect(path) as db:
        again = dict(db.execute("SELECT id, json_extract(data, '$.date') FROM ocds_releases"))
    assert again == {rid: date for rid, (_stored, date) in found.items()}
