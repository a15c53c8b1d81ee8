"""release dates increase: no two OCDS releases of one process on the same second

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 09:00:00

OCDS dates are to the second, and the tools that compile a record (`ocdskit compile`, OCDS
Merge) order a process's releases by date alone. Releases stored before this revision were
dated by the moment of their event, so publishing and amending in the same second (or two
awards at once) gave two releases one date, which compile in either order. New releases are
dated one second after the process's last (`tenders.services.release_date`); this moves the
stored ones the same way, in the order they were made (`seq`), in the column and in the
release's own `date`. Nothing else in a release changes. The downgrade keeps the new dates
(the old ones said nothing the new ones do not).
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASES = sa.table(
    "ocds_releases",
    sa.column("id", sa.String),
    sa.column("tender_id", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("date", DateTimeUTC(timezone=True)),
    sa.column("data", sa.JSON),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(RELEASES.c.id, RELEASES.c.tender_id, RELEASES.c.date, RELEASES.c.data).order_by(
            RELEASES.c.tender_id, RELEASES.c.seq
        )
    ).all()
    tender, last = None, None
    for release_id, tender_id, stored, data in rows:
        date = stored.replace(microsecond=0)
        if tender_id == tender and last is not None and date <= last:
            date = last + timedelta(seconds=1)
            moved = {**data, "date": date.strftime("%Y-%m-%dT%H:%M:%SZ")}
            bind.execute(
                sa.update(RELEASES).where(RELEASES.c.id == release_id).values(date=date, data=moved)
            )
        tender, last = tender_id, date


def downgrade() -> None:
    pass
