"""The tender page and the API ask the same policy, so they agree on what each person may
do; the page shows a form exactly when the API lists the action and accepts it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api, Person, csrf
from tests.tenders.helpers import Joint, joint
from tests.tenders.test_pages import redirected

# How the tender page shows each action it offers.
MARKERS = {
    "publish": '/publish"',
    "amend": '/amendments"',
    "cancel": '/cancel"',
    "ask": 'action="/tenders/{id}/questions"',
    "respond": 'href="/tenders/{id}/respond"',
    "read_responses": 'href="/tenders/{id}/responses"',
}


async def _agree(api: Api, person: Person, tender_id: str) -> set[str]:
    """The actions the API lists for the person; asserts the page offers exactly those."""
    r = await api.client.get(f"/api/v1/tenders/{tender_id}", headers=person.headers)
    assert r.status_code == 200, r.text
    listed = set(r.json()["actions"])
    await api.sign_in_browser(person)
    page = await api.client.get(f"/tenders/{tender_id}")
    await api.client.post("/sign-out", data={"_csrf_token": csrf(page)})
    shown = {a for a, marker in MARKERS.items() if marker.format(id=tender_id) in page.text}
    assert shown == listed & set(MARKERS), (person, listed, shown)
    return listed


async def _evaluation(api: Api, clock: FrozenClock, j: Joint) -> dict[str, Any]:
    tender = await j.published(api, clock)
    assert (await j.respond(api, tender)).status_code == 201
    clock.advance(timedelta(days=36))
    return tender


class TestPageAndApiAgree:
    async def test_at_every_stage_for_every_person(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        assert await _agree(api, j.lead, draft["id"]) == {"edit", "publish", "cancel", "answer"}
        assert await _agree(api, j.partner, draft["id"]) == {"answer"}
        active = await j.published(api, clock)
        assert await _agree(api, j.lead, active["id"]) == {"amend", "cancel", "ask", "answer"}
        assert await _agree(api, j.supplier, active["id"]) == {"ask", "respond"}
        assert (await j.respond(api, active)).status_code == 201
        clock.advance(timedelta(days=36))
        assert await _agree(api, j.lead, active["id"]) == {
            "cancel", "answer", "read_responses", "score", "decide",
        }  # fmt: skip
        assert await _agree(api, j.partner, active["id"]) == {"answer", "read_responses", "score"}
        assert await _agree(api, j.supplier, active["id"]) == set()

    async def test_an_anonymous_reader_is_offered_nothing(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}")
        assert r.json()["actions"] == []
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert not any(m.format(id=tender["id"]) in page.text for m in MARKERS.values())


class TestCancelAfterAnUnsuccessfulLot:
    """The page used to hide Cancel once any lot had a decision, while the service refused
    only once a lot was awarded. Now both follow the policy: an unsuccessful lot leaves the
    tender cancellable, an awarded one does not."""

    async def test_through_the_page(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await _evaluation(api, clock, j)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/unsuccessful",
            json={"lot_id": tender["lots"][0]["id"], "reason": "No offer met the criteria."},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        assert "cancel" in await _agree(api, j.lead, tender["id"])
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Cancel the tender" in page.text
        r = await api.client.post(
            f"/tenders/{tender['id']}/cancel",
            data={"_csrf_token": csrf(page), "reason": "Budget withdrawn by the council"},
        )
        assert r.status_code == 200 and "Yes, cancel the tender" in r.text  # are you sure?
        r = await api.client.post(
            f"/tenders/{tender['id']}/cancel",
            data={"_csrf_token": csrf(page), "reason": "Budget withdrawn by the council",
                  "confirmed": "yes"},
        )  # fmt: skip
        assert redirected(r), r.text
        assert "Budget withdrawn by the council" in r.text
        public = (await api.client.get(f"/api/v1/tenders/{tender['id']}")).json()
        assert public["status"] == "cancelled"

    async def test_through_the_api(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await _evaluation(api, clock, j)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/unsuccessful",
            json={"lot_id": tender["lots"][0]["id"], "reason": "No offer met the criteria."},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        assert r.json()["actions"] == ["read_responses"]

    async def test_an_awarded_lot_ends_cancellation_on_both(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await _evaluation(api, clock, j)
        responses = await api.client.get(
            f"/api/v1/tenders/{tender['id']}/responses", headers=j.lead.headers
        )
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/awards",
            json={"lot_id": tender["lots"][0]["id"],
                  "response_id": responses.json()["items"][0]["id"],
                  "value": {"amount": "100000.00", "currency": "EUR"}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        assert "cancel" not in await _agree(api, j.lead, tender["id"])
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 409
        assert "already been awarded" in r.json()["detail"]
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        r = await api.client.post(
            f"/tenders/{tender['id']}/cancel",
            data={"_csrf_token": csrf(page), "reason": "Budget withdrawn by the council"},
        )
        assert r.status_code == 409 and "already been awarded" in r.text
