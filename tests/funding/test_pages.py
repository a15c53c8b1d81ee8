"""The funding pages as people use them: browse, call page, workspace, funder dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from marketplace import i18n
from tests.factories import Api, csrf
from tests.funding.helpers import DEADLINE, scene


async def form_post(api: Api, page_url: str, action: str, data: dict[str, Any]) -> Any:
    page = await api.client.get(page_url)
    assert page.status_code == 200, page.text
    return await api.client.post(
        action, data={**data, "_csrf_token": csrf(page)}, follow_redirects=False
    )


class TestBrowse:
    async def test_anyone_browses_open_calls_with_filters(self, api: Api) -> None:
        s = await scene(api)
        await s.open_call()
        await s.open_call(
            title="Skills academy", themes=["skills-employment"], instruments=["grant"]
        )
        await s.create_call(title="Secret draft")
        page = await api.client.get("/funding-calls")
        assert page.status_code == 200
        assert "Zero-emission bus depot" in page.text and "Skills academy" in page.text
        assert "Secret draft" not in page.text
        assert 'href="/funding-calls"' in page.text  # the nav entry
        filtered = await api.client.get("/funding-calls?theme=skills-employment&instrument=grant")
        assert "Skills academy" in filtered.text and "bus depot" not in filtered.text
        by_amount = await api.client.get("/funding-calls?amount_min=abc")
        assert by_amount.status_code == 422 and "must be a number" in by_amount.text
        # Found by the fuzz test: a Decimal NaN could not be compared (a 500).
        for bound in ("NaN", "Infinity", "-inf"):
            r = await api.client.get("/api/v1/funding-calls", params={"amount_min": bound})
            assert r.status_code in (400, 422), r.text
            assert r.json()["errors"][0]["field"] == "amount_min"
            assert (await api.client.get(f"/funding-calls?amount_max={bound}")).status_code == 422

    async def test_the_call_page_sanitises_the_description(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call(
            description="Fine **text**<script>alert(1)</script> [x](javascript:alert(1))"
        )
        page = await api.client.get(f"/funding-calls/{call['id']}")
        assert "<strong>text</strong>" in page.text
        assert "<script>alert(1)</script>" not in page.text
        assert 'href="javascript:' not in page.text
        assert "0.00" in page.text and "2,500,000.00" in page.text

    async def test_a_closed_call_says_when_it_closed_not_when_it_closes(
        self, api: Api, clock: Any
    ) -> None:
        s = await scene(api)
        by_deadline, by_city = await s.open_call(), await s.open_call(title="Closed early")
        closed = await api.client.post(f"/api/v1/funding-calls/{by_city['id']}/close",
                                       headers=s.city_owner.headers)  # fmt: skip
        with i18n.using("en"):
            closed_on = i18n.when(datetime.fromisoformat(closed.json()["closed_at"]))
            deadline = i18n.when(DEADLINE)
        page = await api.client.get(f"/funding-calls/{by_city['id']}")
        assert f"The city closed this call on {closed_on}." in page.text
        clock.set(DEADLINE + timedelta(days=3))
        page = await api.client.get(f"/funding-calls/{by_deadline['id']}")
        assert f"This call closed at its deadline, {deadline}." in page.text


class TestCityWorkspace:
    async def test_a_city_creates_publishes_and_accepts_interest_through_pages(
        self, api: Api
    ) -> None:
        s = await scene(api)
        await api.sign_in_browser(s.city_owner)
        created = await form_post(
            api,
            "/funding-calls/new",
            "/funding-calls/new",
            {
                "organisation_id": s.city["id"],
                "title": "Heat pumps for schools",
                "summary": "Replace oil boilers in 14 schools.",
                "description": "Details",
                "themes": ["renewable-energies", "clean-industry"],
                "instruments": "grant",
                "amount_sought.amount": "1200000",
                "amount_sought.currency": "EUR",
                "co_financing_percent": "25",
                "outcomes.0.metric": "Oil burnt",
                "outcomes.0.unit": "MWh/year",
                "outcomes.0.target": "0",
                "outcomes.0.timeframe_months": "24",
                "deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert created.status_code in (302, 303), created.text
        workspace_url = created.headers["location"]
        call_id = workspace_url.split("/")[2]
        workspace = await api.client.get(workspace_url)
        assert "Publish the call" in workspace.text and "Heat pumps for schools" in workspace.text
        published = await form_post(api, workspace_url, f"/funding-calls/{call_id}/publish", {})
        assert published.status_code in (302, 303)
        shown = await api.client.get(f"/api/v1/funding-calls/{call_id}")
        assert shown.json()["status"] == "open"
        assert shown.json()["outcomes"][0]["metric"] == "Oil burnt"
        interest = (await s.interest(call_id, "400000.00", instrument="grant")).json()
        accepted = await form_post(
            api,
            workspace_url,
            f"/funding-calls/{call_id}/interests/{interest['id']}/accept",
            {"note": "Welcome aboard"},
        )
        assert accepted.status_code in (302, 303)
        page = await api.client.get(workspace_url)
        assert "The interest was accepted." in page.text
        assert "400,000.00" in page.text

    async def test_bad_form_input_is_shown_next_to_the_field(self, api: Api) -> None:
        s = await scene(api)
        await api.sign_in_browser(s.city_owner)
        r = await form_post(
            api,
            "/funding-calls/new",
            "/funding-calls/new",
            {"organisation_id": s.city["id"], "title": "Bus", "summary": "s",
             "amount_sought.amount": "lots", "deadline": ""},
        )  # fmt: skip
        assert r.status_code == 422
        assert "There are " in r.text and " problems" in r.text
        assert "Amount sought must be a number, such as 2,450,000." in r.text
        assert 'href="#themes"' in r.text and 'href="#amount_sought.amount"' in r.text

    async def test_a_refused_publish_comes_back_as_a_message(self, api: Api) -> None:
        s = await scene(api)
        partner_owner = await api.person("Partner")
        partner = await api.organisation(partner_owner, "city", name="Città di Torino")
        call = await s.create_call(partner_ids=[partner["id"]])
        await api.sign_in_browser(s.city_owner)
        url = f"/funding-calls/{call['id']}/workspace"
        r = await form_post(api, url, f"/funding-calls/{call['id']}/publish", {})
        assert r.status_code in (302, 303)
        page = await api.client.get(url)
        assert "Waiting for partner cities to confirm: Città di Torino" in page.text

    async def test_other_people_cannot_open_a_workspace(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        await api.sign_in_browser(s.funder_owner)
        r = await api.client.get(f"/funding-calls/{call['id']}/workspace")
        assert r.status_code == 403


class TestFunderDashboard:
    async def test_a_funder_states_focus_shortlists_and_expresses_interest(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        await api.sign_in_browser(s.funder_owner)
        saved = await form_post(
            api,
            "/funding/dashboard",
            f"/funding/funders/{s.funder['id']}/profile",
            {"themes": "mobility", "instruments": ["loan", "blended"], "ticket_min": "1000000",
             "ticket_max": "20000000", "currency": "EUR", "countries": "FI",
             "nuts_codes": "", "min_co_financing_percent": "20"},
        )  # fmt: skip
        assert saved.status_code in (302, 303), saved.text
        dashboard = await api.client.get("/funding/dashboard")
        assert "Fit 100/100" in dashboard.text or "Fit 8" in dashboard.text
        assert "Shared themes: mobility" in dashboard.text
        shortlisted = await form_post(
            api, f"/funding-calls/{call['id']}", f"/funding-calls/{call['id']}/shortlist",
            {"organisation_id": s.funder["id"], "note": "Ask about grid capacity"},
        )  # fmt: skip
        assert shortlisted.status_code in (302, 303)
        interest = await form_post(
            api, f"/funding-calls/{call['id']}", f"/funding-calls/{call['id']}/interests",
            {"organisation_id": s.funder["id"], "amount.amount": "750000",
             "amount.currency": "EUR", "instrument": "loan", "conditions": "10 years",
             "named_publicly": "yes"},
        )  # fmt: skip
        assert interest.status_code in (302, 303), interest.text
        dashboard = await api.client.get("/funding/dashboard")
        assert "Ask about grid capacity" in dashboard.text
        assert "750,000.00" in dashboard.text and "Waiting for the cities" in dashboard.text
        csv_export = await api.client.get(f"/funding/funders/{s.funder['id']}/shortlist.csv")
        assert csv_export.headers["content-type"].startswith("text/csv")
        assert "Ask about grid capacity" in csv_export.text

    async def test_an_interest_after_the_deadline_is_refused_on_the_page(
        self, api: Api, clock: Any
    ) -> None:
        s = await scene(api)
        call = await s.open_call()
        await api.sign_in_browser(s.funder_owner)
        page = await api.client.get(f"/funding-calls/{call['id']}")
        clock.set(DEADLINE)
        r = await api.client.post(
            f"/funding-calls/{call['id']}/interests",
            data={"organisation_id": s.funder["id"], "amount.amount": "1000",
                  "amount.currency": "EUR", "instrument": "loan", "_csrf_token": csrf(page)},
        )  # fmt: skip
        assert r.status_code == 422
        assert "this call is closed" in r.text


class TestProfileSections:
    async def test_profiles_show_a_citys_calls_and_a_funders_focus(self, api: Api) -> None:
        s = await scene(api)
        await s.open_call()
        await s.create_call(title="Unpublished idea")
        await api.client.put(
            f"/api/v1/funders/{s.funder['id']}/profile",
            json={"themes": ["mobility"], "instruments": ["loan"], "ticket_min": "1000000"},
            headers=s.funder_owner.headers,
        )
        city = await api.client.get(f"/organisations/{s.city['id']}")
        assert "Zero-emission bus depot" in city.text and "Unpublished idea" not in city.text
        funder = await api.client.get(f"/organisations/{s.funder['id']}")
        assert "Investment focus" in funder.text and "€1,000,000.00" in funder.text


class TestNothingFound:
    async def test_filters_that_find_no_call_say_so_and_offer_closed_calls(self, api: Api) -> None:
        s = await scene(api)
        await s.open_call()
        page = (await api.client.get("/funding-calls?theme=mobility&instrument=equity")).text
        assert "No results" in page
        assert 'Theme: Mobility <a href="/funding-calls?instrument=equity"' in page
        assert "Instrument: Equity" in page
        assert '<a href="/funding-calls">Clear all filters</a>' in page
        assert (
            '<a href="/funding-calls?theme=mobility&amp;instrument=equity&amp;status=all">'
            "Include closed calls</a>"
        ) in page
        page = (
            await api.client.get(
                "/funding-calls?instrument=equity", headers={"Accept-Language": "fr"}
            )
        ).text
        assert "Aucun résultat" in page and "Inclure les appels clos" in page
