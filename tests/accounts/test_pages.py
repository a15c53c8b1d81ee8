"""The account pages as a person in a browser uses them (forms, CSRF, badges)."""

from __future__ import annotations

from tests.factories import PASSWORD, Api, csrf


class TestForms:
    async def test_a_form_post_without_csrf_token_is_rejected_and_changes_nothing(
        self, api: Api
    ) -> None:
        await api.client.get("/sign-up")
        r = await api.client.post(
            "/sign-up", data={"name": "Eve", "email": "eve@example.eu", "password": PASSWORD}
        )
        assert r.status_code == 403
        taken = await api.client.post(
            "/api/v1/auth/register",
            json={"email": "eve@example.eu", "password": PASSWORD, "name": "Eve"},
        )
        assert taken.status_code == 201  # the rejected form created no account

    async def test_sign_up_page_shows_field_errors_next_to_the_inputs(self, api: Api) -> None:
        page = await api.client.get("/sign-up")
        r = await api.client.post(
            "/sign-up",
            data={"name": "Ann", "email": "ann@example.eu", "password": "short",
                  "_csrf_token": csrf(page)},
        )  # fmt: skip
        assert r.status_code == 422
        assert 'id="password-error"' in r.text and "at least 10 characters" in r.text

    async def test_signed_in_person_creates_organisation_and_sees_it_unverified(
        self, api: Api
    ) -> None:
        person = await api.person("Olga")
        await api.sign_in_browser(person)
        form = await api.client.get("/organisations/new")
        r = await api.client.post(
            "/organisations/new",
            data={"name": "Kraków Mobility", "kind": "city", "country": "PL",
                  "nuts_code": "PL213", "_csrf_token": csrf(form)},
        )  # fmt: skip
        assert r.status_code == 200  # followed the redirect to the profile
        assert "Kraków Mobility" in r.text and "Not verified" in r.text

    async def test_unknown_nuts_code_on_the_form_is_shown_and_nothing_saved(self, api: Api) -> None:
        person = await api.person("Olga")
        await api.sign_in_browser(person)
        form = await api.client.get("/organisations/new")
        r = await api.client.post(
            "/organisations/new",
            data={"name": "Nowhere", "kind": "city", "country": "PL", "nuts_code": "PL999",
                  "_csrf_token": csrf(form)},
        )  # fmt: skip
        assert r.status_code == 422 and "PL999 is not a region code" in r.text
        listed = await api.client.get("/api/v1/organisations")
        assert listed.json()["total"] == 0

    async def test_admin_queue_is_for_admins_only(self, api: Api) -> None:
        person = await api.person("Plain")
        await api.sign_in_browser(person)
        assert (await api.client.get("/admin/verification")).status_code == 403


class TestOrganisationProfilePage:
    async def test_the_edit_page_keeps_address_contact_type_and_registration_number(
        self, api: Api
    ) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(
            owner, "public_buyer", name="Hansel Oy", buyer_type="central_purchasing_body",
            identifiers=[{"scheme": "FI-PRO", "id": "1988747-1"}, {"scheme": "EU-VAT", "id": "FI19887471"}],
        )  # fmt: skip
        await api.sign_in_browser(owner)
        edit = await api.client.get(f"/organisations/{org['id']}/edit")
        assert 'value="FI-PRO"' in edit.text and 'value="1988747-1"' in edit.text
        assert "EU-VAT FI19887471" in edit.text  # the second number is kept, and said so
        saved = await api.client.post(
            f"/organisations/{org['id']}/edit",
            data={"_csrf_token": csrf(edit), "name": "Hansel Oy", "buyer_type": "public_company",
                  "nuts_code": "FI1B1", "identifier_scheme": "fi-pro", "identifier_id": "1988747-1",
                  "street_address": "Mannerheimintie 10", "locality": "Helsinki",
                  "postal_code": "00100", "contact_name": "Hankinnat",
                  "email": "hankinnat@hansel.fi", "telephone": "+358 29 444 4200"},
        )  # fmt: skip
        assert saved.history, saved.text
        assert "Mannerheimintie 10, 00100 Helsinki" in saved.text
        assert "hankinnat@hansel.fi" in saved.text and "Public company" in saved.text
        assert "FI-PRO 1988747-1" in saved.text and "EU-VAT FI19887471" in saved.text

        edit = await api.client.get(f"/organisations/{org['id']}/edit")
        bad = await api.client.post(
            f"/organisations/{org['id']}/edit",
            data={"_csrf_token": csrf(edit), "name": "Hansel Oy", "buyer_type": "public_company",
                  "nuts_code": "FI1B1", "email": "not an address", "locality": "Espoo"},
        )  # fmt: skip
        assert bad.status_code == 422 and "Contact e-mail" in bad.text
        shown = (await api.client.get(f"/api/v1/organisations/{org['id']}")).json()
        assert (shown["locality"], shown["email"]) == ("Helsinki", "hankinnat@hansel.fi")

    async def test_a_city_is_not_asked_its_type(self, api: Api) -> None:
        owner = await api.person("Owner")
        city = await api.organisation(owner, "city", name="Espoo")
        await api.sign_in_browser(owner)
        edit = await api.client.get(f"/organisations/{city['id']}/edit")
        assert edit.status_code == 200 and 'name="buyer_type"' not in edit.text
