"""The accounts API as clients use it: registration, tokens, organisations, members."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation, User
from tests.factories import PASSWORD, Api


class TestRegistration:
    async def test_register_returns_the_account_without_secrets(self, api: Api) -> None:
        r = await api.client.post(
            "/api/v1/auth/register",
            json={"email": "Officer@Espoo.FI", "password": PASSWORD, "name": "Officer"},
        )
        assert r.status_code == 201
        assert r.json()["email"] == "officer@espoo.fi"
        assert "password" not in r.text and "hash" not in r.text

    async def test_duplicate_email_is_409_and_creates_nothing(
        self, api: Api, db: AsyncSession
    ) -> None:
        body = {"email": "a.person@city.eu", "password": PASSWORD, "name": "A"}
        assert (await api.client.post("/api/v1/auth/register", json=body)).status_code == 201
        again = await api.client.post(
            "/api/v1/auth/register", json={**body, "email": "A.Person@City.eu"}
        )
        assert again.status_code == 409
        assert again.headers["content-type"].startswith("application/problem+json")
        assert again.json()["errors"] == [{"field": "email", "message": "is already registered"}]
        assert await db.scalar(select(func.count()).select_from(User)) == 1

    async def test_weak_password_is_422_naming_the_field(self, api: Api, db: AsyncSession) -> None:
        r = await api.client.post(
            "/api/v1/auth/register",
            json={"email": "weak@city.eu", "password": "short", "name": "W"},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "password"
        assert await db.scalar(select(func.count()).select_from(User)) == 0

    async def test_malformed_json_is_400_problem(self, api: Api) -> None:
        r = await api.client.post(
            "/api/v1/auth/register",
            content=b'{"email": "x@y.eu",',
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 400
        problem = r.json()
        assert problem["status"] == 400 and problem["title"] == "Bad request"
        assert r.headers["content-type"].startswith("application/problem+json")

    async def test_invalid_email_is_422(self, api: Api) -> None:
        r = await api.client.post(
            "/api/v1/auth/register",
            json={"email": "not-an-email", "password": PASSWORD, "name": "N"},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "email"


class TestTokens:
    async def test_token_authenticates_and_me_lists_memberships(self, api: Api) -> None:
        person = await api.person("Mia")
        organisation = await api.organisation(person, "sme")
        r = await api.client.get("/api/v1/me", headers=person.headers)
        assert r.status_code == 200
        assert r.json()["memberships"] == [{"organisation_id": organisation["id"], "role": "owner"}]

    async def test_bad_credentials_are_401(self, api: Api) -> None:
        person = await api.person()
        r = await api.client.post(
            "/api/v1/auth/tokens", json={"email": person.email, "password": "wrong password!"}
        )
        assert r.status_code == 401

    async def test_revocation_takes_effect_immediately(self, api: Api) -> None:
        person = await api.person()
        tokens = (await api.client.get("/api/v1/auth/tokens", headers=person.headers)).json()
        assert len(tokens) == 1 and "token" not in tokens[0]
        r = await api.client.delete(
            f"/api/v1/auth/tokens/{tokens[0]['id']}", headers=person.headers
        )
        assert r.status_code == 204
        after = await api.client.get("/api/v1/me", headers=person.headers)
        assert after.status_code == 401

    async def test_a_user_cannot_revoke_another_users_token(self, api: Api) -> None:
        owner, other = await api.person("Owner"), await api.person("Other")
        token_id = (await api.client.get("/api/v1/auth/tokens", headers=owner.headers)).json()[0][
            "id"
        ]
        r = await api.client.delete(f"/api/v1/auth/tokens/{token_id}", headers=other.headers)
        assert r.status_code == 404
        assert (await api.client.get("/api/v1/me", headers=owner.headers)).status_code == 200

    async def test_sign_in_is_rate_limited_after_repeated_failures(self, api: Api) -> None:
        person = await api.person()
        body = {"email": person.email, "password": "definitely wrong"}
        statuses = [
            (await api.client.post("/api/v1/auth/tokens", json=body)).status_code for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        # Even the right password is refused while the limit holds.
        right = await api.client.post(
            "/api/v1/auth/tokens", json={"email": person.email, "password": PASSWORD}
        )
        assert right.status_code == 429
        assert int(right.headers["retry-after"]) > 0

    async def test_rate_limit_lifts_when_the_window_passes(self, api: Api, clock: Any) -> None:
        from datetime import timedelta

        person = await api.person()
        for _ in range(5):
            await api.client.post(
                "/api/v1/auth/tokens", json={"email": person.email, "password": "wrong wrong"}
            )
        clock.advance(timedelta(minutes=16))
        r = await api.client.post(
            "/api/v1/auth/tokens", json={"email": person.email, "password": PASSWORD}
        )
        assert r.status_code == 201


class TestOrganisations:
    async def test_creator_becomes_owner_and_organisation_starts_unverified(self, api: Api) -> None:
        person = await api.person()
        organisation = await api.organisation(person, "city", name="Espoo", country="FI")
        assert organisation["verified"] is False
        public = await api.client.get(f"/api/v1/organisations/{organisation['id']}")
        assert public.json()["name"] == "Espoo" and public.json()["verified"] is False

    async def test_unknown_nuts_code_is_422_and_nothing_saved(
        self, api: Api, db: AsyncSession
    ) -> None:
        person = await api.person()
        r = await api.client.post(
            "/api/v1/organisations",
            json={"name": "Nowhere", "kind": "city", "country": "FI", "nuts_code": "FI999"},
            headers=person.headers,
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "nuts_code"
        assert await db.scalar(select(func.count()).select_from(Organisation)) == 0

    async def test_nuts_region_must_lie_in_the_country(self, api: Api) -> None:
        person = await api.person()
        r = await api.client.post(
            "/api/v1/organisations",
            json={"name": "Mismatch", "kind": "city", "country": "ES", "nuts_code": "FI1B1"},
            headers=person.headers,
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "nuts_code"

    async def test_unknown_country_and_kind_are_named(self, api: Api) -> None:
        person = await api.person()
        r = await api.client.post(
            "/api/v1/organisations",
            json={"name": "Bad", "kind": "bank", "country": "XX"},
            headers=person.headers,
        )
        assert r.status_code == 422
        assert {e["field"] for e in r.json()["errors"]} == {"kind", "country"}

    async def test_greek_cities_use_el_nuts_codes(self, api: Api) -> None:
        person = await api.person()
        org = await api.organisation(person, "city", country="GR", nuts_code="EL522")
        assert org["nuts_code"] == "EL522"

    async def test_anonymous_cannot_create(self, api: Api) -> None:
        r = await api.client.post(
            "/api/v1/organisations", json={"name": "Anon", "kind": "sme", "country": "FI"}
        )
        assert r.status_code == 401

    async def test_list_is_paginated_with_total(self, api: Api) -> None:
        person = await api.person()
        for _ in range(3):
            await api.organisation(person, "sme")
        r = await api.client.get("/api/v1/organisations?kind=sme&per_page=2&page=2")
        body = r.json()
        assert body["total"] == 3 and body["page"] == 2 and len(body["items"]) == 1
        too_many = await api.client.get("/api/v1/organisations?per_page=500")
        # A query parameter out of its bounds is a malformed request: 400 naming it.
        assert too_many.status_code == 400
        assert too_many.json()["errors"][0]["field"] == "per_page"


class TestOrganisationProfile:
    """What OCDS publishes of a party (address, contact point, registration numbers, the
    type of public buyer) is kept up to date by the organisation's editors."""

    async def test_an_editor_updates_address_contact_and_registration_numbers(
        self, api: Api, db: AsyncSession
    ) -> None:
        owner = await api.person("Owner")
        body = {"name": "Inkoopbureau West-Brabant", "kind": "public_buyer",
                "buyer_type": "other_public_body", "country": "NL", "nuts_code": "NL341",
                "identifiers": [{"scheme": "NL-KVK", "id": "2030 2412"}]}  # fmt: skip
        org = (await api.client.post("/api/v1/organisations", json=body,
                                     headers=owner.headers)).json()  # fmt: skip
        r = await api.client.patch(
            f"/api/v1/organisations/{org['id']}",
            json={"buyer_type": "central_purchasing_body", "street_address": "Markt 1",
                  "locality": "Roosendaal", "postal_code": "4701 PA", "email": "inkoop@ibwb.nl",
                  "telephone": "+31 165 000 000",
                  "identifiers": [{"scheme": "NL-KVK", "id": "20302412"},
                                  {"scheme": "EU-VAT", "id": "NL0000.00.000B01"}]},
            headers=owner.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        out = r.json()
        assert (out["buyer_type"], out["locality"], out["email"]) == (
            "central_purchasing_body", "Roosendaal", "inkoop@ibwb.nl",
        )  # fmt: skip
        from marketplace.accounts.models import OrganisationIdentifier

        held = (await db.execute(
            select(OrganisationIdentifier.scheme, OrganisationIdentifier.identifier)
            .where(OrganisationIdentifier.organisation_id == org["id"])
            .order_by(OrganisationIdentifier.position)
        )).all()  # fmt: skip
        assert [tuple(h) for h in held] == [("NL-KVK", "20302412"), ("EU-VAT", "NL000000000B01")]
        # A blank or null contact field clears it; the rest stays.
        r = await api.client.patch(f"/api/v1/organisations/{org['id']}",
                                   json={"telephone": None, "street_address": ""},
                                   headers=owner.headers)  # fmt: skip
        assert (r.json()["telephone"], r.json()["street_address"], r.json()["locality"]) == (
            None, None, "Roosendaal",
        )  # fmt: skip

    async def test_refusals_name_the_field_and_change_nothing(self, api: Api) -> None:
        owner = await api.person("Owner")
        city = await api.organisation(owner, "city", name="Espoo")
        other = await api.organisation(owner, "public_buyer", name="Hansel",
                                       buyer_type="central_purchasing_body",
                                       identifiers=[{"scheme": "FI-PRO", "id": "1988747-1"}])  # fmt: skip
        cases = [
            (city, {"buyer_type": "region"}, "buyer_type"),
            (other, {"buyer_type": "city"}, "buyer_type"),
            (other, {"email": "not an address"}, "email"),
            (other, {"identifiers": [{"scheme": "kvk", "id": "1"}]}, "identifiers.0.scheme"),
            (city, {"identifiers": [{"scheme": "FI-PRO", "id": "1988747 - 1"}]}, "identifiers"),
        ]
        for organisation, change, field in cases:
            r = await api.client.patch(f"/api/v1/organisations/{organisation['id']}",
                                       json={"locality": "Changed", **change},
                                       headers=owner.headers)  # fmt: skip
            assert r.status_code == 422, (change, r.text)
            assert field in [e["field"] for e in r.json()["errors"]], (change, r.json())
            shown = await api.client.get(f"/api/v1/organisations/{organisation['id']}")
            assert shown.json()["locality"] is None


class TestAuthorisation:
    async def test_member_of_a_cannot_add_members_to_or_edit_b(self, api: Api) -> None:
        alice, bob = await api.person("Alice"), await api.person("Bob")
        org_a = await api.organisation(alice, "city")
        org_b = await api.organisation(bob, "city")
        r = await api.client.post(
            f"/api/v1/organisations/{org_b['id']}/members",
            json={"email": alice.email, "role": "owner"},
            headers=alice.headers,
        )
        assert r.status_code == 403
        r = await api.client.patch(
            f"/api/v1/organisations/{org_b['id']}", json={"name": "Hijacked"}, headers=alice.headers
        )
        assert r.status_code == 403
        assert (await api.client.get(f"/api/v1/organisations/{org_b['id']}")).json()[
            "name"
        ] == org_b["name"]
        assert org_a["id"] != org_b["id"]

    async def test_viewer_cannot_edit_editor_can(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        viewer = await api.member(owner, org["id"], "viewer", "Viewer")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        path = f"/api/v1/organisations/{org['id']}"
        denied = await api.client.patch(path, json={"description": "x"}, headers=viewer.headers)
        assert denied.status_code == 403
        allowed = await api.client.patch(
            path, json={"description": "Sensors"}, headers=editor.headers
        )
        assert allowed.status_code == 200 and allowed.json()["description"] == "Sensors"

    async def test_editor_cannot_add_members(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        newcomer = await api.person("New")
        r = await api.client.post(
            f"/api/v1/organisations/{org['id']}/members",
            json={"email": newcomer.email, "role": "viewer"},
            headers=editor.headers,
        )
        assert r.status_code == 403

    async def test_adding_unknown_email_or_twice_is_refused(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        path = f"/api/v1/organisations/{org['id']}/members"
        unknown = await api.client.post(
            path, json={"email": "nobody@example.eu", "role": "viewer"}, headers=owner.headers
        )
        assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "email"
        twice = await api.client.post(
            path, json={"email": owner.email, "role": "viewer"}, headers=owner.headers
        )
        assert twice.status_code == 409

    async def test_only_platform_admins_verify(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "city")
        denied = await api.client.post(
            f"/api/v1/organisations/{org['id']}/verify", headers=owner.headers
        )
        assert denied.status_code == 403
        admin = await api.person("Admin", admin=True)
        r = await api.client.post(
            f"/api/v1/organisations/{org['id']}/verify", headers=admin.headers
        )
        assert r.status_code == 200 and r.json()["verified"] is True

    async def test_members_list_is_private(self, api: Api) -> None:
        owner, stranger = await api.person("Owner"), await api.person("Stranger")
        org = await api.organisation(owner, "city")
        path = f"/api/v1/organisations/{org['id']}/members"
        assert (await api.client.get(path, headers=stranger.headers)).status_code == 403
        members = (await api.client.get(path, headers=owner.headers)).json()
        assert [m["role"] for m in members] == ["owner"]


async def test_health_reports_database(client: AsyncTestClient[Litestar]) -> None:
    r = await client.get("/health")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"


async def test_openapi_document_describes_the_api(client: AsyncTestClient[Litestar]) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/v1/auth/register", "/api/v1/auth/tokens", "/api/v1/me",
                 "/api/v1/organisations", "/api/v1/organisations/{organisation_id}/verify"):  # fmt: skip
        assert path in spec["paths"], path
    docs = await client.get("/schema/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "unpkg" not in docs.text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
