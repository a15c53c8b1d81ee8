"""The tender → search document mapping: public facts only, nothing sealed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from marketplace.accounts.models import Organisation
from marketplace.tenders.models import Lot, Tender, TenderBuyer
from marketplace.tenders.search import document_of
from tests.conftest import START

TITLES = {"OASC-MIM1": "MIM1 Context Information Management"}


def city(id: str, name: str, country: str, nuts: str) -> Organisation:
    return Organisation(id=id, name=name, kind="city", country=country, nuts_code=nuts)


CITIES = {
    "espoo": city("espoo", "City of Espoo", "FI", "FI1B1"),
    "wien": city("wien", "Stadt Wien", "AT", "AT130"),
    "malmo": city("malmo", "Malmö stad", "SE", "SE224"),
}


def tender(**overrides: object) -> Tender:
    fields: dict[str, object] = {
        "id": "t-1", "ocid": "ocds-x-t-1", "lead_buyer_id": "espoo",
        "title": "Real-time passenger information",
        "description": "Displays at every stop.\n\nSecond paragraph with details.",
        "procedure": "open", "themes": ["mobility"], "cpv_codes": ["48000000-8"],
        "nuts_codes": ["FI1B1"],
        "required_standards": [{"code": "OASC-MIM1", "mandatory": True}],
        "outcomes": [{"metric": "Passenger wait time", "unit": "minutes", "target": "5"}],
        "award_criteria": [], "clarification_deadline": START + timedelta(days=20),
        "submission_deadline": START + timedelta(days=35), "created_at": START,
        "updated_at": START, "published_at": START,
        "lots": [
            Lot(id="lot-1", number=1, title="Displays", description="Stop displays",
                estimated_amount=Decimal("150000.00"), currency="EUR"),
            Lot(id="lot-2", number=2, title="Data platform", description="Open data",
                estimated_amount=Decimal("90000.00"), currency="EUR"),
        ],
        "buyers": [
            TenderBuyer(organisation_id="espoo", is_lead=True, invited_at=START,
                        confirmed_at=START),
            TenderBuyer(organisation_id="wien", is_lead=False, invited_at=START,
                        confirmed_at=START),
            TenderBuyer(organisation_id="malmo", is_lead=False, invited_at=START,
                        confirmed_at=None),
        ],
    }  # fmt: skip
    fields.update(overrides)
    return Tender(**fields)


def test_a_published_tender_is_found_by_its_cities_lots_and_requirements() -> None:
    doc = document_of(tender(), CITIES, TITLES)
    assert doc is not None
    assert (doc.type, doc.status) == ("tender", "active")
    assert doc.organisation == "City of Espoo, Stadt Wien"
    assert doc.countries == ("FI", "AT")
    assert doc.nuts_codes == ("FI1B1", "AT130")
    assert doc.summary == "Displays at every stop."
    assert "Lot 2: Data platform" in doc.body
    assert doc.standards == ("OASC-MIM1",)
    assert doc.outcomes == ("Passenger wait time",)
    assert doc.value == 240000.0
    assert doc.deadline == START + timedelta(days=35)


def test_an_invited_city_that_has_not_confirmed_is_not_named() -> None:
    doc = document_of(tender(), CITIES, TITLES)
    assert doc is not None
    assert "Malmö" not in doc.organisation and "SE" not in doc.countries


def test_a_tender_in_planning_is_not_a_document() -> None:
    assert document_of(tender(published_at=None), CITIES, TITLES) is None


def test_the_lifecycle_status_follows_events_not_the_clock() -> None:
    cancelled = document_of(tender(cancelled_at=START), CITIES, TITLES)
    complete = document_of(tender(completed_at=START), CITIES, TITLES)
    assert cancelled is not None and cancelled.status == "cancelled"
    assert complete is not None and complete.status == "complete"


def test_lots_in_several_currencies_have_no_comparable_value() -> None:
    lots = [
        Lot(id="l", number=1, title="A", description="", estimated_amount=Decimal("1"),
            currency="EUR"),
        Lot(id="m", number=2, title="B", description="", estimated_amount=Decimal("1"),
            currency="SEK"),
    ]  # fmt: skip
    doc = document_of(tender(lots=lots), CITIES, TITLES)
    assert doc is not None and doc.value is None
