"""Migration 0013 on a database with data in it (SQLite, where constraints change by
rebuilding tables): nothing referring to a rebuilt table is lost, cities become buyers of
type city, VAT numbers become identifiers, and the downgrade gives the old shape back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from marketplace.cli import alembic_config
from marketplace.settings import Settings

WHEN = "2026-11-30 10:00:00.000000"
LATER = "2027-02-01 10:00:00.000000"
EARLIER = "2027-01-20 10:00:00.000000"


def _seed(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) "
            "VALUES ('u1', 'a@example.eu', 'A', 'x', 0, ?)",
            (WHEN,),
        )
        for oid, kind, vat in (("c1", "city", "FI 0201 2566"), ("s1", "sme", "NL123456789B01"),
                               ("s2", "sme", None)):  # fmt: skip
            db.execute(
                "INSERT INTO organisations (id, name, kind, country, vat_id, description, "
                "verified, created_at) VALUES (?, ?, ?, 'FI', ?, '', 1, ?)",
                (oid, f"Org {oid}", kind, vat, WHEN),
            )
        db.execute(
            "INSERT INTO memberships (id, user_id, organisation_id, role, created_at) "
            "VALUES ('m1', 'u1', 'c1', 'owner', ?)",
            (WHEN,),
        )
        db.execute(
            "INSERT INTO tenders (id, ocid, lead_buyer_id, title, description, procedure, "
            "themes, cpv_codes, nuts_codes, required_standards, outcomes, award_criteria, "
            "clarification_deadline, submission_deadline, created_at, created_by, updated_at) "
            "VALUES ('t1', 'ocds-x-1', 'c1', 'Buses', '', 'open', '[]', '[\"34121000-1\"]', "
            "'[]', '[]', '[]', '[]', ?, ?, ?, 'u1', ?)",
            (EARLIER, LATER, WHEN, WHEN),
        )
        db.execute(
            "INSERT INTO tender_lots (id, tender_id, number, title, description, "
            "estimated_amount, currency) VALUES ('l1', 't1', 1, 'Lot', '', 1000, 'EUR')"
        )
        db.execute(
            "INSERT INTO tender_audit (id, tender_id, seq, at, action, public, sealed) "
            "VALUES ('a1', 't1', 1, ?, 'tender.created', 0, 0)",
            (WHEN,),
        )


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def test_0013_keeps_every_row_and_moves_vat_numbers_to_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    config = alembic_config(Settings(database_url=f"sqlite+aiosqlite:///{path}"))
    command.upgrade(config, "0012")
    _seed(path)
    command.upgrade(config, "0013")

    for table in ("memberships", "tender_lots", "tender_audit", "tenders", "organisations"):
        assert _count(path, table) > 0, table
    with sqlite3.connect(path) as db:
        kinds = dict(db.execute("SELECT id, buyer_type FROM organisations").fetchall())
        assert kinds == {"c1": "city", "s1": None, "s2": None}
        identifiers = db.execute(
            "SELECT organisation_id, scheme, identifier FROM organisation_identifiers "
            "ORDER BY organisation_id"
        ).fetchall()
        assert identifiers == [("c1", "EU-VAT", "FI02012566"), ("s1", "EU-VAT", "NL123456789B01")]
        row = db.execute("SELECT imported, language, submission_deadline FROM tenders").fetchone()
        assert row[0] == 0 and row[1] == "en" and row[2].startswith("2027-02-01")
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # a new connection: default
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []

    command.downgrade(config, "0012")
    for table in ("memberships", "tender_lots", "tender_audit", "tenders", "organisations"):
        assert _count(path, table) > 0, table
    command.upgrade(config, "0013")
    assert _count(path, "organisation_identifiers") == 2
