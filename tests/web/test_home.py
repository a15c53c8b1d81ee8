"""Issue 19, point 6: a home for every role after sign-in, and navigation that fits it."""

from __future__ import annotations

from marketplace.clock import FrozenClock
from tests.factories import PASSWORD, Api, csrf
from tests.funding.helpers import scene
from tests.tenders.helpers import joint


async def _sign_in(api: Api, email: str) -> str:
    page = await api.client.get("/sign-in")
    r = await api.client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "_csrf_token": csrf(page)}
    )
    assert r.history and r.history[0].headers["location"] == "/home"
    return r.text


class TestHomes:
    async def test_a_city_officer_sees_what_needs_them(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        home = await _sign_in(api, j.partner.email)
        assert "What needs you now" in home
        assert f'href="/tenders/{tender["id"]}#buyers"' in home  # confirm your city's part
        assert "My tenders by stage" in home and "Planning (draft)" in home
        assert 'href="/listings/mine"' not in home  # an SME's link, not a city's
        assert "My funding calls and the interest received" in home

    async def test_an_sme_sees_its_listings_tenders_closing_and_responses(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        assert (await j.respond(api, tender)).status_code == 201
        home = await _sign_in(api, j.supplier.email)
        assert "My listings and their matches" in home
        assert "My responses and their outcomes" in home and tender["title"] in home
        assert 'href="/listings/mine"' in home and 'href="/my/responses"' in home
        assert "What needs you now" not in home

    async def test_a_funder_sees_its_interests(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call(title="Deep retrofit of schools")
        assert (await s.interest(call["id"])).status_code == 201
        home = await _sign_in(api, s.funder_owner.email)
        assert "My interests in funding calls" in home and "Deep retrofit of schools" in home
        assert 'href="/funding/dashboard"' in home

    async def test_the_admin_sees_the_queue_and_system_health(self, api: Api) -> None:
        admin = await api.person("Root", admin=True)
        waiting = await api.person("New city")
        await api.organisation(waiting, "city", name="Città di Bari")
        home = await _sign_in(api, admin.email)
        assert "Verification queue" in home and "1 organisation waits for verification." in home
        assert "System health" in home


class TestNobodyToActFor:
    async def test_a_person_without_an_organisation_is_shown_how_to_start(self, api: Api) -> None:
        newcomer = await api.person("Newcomer")
        home = await _sign_in(api, newcomer.email)
        assert "You do not belong to an organisation yet." in home
        assert 'href="/organisations/new"' in home

    async def test_the_admin_and_members_are_not(self, api: Api) -> None:
        admin = await api.person("Root", admin=True)
        assert "You do not belong" not in await _sign_in(api, admin.email)
        member = await api.person("Member")
        await api.organisation(member, "sme", name="Kinetic Mobility Oy")
        assert "You do not belong" not in await _sign_in(api, member.email)
