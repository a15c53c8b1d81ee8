"""The admin's part of the home page: the verification queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor


async def home_section(
    session: AsyncSession, actor: Actor, kinds: frozenset[str], now: datetime
) -> tuple[str, dict[str, Any]] | None:
    if not actor.is_admin:
        return None
    waiting = await session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.verified.is_(False))
    )
    return "accounts/home_section.html", {"waiting": int(waiting or 0)}
