"""The funding call → search document mapping: the public call, never who pledged what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from marketplace.accounts.models import Organisation
from marketplace.funding.models import (
    FundingCall,
    FundingCallInstrument,
    FundingCallPartner,
    FundingCallStandard,
    FundingCallTheme,
)
from marketplace.funding.search import document_of
from tests.conftest import START

ESPOO = Organisation(id="espoo", name="City of Espoo", kind="city", country="FI",
                     nuts_code="FI1B1")  # fmt: skip
TARTU = Organisation(id="tartu", name="Tartu", kind="city", country="EE", nuts_code="EE008")
GENT = Organisation(id="gent", name="Stad Gent", kind="city", country="BE", nuts_code="BE234")


def call(**overrides: object) -> FundingCall:
    fields: dict[str, object] = {
        "id": "c-1", "organisation_id": "espoo", "organisation": ESPOO,
        "title": "Zero-emission bus depot", "summary": "Charge 120 buses overnight.",
        "description": "Chargers and grid connection.", "amount_sought": Decimal("2500000.00"),
        "currency": "EUR", "outcomes": [{"metric": "CO2 emissions of the bus fleet"}],
        "tender_ids": [], "deadline": START + timedelta(days=30), "published_at": START,
        "closed_at": None, "created_at": START, "updated_at": START,
        "partners": [
            FundingCallPartner(organisation_id="tartu", organisation=TARTU, invited_at=START,
                               confirmed_at=START),
            FundingCallPartner(organisation_id="gent", organisation=GENT, invited_at=START,
                               confirmed_at=None),
        ],
        "themes": [FundingCallTheme(theme_code="mobility")],
        "instruments": [FundingCallInstrument(instrument="loan"),
                        FundingCallInstrument(instrument="grant")],
        "standards": [FundingCallStandard(standard_code="GTFS")],
    }  # fmt: skip
    fields.update(overrides)
    return FundingCall(**fields)


def test_an_open_call_names_its_confirmed_cities_and_instruments() -> None:
    doc = document_of(call(), {"GTFS": "General Transit Feed Specification"})
    assert doc is not None
    assert (doc.type, doc.status, doc.value) == ("funding_call", "open", 2500000.0)
    assert doc.organisation == "City of Espoo, Tartu"
    assert doc.countries == ("FI", "EE") and doc.nuts_codes == ("FI1B1", "EE008")
    assert doc.standard_titles == ("General Transit Feed Specification",)
    assert "Instruments: grant, loan" in doc.body
    assert doc.outcomes == ("CO2 emissions of the bus fleet",)


def test_drafts_are_not_documents_and_closed_calls_say_so() -> None:
    assert document_of(call(published_at=None), {}) is None
    closed = document_of(call(closed_at=START + timedelta(days=2)), {})
    assert closed is not None and closed.status == "closed"


def test_an_amount_in_another_currency_is_not_compared_as_euros() -> None:
    doc = document_of(call(currency="PLN"), {})
    assert doc is not None and doc.value is None and doc.extra["currency"] == "PLN"
