"""Issue 19, point 4: pledges have a sense of scale. One live interest per funder and call,
changed or withdrawn until accepted, never above the amount sought; the call shows sought,
offered and accepted amounts, and oversubscription as a state."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, csrf
from tests.funding.helpers import scene


class TestPledgeBounds:
    async def test_an_offer_above_the_amount_sought_is_refused(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()  # seeks 2,500,000
        r = await s.interest(call["id"], "99999999.00")
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "amount.amount"
        r = await api.client.get(f"/api/v1/funding-calls/{call['id']}")
        assert r.json()["pledged_total"]["amount"] == "0.00"

    async def test_one_live_interest_per_funder_then_change_and_withdraw(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        first = await s.interest(call["id"], "500000.00")
        assert first.status_code == 201, first.text
        again = await s.interest(call["id"], "600000.00")
        assert again.status_code == 409
        assert "already has an interest" in again.json()["detail"]
        iid = first.json()["id"]
        r = await api.client.patch(
            f"/api/v1/funding-calls/{call['id']}/interests/{iid}",
            json={"amount": {"amount": "750000.00", "currency": "EUR"}},
            headers=s.funder_owner.headers,
        )
        assert r.status_code == 200, r.text
        assert r.json()["amount"]["amount"] == "750000.00"
        too_much = await api.client.patch(
            f"/api/v1/funding-calls/{call['id']}/interests/{iid}",
            json={"amount": {"amount": "2500000.01", "currency": "EUR"}},
            headers=s.funder_owner.headers,
        )
        assert too_much.status_code == 422
        # The city may not change the funder's offer.
        r = await api.client.patch(
            f"/api/v1/funding-calls/{call['id']}/interests/{iid}",
            json={"message": "hi"}, headers=s.city_owner.headers,
        )  # fmt: skip
        assert r.status_code == 403
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/interests/{iid}/withdraw",
            headers=s.funder_owner.headers,
        )
        assert r.status_code == 200 and r.json()["status"] == "withdrawn"
        # Withdrawn: a new interest is possible again.
        assert (await s.interest(call["id"], "400000.00")).status_code == 201

    async def test_an_accepted_interest_no_longer_changes(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        iid = (await s.interest(call["id"])).json()["id"]
        assert (await s.decide(call["id"], iid)).status_code == 200
        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/interests/{iid}/withdraw",
            headers=s.funder_owner.headers,
        )
        assert r.status_code == 409

    async def test_offers_may_oversubscribe_acceptances_never_exceed(self, api: Api) -> None:
        s = await scene(api)
        other_owner = await api.person("KfW analyst")
        other = await api.organisation(other_owner, "funder", verified=True, name="KfW")
        call = await s.open_call()
        a = (await s.interest(call["id"], "2000000.00")).json()["id"]
        b = (await s.interest(call["id"], "1500000.00", funder=other, person=other_owner)).json()
        body = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
        assert body["funding_state"] == "oversubscribed"
        assert body["offered_total"]["amount"] == "3500000.00"
        assert (await s.decide(call["id"], a)).status_code == 200
        refused = await s.decide(call["id"], b["id"])
        assert refused.status_code == 409
        assert "500000.00 EUR is still open" in refused.json()["detail"]
        body = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
        assert body["pledged_total"]["amount"] == "2000000.00"
        assert float(body["pledged_percent"]) <= 100


class TestPledgePages:
    async def test_the_funder_changes_and_withdraws_on_the_page(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        await api.sign_in_browser(s.funder_owner)
        url = f"/funding-calls/{call['id']}"
        page = await api.client.get(url)
        r = await api.client.post(f"{url}/interests", data={
            "_csrf_token": csrf(page), "organisation_id": s.funder["id"],
            "amount.amount": "1,250,000", "amount.currency": "EUR", "instrument": "loan",
        })  # fmt: skip
        assert r.status_code == 200, r.text
        assert "€1,250,000.00" in r.text
        assert 'id="express-interest"' not in r.text  # one live interest: change it instead
        assert "Change your offer" in r.text
        iid: Any = (await s.api.client.get(
            f"/api/v1/funding-calls/{call['id']}/interests", headers=s.funder_owner.headers
        )).json()[0]["id"]  # fmt: skip
        r = await api.client.post(f"{url}/interests/{iid}/edit", data={
            "_csrf_token": csrf(page), "amount.amount": "99,999,999", "amount.currency": "EUR",
            "instrument": "loan",
        })  # fmt: skip
        assert r.status_code == 422
        assert "Amount offered must not be above the amount sought" in r.text
        # Withdrawing asks first, and changes nothing until confirmed.
        r = await api.client.post(f"{url}/interests/{iid}/withdraw",
                                  data={"_csrf_token": csrf(page)})  # fmt: skip
        assert r.status_code == 200 and "Withdraw your interest?" in r.text
        assert "This cannot be undone." in r.text
        r = await api.client.post(f"{url}/interests/{iid}/withdraw",
                                  data={"_csrf_token": csrf(r), "confirmed": "yes"})  # fmt: skip
        assert "Your interest is withdrawn." in r.text
        assert 'id="express-interest"' in r.text
