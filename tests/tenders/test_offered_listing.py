"""A response offers one of the responding SME's own published listings: not another SME's,
not a draft, not an id made up. The API and the page refuse it with 422 naming `listing_id`."""

from __future__ import annotations

from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api, Person, csrf
from tests.listings.conftest import complete_listing
from tests.tenders.helpers import Joint, joint


async def _listing(api: Api, person: Person, sme: dict[str, Any], publish: bool = True) -> str:
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme["id"]), headers=person.headers
    )
    assert r.status_code == 201, r.text
    listing_id: str = r.json()["id"]
    if publish:
        r = await api.client.post(f"/api/v1/listings/{listing_id}/publish", headers=person.headers)
        assert r.status_code == 200, r.text
    return listing_id


async def _rival(api: Api) -> str:
    """A published listing of another SME."""
    rival = await api.person("Rival supplier")
    other = await api.organisation(rival, "sme", verified=True, name="Rival Lighting Oy")
    return await _listing(api, rival, other)


def _refused_naming_listing(r: Any) -> None:
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["listing_id"]
    assert "published solutions" in r.json()["errors"][0]["message"]


class TestTheOfferedListing:
    async def test_another_smes_a_draft_or_an_unknown_listing_is_refused(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rivals = await _rival(api)
        draft = await _listing(api, j.supplier, j.sme, publish=False)
        for listing_id in (rivals, draft, "00000000-0000-0000-0000-000000000000"):
            _refused_naming_listing(await j.respond(api, tender, listing_id=listing_id))
        # Nothing was submitted by the refused attempts.
        mine = await api.client.get(
            f"/api/v1/tenders/{tender['id']}/responses", headers=j.supplier.headers
        )
        assert mine.json()["total"] == 0
        own = await _listing(api, j.supplier, j.sme)
        r = await j.respond(api, tender, listing_id=own)
        assert r.status_code == 201, r.text
        assert r.json()["listing_id"] == own

    async def test_a_revision_may_change_or_clear_it_but_not_to_someone_elses(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        own = await _listing(api, j.supplier, j.sme)
        rid = (await j.respond(api, tender, listing_id=own)).json()["id"]
        url = f"/api/v1/tenders/{tender['id']}/responses/{rid}"
        r = await api.client.patch(url, json={"listing_id": await _rival(api)},
                                   headers=j.supplier.headers)  # fmt: skip
        _refused_naming_listing(r)
        assert (await api.client.get(url, headers=j.supplier.headers)).json()["listing_id"] == own
        r = await api.client.patch(url, json={"listing_id": None}, headers=j.supplier.headers)
        assert r.status_code == 200 and r.json()["listing_id"] is None
        r = await api.client.patch(url, json={"listing_id": own}, headers=j.supplier.headers)
        assert r.status_code == 200 and r.json()["listing_id"] == own

    async def test_a_withdrawn_listing_is_no_longer_offered(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        own = await _listing(api, j.supplier, j.sme)
        r = await api.client.post(f"/api/v1/listings/{own}/archive", headers=j.supplier.headers)
        assert r.status_code == 200, r.text
        _refused_naming_listing(await j.respond(api, tender, listing_id=own))


class TestOnThePage:
    async def _form(self, api: Api, j: Joint, tender: dict[str, Any], listing_id: str) -> Any:
        await api.sign_in_browser(j.supplier)
        form = await api.client.get(f"/tenders/{tender['id']}/respond")
        data = {
            "_csrf_token": csrf(form), "organisation_id": j.sme["id"], "listing_id": listing_id,
            "lot_ids": [tender["lots"][0]["id"]], "price_amount": "99000", "currency": "EUR",
            "technical_summary": "Displays with e-ink panels, solar powered.",
            "commitment_0_target": "4", "standards": "OASC-MIM1",
        }  # fmt: skip
        return await api.client.post(f"/tenders/{tender['id']}/respond", data=data)

    async def test_the_form_refuses_another_smes_listing_beside_the_field(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rivals = await _rival(api)
        r = await self._form(api, j, tender, rivals)
        assert r.status_code == 422
        assert 'id="listing_id-error"' in r.text
        assert "Choose one of your organisation’s published solutions" in r.text  # noqa: RUF001
        own = await _listing(api, j.supplier, j.sme)
        r = await self._form(api, j, tender, own)
        assert r.history and r.url.path == "/my/responses", r.text
