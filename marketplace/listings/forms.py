"""The listing form's flat field names (`outcomes.0.target`, `pricing.model`) are exactly the
error keys the schemas report, so each message lands next to its input and the error
summary links to it. Blank repeated rows are dropped and the rest renumbered."""

from __future__ import annotations

from typing import Any

from marketplace.listings.schemas import ListingOut
from marketplace.web.forms import as_list

ROWS: dict[str, tuple[str, ...]] = {
    "outcomes": ("metric", "unit", "baseline", "target", "timeframe_months", "verification"),
    "standards": ("code", "evidence_url"),
    "references": ("city", "year", "description"),
}
PRICING = ("model", "currency", "amount_min", "amount_max", "at_risk_percent")
MULTI = ("themes", "cpv_codes", "countries")
SCALARS = ("organisation_id", "title", "summary", "description", "trl")


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip() if value is not None else ""


def normalise(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Submitted form → (flat form to re-render, nested data for the schema)."""
    form: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for name in SCALARS:
        form[name] = _text(data.get(name))
        if form[name]:
            nested[name] = form[name]
    for name in MULTI:
        form[name] = list(dict.fromkeys(v.strip() for v in as_list(data.get(name)) if v.strip()))
        nested[name] = form[name]
    for group, fields in ROWS.items():
        indices = sorted(
            {
                int(k.split(".")[1])
                for k in data
                if k.startswith(group + ".") and k.split(".")[1].isdigit()
            }
        )
        rows = []
        for index in indices:
            row = {f: _text(data.get(f"{group}.{index}.{f}")) for f in fields}
            if any(row.values()):
                rows.append(row)
        for index, row in enumerate(rows):
            for f, v in row.items():
                form[f"{group}.{index}.{f}"] = v
        form[f"{group}.count"] = len(rows)
        nested[group] = [{f: v for f, v in row.items() if v != ""} for row in rows]
    pricing = {f: _text(data.get(f"pricing.{f}")) for f in PRICING}
    for f, v in pricing.items():
        form[f"pricing.{f}"] = v
    nested["pricing"] = {f: v for f, v in pricing.items() if v} if pricing["model"] else None
    return form, nested


def from_listing(listing: ListingOut) -> dict[str, Any]:
    form: dict[str, Any] = {
        "organisation_id": listing.organisation_id, "title": listing.title,
        "summary": listing.summary, "description": listing.description,
        "trl": str(listing.trl) if listing.trl else "", "themes": listing.themes,
        "cpv_codes": listing.cpv_codes, "countries": listing.countries,
    }  # fmt: skip
    rows: dict[str, list[dict[str, Any]]] = {
        "outcomes": [o.model_dump() for o in listing.outcomes],
        "standards": [{"code": c.code, "evidence_url": c.evidence_url} for c in listing.standards],
        "references": [r.model_dump() for r in listing.references],
    }
    for group, items in rows.items():
        for index, item in enumerate(items):
            for f in ROWS[group]:
                value = item.get(f)
                form[f"{group}.{index}.{f}"] = _number(value) if value is not None else ""
        form[f"{group}.count"] = len(items)
    pricing = listing.pricing.model_dump() if listing.pricing else {}
    for f in PRICING:
        value = pricing.get(f)
        form[f"pricing.{f}"] = str(value) if value is not None else ""
    return form


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
