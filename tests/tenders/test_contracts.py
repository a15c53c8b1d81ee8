"""The contract of an awarded lot and its implementation, through the API: who may record
and change it, what is refused (422 naming the field, 409 after termination, 403 for anyone
but the lead), the audit trail and events, and what the OCDS releases and record say."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.core.models import EventRecord
from tests.factories import Api
from tests.tenders.helpers import Joint, joint
from tests.tenders.test_ocds_api import awarded_and_amended


def contract_body(clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
    today = clock.now().date()
    body: dict[str, Any] = {
        "date_signed": today.isoformat(),
        "value": {"amount": "118000.00", "currency": "EUR"},
        "period": {
            "start_date": (today + timedelta(days=10)).isoformat(),
            "end_date": (today + timedelta(days=375)).isoformat(),
        },
        "title": "Supply of stop displays",
    }
    body.update(overrides)
    return body


class Awarded:
    def __init__(self, j: Joint, tender: dict[str, Any]) -> None:
        self.j, self.tender = j, tender
        self.lot = tender["lots"][0]["id"]
        self.base = f"/api/v1/tenders/{tender['id']}/lots/{self.lot}/contract"


async def award_lot(api: Api, clock: FrozenClock) -> Awarded:
    """A joint tender amended, then its first lot awarded (`awarded_and_amended`)."""
    j, tender = await awarded_and_amended(api, clock)
    return Awarded(j, tender)


@pytest.fixture
async def awarded(api: Api, clock: FrozenClock) -> Awarded:
    return await award_lot(api, clock)


async def signed(api: Api, clock: FrozenClock, a: Awarded, **overrides: Any) -> dict[str, Any]:
    r = await api.client.post(a.base, json=contract_body(clock, **overrides),
                              headers=a.j.lead.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def fields(r: Any) -> set[str]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return {e["field"] for e in r.json()["errors"]}


class TestRecording:
    async def test_the_lead_records_the_signed_contract_with_the_tenders_shares(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        contract = await signed(api, clock, awarded)
        assert contract["status"] == "active"
        assert contract["value"] == {"amount": "118000.00", "currency": "EUR"}
        assert contract["supplier_id"] == awarded.j.sme["id"]
        # Each buying city's share of lot 1, as the tender states it.
        shares = {s["organisation_id"]: s for s in contract["shares"]}
        assert set(shares) == {awarded.j.city_a["id"], awarded.j.city_b["id"]}
        assert shares[awarded.j.city_b["id"]]["quantity"] == "80"
        assert shares[awarded.j.city_b["id"]]["name"] == "Stadt Wien"
        assert "amend" in contract["actions"] and "record" not in contract["actions"]

        listed = (await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")).json()
        assert listed["total"] == 1 and listed["items"][0]["id"] == contract["id"]
        # Anonymous readers see it, and may do nothing.
        assert listed["items"][0]["actions"] == []

    async def test_the_lead_sees_record_on_an_awarded_lot_without_contract(
        self, api: Api, awarded: Awarded
    ) -> None:
        r = await api.client.get(
            f"/api/v1/tenders/{awarded.tender['id']}/contracts", headers=awarded.j.lead.headers
        )
        lots = r.json()["awarded_lots"]
        assert [(lot["lot_id"], lot["actions"]) for lot in lots] == [(awarded.lot, ["record"])]
        r = await api.client.get(
            f"/api/v1/tenders/{awarded.tender['id']}/contracts", headers=awarded.j.partner.headers
        )
        assert r.json()["awarded_lots"][0]["actions"] == []

    async def test_bad_terms_are_refused_naming_each_field(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        today = clock.now().date()
        body = contract_body(
            clock,
            date_signed=(today - timedelta(days=3)).isoformat(),  # before the award
            value={"amount": "118000.00", "currency": "SEK"},
            period={"start_date": today.isoformat(),
                    "end_date": (today - timedelta(days=1)).isoformat()},
        )  # fmt: skip
        r = await api.client.post(awarded.base, json=body, headers=awarded.j.lead.headers)
        assert fields(r) == {"date_signed", "value.currency", "period.end_date"}
        r = await api.client.post(
            awarded.base,
            json=contract_body(clock, shares=[{"organisation_id": awarded.j.sme["id"],
                                               "quantity": "3"}]),
            headers=awarded.j.lead.headers,
        )  # fmt: skip
        assert fields(r) == {"shares.0.organisation_id"}
        # Nothing was written.
        listed = (await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")).json()
        assert listed["total"] == 0

    async def test_only_the_lead_and_only_once_and_only_awarded_lots(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        for person in (awarded.j.partner, awarded.j.supplier):
            r = await api.client.post(awarded.base, json=contract_body(clock),
                                      headers=person.headers)  # fmt: skip
            assert r.status_code == 403, r.text
        r = await api.client.post(awarded.base, json=contract_body(clock))
        assert r.status_code == 401
        await signed(api, clock, awarded)
        r = await api.client.post(awarded.base, json=contract_body(clock),
                                  headers=awarded.j.lead.headers)  # fmt: skip
        assert r.status_code == 409
        other = awarded.tender["lots"][1]["id"]
        r = await api.client.post(
            f"/api/v1/tenders/{awarded.tender['id']}/lots/{other}/contract",
            json=contract_body(clock), headers=awarded.j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 409 and "not been awarded" in r.json()["detail"]


class TestImplementation:
    async def test_milestones_transactions_amendment_and_termination(
        self, api: Api, clock: FrozenClock, awarded: Awarded, db: AsyncSession
    ) -> None:
        j, lead = awarded.j, awarded.j.lead.headers
        await signed(api, clock, awarded)
        today = clock.now().date()
        r = await api.client.post(
            f"{awarded.base}/milestones",
            json={"title": "Displays installed", "due_date": (today + timedelta(days=60)).isoformat()},
            headers=lead,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        milestone = r.json()
        assert milestone["status"] == "scheduled"
        clock.advance(timedelta(days=2))
        r = await api.client.post(f"{awarded.base}/milestones/{milestone['id']}/met", headers=lead)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "met"
        assert r.json()["date_met"] == clock.now().date().isoformat()
        r = await api.client.post(f"{awarded.base}/milestones/{milestone['id']}/met", headers=lead)
        assert r.status_code == 409

        payment = {"date": clock.now().date().isoformat(),
                   "value": {"amount": "40000.00", "currency": "EUR"},
                   "payer_id": j.city_b["id"]}  # fmt: skip
        r = await api.client.post(f"{awarded.base}/transactions", json=payment, headers=lead)
        assert r.status_code == 201, r.text
        contract = r.json()
        assert contract["paid"] == {"amount": "40000.00", "currency": "EUR"}
        assert contract["transactions"][0]["payee_id"] == j.sme["id"]
        bad = {**payment, "payer_id": j.sme["id"],
               "value": {"amount": "1.00", "currency": "USD"}}  # fmt: skip
        r = await api.client.post(f"{awarded.base}/transactions", json=bad, headers=lead)
        assert fields(r) == {"payer_id", "value.currency"}

        r = await api.client.patch(
            awarded.base,
            json={"rationale": "Ten more displays for Wien",
                  "changes": {"value": {"amount": "124000.00", "currency": "EUR"}}},
            headers=lead,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        amended = r.json()
        assert amended["value"]["amount"] == "124000.00"
        assert amended["amendments"][0]["changes"]["value"] == {
            "before": {"amount": "118000.00", "currency": "EUR"},
            "after": {"amount": "124000.00", "currency": "EUR"},
        }
        r = await api.client.patch(
            awarded.base,
            json={"rationale": "Nothing really", "changes": {"title": "Supply of stop displays"}},
            headers=lead,
        )  # fmt: skip
        assert fields(r) == {"changes"}
        r = await api.client.patch(
            awarded.base,
            json={"rationale": "Wien wants it", "changes": {"title": "Other"}},
            headers=j.partner.headers,
        )
        assert r.status_code == 403

        r = await api.client.post(f"{awarded.base}/terminate",
                                  json={"reason": "The supplier went bankrupt"}, headers=lead)  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "terminated" and r.json()["actions"] == []
        r = await api.client.patch(
            awarded.base,
            json={"rationale": "Too late now", "changes": {"title": "Another title"}},
            headers=lead,
        )  # fmt: skip
        assert r.status_code == 409
        r = await api.client.post(f"{awarded.base}/transactions", json=payment, headers=lead)
        assert r.status_code == 409

        kinds = [
            e.kind
            for e in await db.scalars(
                select(EventRecord).where(EventRecord.kind.like("contract.%"))
                .order_by(EventRecord.id)
            )
        ]  # fmt: skip
        assert kinds == ["contract.signed", "contract.milestone_added", "contract.milestone_met",
                         "contract.transaction_recorded", "contract.amended",
                         "contract.terminated"]  # fmt: skip
        audit = (await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/audit")).json()
        assert [e["action"] for e in audit if e["action"].startswith("contract.")] == kinds

        # The releases: one per change, dates strictly increasing, the record shows it all.
        package = (await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/ocds")).json()
        tags = [rel["tag"][0] for rel in package["releases"]]
        assert tags[-6:] == ["contract", "implementation", "implementation", "implementation",
                             "contractAmendment", "contractTermination"]  # fmt: skip
        dates = [rel["date"] for rel in package["releases"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        record = (
            await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/ocds/record")
        ).json()
        compiled = record["records"][0]["compiledRelease"]
        (out,) = compiled["contracts"]
        assert out["status"] == "terminated"
        assert out["awardID"] == compiled["awards"][0]["id"]
        assert out["value"] == {"amount": 124000, "currency": "EUR"}
        assert out["implementation"]["milestones"][0]["status"] == "met"
        (transaction,) = out["implementation"]["transactions"]
        parties = {p["id"]: p["roles"] for p in compiled["parties"]}
        assert "payer" in parties[transaction["payer"]["id"]]
        assert "payee" in parties[transaction["payee"]["id"]]
        assert "value from EUR 118000.00 to EUR 124000.00" in out["amendments"][0]["description"]
        assert compiled["tender"]["contractPeriod"]["startDate"] == out["period"]["startDate"]
        assert "awardPeriod" in compiled["tender"]


class TestBidStatistics:
    async def test_counts_only_after_the_deadline(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await j.respond(api, tender)
        assert r.status_code == 201
        other = await api.person("Other supplier")
        sme = await api.organisation(other, "sme", verified=True)
        r = await j.respond(api, tender, other, sme, lot_ids=[tender["lots"][1]["id"]])
        assert r.status_code == 201
        # An amendment before the deadline: its release says nothing of the responses.
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/amendments",
            json={"rationale": "Clearer title", "changes": {"title": "Passenger information"}},
            headers=j.lead.headers,
        )
        assert r.status_code == 201
        before = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()
        assert all("bids" not in rel for rel in before["releases"])
        assert "statistics" not in str(before)

        clock.advance(timedelta(days=36))
        rid = (await api.client.get(f"/api/v1/tenders/{tender['id']}/responses",
                                    headers=j.lead.headers)).json()  # fmt: skip
        first = next(x for x in rid["items"] if x["organisation_id"] == j.sme["id"])
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/awards",
            json={"lot_id": tender["lots"][0]["id"], "response_id": first["id"],
                  "value": {"amount": "120000.00", "currency": "EUR"}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        after = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()
        statistics = {
            s.get("relatedLot"): s["value"] for s in after["releases"][-1]["bids"]["statistics"]
        }
        assert statistics == {None: 2, tender["lots"][0]["id"]: 1, tender["lots"][1]["id"]: 2}


class TestDatesAndLots:
    async def test_dates_before_the_signature_or_in_the_future(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        lead = awarded.j.lead.headers
        contract = await signed(api, clock, awarded)
        today = clock.now().date()
        r = await api.client.post(
            awarded.base, json=contract_body(clock), headers=lead
        )  # a second record of the lot
        assert r.status_code == 409
        r = await api.client.post(
            f"{awarded.base}/milestones",
            json={"title": "Too early", "due_date": (today - timedelta(days=1)).isoformat()},
            headers=lead,
        )
        assert fields(r) == {"due_date"}
        r = await api.client.post(
            f"{awarded.base}/milestones",
            json={"title": "Training", "due_date": (today + timedelta(days=9)).isoformat()},
            headers=lead,
        )
        mid = r.json()["id"]
        r = await api.client.post(
            f"{awarded.base}/milestones/{mid}/met",
            json={"date_met": (today + timedelta(days=1)).isoformat()}, headers=lead,
        )  # fmt: skip
        assert fields(r) == {"date_met"}
        r = await api.client.post(f"{awarded.base}/milestones/{mid}/not-met", headers=lead)
        assert r.status_code == 200 and r.json()["status"] == "notMet"
        r = await api.client.post(f"{awarded.base}/milestones/{mid}/not-met", headers=lead)
        assert r.status_code == 409
        r = await api.client.post(f"{awarded.base}/milestones/nope/met", headers=lead)
        assert r.status_code == 404
        r = await api.client.post(
            f"{awarded.base}/terminate",
            json={"reason": "Never started", "date": (today - timedelta(days=5)).isoformat()},
            headers=lead,
        )
        assert fields(r) == {"date"}
        r = await api.client.get(f"{awarded.base}")
        assert r.status_code == 200 and r.json()["id"] == contract["id"]
        r = await api.client.get(
            f"/api/v1/tenders/{awarded.tender['id']}/lots/{awarded.tender['lots'][1]['id']}/contract"
        )
        assert r.status_code == 404
        r = await api.client.post(
            f"/api/v1/tenders/{awarded.tender['id']}/lots/nope/contract",
            json=contract_body(clock), headers=lead,
        )  # fmt: skip
        assert r.status_code == 404


async def test_an_imported_tender_keeps_the_contracts_of_its_notice(
    api: Api, clock: FrozenClock
) -> None:
    from tests.tenders.notices.helpers import TED_R209

    admin = await api.person("Admin", admin=True)
    files = [("file", (TED_R209[0].name, TED_R209[0].read_bytes(), "application/xml"))]
    r = await api.client.post("/api/v1/tenders/imports", files=files, headers=admin.headers)
    tender_id = r.json()["reports"][0]["tender_id"]
    tender = (await api.client.get(f"/api/v1/tenders/{tender_id}")).json()
    r = await api.client.post(
        f"/api/v1/tenders/{tender_id}/lots/{tender['lots'][0]['id']}/contract",
        json=contract_body(clock), headers=admin.headers,
    )  # fmt: skip
    assert r.status_code == 409 and "imported from its TED notice" in r.json()["detail"]
    listed = (await api.client.get(f"/api/v1/tenders/{tender_id}/contracts")).json()
    assert listed == {"items": [], "total": 0, "page": 1, "per_page": 20, "awarded_lots": []}
