"""The listings part of an SME's home page: its listings, what they lack, their matches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.listings import labels, services


async def home_section(
    session: AsyncSession, actor: Actor, kinds: frozenset[str], now: datetime
) -> tuple[str, dict[str, Any]] | None:
    if "sme" not in kinds:
        return None
    listings = await services.listings_of_member(session, actor)
    return "listings/home_section.html", {
        "listings": listings[:10],
        "total": len(listings),
        "fields": labels.field_labels(0),
    }
