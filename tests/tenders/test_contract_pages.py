"""The contract of an awarded lot on the tender page: shown to everyone, recorded and
managed by the lead through forms that work without JavaScript (CSRF, errors next to their
inputs, a confirmation before termination)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

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


def _share_form(page: str, token: str, **cities: dict[str, str]) -> dict[str, str]:
    """The amendment form as the page fills it (every share row's inputs as shown), with the
    rows of the cities named changed (`Espoo={"quantity": "100"}`)."""
    form = {"_csrf_token": token, "rationale": "Wien takes part of the maintenance",
            "value_currency": "EUR"}  # fmt: skip
    for n, city in re.findall(r'id="c1-amend-shares-(\d+)" class="share[^"]*"[^>]*>\s*'
                              r"<legend>([^<]*)</legend>", page):  # fmt: skip
        p = f"shares-{n}-"
        for name in ("organisation_id", "quantity", "unit", "value_amount", "value_currency"):
            shown = re.search(rf'name="{p}{name}"(?: type="text")? value="([^"]*)"', page)
            assert shown is not None, name
            form[p + name] = shown[1]
        for key, city_of in (("Espoo", "City of Espoo"), ("Wien", "Stadt Wien")):
            if city == city_of:
                form |= {p + k: v for k, v in cities.get(key, {}).items()}
    return form


def _row(page: str, city: str) -> str:
    found = re.search(r'id="c1-amend-shares-(\d+)" class="share[^"]*"[^>]*>\s*<legend>'
                      + re.escape(city), page)  # fmt: skip
    assert found is not None, city
    return f"c1-amend-shares-{found[1]}"


class TestSharesOnTheAmendment:
    """The lead amends each buying city's share on the page, as the API lets it."""

    async def _page(self, api: Api, clock: FrozenClock, awarded: Awarded) -> tuple[str, str]:
        await signed(api, clock, awarded)
        await api.sign_in_browser(awarded.j.lead)
        page = await api.client.get(f"/tenders/{awarded.tender['id']}")
        return page.text, csrf(page)

    def _amend(self, awarded: Awarded) -> str:
        return f"/tenders/{awarded.tender['id']}/lots/{awarded.lot}/contract/amend"

    async def _contract(self, api: Api, awarded: Awarded) -> dict[str, Any]:
        r = await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/contracts")
        item: dict[str, Any] = r.json()["items"][0]
        return item

    async def test_the_rows_come_filled_with_the_current_shares(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, _ = await self._page(api, clock, awarded)
        # One row per buying city, named (not by its id), with its share filled in.
        espoo, wien = _row(text, "City of Espoo"), _row(text, "Stadt Wien")
        for row, city, quantity in ((espoo, awarded.j.city_a, "120"),
                                    (wien, awarded.j.city_b, "80")):  # fmt: skip
            name = row.removeprefix("c1-amend-")
            assert f'name="{name}-organisation_id" value="{city["id"]}"' in text
            assert (
                f'id="{row}-quantity" name="{name}-quantity" type="text" value="{quantity}"' in text
            )
            assert f'id="{row}-unit" name="{name}-unit" type="text" value="displays"' in text
            assert (
                f'id="{row}-value_amount" name="{name}-value_amount" type="text" value=""' in text
            )
            assert (
                f'id="{row}-value_currency" name="{name}-value_currency" type="text" value="EUR"'
                in text
            )

    async def test_sending_the_rows_unchanged_changes_only_what_was_changed(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, token = await self._page(api, clock, awarded)
        form = _share_form(text, token) | {"title": "Stop displays and upkeep"}
        r = await api.client.post(self._amend(awarded), data=form)
        assert r.status_code == 200, r.text
        (amendment,) = (await self._contract(api, awarded))["amendments"]
        assert set(amendment["changes"]) == {"title"}  # the shares, as shown, are no change

    async def test_amended_shares_show_on_the_page_in_the_api_and_in_ocds(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, token = await self._page(api, clock, awarded)
        before = [s["name"] for s in (await self._contract(api, awarded))["shares"]]
        form = _share_form(text, token, Espoo={"quantity": "100"},
                           Wien={"quantity": "100", "value_amount": "18,000.00"})  # fmt: skip
        r = await api.client.post(self._amend(awarded), data=form, follow_redirects=False)
        assert r.status_code in (302, 303), r.text
        page = await api.client.get(f"/tenders/{awarded.tender['id']}")
        assert "The contract amendment is published." in page.text
        assert "City of Espoo: 100 displays" in page.text
        assert "Stadt Wien: 100 displays, €18,000.00" in page.text
        # The form now starts from the new shares.
        wien = _row(page.text, "Stadt Wien")
        assert (
            f'id="{wien}-value_amount" name="{wien[9:]}-value_amount" type="text" value="18,000.00"'
            in page.text
        )

        contract = await self._contract(api, awarded)
        shares = {s["name"]: s for s in contract["shares"]}
        assert shares["City of Espoo"]["quantity"] == "100"
        assert shares["Stadt Wien"]["value"] == {"amount": "18000.00", "currency": "EUR"}
        (amendment,) = contract["amendments"]
        assert set(amendment["changes"]) == {"shares"}
        assert {s["quantity"] for s in amendment["changes"]["shares"]["before"]} == {"80", "120"}

        # The OCDS contract amendment says what the shares were and are, by city.
        old = {
            "City of Espoo": "City of Espoo 120 displays",
            "Stadt Wien": "Stadt Wien 80 displays",
        }
        new = {"City of Espoo": "City of Espoo 100 displays",
               "Stadt Wien": "Stadt Wien 100 displays EUR 18000.00"}  # fmt: skip
        record = (
            await api.client.get(f"/api/v1/tenders/{awarded.tender['id']}/ocds/record")
        ).json()
        (out,) = record["records"][0]["compiledRelease"]["contracts"]
        assert out["amendments"][0]["description"] == (
            f"Changed: shares from {', '.join(old[c] for c in before)} to "
            f"{', '.join(new[c] for c in before)}"
        )
        assert [i.get("quantity") for i in out["items"]] == [100, 100]

    async def test_an_emptied_row_removes_that_citys_share(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, token = await self._page(api, clock, awarded)
        form = _share_form(text, token, Espoo={"quantity": "", "unit": ""},
                           Wien={"quantity": "200"})  # fmt: skip
        r = await api.client.post(self._amend(awarded), data=form)
        assert r.status_code == 200, r.text
        shares = (await self._contract(api, awarded))["shares"]
        assert [(s["name"], s["quantity"]) for s in shares] == [("Stadt Wien", "200")]
        # The city without a share keeps its (empty) row, to give it one again.
        espoo = _row(r.text, "City of Espoo")
        assert f'id="{espoo}-quantity" name="{espoo[9:]}-quantity" type="text" value=""' in r.text

    async def test_bad_input_shows_the_form_as_typed_with_each_error_at_its_input(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, token = await self._page(api, clock, awarded)
        espoo, wien = _row(text, "City of Espoo"), _row(text, "Stadt Wien")
        form = _share_form(text, token, Espoo={"quantity": "a hundred"},
                           Wien={"value_amount": "-5", "value_currency": "XYZ",
                                 "unit": "screens"})  # fmt: skip
        r = await api.client.post(self._amend(awarded), data=form)
        assert r.status_code == 422
        assert f'id="{espoo}-quantity-error"' in r.text
        assert "Quantity for City of Espoo must be a number" in r.text
        assert f'id="{wien}-value_amount-error"' in r.text
        assert "Value for Stadt Wien must be 0 or more." in r.text
        assert f'id="{wien}-value_currency-error"' in r.text
        assert "XYZ is not a currency" in r.text
        # What was typed comes back, not the current shares.
        assert f'name="{espoo[9:]}-quantity" type="text" value="a hundred"' in r.text
        assert f'name="{wien[9:]}-value_amount" type="text" value="-5"' in r.text
        assert f'name="{wien[9:]}-value_currency" type="text" value="XYZ"' in r.text
        assert f'name="{wien[9:]}-unit" type="text" value="screens"' in r.text
        assert "<details open><summary>Amend the contract" in r.text
        assert (await self._contract(api, awarded))["amendments"] == []

    async def test_the_services_error_is_at_the_row_that_was_sent(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        # One row emptied: the other city's share is then another position in the list sent,
        # and the service's error about it still comes back at that city's inputs, in French.
        text, token = await self._page(api, clock, awarded)
        espoo, wien = _row(text, "City of Espoo"), _row(text, "Stadt Wien")
        api.client.cookies.set("icc_lang", "fr")
        form = _share_form(text, token, Espoo={"quantity": "", "unit": ""},
                           Wien={"value_amount": "1000", "value_currency": "SEK"})  # fmt: skip
        r = await api.client.post(self._amend(awarded), data=form)
        assert r.status_code == 422
        assert f'id="{wien}-value_currency-error"' in r.text
        assert f'id="{espoo}-value_currency-error"' not in r.text
        assert "Devise pour Stadt Wien" in r.text
        assert f'name="{espoo[9:]}-quantity" type="text" value=""' in r.text
        assert (await self._contract(api, awarded))["amendments"] == []

    async def test_another_buying_city_is_refused(
        self, api: Api, clock: FrozenClock, awarded: Awarded
    ) -> None:
        text, _ = await self._page(api, clock, awarded)
        form = _share_form(text, "", Wien={"quantity": "200"})
        await api.sign_in_browser(awarded.j.partner)
        page = await api.client.get(f"/tenders/{awarded.tender['id']}")
        assert "-quantity" not in page.text  # no share rows for them
        r = await api.client.post(self._amend(awarded), data=form | {"_csrf_token": csrf(page)})
        assert r.status_code == 403
        contract = await self._contract(api, awarded)
        assert contract["amendments"] == []
        assert {s["quantity"] for s in contract["shares"]} == {"80", "120"}
