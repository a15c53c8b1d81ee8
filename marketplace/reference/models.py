"""Reference tables: loaded from the CSV files in `data/`, never edited by users."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class CpvCode(Base):
    __tablename__ = "cpv_codes"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # with check digit
    digits: Mapped[str] = mapped_column(String(8), unique=True)
    label: Mapped[str] = mapped_column(Text)
    # 2 = division, 3 = group, 4 = class, 5 = category, 6-8 = finer subdivisions.
    level: Mapped[int] = mapped_column(Integer)
    parent_digits: Mapped[str | None] = mapped_column(String(8), index=True)


class NutsRegion(Base):
    __tablename__ = "nuts_regions"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(5), index=True)
    label: Mapped[str] = mapped_column(Text)


class Theme(Base):
    __tablename__ = "themes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
