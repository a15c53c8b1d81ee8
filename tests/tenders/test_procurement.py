"""Tenders as real procurement says them: other public buyers, identifiers, per-lot CPV and
places, long criteria with sub-criteria, techniques, lot rules, optional estimate and
questions deadline, and the reason a lot ends without a winner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import Joint, joint

LONG = (
    "Quality of the proposed methodology for the deployment, integration with the existing "
    "passenger information systems of both cities, and the long-term maintenance plan"
)


async def _central_purchasing_body(api: Api, j: Joint) -> dict[str, Any]:
    r = await api.client.post(
        "/api/v1/organisations",
        json={
            "name": "Hansel Oy", "kind": "public_buyer", "buyer_type": "central_purchasing_body",
            "country": "FI", "identifiers": [{"scheme": "FI-PRO", "id": "0988084-1"}],
            "street_address": "Mannerheimintie 4", "locality": "Helsinki",
            "postal_code": "00100", "email": "tarjoukset@hansel.example",
        },
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_a_central_purchasing_body_leads_a_tender_on_behalf_of_cities(
    api: Api, clock: FrozenClock
) -> None:
    j = await joint(api)
    cpb = await _central_purchasing_body(api, j)
    assert cpb["kind"] == "public_buyer" and cpb["buyer_type"] == "central_purchasing_body"
    tender = await j.create(
        api, clock, lead_buyer_id=cpb["id"],
        buyers=[{"organisation_id": j.city_b["id"]}],
    )  # fmt: skip
    buyers = {b["organisation_id"]: b for b in tender["buyers"]}
    assert buyers[cpb["id"]]["is_lead"] and buyers[cpb["id"]]["kind"] == "public_buyer"
    assert not buyers[j.city_b["id"]]["is_lead"]


async def test_an_sme_cannot_lead_or_join_as_a_buyer(api: Api, clock: FrozenClock) -> None:
    j = await joint(api)
    r = await api.client.post(
        "/api/v1/tenders",
        json={**_body(j, clock), "buyers": [{"organisation_id": j.sme["id"]}]},
        headers=j.lead.headers,
    )
    assert r.status_code == 422
    assert "is not a city or another public buyer" in r.json()["detail"]


def _body(j: Joint, clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
    from tests.tenders.helpers import tender_body

    return tender_body(j, clock.now(), **overrides)


async def test_uk_is_gb_and_an_identifier_belongs_to_one_organisation(api: Api) -> None:
    person = await api.person("Officer")
    r = await api.client.post(
        "/api/v1/organisations",
        json={"name": "Crown Commercial Service", "kind": "public_buyer",
              "buyer_type": "central_purchasing_body", "country": "UK",
              "identifiers": [{"scheme": "GB-GOR", "id": "PB 1170"}]},
        headers=person.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["country"] == "GB"
    again = await api.client.post(
        "/api/v1/organisations",
        json={"name": "Someone else", "kind": "public_buyer", "country": "GB",
              "identifiers": [{"scheme": "GB-GOR", "id": "PB1170"}]},
        headers=person.headers,
    )  # fmt: skip
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "identifiers"


async def test_per_lot_cpv_places_criteria_and_techniques(api: Api, clock: FrozenClock) -> None:
    j = await joint(api)
    lots = [
        {"title": "Displays", "cpv_codes": ["38652100", "31712000"], "nuts_codes": ["FI1B1"],
         "award_criteria": [
             {"name": "Price", "weight": 40, "type": "price"},
             {"name": LONG, "weight": 60, "type": "quality",
              "sub_criteria": [{"name": "Methodology", "weight": "35.5"},
                               {"name": "Maintenance plan", "weight": "24.5"}]},
         ],
         "framework": {"max_participants": 3, "duration_months": 48},
         "options": {"description": "200 more displays within two years"},
         "renewals": {"max_renewals": 2, "description": "Two one-year renewals"},
         "documents_url": "https://tenders.example.eu/displays"},
        {"title": "Data platform", "estimated_value": None, "dps": {}, "eauction": {}},
    ]  # fmt: skip
    tender = await j.create(
        api, clock, lots=lots, clarification_deadline=None,
        estimated_value={"amount": "250000.00", "currency": "EUR"},
        documents_url="https://tenders.example.eu/rtpi",
        lot_rules={"submission": "max_lots", "max_lots_per_tenderer": 1},
    )  # fmt: skip
    first, second = tender["lots"]
    assert first["cpv_codes"] == ["38652100-1", "31712000-0"]
    assert first["places"] == [{"nuts": "FI1B1"}]
    assert first["award_criteria"][1]["name"] == LONG
    assert [s["weight"] for s in first["award_criteria"][1]["sub_criteria"]] == ["35.5", "24.5"]
    assert first["framework"] == {"max_participants": 3, "duration_months": 48}
    assert first["renewals"]["max_renewals"] == 2
    assert second["cpv_codes"] is None and second["places"] is None  # the tender's
    assert second["estimated_value"] is None and second["dps"] == {}
    assert tender["clarification_deadline"] is None
    assert tender["estimated_value"] == {"amount": "250000.00", "currency": "EUR"}
    assert tender["lot_rules"] == {"submission": "max_lots", "max_lots_per_tenderer": 1}

    # Published, the OCDS release says it all, per lot.
    tender = await _publish(api, j, tender)
    release = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()["releases"][0]
    ocds_lots = release["tender"]["lots"]
    assert ocds_lots[0]["techniques"]["hasFrameworkAgreement"] is True
    assert ocds_lots[0]["techniques"]["frameworkAgreement"]["maximumParticipants"] == 3
    assert ocds_lots[0]["hasOptions"] and ocds_lots[0]["renewal"]["maximumRenewals"] == 2
    assert ocds_lots[1]["techniques"] == {
        "hasDynamicPurchasingSystem": True, "hasElectronicAuction": True,
    }  # fmt: skip
    criteria = ocds_lots[0]["awardCriteria"]["criteria"]
    assert criteria[1]["name"] == LONG and "Methodology (35.5)" in criteria[1]["description"]
    items = release["tender"]["items"]
    assert items[0]["classification"]["id"] == "38652100"
    assert items[0]["additionalClassifications"] == [{"scheme": "CPV", "id": "31712000"}]
    assert items[0]["deliveryLocations"][0]["gazetteer"]["identifiers"] == ["FI1B1"]
    assert items[1]["classification"]["id"] == "48000000"  # the tender's main code
    assert release["tender"]["value"] == {"amount": 250000, "currency": "EUR"}
    assert release["tender"]["documents"][0]["url"] == "https://tenders.example.eu/rtpi"
    assert release["tender"]["lotDetails"] == {"maximumLotsBidPerSupplier": 1}
    assert "enquiryPeriod" not in release["tender"]

    # One lot per tenderer: a bid on both is refused, naming the field.
    r = await j.respond(api, tender)
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "lot_ids", "message": "a tenderer may bid for at most 1 lots",
    }  # fmt: skip
    r = await j.respond(api, tender, lot_ids=[tender["lots"][0]["id"]])
    assert r.status_code == 201, r.text


async def _publish(api: Api, j: Joint, tender: dict[str, Any]) -> dict[str, Any]:
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
        headers=j.partner.headers,
    )
    assert r.status_code == 200, r.text
    r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_sub_criteria_must_weigh_what_their_criterion_weighs(
    api: Api, clock: FrozenClock
) -> None:
    j = await joint(api)
    criteria = [{"name": "Price", "weight": 40},
                {"name": "Quality", "weight": 60,
                 "sub_criteria": [{"name": "Team", "weight": 30}, {"name": "Plan", "weight": 20}]}]  # fmt: skip
    r = await api.client.post(
        "/api/v1/tenders", json=_body(j, clock, award_criteria=criteria), headers=j.lead.headers
    )
    assert r.status_code == 422
    assert "weigh 50, not the criterion's 60" in r.text


async def test_nuts_2021_codes_are_translated_and_moved_regions_refused(
    api: Api, clock: FrozenClock
) -> None:
    j = await joint(api)
    renamed = [{"title": "Displays", "nuts_codes": ["NL332"]}, {"title": "Data platform"}]
    # NL332 became NL361 in 2024: the same region under a new code
    tender = await j.create(api, clock, lots=renamed)
    assert tender["lots"][0]["places"] == [{"nuts": "NL361"}]
    moved = [{"title": "Displays", "nuts_codes": ["NL324"]}, {"title": "Data platform"}]
    r = await api.client.post(
        "/api/v1/tenders", json=_body(j, clock, lots=moved), headers=j.lead.headers
    )
    assert r.status_code == 422
    assert "NL32A" in r.text  # the 2024 code to use instead


async def test_new_drafts_need_future_deadlines(api: Api, clock: FrozenClock) -> None:
    j = await joint(api)
    past = (clock.now() - timedelta(days=1)).isoformat()
    r = await api.client.post(
        "/api/v1/tenders", json=_body(j, clock, submission_deadline=past, clarification_deadline=None),
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "submission_deadline",
        "message": "must be in the future",
    }


async def test_a_procedure_that_cannot_be_run_here_is_refused_for_drafts(
    api: Api, clock: FrozenClock
) -> None:
    j = await joint(api)
    r = await api.client.post(
        "/api/v1/tenders", json=_body(j, clock, procedure="negotiated_without_publication"),
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 422
    tender = await j.create(api, clock, procedure="competitive_with_negotiation")
    assert tender["procedure"] == "competitive_with_negotiation"


async def test_the_reason_a_lot_is_unsuccessful_is_kept_audited_and_published(
    api: Api, clock: FrozenClock
) -> None:
    j = await joint(api)
    tender = await j.published(api, clock)
    clock.advance(timedelta(days=36))
    lot = tender["lots"][1]["id"]
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/unsuccessful", json={"lot_id": lot},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    reason = "No tender met the accessibility requirements"
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/unsuccessful", json={"lot_id": lot, "reason": reason},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["reason"] == reason
    shown = (await api.client.get(f"/api/v1/tenders/{tender['id']}")).json()
    assert shown["lots"][1]["decision_reason"] == reason
    trail = (await api.client.get(f"/api/v1/tenders/{tender['id']}/audit")).json()
    entry = next(e for e in trail if e["action"] == "lot.unsuccessful")
    assert entry["after"]["reason"] == reason  # public: anyone sees it
    releases = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()["releases"]
    award = next(a for a in releases[-1]["awards"] if a["status"] == "unsuccessful")
    assert award["description"] == reason
