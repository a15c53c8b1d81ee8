"""The home page: what the marketplace is and where to go next."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy import func, select

from marketplace.accounts.models import Organisation
from marketplace.web.deps import CurrentActor, DbSession, render


@get("/", include_in_schema=False)
async def home(
    request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
) -> Template:
    counts = dict(
        (
            await db_session.execute(
                select(Organisation.kind, func.count()).group_by(Organisation.kind)
            )
        )
        .tuples()
        .all()
    )
    return render(request, "home.html", actor, counts=counts)


handlers = [home]
