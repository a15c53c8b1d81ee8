"""Every refusal the rules ask for, and that nothing is saved when one happens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.tenders.models import AuditEntry, Tender, TenderResponse
from tests.factories import Api
from tests.tenders.helpers import joint, tender_body


class TestPreparation:
    async def test_weights_not_summing_to_100_are_422_and_nothing_is_saved(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        body = tender_body(
            j,
            clock.now(),
            award_criteria=[{"name": "Price", "weight": 60}, {"name": "Quality", "weight": 30}],
        )
        r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "award_criteria"
        assert "sum to 100 (they sum to 90)" in r.json()["errors"][0]["message"]
        assert await db.scalar(select(func.count()).select_from(Tender)) == 0

    async def test_clarification_after_submission_is_422(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        body = tender_body(
            j, clock.now(),
            clarification_deadline=(clock.now() + timedelta(days=40)).isoformat(),
        )  # fmt: skip
        r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "clarification_deadline"

    async def test_deadline_in_the_past_is_422(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        body = tender_body(
            j, clock.now(), clarification_deadline=(clock.now() - timedelta(days=1)).isoformat()
        )
        r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
        assert r.status_code == 422
        assert r.json()["errors"][0] == {"field": "clarification_deadline",
                                         "message": "must be in the future"}  # fmt: skip

    async def test_unknown_standard_and_cpv_are_422(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        for override, field in (
            ({"required_standards": [{"code": "NOPE-1", "mandatory": True}]}, "required_standards"),
            ({"cpv_codes": ["12345678"]}, "cpv_codes.0"),
        ):
            body = tender_body(j, clock.now(), **override)
            r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
            assert r.status_code == 422, r.text
            assert r.json()["errors"][0]["field"] == field

    async def test_cpv_codes_are_stored_canonical(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock, cpv_codes=["48000000", "34970000-7"])
        assert tender["cpv_codes"] == ["48000000-8", "34970000-7"]

    async def test_only_editors_of_the_lead_city_create(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        r = await api.client.post("/api/v1/tenders", json=tender_body(j, clock.now()),
                                  headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 403

    async def test_only_the_invited_citys_editors_confirm(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
            headers=j.lead.headers,
        )
        assert r.status_code == 403


class TestPublication:
    async def test_an_unverified_lead_city_cannot_publish(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        unverified = await api.organisation(j.lead, "city", name="Unverified town")
        tender = await j.create(api, clock, lead_buyer_id=unverified["id"], buyers=[])
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 403
        assert "verified" in r.json()["detail"]

    async def test_publication_waits_for_every_invited_city(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 409
        assert {"field": "buyers", "message": "Stadt Wien has not confirmed its participation"} in (
            r.json()["errors"]
        )
        assert (await api.client.get(f"/api/v1/tenders/{tender['id']}")).status_code == 404

    async def test_directive_minimum_period_is_enforced_at_publication(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(
            api, clock, buyers=[],
            clarification_deadline=(clock.now() + timedelta(days=10)).isoformat(),
            submission_deadline=(clock.now() + timedelta(days=20)).isoformat(),
        )  # fmt: skip
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 409
        messages = {e["field"]: e["message"] for e in r.json()["errors"]}
        assert messages["submission_deadline"] == (
            "must be at least 30 days after publication for an open procedure"
        )

    async def test_the_period_minimums_can_be_switched_off(
        self, api: Api, clock: FrozenClock, app: object
    ) -> None:
        j = await joint(api)
        settings = api.client.app.state.settings
        old = settings.min_tender_period_days
        settings.min_tender_period_days = 0
        try:
            tender = await j.create(
                api, clock, buyers=[],
                clarification_deadline=(clock.now() + timedelta(seconds=30)).isoformat(),
                submission_deadline=(clock.now() + timedelta(seconds=60)).isoformat(),
            )  # fmt: skip
            r = await api.client.post(
                f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers
            )
            assert r.status_code == 200, r.text
        finally:
            settings.min_tender_period_days = old

    async def test_publishing_twice_is_409(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 409

    async def test_a_published_tender_is_not_edited_in_place(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.patch(f"/api/v1/tenders/{tender['id']}", json={"title": "New name"},
                                   headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 409


class TestAmendments:
    async def test_material_change_without_moving_the_deadline_is_refused(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        body = {
            "rationale": "MIM2 becomes mandatory",
            "changes": {
                "required_standards": [
                    {"code": "OASC-MIM1", "mandatory": True},
                    {"code": "OASC-MIM2", "mandatory": True},
                ]
            },
        }
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/amendments", json=body,
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "submission_deadline"
        assert "at least 6 days later" in r.json()["errors"][0]["message"]
        # Five days is not enough either.
        old = tender["submission_deadline"]
        from datetime import datetime

        later = datetime.fromisoformat(old) + timedelta(days=5)
        body["changes"]["submission_deadline"] = later.isoformat()  # type: ignore[index]
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/amendments", json=body,
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 422
        body["changes"]["submission_deadline"] = (later + timedelta(days=1)).isoformat()  # type: ignore[index]
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/amendments", json=body,
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        shown = (await api.client.get(f"/api/v1/tenders/{tender['id']}")).json()
        assert shown["amendments"][0]["rationale"] == "MIM2 becomes mandatory"
        assert shown["required_standards"][1]["mandatory"] is True

    async def test_a_clarifying_title_change_needs_no_extension_and_is_ordered(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        for n, title in enumerate(["Passenger information, two cities", "PI for two cities"]):
            clock.advance(timedelta(hours=1))
            r = await api.client.post(
                f"/api/v1/tenders/{tender['id']}/amendments",
                json={"rationale": f"Clearer title {n}", "changes": {"title": title}},
                headers=j.lead.headers,
            )
            assert r.status_code == 201, r.text
            assert r.json()["number"] == n + 1
        listed = (await api.client.get(f"/api/v1/tenders/{tender['id']}/amendments")).json()
        assert [a["rationale"] for a in listed] == ["Clearer title 0", "Clearer title 1"]

    async def test_an_amendment_that_changes_nothing_or_unknown_fields_is_422(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        for changes in ({"title": tender["title"]}, {"colour": "red"}):
            r = await api.client.post(
                f"/api/v1/tenders/{tender['id']}/amendments",
                json={"rationale": "No real change", "changes": changes}, headers=j.lead.headers,
            )  # fmt: skip
            assert r.status_code == 422


class TestQuestionsAndResponses:
    async def test_question_after_the_clarification_deadline_is_409(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=25))
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/questions",
            json={"text": "Can we still ask?"},
            headers=j.supplier.headers,
        )
        assert r.status_code == 409
        assert "clarification deadline has passed" in r.json()["detail"]

    async def test_a_person_without_an_organisation_cannot_ask(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        loner = await api.person("Loner")
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/questions",
            json={"text": "Anyone there?"},
            headers=loner.headers,
        )
        assert r.status_code == 403

    async def test_unanswered_questions_are_for_buyers_only(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.client.post(
            f"/api/v1/tenders/{tender['id']}/questions",
            json={"text": "What about maintenance?"},
            headers=j.supplier.headers,
        )
        url = f"/api/v1/tenders/{tender['id']}/questions"
        assert (await api.client.get(url, headers=j.supplier.headers)).json() == []
        assert len((await api.client.get(url, headers=j.partner.headers)).json()) == 1

    async def test_response_after_the_submission_deadline_is_409(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=35))
        r = await j.respond(api, tender)
        assert r.status_code == 409
        assert "submission deadline has passed" in r.json()["detail"]
        assert await db.scalar(select(func.count()).select_from(TenderResponse)) == 0

    async def test_response_missing_a_mandatory_standard_is_refused_with_the_reason(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await j.respond(api, tender, standards=[{"code": "OASC-MIM2"}])
        assert r.status_code == 422
        assert r.json()["errors"] == [{
            "field": "standards",
            "message": "the tender requires conformance to OASC-MIM1, which the response "
                       "does not state",
        }]  # fmt: skip
        assert await db.scalar(select(func.count()).select_from(TenderResponse)) == 0

    async def test_a_city_cannot_respond_and_lots_must_belong_to_the_tender(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await j.respond(api, tender, person=j.lead, sme=j.city_a)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"
        r = await j.respond(api, tender, lot_ids=["not-a-lot"])
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lot_ids"

    async def test_withdrawal_before_the_deadline(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        url = f"/api/v1/tenders/{tender['id']}/responses"
        assert (
            await api.client.delete(f"{url}/{rid}", headers=j.supplier.headers)
        ).status_code == 204
        assert (await api.client.get(url, headers=j.supplier.headers)).json()["items"] == []


class TestEvaluation:
    async def test_scores_must_cover_every_criterion(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        clock.advance(timedelta(days=36))
        url = f"/api/v1/tenders/{tender['id']}/responses/{rid}/scores"
        r = await api.client.post(url, json={"scores": {"Price": 80}}, headers=j.lead.headers)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "scores"
        r = await api.client.post(
            url, json={"scores": {"Price": 101, "Quality": 1, "Outcomes": 1}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 422

    async def test_only_the_lead_awards_and_only_after_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        body = {"lot_id": tender["lots"][0]["id"], "response_id": rid,
                "value": {"amount": "1000.00", "currency": "EUR"}}  # fmt: skip
        url = f"/api/v1/tenders/{tender['id']}/awards"
        assert (await api.client.post(url, json=body, headers=j.lead.headers)).status_code == 403
        clock.advance(timedelta(days=36))
        assert (await api.client.post(url, json=body, headers=j.partner.headers)).status_code == 403
        assert (await api.client.post(url, json=body, headers=j.lead.headers)).status_code == 201
        again = await api.client.post(url, json=body, headers=j.lead.headers)
        assert again.status_code == 409

    async def test_cancellation_before_award_is_public_with_its_reason(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/cancel",
                                  json={"reason": "Budget withdrawn by the council"},
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        public = (await api.client.get(f"/api/v1/tenders/{tender['id']}")).json()
        assert public["cancellation_reason"] == "Budget withdrawn by the council"
        again = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel",
            json={"reason": "Once more"},
            headers=j.lead.headers,
        )
        assert again.status_code == 409
        actions = list(await db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
        assert actions[-1] == "tender.cancelled"


class TestLateAmendments:
    async def test_an_amendment_after_questions_closed_is_still_possible(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=26))
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/amendments",
            json={"rationale": "Typo in the title", "changes": {"title": "Passenger info"}},
            headers=j.lead.headers,
        )
        assert r.status_code == 201, r.text
        clock.advance(timedelta(days=10))
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/amendments",
            json={"rationale": "Too late now", "changes": {"title": "Passenger data"}},
            headers=j.lead.headers,
        )
        assert r.status_code == 409
