"""A tender that has ended says how and when, and no longer counts down (issue 19, item 11):
on its page, in the list of tenders and in the SME's "My responses"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import Joint, joint


async def _cancelled(api: Api, clock: FrozenClock) -> tuple[Joint, dict[str, Any]]:
    """Published on 2 March, responded to, cancelled on 4 March (its deadline 35 days on)."""
    j = await joint(api)
    tender = await j.published(api, clock)
    r = await j.respond(api, tender)
    assert r.status_code == 201, r.text
    clock.advance(timedelta(days=2))
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "The budget was withdrawn."},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    return j, tender


class TestAnEndedTenderDoesNotCountDown:
    async def test_an_open_tender_counts_down(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        page = (await api.client.get(f"/tenders/{tender['id']}")).text
        assert "35 days 0 h left" in page and "data-left=" in page
        listed = (await api.client.get("/tenders")).text
        assert "Responses until" in listed and "35 days 0 h left" in listed

    async def test_a_cancelled_tender_says_when_it_was_cancelled(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender = await _cancelled(api, clock)
        page = (await api.client.get(f"/tenders/{tender['id']}")).text
        assert "Cancelled on 4 March 2026" in page and "The budget was withdrawn." in page
        assert "left)" not in page and "data-left=" not in page
        # The deadline itself stays readable, without a countdown.
        assert "Responses close" in page and "6 Apr 2026, 09:00" in page

        listed = (await api.client.get("/tenders")).text
        card = listed[listed.index(tender["title"]) :]
        assert "Cancelled on 4 March 2026" in card
        assert "Responses until" not in listed and "left)" not in listed

        await api.sign_in_browser(j.supplier)
        mine = (await api.client.get("/my/responses")).text
        assert "Cancelled on 4 March 2026" in mine and "data-left=" not in mine

    async def test_in_french_and_german(self, api: Api, clock: FrozenClock) -> None:
        _j, tender = await _cancelled(api, clock)
        api.client.cookies.set("icc_lang", "fr")
        page = (await api.client.get(f"/tenders/{tender['id']}")).text
        assert "Annulé le 4 mars 2026" in page and "data-left=" not in page
        api.client.cookies.clear()
        page = (
            await api.client.get("/tenders", headers={"Accept-Language": "de-DE,de;q=0.9"})
        ).text
        assert "Abgebrochen am 4. März 2026" in page and "Std.)" not in page
