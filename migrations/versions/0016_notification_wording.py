"""notification wording: what a notification says, kept to be read in each reader's language

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 08:00:00

`notifications.wording` keeps the English source sentences of a notification's title and
body with the values they name (marketplace/notifications/wording.py), so the inbox, the API
and e-mail write them in the reader's language. Rows written before keep their English
`title` and `body`, which are still shown for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("wording", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("wording")
