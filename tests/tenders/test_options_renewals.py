"""Issue 18: a lot's options and renewals are set by the draft form and the JSON API (not
only by imports), shown on the tender page and published in OCDS (`hasOptions`/`options`,
`hasRenewal`/`renewal` of the lots extension)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api, csrf
from tests.tenders.helpers import Joint, joint


def _form(j: Joint, clock: FrozenClock, token: str, **lot: str) -> dict[str, Any]:
    return {
        "_csrf_token": token, "lead_buyer_id": j.city_a["id"], "title": "Smart street lighting",
        "procedure": "open", "description": "Adaptive LED street lighting for two cities.",
        "cpv_codes": "34993000", "currency": "EUR", "lot_1_title": "Luminaires",
        "lot_1_amount": "200000", "invited": j.city_b["id"],
        "criterion_1_name": "Price", "criterion_1_weight": "50",
        "criterion_2_name": "Quality", "criterion_2_weight": "50",
        "clarification_deadline": (clock.now() + timedelta(days=25)).strftime("%Y-%m-%dT%H:%M"),
        "submission_deadline": (clock.now() + timedelta(days=35)).strftime("%Y-%m-%dT%H:%M"),
        **lot,
    }  # fmt: skip


async def _ocds_lot(api: Api, j: Joint, tender_id: str) -> dict[str, Any]:
    r = await api.client.post(
        f"/api/v1/tenders/{tender_id}/buyers/{j.city_b['id']}/confirm", headers=j.partner.headers
    )
    assert r.status_code == 200, r.text
    r = await api.client.post(f"/api/v1/tenders/{tender_id}/publish", headers=j.lead.headers)
    assert r.status_code == 200, r.text
    release = (await api.client.get(f"/api/v1/tenders/{tender_id}/ocds")).json()["releases"][-1]
    lot: dict[str, Any] = release["tender"]["lots"][0]
    return lot


class TestOnTheDraftForm:
    async def test_options_and_renewals_are_saved_shown_edited_and_published(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        form = await api.client.get("/tenders/new")
        assert 'name="lot_1_renewable"' in form.text and 'name="lot_1_max_renewals"' in form.text
        r = await api.client.post("/tenders/new", data=_form(
            j, clock, csrf(form), lot_1_options="200 more luminaires within two years",
            lot_1_renewable="1", lot_1_max_renewals="2",
            lot_1_renewals="Two renewals of one year each",
        ))  # fmt: skip
        assert r.history and r.status_code == 200, r.text
        tender_id = str(r.url).rsplit("/", 1)[1]
        assert "options: 200 more luminaires within two years" in r.text
        assert "renewable (up to 2 times): Two renewals of one year each" in r.text
        tender = (await api.client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["lots"][0]["options"] == {
            "description": "200 more luminaires within two years"
        }
        assert tender["lots"][0]["renewals"] == {
            "max_renewals": 2,
            "description": "Two renewals of one year each",
        }
        # The edit form shows them; saving it with the box ticked only keeps a renewable lot.
        edit = await api.client.get(f"/tenders/{tender_id}/edit")
        assert 'name="lot_1_renewable" value="1" checked' in edit.text
        assert 'value="Two renewals of one year each"' in edit.text
        renewable_only = _form(j, clock, csrf(edit), lot_1_renewable="1")
        r = await api.client.post(f"/tenders/{tender_id}/edit", data=renewable_only)
        assert r.history, r.text
        lot = (await api.client.get(f"/api/v1/tenders/{tender_id}")).json()["lots"][0]
        assert lot["renewals"] == {}  # renewable, nothing more said
        assert lot["options"] is None
        assert "renewable" in (await api.client.get(f"/tenders/{tender_id}")).text
        r = await api.client.post(f"/tenders/{tender_id}/edit", data=_form(
            j, clock, csrf(edit), lot_1_options="50 more", lot_1_max_renewals="3",
        ))  # fmt: skip
        assert r.history, r.text
        ocds = await _ocds_lot(api, j, tender_id)
        assert ocds["hasOptions"] is True and ocds["options"] == {"description": "50 more"}
        assert ocds["hasRenewal"] is True and ocds["renewal"]["maximumRenewals"] == 3

    async def test_a_bad_number_of_renewals_is_named_by_its_label(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        form = await api.client.get("/tenders/new")
        r = await api.client.post("/tenders/new", data=_form(
            j, clock, csrf(form), lot_1_max_renewals="0",
        ))  # fmt: skip
        assert r.status_code == 422
        assert 'id="lot_1_max_renewals-error"' in r.text
        assert "Most renewals of lot 1" in r.text


class TestThroughTheApi:
    async def test_a_draft_update_sets_and_clears_a_lots_options_and_renewals(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        url = f"/api/v1/tenders/{tender['id']}"
        lot = {k: tender["lots"][0][k] for k in ("title", "description")}
        r = await api.client.patch(url, json={"lots": [{
            **lot, "options": {"description": "A second phase"},
            "renewals": {"max_renewals": 1},
        }]}, headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["lots"][0]["options"] == {"description": "A second phase"}
        assert r.json()["lots"][0]["renewals"]["max_renewals"] == 1
        r = await api.client.patch(url, json={"lots": [{**lot, "renewals": {"max_renewals": 0}}]},
                                   headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "lots.0.renewals.max_renewals"
        ocds = await _ocds_lot(api, j, tender["id"])
        assert ocds["hasOptions"] is True and ocds["renewal"] == {"maximumRenewals": 1}
        r = await api.client.get(url)
        assert r.json()["lots"][0]["renewals"]["max_renewals"] == 1
