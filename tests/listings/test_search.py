"""The listing → search document mapping: only what the public listing page shows."""

from __future__ import annotations

from datetime import timedelta

from marketplace.listings.models import Listing, ListingStandard
from marketplace.listings.search import document_of
from tests.conftest import START

TITLES = {"OASC-MIM1": "MIM1 Context Information Management"}


def listing(status: str = "published", **overrides: object) -> Listing:
    fields: dict[str, object] = {
        "id": "l-1", "organisation_id": "o-1", "status": status,
        "title": "Adaptive street lighting", "summary": "Lights that dim.",
        "description": "Cuts energy use by half.", "themes": ["renewable-energies"],
        "cpv_codes": ["34993000-4"], "countries": ["FI", "SE"], "trl": 8,
        "outcomes": [{"metric": "Energy use of street lighting", "unit": "MWh"}],
        "pricing": {"model": "outcome_based", "currency": "EUR", "amount_min": "20000.00"},
        "references": [], "created_at": START, "updated_at": START, "published_at": START,
        "claims": [ListingStandard(standard_code="OASC-MIM1", standard_version="1",
                                   created_at=START)],
    }  # fmt: skip
    fields.update(overrides)
    return Listing(**fields)


def test_a_published_listing_carries_labels_standards_and_outcomes() -> None:
    doc = document_of(listing(), "Valo Oy", TITLES)
    assert doc is not None
    assert (doc.id, doc.type, doc.status, doc.organisation) == (
        "l-1", "listing", "published", "Valo Oy"
    )  # fmt: skip
    assert doc.cpv_labels == ("Road lights",)
    assert doc.standards == ("OASC-MIM1",)
    assert doc.standard_titles == ("MIM1 Context Information Management",)
    assert doc.outcomes == ("Energy use of street lighting",)
    assert doc.value == 20000.0
    assert doc.extra["url"] == "/listings/l-1"


def test_drafts_and_archived_listings_are_not_documents() -> None:
    assert document_of(listing("draft"), "Valo Oy", TITLES) is None
    assert document_of(listing("archived"), "Valo Oy", TITLES) is None


def test_a_price_in_another_currency_is_not_compared_as_euros() -> None:
    doc = document_of(
        listing(pricing={"model": "licence", "currency": "SEK", "amount_min": "90000.00"}),
        "Valo Oy",
        TITLES,
    )
    assert doc is not None and doc.value is None


def test_publication_time_is_kept_for_sorting_by_newest() -> None:
    later = START + timedelta(days=3)
    doc = document_of(listing(published_at=later), "Valo Oy", TITLES)
    assert doc is not None and doc.published_at == later
