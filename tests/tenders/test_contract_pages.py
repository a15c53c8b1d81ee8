"""The contract of an awarded lot on the tender page: shown to everyone, recorded and
managed by the lead through forms that work without JavaScript (CSRF, errors next to their
inputs, a confirmation before termination)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.clock import FrozenClock
from tests.factories import Api, csrf
from tests.tenders.test_contracts import Awarded, award_lot, signed


@pytest.fixture
async def awarded(api: Api, clock: FrozenClock) -> Awarded:
    return await award_lot(api, clock)


def _record_form(clock: FrozenClock, token: str, **overrides: str) -> dict[str, str]:
    today = clock.now().date()
    return {
        "_csrf_token": token,
        "date_signed": today.isoformat(),
        "value_amount": "118,000.00",
        "value_currency": "EUR",
        "period_start": (today + timedelta(days=10)).isoformat(),
        "period_end": (today + timedelta(days=375)).isoformat(),
        "title": "Displays <script>alert(1)</script>",
        **overrides,
    }


class TestRecordingOnThePage:
    async def test_the_lead_records_it_and_everyone_reads_it(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        page_url = f"/tenders/{awarded.tender['id']}"
        await api.sign_in_browser(awarded.j.lead)
        page = await api.client.get(page_url)
        assert "Record the signed contract" in page.text
        assert 'id="c1-record-date_signed"' in page.text
        action = f"{page_url}/lots/{awarded.lot}/contract"

        bad = _record_form(clock, csrf(page), period_end=clock.now().date().isoformat(),
                           period_start=(clock.now().date() + timedelta(days=5)).isoformat())  # fmt: skip
        r = await api.client.post(action, data=bad)
        assert r.status_code == 422
        assert 'id="c1-record-period_end-error"' in r.text
        assert "End of the contract period" in r.text
        assert 'value="118000.00"' in r.text  # what was typed comes back (as a plain number)

        r = await api.client.post(action, data=_record_form(clock, csrf(page)),
                                  follow_redirects=False)  # fmt: skip
        assert r.status_code in (302, 303), r.text
        assert r.headers["location"].endswith("#contract-1")
        page = await api.client.get(page_url)
        assert "Record the signed contract" not in page.text
        assert "Amend the contract" in page.text and "Terminate the contract" in page.text
        assert "€118,000.00" in page.text and "Stadt Wien" in page.text
        assert "<script>alert(1)</script>" not in page.text
        assert "Displays &lt;script&gt;" in page.text

        await api.client.post("/sign-out", data={"_csrf_token": csrf(page)})
        public = await api.client.get(page_url)
        assert public.status_code == 200
        assert "€118,000.00" in public.text and "Active" in public.text
        assert "Amend the contract" not in public.text
        assert f"{action}/amend" not in public.text

    async def test_a_form_without_its_csrf_token_is_refused(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        await api.sign_in_browser(awarded.j.lead)
        form = _record_form(clock, "")
        del form["_csrf_token"]
        r = await api.client.post(
            f"/tenders/{awarded.tender['id']}/lots/{awarded.lot}/contract", data=form
        )
        assert r.status_code == 403
        listed = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        assert listed.json()["total"] == 0

    async def test_a_partner_city_sees_no_forms_and_is_refused(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        await signed(api, clock, awarded)
        await api.sign_in_browser(awarded.j.partner)
        page = await api.client.get(f"/tenders/{awarded.tender['id']}")
        assert "Amend the contract" not in page.text
        r = await api.client.post(
            f"/tenders/{awarded.tender['id']}/lots/{awarded.lot}/contract/terminate",
            data={"_csrf_token": csrf(page), "reason": "We want out", "confirmed": "yes"},
        )
        assert r.status_code == 403


class TestImplementationOnThePage:
    async def test_milestone_payment_and_termination_after_confirming(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        await signed(api, clock, awarded)
        page_url = f"/tenders/{awarded.tender['id']}"
        base = f"{page_url}/lots/{awarded.lot}/contract"
        await api.sign_in_browser(awarded.j.lead)
        page = await api.client.get(page_url)
        token = csrf(page)
        due = (clock.now().date() + timedelta(days=30)).isoformat()
        r = await api.client.post(f"{base}/milestones",
                                  data={"_csrf_token": token, "title": "Installed", "due_date": due})  # fmt: skip
        assert r.status_code == 200 and "The milestone is scheduled." in r.text
        r = await api.client.post(f"{base}/milestones", data={"_csrf_token": token, "title": "x"})
        assert r.status_code == 422 and 'id="c1-milestone-due_date-error"' in r.text
        assert "Due date" in r.text

        milestone = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        mid = milestone.json()["items"][0]["milestones"][0]["id"]
        r = await api.client.post(f"{base}/milestones/{mid}/met",
                                  data={"_csrf_token": token,
                                        "date_met": clock.now().date().isoformat()})  # fmt: skip
        assert r.status_code == 200 and "Met on" in r.text

        r = await api.client.post(f"{base}/transactions", data={
            "_csrf_token": token, "date": clock.now().date().isoformat(),
            "payer_id": awarded.j.city_b["id"], "value_amount": "30000", "value_currency": "SEK",
        })  # fmt: skip
        assert r.status_code == 422 and 'id="c1-payment-value_currency-error"' in r.text
        assert "Currency must be the contract&#39;s currency, EUR." in r.text
        api.client.cookies.set("icc_lang", "fr")
        r = await api.client.post(f"{base}/transactions", data={
            "_csrf_token": token, "date": clock.now().date().isoformat(),
            "payer_id": awarded.j.sme["id"], "value_amount": "30000", "value_currency": "EUR",
        })  # fmt: skip
        assert r.status_code == 422
        assert "Payé par n’est pas une ville acheteuse de cet appel d’offres." in r.text  # noqa: RUF001
        api.client.cookies.delete("icc_lang")
        r = await api.client.post(f"{base}/transactions", data={
            "_csrf_token": token, "date": clock.now().date().isoformat(),
            "payer_id": awarded.j.city_b["id"], "value_amount": "30000", "value_currency": "EUR",
        })  # fmt: skip
        assert r.status_code == 200 and "€30,000.00" in r.text

        contract = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        # Amending: the period's dates come filled in, only what changed is an amendment.
        r = await api.client.post(f"{base}/amend", data={
            "_csrf_token": token, "rationale": "Two more years of maintenance",
            "value_currency": "EUR", "period_start": contract.json()["items"][0]["period"][
                "start_date"],
            "period_end": (clock.now().date() + timedelta(days=1100)).isoformat(),
        })  # fmt: skip
        assert r.status_code == 200, r.text
        assert "The contract amendment is published." in r.text
        amended = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        (amendment,) = amended.json()["items"][0]["amendments"]
        assert set(amendment["changes"]) == {"period"}
        r = await api.client.post(f"{base}/amend", data={
            "_csrf_token": token, "rationale": "Nothing at all", "value_currency": "EUR",
        })  # fmt: skip
        assert r.status_code == 422 and "Amend the contract" in r.text

        ask = await api.client.post(f"{base}/terminate",
                                    data={"_csrf_token": token, "reason": "Supplier insolvent"})  # fmt: skip
        assert ask.status_code == 200 and "Terminate the contract?" in ask.text
        contract = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        assert contract.json()["items"][0]["status"] == "active"  # nothing happened yet
        done = await api.client.post(f"{base}/terminate", data={
            "_csrf_token": csrf(ask), "reason": "Supplier insolvent", "confirmed": "yes",
        })  # fmt: skip
        assert done.status_code == 200 and "The contract is terminated." in done.text
        assert "Terminated" in done.text and "Record a payment" not in done.text
        # The public audit trail names each step in words.
        for label in ("Contract signed", "Contract milestone met", "Contract payment recorded",
                      "Contract amended", "Contract terminated"):  # fmt: skip
            assert label in done.text


class TestPageAndApiAgree:
    """For each person, the page offers exactly the contract actions the API lists."""

    async def test_for_the_lead_a_partner_and_anyone(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        await signed(api, clock, awarded)
        r = await api.client.post(
            f"{awarded.base}/milestones",
            json={"title": "Installed", "due_date": (clock.now().date() + timedelta(days=9))
                  .isoformat()},
            headers=awarded.j.lead.headers,
        )  # fmt: skip
        mid = r.json()["id"]
        page_base = f"/tenders/{awarded.tender['id']}/lots/{awarded.lot}/contract"
        forms = {
            "amend": f'action="{page_base}/amend"',
            "add_milestone": f'action="{page_base}/milestones"',
            "update_milestone": f'action="{page_base}/milestones/{mid}/met"',
            "add_transaction": f'action="{page_base}/transactions"',
            "terminate": f'action="{page_base}/terminate"',
            "record": f'action="{page_base}"',
        }
        for person in (awarded.j.lead, awarded.j.partner, None):
            headers = person.headers if person else {}
            listed = await api.client.get(
                f"/api/v1/tenders/{awarded.tender['id']}/contracts", headers=headers
            )
            allowed = set(listed.json()["items"][0]["actions"])
            api.client.cookies.clear()
            if person is not None:
                await api.sign_in_browser(person)
            page = await api.client.get(f"/tenders/{awarded.tender['id']}")
            offered = {action for action, marker in forms.items() if marker in page.text}
            assert offered == allowed, person
