"""procurement: public buyers and legal identifiers, tenders as notices are, imported notices

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 19:10:00

Schema:
- organisations: kinds `public_buyer` and `large_company` beside `sme`, `city`, `funder`; a
  `buyer_type` (city, region, central purchasing body, public company, other public body);
  postal address and contact point. `organisation_identifiers`: legal identifiers with their
  org-id.guide scheme, one (scheme, identifier) per organisation.
- tenders: every procedure of the directive; questions and submission deadlines optional
  (a draft still needs a submission deadline to be published); optional estimated value;
  documents URL; lot rules; procedure details; contract nature; language; `imported`.
- tender_lots: optional estimate; CPV codes, places and award criteria per lot (NULL = as
  the tender); framework, DPS, e-auction, options, renewals, period, documents URL, the
  notice's lot id.
- tender_lot_decisions: the reason a lot was unsuccessful; tenders received and contracts.
- tender_notices: the TED notices an imported tender was built from.

Data: every city gets buyer type `city`; every VAT number becomes an identifier (scheme
`EU-VAT`, or `GB-VAT` for a United Kingdom number; unknown shapes keep no scheme), compacted
as imports compare them; existing tenders are not imported and keep their language `en`.

SQLite rebuilds a table to change its constraints, and dropping the old copy would run the
ON DELETE CASCADE of every table referring to it (memberships, lots, the audit trail): foreign
keys are switched off for this migration there and checked before it commits.
Self-contained: the table shapes used for data are frozen copies as of this revision.
"""

import re
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = DateTimeUTC(timezone=True)
KINDS_NEW = "kind IN ('sme', 'city', 'public_buyer', 'large_company', 'funder')"
KINDS_OLD = "kind IN ('sme', 'city', 'funder')"
BUYER_TYPES = (
    "buyer_type IS NULL OR buyer_type IN ('city', 'region', 'central_purchasing_body', "
    "'public_company', 'other_public_body')"
)
PROCEDURES_NEW = (
    "procedure IN ('open', 'restricted', 'competitive_with_negotiation', "
    "'competitive_dialogue', 'innovation_partnership', 'pcp', 'ppi', "
    "'negotiated_without_publication', 'other_single_stage', 'other_multiple_stage')"
)
PROCEDURES_OLD = (
    "procedure IN ('open', 'restricted', 'competitive_dialogue', "
    "'innovation_partnership', 'pcp', 'ppi')"
)

organisations = sa.table(
    "organisations", sa.column("id", sa.String), sa.column("kind", sa.String),
    sa.column("buyer_type", sa.String), sa.column("vat_id", sa.String),
)  # fmt: skip
identifiers = sa.table(
    "organisation_identifiers", sa.column("id", sa.String),
    sa.column("organisation_id", sa.String), sa.column("scheme", sa.String),
    sa.column("identifier", sa.String), sa.column("position", sa.Integer),
)  # fmt: skip


