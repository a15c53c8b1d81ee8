"""The reference vocabularies read from the packaged CSV files, for validation in memory.

Validation must not cost a query per code, and the files are the single source the
database tables are loaded from, so both always agree.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

from marketplace.errors import Invalid


@dataclass(frozen=True)
class Cpv:
    code: str  # canonical, with check digit: "45233000-9"
    label: str

    @property
    def digits(self) -> str:
        return self.code[:8]

    @property
    def level(self) -> int:
        """2 = division, 3 = group, 4 = class, 5 = category, up to 8."""
        return max(2, len(self.digits.rstrip("0")))

    @property
    def division(self) -> str:
        return self.digits[:2] + "000000"


@dataclass(frozen=True)
class Nuts:
    code: str
    level: int
    country_code: str
    parent_code: str | None
    label: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("marketplace.reference").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def cpv_codes() -> dict[str, Cpv]:
    """CPV codes keyed by their eight digits."""
    return {row["code"][:8]: Cpv(row["code"], row["label_en"]) for row in _rows("cpv_2008.csv")}


@cache
def cpv_labels(language: str) -> dict[str, str]:
    """CPV names in `language` by eight digits, from the `label_<language>` column of the
    CSV where it has one (it has English and Romanian today); empty otherwise, and English
    (`cpv_codes()`) is shown instead."""
    rows = _rows("cpv_2008.csv")
    column = f"label_{language}"
    if language == "en" or not rows or column not in rows[0]:
        return {}
    return {row["code"][:8]: row[column] for row in rows if row[column]}


@cache
def nuts_regions() -> dict[str, Nuts]:
    return {
        row["code"]: Nuts(
            row["code"],
            int(row["level"]),
            row["country_code"],
            row["parent_code"] or None,
            row["label_latin"] or row["label"] or row["code"],
        )
        for row in _rows("nuts2024.csv")
    }


@cache
def themes() -> dict[str, str]:
    return {row["code"]: row["label"] for row in _rows("themes.csv")}


@cache
def standards_rows() -> list[dict[str, str]]:
    return _rows("standards.csv")


@cache
def countries() -> dict[str, str]:
    return {c.alpha_2: c.name for c in pycountry.countries}


@cache
def currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def form_currencies() -> tuple[str, ...]:
    """What a form offers for a price or an amount: the euro first, then every other ISO 4217
    currency (pycountry), so no form has a hand list that lacks one the API accepts."""
    return ("EUR", *sorted(currencies() - {"EUR"}))


def cpv_parent(digits: str) -> str | None:
    """The nearest listed ancestor: CPV codes are a tree by their significant digits."""
    significant = digits.rstrip("0")
    while len(significant) > 2:
        significant = significant[:-1]
        candidate = significant.ljust(8, "0")
        if candidate in cpv_codes():
            return candidate
    return None


def canonical_cpv(value: str, field: str = "cpv_codes") -> str:
    """`48000000` and `48000000-8` are the same code; the canonical form carries the digit."""
    raw = value.strip()
    digits, dash, _ = raw.partition("-")
    found = cpv_codes().get(digits) if len(digits) == 8 and digits.isdigit() else None
    if found is None or (dash and found.code != raw):
        raise Invalid.field(field, "%(value)r is not a CPV 2008 code", value=value)
    return found.code


def check_nuts(value: str, field: str = "nuts_code") -> str:
    code = value.strip().upper()
    if code not in nuts_regions():
        raise Invalid.field(field, "%(value)r is not a NUTS 2024 region code", value=value)
    return code


# The EU's own country codes where they differ from ISO 3166-1 (TED writes `UK` and `EL`).
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


def check_country(value: str, field: str = "country") -> str:
    """ISO 3166-1 alpha-2; the EU's `UK` and `EL` are taken as `GB` and `GR`."""
    code = value.strip().upper()
    code = COUNTRY_ALIASES.get(code, code)
    if code not in countries():
        raise Invalid.field(
            field, "%(value)r is not an ISO 3166-1 alpha-2 country code", value=value
        )
    return code


def check_currency(value: str, field: str = "currency") -> str:
    code = value.strip().upper()
    if code not in currencies():
        raise Invalid.field(field, "%(value)r is not an ISO 4217 currency code", value=value)
    return code


def check_theme(value: str, field: str = "themes") -> str:
    if value not in themes():
        raise Invalid.field(field, f"{value!r} is not an ICC theme ({', '.join(themes())})")
    return value


def nuts_within(code: str) -> set[str]:
    """A region and every sub-region below it."""
    result = {code}
    changed = True
    regions = nuts_regions()
    while changed:
        changed = False
        for region in regions.values():
            if region.parent_code in result and region.code not in result:
                result.add(region.code)
                changed = True
    return result


@dataclass(frozen=True)
class Outlines:
    """Europe's country outlines for the maps (`data/europe_outlines.json`, built by
    `outlines_build`): the SVG viewBox, one path per ISO 3166-1 alpha-2 code, and a point in
    each country where a map marks one too small to see."""

    view_box: str
    paths: dict[str, str]
    points: dict[str, tuple[float, float]]


@cache
def outlines() -> Outlines:
    text = resources.files("marketplace.reference").joinpath("data/europe_outlines.json")
    data = json.loads(text.read_text(encoding="utf-8"))
    points = {code: (float(x), float(y)) for code, (x, y) in data["points"].items()}
    return Outlines(data["viewBox"], dict(data["paths"]), points)
