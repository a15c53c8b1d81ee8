"""The home page: what the marketplace is and where to go next."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy import func, select

from marketplace.accounts.models import Organisation
from marketplace.web.deps import SIGNED_IN, AppClock, CurrentActor, DbSession, SignedIn, render


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


@get("/home", include_in_schema=False, dependencies=SIGNED_IN)
async def my_home(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, clock: AppClock
) -> Template:
    """Where a person lands after signing in: each module's part for the person's roles
    (city, SME, funder, admin), what needs them first."""
    now = clock.now()
    kinds = frozenset(actor.kinds.values())
    sections = []
    for section in request.app.state.home_sections:
        part = await section(db_session, actor, kinds, now)
        if part is not None:
            sections.append(part)
    # Nobody to act for yet (no organisation, not the admin): the page says how to start.
    unaffiliated = actor.audience == {"signed_in"}
    return render(request, "my_home.html", actor, sections=sections, kinds=kinds,
                  unaffiliated=unaffiliated)  # fmt: skip


handlers = [home, my_home]
