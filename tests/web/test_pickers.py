"""Pickers wherever a form asks for a code or an id (issue 19): CPV codes and NUTS regions
found by code or words and chosen with their names, countries and currencies with the
European ones first, one's own listing and the call's tenders chosen by title. Through the
pages, without JavaScript (the browser test types in the tender form with it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from httpx import Response

from marketplace.clock import FrozenClock
from marketplace.reference import finding
from marketplace.reference import vocabularies as vocab
from tests.factories import Api, csrf
from tests.funding.helpers import DEADLINE, scene
from tests.listings.conftest import complete_listing
from tests.tenders.helpers import Joint, joint


def _options(html: str, select_id: str) -> list[str]:
    """The option values of a select, in order."""
    body = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', body)


def _boxes(html: str, name: str) -> list[tuple[str, bool]]:
    """The checkboxes (value, ticked) named `name`, in order."""
    return [
        (m.group(2), bool(m.group(3)))
        for m in re.finditer(
            rf'<input type="(checkbox|radio)" name="{re.escape(name)}" value="([^"]*)"( checked)?',
            html,
        )
    ]


def _deadlines(clock: FrozenClock) -> dict[str, str]:
    return {
        "clarification_deadline": (clock.now() + timedelta(days=25)).strftime("%Y-%m-%dT%H:%M"),
        "submission_deadline": (clock.now() + timedelta(days=35)).strftime("%Y-%m-%dT%H:%M"),
    }


async def _draft(api: Api, j: Joint, clock: FrozenClock, **fields: Any) -> Response:
    form = await api.client.get("/tenders/new")
    data = {
        "_csrf_token": csrf(form), "lead_buyer_id": j.city_a["id"], "title": "Street lights",
        "description": "Adaptive LED street lighting.", "procedure": "open", "currency": "EUR",
        "lot_1_title": "Luminaires", "criterion_1_name": "Price", "criterion_1_weight": "100",
        **_deadlines(clock), **fields,
    }  # fmt: skip
    return await api.client.post("/tenders/new", data=data)


class TestTypeAhead:
    async def test_codes_are_found_by_their_beginning_and_by_words_of_their_name(
        self, api: Api
    ) -> None:
        by_code = await api.client.get(
            "/reference/cpv", params={"name": "cpv_codes", "cpv_codes_q": "3492"}
        )
        assert by_code.status_code == 200 and "<html" not in by_code.text
        codes = [v for v, _ in _boxes(by_code.text, "cpv_codes")]
        assert codes and all(c.startswith("3492") for c in codes)
        by_words = await api.client.get(
            "/reference/cpv",
            params={"name": "lot_2_cpv_codes", "lot_2_cpv_codes_q": "LIGHTING street"},
        )
        found = dict(
            re.findall(r'value="([^"]+)"> <code>[^<]+</code> ([^<]+)</label>', by_words.text)
        )
        assert found["34928500-3"] == "Street-lighting equipment"
        assert all("street" in n.lower() and "lighting" in n.lower() for n in found.values())
        assert _boxes(by_words.text, "lot_2_cpv_codes")  # named for the picker that asked

    async def test_codes_already_chosen_are_not_offered_again(self, api: Api) -> None:
        r = await api.client.get(
            "/reference/cpv",
            params={
                "name": "cpv_codes",
                "cpv_codes_q": "street lighting",
                "cpv_codes": "34928500-3",
            },
        )
        assert "34928500-3" not in r.text and "50232100-1" in r.text

    async def test_nothing_found_says_so(self, api: Api) -> None:
        r = await api.client.get("/reference/cpv", params={"cpv_codes_q": "qqzzxx"})
        assert "No CPV code matches “qqzzxx”." in r.text

    async def test_regions_by_code_and_by_name_without_accents(self, api: Api) -> None:
        r = await api.client.get(
            "/reference/nuts", params={"name": "nuts_codes", "nuts_codes_q": "FI1B"}
        )
        assert [v for v, _ in _boxes(r.text, "nuts_codes")][:2] == ["FI1B", "FI1B1"]
        r = await api.client.get(
            "/reference/nuts", params={"name": "nuts_codes", "nuts_codes_q": "niederosterreich"}
        )
        assert "AT12" in r.text and "Niederösterreich" in r.text
        single = await api.client.get(
            "/reference/nuts", params={"name": "nuts_code", "nuts_code_q": "Wien", "single": "1"}
        )
        assert _boxes(single.text, "nuts_code") and 'type="radio"' in single.text

    async def test_a_french_reader_finds_codes_by_english_names_where_the_data_has_no_french(
        self, api: Api
    ) -> None:
        api.client.cookies.set("icc_lang", "fr")
        r = await api.client.get("/reference/cpv", params={"cpv_codes_q": "street lighting"})
        assert "Street-lighting equipment" in r.text
        r = await api.client.get("/reference/cpv", params={"cpv_codes_q": "qqzzxx"})
        assert "Aucun code CPV ne correspond à « qqzzxx »." in r.text

    @pytest.fixture
    def french_and_german_names(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """CPV data with French and German names, as the CSV has them once their columns
        (`label_fr`, `label_de`) are added."""
        names = {
            "fr": {"34928500": "Matériel d'éclairage public", "48000000": "Logiciels"},
            "de": {"34928500": "Straßenbeleuchtungsausrüstung", "48000000": "Software"},
        }
        monkeypatch.setattr(vocab, "cpv_labels", lambda language: names.get(language, {}))
        finding._cpv_index.cache_clear()
        yield
        finding._cpv_index.cache_clear()

    @pytest.mark.usefixtures("french_and_german_names")
    async def test_names_in_the_readers_language_where_the_data_has_them(self, api: Api) -> None:
        api.client.cookies.set("icc_lang", "fr")
        r = await api.client.get("/reference/cpv", params={"cpv_codes_q": "eclairage PUBLIC"})
        assert "<code>34928500-3</code> Matériel d&#39;éclairage public" in r.text
        api.client.cookies.set("icc_lang", "de")
        for typed in ("straßenbeleuchtung", "STRASSENBELEUCHTUNGSAUSRUSTUNG"):  # ß is ss
            r = await api.client.get("/reference/cpv", params={"cpv_codes_q": typed})
            assert "<code>34928500-3</code> Straßenbeleuchtungsausrüstung" in r.text
        # The English name still finds the code, shown in the reader's language.
        r = await api.client.get(
            "/reference/cpv", params={"cpv_codes_q": "Street-lighting equipment"}
        )
        assert "Straßenbeleuchtungsausrüstung" in r.text


class TestTenderForm:
    async def test_a_code_chosen_by_its_name_is_saved_without_javascript(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        form = await api.client.get("/tenders/new")
        assert 'hx-get="/reference/cpv"' in form.text and 'hx-get="/reference/nuts"' in form.text
        assert 'name="cpv_codes_q"' in form.text and 'name="lot_1_cpv_codes_q"' in form.text
        # "Find" redraws the form with what it found; nothing is saved.
        found = await _draft(api, j, clock, cpv_codes_q="street lighting", find="cpv_codes")
        assert found.status_code == 200 and not found.history
        assert ("34928500-3", False) in _boxes(found.text, "cpv_codes")
        assert 'value="Street lights"' in found.text
        # Tick one found, type a name into another picker and a code into a lot's: all saved.
        saved = await _draft(
            api, j, clock, cpv_codes="34928500-3", nuts_codes_q="Lombardia",
            lot_1_cpv_codes_q="Street-lighting columns", lot_1_nuts_codes_q="fi1b1",
        )  # fmt: skip
        assert saved.history and saved.status_code == 200, saved.text
        tender_id = str(saved.url).rsplit("/", 1)[1]
        tender = (
            await api.client.get(f"/api/v1/tenders/{tender_id}", headers=j.lead.headers)
        ).json()
        assert tender["cpv_codes"] == ["34928500-3"] and tender["nuts_codes"] == ["ITC4"]
        assert tender["lots"][0]["cpv_codes"] == ["34928510-6"]
        # The edit page shows the chosen codes ticked, with their names.
        edit = await api.client.get(f"/tenders/{tender_id}/edit")
        assert ("34928500-3", True) in _boxes(edit.text, "cpv_codes")
        assert "<code>34928500-3</code> Street-lighting equipment" in edit.text
        assert "<code>ITC4</code> Lombardia" in edit.text
        assert ("34928510-6", True) in _boxes(edit.text, "lot_1_cpv_codes")
        # Unticking a code and adding another by its code, on the edit page.
        data = {"_csrf_token": csrf(edit), "title": "Street lights", "procedure": "open",
                "description": "Adaptive LED street lighting.", "currency": "EUR",
                "lot_1_title": "Luminaires", "criterion_1_name": "Price",
                "criterion_1_weight": "100", "cpv_codes_q": "50232100", **_deadlines(clock)}  # fmt: skip
        r = await api.client.post(f"/tenders/{tender_id}/edit", data=data)
        assert r.history, r.text
        tender = (
            await api.client.get(f"/api/v1/tenders/{tender_id}", headers=j.lead.headers)
        ).json()
        assert tender["cpv_codes"] == ["50232100-1"] and tender["nuts_codes"] == []

    async def test_what_is_not_a_code_is_refused_at_its_field_with_codes_to_choose(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        r = await _draft(api, j, clock, cpv_codes_q="lighting", nuts_codes_q="XX999")
        assert r.status_code == 422
        assert 'href="#cpv_codes"' in r.text and 'href="#nuts_codes"' in r.text
        assert (
            '<a href="#cpv_codes">lighting is not a CPV code; choose one from the list.</a>'
            in r.text
        )
        assert (
            '<a href="#nuts_codes">XX999 is not a region code; choose one from the list.</a>'
            in r.text
        )
        assert 'value="lighting"' in r.text  # still in the box
        assert ("34928500-3", False) in _boxes(r.text, "cpv_codes")  # to tick
        r = await _draft(api, j, clock, cpv_codes="12345678")
        assert r.status_code == 422 and "(not a CPV code)" in r.text


class TestCountriesAndCurrencies:
    async def test_the_eu_and_eea_come_first_in_the_readers_order(self, api: Api) -> None:
        person = await api.person()
        await api.sign_in_browser(person)
        page = (await api.client.get("/organisations/new")).text
        order = [c for c in _options(page, "country") if c]
        eu_eea = set(order[:30])
        assert len(eu_eea) == 30 and {"FI", "AT", "NO", "IS", "LI", "DE"} <= eu_eea
        assert "AF" not in eu_eea and "US" not in eu_eea and order.index("AF") == 30
        assert order[:2] == ["AT", "BE"]  # Austria, Belgium
        # Every city of the demo network is in a country of the first group.
        from marketplace.accounts.demo import CITIES

        assert {country for _, country, _ in CITIES} <= eu_eea
        api.client.cookies.set("icc_lang", "de")
        order = [
            c for c in _options((await api.client.get("/organisations/new")).text, "country") if c
        ]
        assert order[:2] == ["BE", "BG"]  # Belgien, Bulgarien (Dänemark, Deutschland, …)
        assert order.index("AT") < order.index("PL")  # Österreich sorts as "Osterreich"
        api.client.cookies.set("icc_lang", "fr")
        order = [
            c for c in _options((await api.client.get("/organisations/new")).text, "country") if c
        ]
        assert order[:2] == ["DE", "AT"]  # Allemagne, Autriche
        assert order[30:32] == ["AF", "ZA"]  # Afghanistan, Afrique du Sud

    async def test_several_countries_are_ticked_not_ctrl_clicked(self, api: Api) -> None:
        s = await scene(api)
        await api.sign_in_browser(s.funder_owner)
        page = await api.client.get("/funding/dashboard")
        assert 'name="countries" multiple' not in page.text
        boxes = [v for v, _ in _boxes(page.text, "countries")]
        assert len(boxes) == len(vocab.countries()) and boxes[0] == "AT"
        r = await api.client.post(
            f"/funding/funders/{s.funder['id']}/profile",
            data={"_csrf_token": csrf(page), "themes": "mobility", "instruments": "loan",
                  "currency": "EUR", "countries": ["FI", "SE"], "nuts_codes_q": "ITC4 at130"},
        )  # fmt: skip
        assert r.history, r.text
        page = await api.client.get("/funding/dashboard")
        assert {("FI", True), ("SE", True), ("AT", False)} <= set(_boxes(page.text, "countries"))
        assert {("ITC4", True), ("AT130", True)} <= set(_boxes(page.text, "nuts_codes"))

    async def test_currencies_start_with_the_euro_and_offer_every_other(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        page = (await api.client.get("/tenders/new")).text
        codes = _options(page, "currency")
        assert codes[0] == "EUR" and {"SEK", "PLN", "CHF", "USD", "JPY"} <= set(codes)
        assert codes.index("PLN") < codes.index("AUD") < codes.index("USD")
        assert "EUR — Euro" in page and "USD — US Dollar" in page
        api.client.cookies.set("icc_lang", "fr")
        assert "EUR — euro" in (await api.client.get("/tenders/new")).text
        assert "PLN — zloty polonais" in (await api.client.get("/tenders/new")).text


class TestChoosingByTitle:
    async def test_a_response_offers_only_the_responders_published_listings(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        sme = j.sme["id"]

        async def listing(owner: Any, organisation_id: str, title: str, publish: bool) -> str:
            r = await api.client.post(
                "/api/v1/listings", json=complete_listing(organisation_id, title=title),
                headers=owner.headers,
            )  # fmt: skip
            assert r.status_code == 201, r.text
            if publish:
                await api.client.post(
                    f"/api/v1/listings/{r.json()['id']}/publish", headers=owner.headers
                )
            return str(r.json()["id"])

        mine = await listing(j.supplier, sme, "Passenger displays", True)
        await listing(j.supplier, sme, "Unfinished idea", False)
        other_owner = await api.person("Other supplier")
        other_sme = await api.organisation(other_owner, "sme", verified=True, name="Rival Oy")
        await listing(other_owner, other_sme["id"], "Rival displays", True)
        await api.sign_in_browser(j.supplier)
        page = await api.client.get(f"/tenders/{tender['id']}/respond")
        assert _options(page.text, "listing_id") == ["", mine]
        assert f'<option value="{mine}">Passenger displays</option>' in page.text
        assert "Unfinished idea" not in page.text and "Rival displays" not in page.text
        assert 'name="listing_id" type="text"' not in page.text
        r = await api.client.post(
            f"/tenders/{tender['id']}/respond",
            data={"_csrf_token": csrf(page), "organisation_id": sme,
                  "lot_ids": [lot["id"] for lot in tender["lots"]], "price_amount": "100000",
                  "currency": "EUR", "technical_summary": "Displays at every stop.",
                  "standards": "OASC-MIM1", "listing_id": mine},
        )  # fmt: skip
        assert r.history, r.text
        mine_page = await api.client.get("/my/responses")
        assert mine_page.status_code == 200

    async def test_a_funding_call_names_the_tenders_of_its_cities_by_title(
        self, api: Api, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        # A published tender and a draft of the call's city, another city's draft.
        ours = await api.client.post(
            "/api/v1/tenders", headers=s.city_owner.headers,
            json=_tender(s.city["id"], clock, "Electric buses for Espoo"),
        )  # fmt: skip
        assert ours.status_code == 201, ours.text
        other_owner = await api.person("Other city officer")
        other_city = await api.organisation(other_owner, "city", verified=True, name="Other town")
        theirs = await api.client.post(
            "/api/v1/tenders", headers=other_owner.headers,
            json=_tender(other_city["id"], clock, "Secret draft of another city"),
        )  # fmt: skip
        assert theirs.status_code == 201
        await api.sign_in_browser(s.city_owner)
        page = await api.client.get("/funding-calls/new")
        assert _boxes(page.text, "tender_ids") == [(ours.json()["id"], False)]
        assert "Electric buses for Espoo" in page.text
        assert "Secret draft of another city" not in page.text
        assert (
            'name="tender_ids"' in page.text
            and "<textarea" not in page.text.split('id="tender_ids"')[1].split("</fieldset>")[0]
        )
        r = await api.client.post(
            "/funding-calls/new",
            data={"_csrf_token": csrf(page), "organisation_id": s.city["id"],
                  "title": "Buses", "summary": "Electric buses.", "themes": "mobility",
                  "instruments": "grant", "amount_sought.amount": "1000000",
                  "amount_sought.currency": "EUR", "tender_ids": ours.json()["id"],
                  "deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M")},
        )  # fmt: skip
        assert r.history, r.text
        assert (ours.json()["id"], True) in _boxes(r.text, "tender_ids")  # the workspace
        call_id = str(r.url).split("/")[-2]
        call = await api.client.get(f"/funding-calls/{call_id}")
        assert f'<a href="/tenders/{ours.json()["id"]}">Electric buses for Espoo</a>' in call.text


def _tender(city_id: str, clock: FrozenClock, title: str) -> dict[str, Any]:
    return {
        "lead_buyer_id": city_id, "title": title, "description": "Buses.",
        "procedure": "open", "cpv_codes": ["34144910"],
        "lots": [{"title": "Buses", "estimated_value": {"amount": "1000", "currency": "EUR"}}],
        "award_criteria": [{"name": "Price", "weight": 100}],
        "submission_deadline": (clock.now() + timedelta(days=40)).isoformat(),
    }  # fmt: skip


class TestOrganisationRegion:
    async def test_the_region_is_chosen_by_name(self, api: Api) -> None:
        person = await api.person()
        await api.sign_in_browser(person)
        form = await api.client.get("/organisations/new")
        r = await api.client.post(
            "/organisations/new",
            data={"_csrf_token": csrf(form), "name": "Lombard Lights Srl", "kind": "sme",
                  "country": "IT", "nuts_code_q": "Lombardia"},
        )  # fmt: skip
        assert r.history, r.text
        assert "Lombardia (ITC4)" in r.text
        organisation_id = str(r.url).rsplit("/", 1)[1]
        edit = await api.client.get(f"/organisations/{organisation_id}/edit")
        assert ("ITC4", True) in _boxes(edit.text, "nuts_code")
        found = await api.client.post(
            f"/organisations/{organisation_id}/edit",
            data={"_csrf_token": csrf(edit), "name": "Lombard Lights Srl", "nuts_code": "ITC4",
                  "nuts_code_q": "Milano", "find": "nuts_code"},
        )  # fmt: skip
        assert found.status_code == 200 and ("ITC4C", False) in _boxes(found.text, "nuts_code")
        saved = await api.client.post(
            f"/organisations/{organisation_id}/edit",
            data={"_csrf_token": csrf(edit), "name": "Lombard Lights Srl", "nuts_code": "ITC4C"},
        )
        assert saved.history and "Milano (ITC4C)" in saved.text