def _foreign_keys(on: bool) -> None:
    """SQLite only: PRAGMA foreign_keys is ignored inside a transaction, so end the one
    alembic opened, switch, and open another (alembic commits it as usual)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if on:
        problems = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    bind.exec_driver_sql("BEGIN")


def _vat_scheme(vat: str) -> str | None:
    compact = re.sub(r"[\s.]", "", vat).upper()
    if compact.startswith(("GB", "XI")):
        return "GB-VAT"
    return "EU-VAT" if re.match(r"^[A-Z]{2}[0-9A-Z]{2,18}$", compact) else None


def upgrade() -> None:
    _foreign_keys(False)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisations_kind"), type_="check")
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=10), type_=sa.String(length=20),
            existing_nullable=False,
        )  # fmt: skip
        batch_op.add_column(sa.Column("buyer_type", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("street_address", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("locality", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("postal_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("telephone", sa.String(length=50), nullable=True))
        batch_op.create_check_constraint("kind", sa.text(KINDS_NEW))
        batch_op.create_check_constraint("buyer_type", sa.text(BUYER_TYPES))

    op.create_table(
        "organisation_identifiers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=True),
        sa.Column("identifier", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_identifiers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_identifiers")),
        sa.UniqueConstraint(
            "scheme", "identifier", name=op.f("uq_organisation_identifiers_scheme_identifier")
        ),
    )
    with op.batch_alter_table("organisation_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_identifiers_organisation_id"), ["organisation_id"]
        )

    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_tenders_procedure"), type_="check")
        batch_op.alter_column("clarification_deadline", existing_type=WHEN, nullable=True)
        batch_op.alter_column("submission_deadline", existing_type=WHEN, nullable=True)
        batch_op.add_column(sa.Column("estimated_amount", sa.Numeric(16, 2), nullable=True))
        batch_op.add_column(sa.Column("estimated_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("documents_url", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("lot_rules", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("procedure_details", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("contract_nature", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("imported", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint("procedure", sa.text(PROCEDURES_NEW))

    with op.batch_alter_table("tender_lots", schema=None) as batch_op:
        batch_op.alter_column("estimated_amount", existing_type=sa.Numeric(16, 2), nullable=True)
        batch_op.alter_column("currency", existing_type=sa.String(length=3), nullable=True)
        for name in ("cpv_codes", "places", "award_criteria", "framework", "dps", "eauction",
                     "options", "renewals", "period"):  # fmt: skip
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("documents_url", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=40), nullable=True))

    with op.batch_alter_table("tender_lot_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("tenders_received", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contracts", sa.JSON(), nullable=True))

    op.create_table(
        "tender_notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=100), nullable=False),
        sa.Column("procedure_key", sa.String(length=200), nullable=False),
        sa.Column("publication_number", sa.String(length=20), nullable=True),
        sa.Column("version", sa.String(length=20), nullable=True),
        sa.Column("format", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=False),
        sa.Column("ted_url", sa.String(length=200), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("publication_date", sa.Date(), nullable=True),
        sa.Column("imported_at", WHEN, nullable=False),
        sa.Column("imported_by", sa.String(length=36), nullable=True),
        sa.Column("unmapped", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"],
            ["users.id"],
            name=op.f("fk_tender_notices_imported_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tenders.id"],
            name=op.f("fk_tender_notices_tender_id_tenders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_notices")),
        sa.UniqueConstraint("notice_id", name=op.f("uq_tender_notices_notice_id")),
    )
    with op.batch_alter_table("tender_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_notices_procedure_key"), ["procedure_key"])
        batch_op.create_index(
            batch_op.f("ix_tender_notices_publication_number"), ["publication_number"]
        )
        batch_op.create_index(batch_op.f("ix_tender_notices_tender_id"), ["tender_id"])

    # --- data -------------------------------------------------------------------------------
    bind = op.get_bind()
    bind.execute(
        organisations.update().where(organisations.c.kind == "city").values(buyer_type="city")
    )
    seen: set[tuple[str | None, str]] = set()
    rows = bind.execute(
        sa.select(organisations.c.id, organisations.c.vat_id)
        .where(organisations.c.vat_id.is_not(None))
        .order_by(organisations.c.id)
    ).all()
    for organisation_id, vat in rows:
        compact = re.sub(r"[\s.]", "", vat).upper()
        key = (_vat_scheme(vat), compact)
        if not compact or key in seen:  # a number two organisations claimed: the first keeps it
            continue
        seen.add(key)
        bind.execute(
            identifiers.insert().values(
                id=str(uuid.uuid4()), organisation_id=organisation_id, scheme=key[0],
                identifier=compact, position=0,
            )
        )  # fmt: skip
    _foreign_keys(True)


def downgrade() -> None:
    """Imported tenders and the organisations only they name cannot be represented before
    this revision: imported tenders are deleted (they can be imported again), new-kind
    organisations become cities (a region or CPB has no other place to go), deadlines a
    tender lacks are refused by the old schema, so such tenders are deleted too."""
    _foreign_keys(False)
    bind = op.get_bind()
    tenders = sa.table(
        "tenders", sa.column("id", sa.String), sa.column("imported", sa.Boolean),
        sa.column("procedure", sa.String), sa.column("submission_deadline", WHEN),
        sa.column("clarification_deadline", WHEN),
    )  # fmt: skip
    doomed = sa.select(tenders.c.id).where(
        tenders.c.imported.is_(True)
        | tenders.c.submission_deadline.is_(None)
        | tenders.c.clarification_deadline.is_(None)
        | tenders.c.procedure.not_in(
            ["open", "restricted", "competitive_dialogue", "innovation_partnership", "pcp", "ppi"]
        )
    )
    ids = [row[0] for row in bind.execute(doomed).all()]
    for table in ("ocds_releases", "tender_audit", "tender_lot_decisions", "tender_responses",
                  "tender_questions", "tender_amendments", "tender_buyers", "tender_lots",
                  "tender_notices"):  # fmt: skip
        if ids:  # table names are the constants above
            child = sa.table(table, sa.column("tender_id", sa.String))
            bind.execute(child.delete().where(child.c.tender_id.in_(ids)))
    if ids:
        bind.execute(tenders.delete().where(tenders.c.id.in_(ids)))
    bind.execute(
        organisations.update()
        .where(organisations.c.kind.in_(["public_buyer", "large_company"]))
        .values(kind=sa.case((organisations.c.kind == "public_buyer", "city"), else_="sme"))
    )

    op.drop_table("tender_notices")
    with op.batch_alter_table("tender_lot_decisions", schema=None) as batch_op:
        batch_op.drop_column("contracts")
        batch_op.drop_column("tenders_received")
        batch_op.drop_column("reason")
    bind.execute(
        sa.text("UPDATE tender_lots SET estimated_amount = 0 WHERE estimated_amount IS NULL")
    )
    bind.execute(sa.text("UPDATE tender_lots SET currency = 'EUR' WHERE currency IS NULL"))
    with op.batch_alter_table("tender_lots", schema=None) as batch_op:
        for name in ("external_id", "documents_url", "period", "renewals", "options",
                     "eauction", "dps", "framework", "award_criteria", "places", "cpv_codes"):  # fmt: skip
            batch_op.drop_column(name)
        batch_op.alter_column("currency", existing_type=sa.String(length=3), nullable=False)
        batch_op.alter_column("estimated_amount", existing_type=sa.Numeric(16, 2), nullable=False)
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_tenders_procedure"), type_="check")
        for name in ("imported", "language", "contract_nature", "procedure_details",
                     "lot_rules", "documents_url", "estimated_currency", "estimated_amount"):  # fmt: skip
            batch_op.drop_column(name)
        batch_op.alter_column("submission_deadline", existing_type=WHEN, nullable=False)
        batch_op.alter_column("clarification_deadline", existing_type=WHEN, nullable=False)
        batch_op.create_check_constraint("procedure", sa.text(PROCEDURES_OLD))
    op.drop_table("organisation_identifiers")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisations_buyer_type"), type_="check")
        batch_op.drop_constraint(op.f("ck_organisations_kind"), type_="check")
        for name in ("telephone", "email", "contact_name", "postal_code", "locality",
                     "street_address", "buyer_type"):  # fmt: skip
            batch_op.drop_column(name)
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=20), type_=sa.String(length=10),
            existing_nullable=False,
        )  # fmt: skip
        batch_op.create_check_constraint("kind", sa.text(KINDS_OLD))
    _foreign_keys(True)
