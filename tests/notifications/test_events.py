"""Each event tells the right people, and only them (docs/notifications.md)."""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.notifications.conftest import Outbox
from tests.notifications.helpers import titles, told
from tests.tenders.helpers import joint


class TestTenders:
    async def test_co_buyer_invitation_and_confirmation(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await outbox.deliver()
        invited = await told(api, j.partner)
        assert [n["kind"] for n in invited] == ["cobuy.invited"]
        assert invited[0]["title"] == (
            "City of Espoo invites you to co-buy: Real-time passenger information for two cities"
        )
        assert invited[0]["link"] == f"/tenders/{tender['id']}"
        assert await told(api, j.supplier) == []

        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
            headers=j.partner.headers,
        )
        assert r.status_code == 200
        await outbox.deliver()
        assert await titles(api, j.lead) == [
            "Stadt Wien confirmed co-buying Real-time passenger information for two cities"
        ]
        assert [n["kind"] for n in await told(api, j.partner)] == ["cobuy.invited"]

    async def test_a_co_buyer_declining_tells_the_lead_with_its_reason(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await outbox.deliver()
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/decline",
            json={"reason": "Our council did not approve the budget."},
            headers=j.partner.headers,
        )
        assert r.status_code == 204, r.text
        await outbox.deliver()
        told_lead = await told(api, j.lead)
        assert [(n["kind"], n["title"]) for n in told_lead] == [(
            "cobuy.declined",
            "Stadt Wien declined co-buying Real-time passenger information for two cities",
        )]  # fmt: skip
        assert told_lead[0]["body"] == "Their reason: Our council did not approve the budget."
        assert [n["kind"] for n in await told(api, j.partner)] == ["cobuy.invited"]
        assert await told(api, j.supplier) == []

    async def test_questions_reach_the_lead_buyer_and_answers_the_asker_only(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        tid = tender["id"]
        follower = await api.person("Follower")
        r = await api.client.put(f"/api/v1/follows/tender/{tid}", headers=follower.headers)
        assert r.status_code == 200, r.text
        await outbox.deliver()
        before = {p.id: len(await told(api, p)) for p in (j.lead, j.partner, j.supplier)}

        r = await api.client.post(f"/api/v1/tenders/{tid}/questions",
                                  json={"text": "Is GTFS-RT needed?"}, headers=j.supplier.headers)  # fmt: skip
        assert r.status_code == 201
        qid = r.json()["id"]
        await outbox.deliver()
        lead_all = await told(api, j.lead)
        lead_new = lead_all[: len(lead_all) - before[j.lead.id]]
        assert [n["kind"] for n in lead_new] == ["question.asked"]
        # The asker is never named to the buyer.
        assert "Kinetic" not in str(lead_new) and j.supplier.email not in str(lead_new)

        r = await api.client.post(f"/api/v1/tenders/{tid}/questions/{qid}/answer",
                                  json={"text": "Yes."}, headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 200
        await outbox.deliver()
        asker = await told(api, j.supplier)
        assert asker[0]["kind"] == "question.answered"
        assert asker[0]["title"].startswith("Your question on ")
        assert "Is GTFS-RT needed?" in asker[0]["body"]
        follower_sees = await told(api, follower)
        assert [n["kind"] for n in follower_sees] == ["followed.news"]
        assert follower_sees[0]["title"].startswith("A question on ")
        assert "Is GTFS-RT" not in str(follower_sees) and "Kinetic" not in str(follower_sees)
        # The partner city (who answered) is not told of its own answer.
        assert len(await told(api, j.partner)) == before[j.partner.id]

    async def test_sealed_responses_are_told_to_the_bidder_only(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await outbox.deliver()
        lead_before = await told(api, j.lead)
        partner_before = await told(api, j.partner)
        r = await j.respond(api, tender)
        assert r.status_code == 201, r.text
        await outbox.deliver()
        mine = await told(api, j.supplier)
        assert [n["kind"] for n in mine] == ["response.received"]
        assert await told(api, j.lead) == lead_before
        assert await told(api, j.partner) == partner_before

    async def test_award_decisions_tell_each_bidder_won_or_not_with_the_standstill(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rival = await api.person("Rival")
        rival_sme = await api.organisation(rival, "sme", verified=True, name="Rival Oy")
        won = await j.respond(api, tender)
        lost = await j.respond(api, tender, person=rival, sme=rival_sme)
        assert won.status_code == lost.status_code == 201
        clock.advance(timedelta(days=36))
        lots = tender["lots"]
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/awards",
            json={"lot_id": lots[0]["id"], "response_id": won.json()["id"],
                  "value": {"amount": "120000.00", "currency": "EUR"}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        await outbox.deliver()
        winner = [n for n in await told(api, j.supplier) if n["kind"] == "award.decision"]
        loser = [n for n in await told(api, rival) if n["kind"] == "award.decision"]
        assert [n["title"] for n in winner] == [
            "You won lot 1 of Real-time passenger information for two cities"
        ]
        assert [n["title"] for n in loser] == [
            "Lot 1 of Real-time passenger information for two cities was awarded to another bidder"
        ]
        standstill = (clock.now() + timedelta(days=10)).strftime("%d %B %Y")
        assert f"standstill period ends {standstill}" in winner[0]["body"]
        assert f"standstill period ends {standstill}" in loser[0]["body"]
        # The losing bidder is not told who won.
        assert "Kinetic" not in str(loser)
        assert not [n for n in await told(api, j.lead) if n["kind"] == "award.decision"]

        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/unsuccessful",
                                  json={"lot_id": lots[1]["id"], "reason": "Both offers exceeded the budget."},
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        await outbox.deliver()
        for person in (j.supplier, rival):
            latest = (await told(api, person))[0]
            assert latest["title"] == (
                "Lot 2 of Real-time passenger information for two cities was declared unsuccessful"
            )
            assert "Both offers exceeded the budget." in latest["body"]

    async def test_amendments_tell_askers_bidders_and_followers_what_changed(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        tid = tender["id"]
        assert (await j.respond(api, tender)).status_code == 201
        follower = await api.person("Follower")
        await api.client.put(f"/api/v1/follows/tender/{tid}", headers=follower.headers)
        bystander = await api.person("Bystander")
        await outbox.deliver()
        r = await api.client.post(
            f"/api/v1/tenders/{tid}/amendments",
            json={"rationale": "More time for the data platform.",
                  "changes": {"submission_deadline": (clock.now() + timedelta(days=45)).isoformat()}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        await outbox.deliver()
        for person in (j.supplier, follower):
            latest = (await told(api, person))[0]
            assert latest["kind"] == "tender.amended"
            assert "Changed: Responses close." in latest["body"]
            assert "More time for the data platform." in latest["body"]
        assert await told(api, bystander) == []


class TestFundingAndAccounts:
    async def test_verification_and_membership(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner = await api.person("Owner")
        admin = await api.person("Admin", admin=True)
        organisation = await api.organisation(owner, "sme", name="Fresh Oy")
        r = await api.client.post(f"/api/v1/organisations/{organisation['id']}/verify",
                                  headers=admin.headers)  # fmt: skip
        assert r.status_code == 200
        await outbox.deliver()
        newcomer = await api.member(owner, organisation["id"], "editor", "Newcomer")
        await outbox.deliver()
        assert await titles(api, owner) == ["Fresh Oy is verified"]
        assert await titles(api, newcomer) == ["You were added to Fresh Oy"]
        assert await told(api, admin) == []

    async def test_role_change_and_removal_tell_the_member_only(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner = await api.person("Owner")
        organisation = await api.organisation(owner, "sme", name="Fresh Oy")
        path = f"/api/v1/organisations/{organisation['id']}/members"
        editor = await api.member(owner, organisation["id"], "editor", "Editor")
        leaver = await api.member(owner, organisation["id"], "viewer", "Leaver")
        await outbox.deliver()
        r = await api.client.patch(f"{path}/{editor.id}", json={"role": "viewer"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 200
        await outbox.deliver()
        changed = (await told(api, editor))[0]
        assert changed["kind"] == "member.role_changed"
        assert changed["title"] == "Your role in Fresh Oy is now viewer"
        assert changed["link"] == f"/organisations/{organisation['id']}/members"

        r = await api.client.delete(f"{path}/{editor.id}", headers=owner.headers)
        assert r.status_code == 204
        r = await api.client.delete(f"{path}/{leaver.id}", headers=leaver.headers)
        assert r.status_code == 204
        await outbox.deliver()
        removed = (await told(api, editor))[0]
        assert removed["kind"] == "member.removed"
        assert removed["title"] == "You were removed from Fresh Oy"
        assert removed["link"] == f"/organisations/{organisation['id']}"
        # Someone who left is not told of it; the owner is told of nothing here.
        assert await titles(api, leaver) == ["You were added to Fresh Oy"]
        assert await told(api, owner) == []
