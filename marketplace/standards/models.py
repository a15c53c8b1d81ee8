"""The standards catalogue: loaded from reference data, curated by platform admins."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class Standard(Base):
    __tablename__ = "standards"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(60), index=True)
    url: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
