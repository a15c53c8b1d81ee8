"""The funding API as cities and funders use it: lifecycle, authorisation, amounts, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.funding.models import FundingCall, FundingInterest
from tests.factories import Api
from tests.funding.helpers import DEADLINE, call_body, scene


class TestCreateAndEdit:
    async def test_a_city_editor_creates_a_draft(self, api: Api) -> None:
        s = await scene(api)
        call = await s.create_call()
        assert call["status"] == "draft"
        assert call["amount_sought"] == {"amount": "2500000.00", "currency": "EUR"}
        assert call["pledged_total"] == {"amount": "0.00", "currency": "EUR"}
        assert call["themes"] == ["mobility", "renewable-energies"]
        assert call["instruments"] == ["grant", "loan"]
        assert call["standards"] == ["GTFS", "OCPP"]
        assert call["outcomes"][0]["target"] == "1500"

    async def test_drafts_are_invisible_to_the_public_and_other_organisations(
        self, api: Api
    ) -> None:
        s = await scene(api)
        call = await s.create_call()
        assert (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).status_code == 404
        other = await api.client.get(
            f"/api/v1/funding-calls/{call['id']}", headers=s.funder_owner.headers
        )
        assert other.status_code == 404
        listed = await api.client.get("/api/v1/funding-calls")
        assert listed.json()["total"] == 0
        mine = await api.client.get(
            "/api/v1/funding-calls?status=draft", headers=s.city_owner.headers
        )
        assert [c["id"] for c in mine.json()["items"]] == [call["id"]]

    async def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(
        self, api: Api, db: AsyncSession
    ) -> None:
        s = await scene(api)
        cases = {
            "themes": {"themes": ["space-tourism"]},
            "instruments": {"instruments": ["crypto"]},
            "amount_sought.amount": {"amount_sought": {"amount": "0", "currency": "EUR"}},
            "amount_sought.currency": {"amount_sought": {"amount": "10", "currency": "XYZ"}},
            "co_financing_percent": {"co_financing_percent": "120"},
            "standards": {"standards": ["NOT-A-STANDARD"]},
            "deadline": {"deadline": (DEADLINE - timedelta(days=60)).isoformat()},
            "outcomes.0.timeframe_months": {
                "outcomes": [{"metric": "m", "unit": "u", "target": "1", "timeframe_months": 0}]
            },
        }
        for field, override in cases.items():
            r = await api.client.post(
                "/api/v1/funding-calls",
                json=call_body(s.city["id"], **override),
                headers=s.city_owner.headers,
            )
            assert r.status_code == 422, (field, r.text)
            assert any(e["field"].startswith(field) for e in r.json()["errors"]), (field, r.text)
        assert await db.scalar(select(func.count()).select_from(FundingCall)) == 0

    async def test_only_a_citys_editors_create_its_calls(self, api: Api) -> None:
        s = await scene(api)
        viewer = await api.member(s.city_owner, s.city["id"], "viewer")
        for person, expected in ((viewer, 403), (s.funder_owner, 403)):
            r = await api.client.post(
                "/api/v1/funding-calls", json=call_body(s.city["id"]), headers=person.headers
            )
            assert r.status_code == expected
        r = await api.client.post(
            "/api/v1/funding-calls",
            json=call_body(s.funder["id"]),
            headers=s.funder_owner.headers,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"
        anonymous = await api.client.post("/api/v1/funding-calls", json=call_body(s.city["id"]))
        assert anonymous.status_code == 401

    async def test_the_lead_edits_a_draft_but_not_an_open_call(self, api: Api) -> None:
        s = await scene(api)
        call = await s.create_call()
        r = await api.client.patch(
            f"/api/v1/funding-calls/{call['id']}",
            json={"title": "Electric bus depot", "themes": ["mobility"], "standards": []},
            headers=s.city_owner.headers,
        )
        assert r.status_code == 200, r.text
        assert r.json()["title"] == "Electric bus depot"
        assert r.json()["themes"] == ["mobility"] and r.json()["standards"] == []
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=s.city_owner.headers
        )
        again = await api.client.patch(
            f"/api/v1/funding-calls/{call['id']}",
            json={"title": "Too late"},
            headers=s.city_owner.headers,
        )
        assert again.status_code == 409


class TestPartners:
    async def test_publishing_waits_for_every_partner_to_confirm(self, api: Api) -> None:
        s = await scene(api)
        partner_owner = await api.person("Torino Officer")
        partner = await api.organisation(partner_owner, "city", country="IT", nuts_code="ITC11")
        call = await s.create_call(partner_ids=[partner["id"]])
        assert call["partners"][0]["confirmed"] is False
        blocked = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=s.city_owner.headers
        )
        assert blocked.status_code == 409 and partner["name"] in blocked.json()["detail"]
        # The partner sees the draft (to confirm it); the lead cannot confirm for it.
        seen = await api.client.get(
            f"/api/v1/funding-calls/{call['id']}", headers=partner_owner.headers
        )
        assert seen.status_code == 200
        confirm = f"/api/v1/funding-calls/{call['id']}/partners/{partner['id']}/confirm"
        assert (await api.client.post(confirm, headers=s.city_owner.headers)).status_code == 403
        ok = await api.client.post(confirm, headers=partner_owner.headers)
        assert ok.status_code == 200 and ok.json()["partners"][0]["confirmed"] is True
        published = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=s.city_owner.headers
        )
        assert published.status_code == 200 and published.json()["status"] == "open"

    async def test_only_cities_can_be_partners(self, api: Api) -> None:
        s = await scene(api)
        call = await s.create_call()
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/partners",
            json={"organisation_id": s.funder["id"]},
            headers=s.city_owner.headers,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"

    async def test_an_unverified_city_cannot_publish(self, api: Api) -> None:
        s = await scene(api)
        owner = await api.person("Unverified")
        city = await api.organisation(owner, "city")
        r = await api.client.post(
            "/api/v1/funding-calls", json=call_body(city["id"]), headers=owner.headers
        )
        published = await api.client.post(
            f"/api/v1/funding-calls/{r.json()['id']}/publish", headers=owner.headers
        )
        assert published.status_code == 403
        del s


class TestLifecycle:
    async def test_open_until_the_deadline_then_closed_without_any_job(
        self, api: Api, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        call = await s.open_call()
        assert call["status"] == "open"
        clock.set(DEADLINE - timedelta(seconds=1))
        still = await api.client.get(f"/api/v1/funding-calls/{call['id']}")
        assert still.json()["status"] == "open"
        clock.set(DEADLINE)
        after = await api.client.get(f"/api/v1/funding-calls/{call['id']}")
        assert after.json()["status"] == "closed" and after.json()["closed_reason"] == "deadline"
        listed = await api.client.get("/api/v1/funding-calls?status=open")
        assert listed.json()["total"] == 0

    async def test_the_city_closes_early_and_cannot_close_twice(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        url = f"/api/v1/funding-calls/{call['id']}/close"
        funder_try = await api.client.post(url, headers=s.funder_owner.headers)
        assert funder_try.status_code == 403
        closed = await api.client.post(url, headers=s.city_owner.headers)
        assert closed.json()["status"] == "closed"
        assert closed.json()["closed_reason"] == "closed_by_city"
        assert (await api.client.post(url, headers=s.city_owner.headers)).status_code == 409

    async def test_a_draft_cannot_be_closed(self, api: Api) -> None:
        s = await scene(api)
        call = await s.create_call()
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/close", headers=s.city_owner.headers
        )
        assert r.status_code == 409


class TestInterest:
    async def test_no_interest_in_a_draft_or_after_the_deadline(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        s = await scene(api)
        draft = await s.create_call()
        assert (await s.interest(draft["id"])).status_code == 409
        call = await s.open_call()
        clock.set(DEADLINE + timedelta(minutes=1))
        late = await s.interest(call["id"])
        assert late.status_code == 409 and "closed" in late.json()["detail"]
        assert await db.scalar(select(func.count()).select_from(FundingInterest)) == 0

    async def test_no_interest_once_the_city_closed_the_call(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/close", headers=s.city_owner.headers
        )
        assert (await s.interest(call["id"])).status_code == 409

    async def test_currency_must_be_the_calls(self, api: Api, db: AsyncSession) -> None:
        s = await scene(api)
        call = await s.open_call()
        r = await s.interest(call["id"], "100000.00", currency="USD")
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [
            {"field": "amount.currency", "message": "must be EUR, the currency of the call"}
        ]
        assert await db.scalar(select(func.count()).select_from(FundingInterest)) == 0

    async def test_the_instrument_must_be_one_the_call_wants(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        r = await s.interest(call["id"], instrument="equity")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "instrument"

    async def test_only_funder_editors_express_interest(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        viewer = await api.member(s.funder_owner, s.funder["id"], "viewer")
        assert (await s.interest(call["id"], person=viewer)).status_code == 403
        as_city = await s.interest(call["id"], funder=s.city, person=s.city_owner)
        assert as_city.status_code == 422
        assert as_city.json()["errors"][0]["field"] == "organisation_id"

    async def test_pledged_total_is_exact_to_the_cent(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call(amount_sought={"amount": "1.00", "currency": "EUR"})
        ids = []
        # One live interest per funder and call: four funders, one offer each.
        for n, amount in enumerate(("0.10", "0.20", "0.05", "0.33")):
            owner = await api.person(f"Funder {n}")
            funder = await api.organisation(owner, "funder", verified=True, name=f"Fund {n}")
            r = await s.interest(call["id"], amount, funder=funder, person=owner)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        for interest_id in ids[:3]:
            assert (await s.decide(call["id"], interest_id)).status_code == 200
        assert (await s.decide(call["id"], ids[3], "decline")).status_code == 200
        shown = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
        assert shown["pledged_total"] == {"amount": "0.35", "currency": "EUR"}
        assert Decimal(shown["pledged_percent"]) == Decimal("35.0")

    async def test_large_amounts_add_up_exactly(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call(amount_sought={"amount": "999999999999.99", "currency": "EUR"})
        for n, amount in enumerate(("123456789012.34", "0.01", "333333333333.33")):
            owner = await api.person(f"Funder {n}")
            funder = await api.organisation(owner, "funder", verified=True, name=f"Fund {n}")
            r = await s.interest(call["id"], amount, funder=funder, person=owner)
            await s.decide(call["id"], r.json()["id"])
        shown = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
        assert shown["pledged_total"]["amount"] == "456790122345.68"

    async def test_a_decision_is_taken_once(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        interest = (await s.interest(call["id"])).json()
        assert (await s.decide(call["id"], interest["id"])).json()["status"] == "accepted"
        again = await s.decide(call["id"], interest["id"], "decline")
        assert again.status_code == 409

    async def test_the_city_can_still_decide_after_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        call = await s.open_call()
        interest = (await s.interest(call["id"])).json()
        clock.set(DEADLINE + timedelta(days=3))
        decided = await s.decide(call["id"], interest["id"])
        assert decided.status_code == 200 and decided.json()["decision_note"] == "Thank you"


class TestAuthorisation:
    async def test_a_city_cannot_accept_interest_in_another_citys_call(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        interest = (await s.interest(call["id"])).json()
        other_owner = await api.person("Porto Officer")
        await api.organisation(other_owner, "city", verified=True, country="PT", nuts_code="PT11A")
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/interests/{interest['id']}/accept",
            headers=other_owner.headers,
        )
        assert r.status_code == 403
        # Nor can the funder accept its own offer.
        own = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/interests/{interest['id']}/accept",
            headers=s.funder_owner.headers,
        )
        assert own.status_code == 403
        shown = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
        assert shown["pledged_total"]["amount"] == "0.00"

    async def test_a_confirmed_partner_may_decide_but_an_unconfirmed_one_may_not(
        self, api: Api
    ) -> None:
        s = await scene(api)
        partner_owner = await api.person("Milano Officer")
        partner = await api.organisation(partner_owner, "city", country="IT", nuts_code="ITC4C")
        call = await s.create_call(partner_ids=[partner["id"]])
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/partners/{partner['id']}/confirm",
            headers=partner_owner.headers,
        )
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=s.city_owner.headers
        )
        interest = (await s.interest(call["id"])).json()
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/interests/{interest['id']}/decline",
            json={"note": "We chose grant funding"},
            headers=partner_owner.headers,
        )
        assert r.status_code == 200 and r.json()["status"] == "declined"

    async def test_a_funder_sees_only_its_own_interests(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        rival_owner = await api.person("Rival")
        rival = await api.organisation(rival_owner, "funder", name="Nordic Impact Ventures")
        mine = (await s.interest(call["id"], "100000.00")).json()
        theirs = (
            await s.interest(call["id"], "200000.00", funder=rival, person=rival_owner)
        ).json()
        seen = await api.client.get(
            f"/api/v1/funding-calls/{call['id']}/interests", headers=s.funder_owner.headers
        )
        assert [i["id"] for i in seen.json()] == [mine["id"]]
        city_sees = await api.client.get(
            f"/api/v1/funding-calls/{call['id']}/interests", headers=s.city_owner.headers
        )
        assert {i["id"] for i in city_sees.json()} == {mine["id"], theirs["id"]}
        other = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/interests", headers=rival_owner.headers
        )
        assert other.status_code == 403
        other_csv = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/interests.csv", headers=rival_owner.headers
        )
        assert other_csv.status_code == 403
        anonymous = await api.client.get(f"/api/v1/funding-calls/{call['id']}/interests")
        assert anonymous.status_code == 401

    async def test_the_public_sees_totals_and_only_funders_that_agreed_to_be_named(
        self, api: Api
    ) -> None:
        s = await scene(api)
        call = await s.open_call()
        shy_owner = await api.person("Shy")
        shy = await api.organisation(shy_owner, "funder", name="Quiet Family Office")
        named = (await s.interest(call["id"], "300000.00", named_publicly=True)).json()
        hidden = (await s.interest(call["id"], "700000.00", funder=shy, person=shy_owner)).json()
        await s.decide(call["id"], named["id"])
        await s.decide(call["id"], hidden["id"])
        public = await api.client.get(f"/api/v1/funding-calls/{call['id']}")
        body = public.json()
        assert body["pledged_total"]["amount"] == "1000000.00"
        assert [f["name"] for f in body["named_funders"]] == ["European Investment Bank"]
        assert "Quiet Family Office" not in public.text and "700000" not in public.text

    async def test_a_funder_cannot_see_another_funders_shortlist(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        r = await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/shortlist/{call['id']}",
            json={"note": "Strong fit"},
            headers=s.funder_owner.headers,
        )
        assert r.status_code == 201
        rival_owner = await api.person("Rival")
        rival = await api.organisation(rival_owner, "funder")
        for path in ("shortlist", "shortlist.csv", "fits"):
            r = await api.client.get(
                f"/api/v1/funders/{s.funder['id']}/{path}", headers=rival_owner.headers
            )
            assert r.status_code == 403, path
        write = await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/shortlist/{call['id']}",
            json={"note": "mine now"},
            headers=rival_owner.headers,
        )
        assert write.status_code == 403
        own = await api.client.get(
            f"/api/v1/funders/{rival['id']}/shortlist", headers=rival_owner.headers
        )
        assert own.json() == []


class TestShortlistAndExports:
    async def test_shortlist_notes_update_and_remove(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        url = f"/api/v1/funders/{s.funder['id']}/shortlist/{call['id']}"
        first = await api.client.put(
            url, json={"note": "Check grid"}, headers=s.funder_owner.headers
        )
        assert first.status_code == 201
        second = await api.client.put(url, json={"note": "Grid OK"}, headers=s.funder_owner.headers)
        assert second.status_code == 200 and second.json()[0]["note"] == "Grid OK"
        draft = await s.create_call()
        hidden = await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/shortlist/{draft['id']}",
            json={},
            headers=s.funder_owner.headers,
        )
        assert hidden.status_code == 404
        assert (await api.client.delete(url, headers=s.funder_owner.headers)).status_code == 204
        listed = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/shortlist", headers=s.funder_owner.headers
        )
        assert listed.json() == []

    async def test_shortlist_csv_has_headers_and_neutralises_formulas(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call(title='=HYPERLINK("http://evil.example","Bus depot")')
        await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/shortlist/{call['id']}",
            json={"note": "+1 from credit committee; @risk: low"},
            headers=s.funder_owner.headers,
        )
        r = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/shortlist.csv", headers=s.funder_owner.headers
        )
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert 'attachment; filename="funding-shortlist.csv"' == r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == 1
        row = rows[0]
        assert row["call_id"] == call["id"] and row["city"] == "City of Espoo"
        assert row["title"].startswith("'=HYPERLINK")
        assert row["note"] == "'+1 from credit committee; @risk: low"
        assert row["amount_sought"] == "2500000.00" and row["currency"] == "EUR"
        assert row["status"] == "open" and row["pledged_total"] == "0.00"

    async def test_interests_csv_lists_only_the_funders_own_with_status(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        rival_owner = await api.person("Rival")
        rival = await api.organisation(rival_owner, "funder")
        await s.interest(call["id"], "1000.00", funder=rival, person=rival_owner)
        mine = (await s.interest(call["id"], "250000.50", message="-5% if signed by June")).json()
        await s.decide(call["id"], mine["id"])
        r = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/interests.csv", headers=s.funder_owner.headers
        )
        assert r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [(x["amount"], x["status"], x["funder"]) for x in rows] == [
            ("250000.50", "accepted", "European Investment Bank")
        ]
        assert rows[0]["message"] == "'-5% if signed by June"
        assert rows[0]["decision_note"] == "Thank you"


class TestProfilesAndFits:
    async def test_profile_is_public_and_validated(self, api: Api) -> None:
        s = await scene(api)
        url = f"/api/v1/funders/{s.funder['id']}/profile"
        bad = await api.client.put(
            url,
            json={"ticket_min": "5000000", "ticket_max": "100000", "nuts_codes": ["FI1B1"]},
            headers=s.funder_owner.headers,
        )
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ticket_max"
        unknown = await api.client.put(
            url, json={"nuts_codes": ["XX999"]}, headers=s.funder_owner.headers
        )
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"].startswith("nuts_codes")
        ok = await api.client.put(
            url,
            json={"themes": ["mobility"], "instruments": ["loan"], "ticket_min": "1000000",
                  "ticket_max": "50000000", "countries": ["FI"], "min_co_financing_percent": "20"},
            headers=s.funder_owner.headers,
        )  # fmt: skip
        assert ok.status_code == 200, ok.text
        public = (await api.client.get(url)).json()
        assert public["ticket_min"] == {"amount": "1000000.00", "currency": "EUR"}
        stranger = await api.person("Stranger")
        assert (await api.client.put(url, json={}, headers=stranger.headers)).status_code == 403

    async def test_fits_rank_open_calls_with_reasons(self, api: Api) -> None:
        s = await scene(api)
        depot = await s.open_call()
        portal = await s.open_call(
            title="Digital one-stop shop", themes=["e-government"], instruments=["grant"],
            amount_sought={"amount": "400000.00", "currency": "EUR"},
        )  # fmt: skip
        await s.create_call(title="Draft never shown")
        await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/profile",
            json={"themes": ["mobility", "renewable-energies"], "instruments": ["loan"],
                  "ticket_min": "1000000", "ticket_max": "50000000", "countries": ["FI"],
                  "min_co_financing_percent": "20"},
            headers=s.funder_owner.headers,
        )  # fmt: skip
        r = await api.client.get(
            f"/api/v1/funders/{s.funder['id']}/fits", headers=s.funder_owner.headers
        )
        fits = r.json()
        assert [f["call_id"] for f in fits] == [depot["id"], portal["id"]]
        assert fits[0]["score"] == 100
        portal_reasons = {x["criterion"]: x["matched"] for x in fits[1]["reasons"]}
        assert portal_reasons == {
            "themes": False, "instrument": False, "amount": False, "region": True,
            "co_financing": True,
        }  # fmt: skip


class TestBrowseFilters:
    async def test_filters_by_theme_instrument_country_amount_and_deadline(self, api: Api) -> None:
        s = await scene(api)
        depot = await s.open_call()
        torino_owner = await api.person("Torino")
        torino = await api.organisation(
            torino_owner, "city", verified=True, country="IT", nuts_code="ITC11"
        )
        r = await api.client.post(
            "/api/v1/funding-calls",
            json=call_body(
                torino["id"], title="Skills academy", themes=["skills-employment"],
                instruments=["grant"], amount_sought={"amount": "800000", "currency": "EUR"},
                deadline=(DEADLINE + timedelta(days=60)).isoformat(),
            ),
            headers=torino_owner.headers,
        )  # fmt: skip
        academy = r.json()
        await api.client.post(
            f"/api/v1/funding-calls/{academy['id']}/publish", headers=torino_owner.headers
        )

        async def ids(query: str) -> list[str]:
            got = await api.client.get(f"/api/v1/funding-calls?{query}")
            assert got.status_code == 200, got.text
            return [c["id"] for c in got.json()["items"]]

        assert await ids("") == [depot["id"], academy["id"]]
        assert await ids("theme=skills-employment") == [academy["id"]]
        assert await ids("theme=mobility&theme=skills-employment") == [depot["id"], academy["id"]]
        assert await ids("instrument=loan") == [depot["id"]]
        assert await ids("country=IT") == [academy["id"]]
        assert await ids("amount_min=1000000") == [depot["id"]]
        assert await ids("amount_max=1000000") == [academy["id"]]
        assert await ids(f"deadline_before={DEADLINE.date().isoformat()}") == [depot["id"]]
        assert await ids("q=academy") == [academy["id"]]
        bad = await api.client.get("/api/v1/funding-calls?theme=nope")
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "theme"

    async def test_joint_calls_are_found_by_a_partners_country(self, api: Api) -> None:
        s = await scene(api)
        partner_owner = await api.person("Porto")
        partner = await api.organisation(partner_owner, "city", country="PT", nuts_code="PT11A")
        call = await s.create_call(partner_ids=[partner["id"]])
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/partners/{partner['id']}/confirm",
            headers=partner_owner.headers,
        )
        await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=s.city_owner.headers
        )
        got = await api.client.get("/api/v1/funding-calls?country=PT")
        assert [c["id"] for c in got.json()["items"]] == [call["id"]]
