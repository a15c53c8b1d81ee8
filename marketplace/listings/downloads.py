"""The solutions list as a CSV: what a city compares offers by. Only published listings and
what their public page shows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from marketplace.i18n import gettext as _
from marketplace.listings import labels as listing_labels
from marketplace.listings.schemas import ListingOut
from marketplace.web import labels
from marketplace.web import spreadsheet as cells


def _price(value: str | None) -> str:
    return "" if value is None else cells.amount(Decimal(value))


def listings_csv(listings: Sequence[ListingOut], base_url: str) -> str:
    themes, countries = labels.theme_names(), labels.country_names()
    models = listing_labels.pricing_model_names()
    columns: list[cells.Column[ListingOut]] = [
        (_("Title"), lambda x: x.title),
        (_("SME"), lambda x: x.organisation_name),
        (_("Summary"), lambda x: x.summary),
        (_("ICC themes"), lambda x: cells.joined(themes.get(t, t) for t in x.themes)),
        (_("CPV codes"), lambda x: cells.joined(labels.cpv_label(c) for c in x.cpv_codes)),
        (_("Countries served"), lambda x: cells.joined(countries.get(c, c) for c in x.countries)),
        (_("Technology readiness level (TRL)"), lambda x: x.trl or ""),
        (_("Pricing model"), lambda x: models.get(x.pricing.model, x.pricing.model) if x.pricing else ""),
        (_("Price from"), lambda x: _price(x.pricing.amount_min) if x.pricing else ""),
        (_("Price up to"), lambda x: _price(x.pricing.amount_max) if x.pricing else ""),
        (_("Currency"), lambda x: x.pricing.currency if x.pricing else ""),
        (_("Standards"), lambda x: cells.joined(c.code for c in x.standards)),
        (_("Published"), lambda x: cells.day(x.published_at)),
        (_("Last changed"), lambda x: cells.day(x.updated_at)),
        (_("Link"), lambda x: f"{base_url.rstrip('/')}/listings/{x.id}"),
    ]  # fmt: skip
    return cells.table(columns, listings)
