"""The tender pages as people use them, without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from httpx import Response

from marketplace.clock import FrozenClock
from tests.factories import Api, csrf
from tests.tenders.helpers import joint


def redirected(r: Response) -> bool:
    """Forms answer success with a redirect (which the test client follows)."""
    return bool(r.history) and r.history[0].status_code in (302, 303) and r.status_code == 200


class TestTenderPages:
    async def test_drafting_a_tender_through_the_form(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        form = await api.client.get("/tenders/new")
        assert form.status_code == 200 and 'name="_csrf_token"' in form.text
        deadline = (clock.now() + timedelta(days=35)).strftime("%Y-%m-%dT%H:%M")
        questions = (clock.now() + timedelta(days=25)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "_csrf_token": csrf(form), "lead_buyer_id": j.city_a["id"],
            "title": "Smart street lighting", "procedure": "open",
            "description": "Adaptive LED street lighting for two cities' main avenues.",
            "themes": "renewable-energies", "cpv_codes": "34993000", "nuts_codes": "FI1B1",
            "currency": "EUR", "lot_1_title": "Luminaires", "lot_1_amount": "200000",
            "invited": j.city_b["id"], "standards_mandatory": "OASC-MIM1",
            "outcome_1_metric": "Energy use", "outcome_1_unit": "MWh", "outcome_1_target": "800",
            "criterion_1_name": "Price", "criterion_1_weight": "50",
            "criterion_2_name": "Quality", "criterion_2_weight": "50",
            "clarification_deadline": questions, "submission_deadline": deadline,
        }  # fmt: skip
        r = await api.client.post("/tenders/new", data=data)
        assert redirected(r), r.text
        page = r
        assert "Smart street lighting" in page.text
        assert "Invited, not yet confirmed" in page.text
        assert "has not yet confirmed its participation" in page.text

    async def test_weights_not_summing_to_100_show_on_the_form(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.lead)
        form = await api.client.get("/tenders/new")
        r = await api.client.post("/tenders/new", data={
            "_csrf_token": csrf(form), "lead_buyer_id": j.city_a["id"], "title": "Bins",
            "procedure": "open", "cpv_codes": "34993000", "currency": "EUR",
            "lot_1_title": "Bins", "lot_1_amount": "1000", "criterion_1_name": "Price",
            "criterion_1_weight": "70",
            "clarification_deadline": "2026-04-01T10:00", "submission_deadline": "2026-04-10T10:00",
        })  # fmt: skip
        assert r.status_code == 422
        assert "The weights of the award criteria must add up to 100 (they add up to 70)." in r.text

    async def test_partner_confirms_and_lead_publishes_from_the_page(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await api.sign_in_browser(j.partner)
        page = await api.client.get(f"/tenders/{tender['id']}")
        r = await api.client.post(
            f"/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
            data={"_csrf_token": csrf(page), "share_2_quantity": "3", "share_2_unit": "servers"},
        )
        assert redirected(r), r.text
        await api.client.post("/sign-out", data={"_csrf_token": csrf(page)})
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Lot 2: 3 servers" in page.text
        r = await api.client.post(f"/tenders/{tender['id']}/publish",
                                  data={"_csrf_token": csrf(page)})  # fmt: skip
        assert redirected(r), r.text
        public = await api.client.get("/tenders")
        assert tender["title"] in public.text

    async def test_partner_declines_from_the_page_after_being_asked(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await api.sign_in_browser(j.partner)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Decline Stadt Wien" in page.text
        action = f"/tenders/{tender['id']}/buyers/{j.city_b['id']}/decline"
        ask = await api.client.post(action, data={"_csrf_token": csrf(page), "reason": "No budget"})
        assert ask.status_code == 200 and "Decline to take part?" in ask.text
        assert "Only the lead city can invite you again." in ask.text
        still = await api.client.get(f"/tenders/{tender['id']}")
        assert still.status_code == 200  # nothing happened yet
        done = await api.client.post(action, data={"_csrf_token": csrf(ask), "reason": "No budget",
                                                   "confirmed": "yes"})  # fmt: skip
        assert done.status_code == 200 and "Your city declined to take part" in done.text
        gone = await api.client.get(f"/tenders/{tender['id']}")
        assert gone.status_code == 404

    async def test_sme_asks_responds_and_sees_my_responses(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.supplier)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Respond to this tender" in page.text
        r = await api.client.post(
            f"/tenders/{tender['id']}/questions",
            data={"_csrf_token": csrf(page), "text": "Is GTFS-RT needed?"},
        )
        assert redirected(r), r.text
        form = await api.client.get(f"/tenders/{tender['id']}/respond")
        data = {
            "_csrf_token": csrf(form), "organisation_id": j.sme["id"],
            "lot_ids": [tender["lots"][0]["id"]], "price_amount": "99000", "currency": "EUR",
            "technical_summary": "Displays with e-ink panels, solar powered.",
            "commitment_0_target": "4", "standards": "OASC-MIM2",
        }  # fmt: skip
        r = await api.client.post(f"/tenders/{tender['id']}/respond", data=data)
        assert r.status_code == 422
        assert "requires conformance to OASC-MIM1" in r.text
        data["standards"] = ["OASC-MIM1", "OASC-MIM2"]
        r = await api.client.post(f"/tenders/{tender['id']}/respond", data=data)
        assert redirected(r), r.text
        mine = await api.client.get("/my/responses")
        assert tender["title"] in mine.text and "Revise" in mine.text

    async def test_the_response_can_be_revised_or_withdrawn_only_while_open(
        self, api: Api, clock: FrozenClock
    ) -> None:
        """The buttons follow tenders.policies.response_actions, as the services do."""
        j = await joint(api)
        tender = await j.published(api, clock)
        assert (await j.respond(api, tender)).status_code == 201
        await api.sign_in_browser(j.supplier)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Revise the response" in page.text and "Withdraw the response" in page.text
        clock.advance(timedelta(days=36))
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert "Your response" in page.text
        assert "Revise the response" not in page.text
        assert "Withdraw the response" not in page.text

    async def test_after_the_deadline_the_lead_evaluates_and_awards_on_the_page(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (
            await j.respond(api, tender, technical_summary="Solar powered e-ink displays")
        ).json()["id"]
        clock.advance(timedelta(days=36))
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}/responses")
        assert page.status_code == 200 and "Solar powered e-ink displays" in page.text
        r = await api.client.post(
            f"/tenders/{tender['id']}/responses/{rid}/scores",
            data={"_csrf_token": csrf(page), "score:Price": "80", "score:Quality": "90",
                  "score:Outcomes": "60"},
        )  # fmt: skip
        assert redirected(r), r.text
        page = await api.client.get(f"/tenders/{tender['id']}/responses")
        assert "78.50" in page.text
        award = {
            "_csrf_token": csrf(page), "lot_id": tender["lots"][0]["id"], "response_id": rid,
            "value_amount": "120,000", "currency": "EUR",
        }  # fmt: skip
        # An award cannot be undone: the page asks first, saying what happens and to whom.
        r = await api.client.post(f"/tenders/{tender['id']}/awards", data=award)
        assert r.status_code == 200 and "Award lot 1?" in r.text
        assert "is awarded to Kinetic Mobility Oy for €120,000.00" in r.text
        assert "Awarded to" not in (await api.client.get(f"/tenders/{tender['id']}/responses")).text
        r = await api.client.post(f"/tenders/{tender['id']}/awards",
                                  data={**award, "_csrf_token": csrf(r), "confirmed": "yes"})  # fmt: skip
        assert redirected(r), r.text
        shown = await api.client.get(f"/tenders/{tender['id']}")
        assert "Awarded to Kinetic Mobility Oy" in shown.text

    async def test_a_draft_is_not_shown_to_the_public(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        assert (await api.client.get(f"/tenders/{tender['id']}")).status_code == 404
        assert tender["title"] not in (await api.client.get("/tenders")).text


class TestEditingADraft:
    """Issue 19, point 1: a draft is edited in every field on its page, and publication's
    checks show next to the fields while editing, with the date that would work."""

    async def test_a_too_early_deadline_is_fixed_on_the_edit_page_then_published(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(
            api, clock,
            clarification_deadline=(clock.now() + timedelta(days=5)).isoformat(),
            submission_deadline=(clock.now() + timedelta(days=13)).isoformat(),
        )  # fmt: skip
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert f'href="/tenders/{tender["id"]}/edit"' in page.text
        form = await api.client.get(f"/tenders/{tender['id']}/edit")
        assert form.status_code == 200
        # The saved values come back in the fields, amounts written as people write them.
        assert 'value="Smart bus stops"' in form.text or tender["title"] in form.text
        assert "Responses close must be at least 30 days after publication" in form.text
        assert "or later would work if you publish now" in form.text
        later = clock.now() + timedelta(days=40)
        r = await api.client.post(f"/tenders/{tender['id']}/edit", data={
            "_csrf_token": csrf(form), "title": "Smart bus stops, second try",
            "procedure": "open",
            "description": "Real-time passenger information at every bus stop of two cities.",
            "cpv_codes": "34993000", "currency": "EUR",
            "lot_1_title": "Displays", "lot_1_amount": "2,450,000",
            "invited": j.city_b["id"], "criterion_1_name": "Price", "criterion_1_weight": "40",
            "criterion_2_name": "Quality", "criterion_2_weight": "60",
            "clarification_deadline": (later - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": later.strftime("%Y-%m-%dT%H:%M"),
        })  # fmt: skip
        assert redirected(r), r.text
        assert "Smart bus stops, second try" in r.text
        assert "€2,450,000.00" in r.text
        assert "at least 30 days" not in r.text
        body = (await api.client.get(f"/api/v1/tenders/{tender['id']}",
                                     headers=j.lead.headers)).json()  # fmt: skip
        assert body["lots"][0]["estimated_value"]["amount"] == "2450000.00"
        assert [c["weight"] for c in body["award_criteria"]] == [40, 60]

    async def test_every_problem_of_the_form_at_once_in_words(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await api.sign_in_browser(j.lead)
        form = await api.client.get(f"/tenders/{tender['id']}/edit")
        r = await api.client.post(f"/tenders/{tender['id']}/edit", data={
            "_csrf_token": csrf(form), "title": "", "procedure": "open",
            "cpv_codes": "34993000", "currency": "EUR",
            "lot_1_title": "Displays", "lot_1_amount": "nan",
            "lot_2_title": "Servers", "lot_2_amount": "12345678901234567890",
            "criterion_1_name": "Price", "criterion_1_weight": "70",
            "clarification_deadline": "2026-04-01T10:00", "submission_deadline": "soon",
        })  # fmt: skip
        assert r.status_code == 422
        text = r.text
        assert "Estimated value of lot 1 must be a number, such as 2,450,000." in text
        assert "Estimated value of lot 2 is too large." in text
        assert "Title is required." in text or "Title must be at least" in text
        assert "Responses close must be a date and time." in text
        assert "lots.0" not in text and "estimated_value" not in text
        # Nothing changed.
        body = (await api.client.get(f"/api/v1/tenders/{tender['id']}",
                                     headers=j.lead.headers)).json()  # fmt: skip
        assert body["title"] == tender["title"]

    async def test_a_published_tender_is_not_edited_but_amended(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        r = await api.client.get(f"/tenders/{tender['id']}/edit")
        assert "A published tender changes only through amendments." in r.text


class TestNothingListed:
    async def test_filters_that_leave_nothing_can_be_removed_one_by_one(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await j.published(api, clock)
        page = (await api.client.get("/tenders?status=complete&theme=mobility")).text
        assert "Stage: Complete" in page and "Theme: Mobility" in page
        assert 'Stage: Complete <a href="/tenders?theme=mobility"' in page
        assert 'Theme: Mobility <a href="/tenders?status=complete"' in page
        assert '<a href="/tenders">Clear all filters</a>' in page
        page = (await api.client.get("/tenders?theme=mobility")).text
        assert "Clear all filters" not in page and "Real-time passenger information" in page

    async def test_no_tender_yet_says_so_in_german(self, api: Api) -> None:
        page = (await api.client.get("/tenders")).text
        assert "No tender has been published yet." in page
        page = (
            await api.client.get(
                "/tenders?theme=renewable-energies", headers={"Accept-Language": "de"}
            )
        ).text
        assert "Thema: Erneuerbare Energien" in page and "Alle Filter entfernen" in page
