"""The audit trail: append-only, whole for the buyers, the public part for everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.tenders.models import AuditEntry
from tests.factories import Api
from tests.tenders.helpers import joint


class TestAuditTrail:
    async def test_buyers_see_everything_the_public_sees_the_public_part(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        tid = tender["id"]
        q = await api.client.post(
            f"/api/v1/tenders/{tid}/questions",
            json={"text": "Which data formats?"},
            headers=j.supplier.headers,
        )
        await api.client.post(
            f"/api/v1/tenders/{tid}/questions/{q.json()['id']}/answer",
            json={"text": "GTFS and NeTEx."},
            headers=j.lead.headers,
        )
        await api.client.post(f"/api/v1/tenders/{tid}/amendments",
                              json={"rationale": "Clearer title",
                                    "changes": {"title": "Passenger information"}},
                              headers=j.lead.headers)  # fmt: skip

        buyers = (await api.client.get(f"/api/v1/tenders/{tid}/audit",
                                       headers=j.partner.headers)).json()  # fmt: skip
        actions = [e["action"] for e in buyers]
        assert actions == ["tender.created", "buyer.invited", "buyer.confirmed",
                           "tender.published", "question.asked", "question.answered",
                           "tender.amended"]  # fmt: skip
        by_action = {e["action"]: e for e in buyers}
        assert by_action["tender.published"]["organisation_name"] == "City of Espoo"
        assert by_action["tender.published"]["user_name"] == "Lead officer"
        assert by_action["tender.amended"]["before"] == {
            "title": "Real-time passenger information for two cities"
        }
        assert by_action["tender.amended"]["after"]["title"] == "Passenger information"
        # The asker is never shown, not even to the buyers.
        asked = by_action["question.asked"]
        assert asked["organisation_id"] is None and asked["user_name"] is None

        public = (await api.client.get(f"/api/v1/tenders/{tid}/audit")).json()
        assert [e["action"] for e in public] == ["tender.published", "question.answered",
                                                 "tender.amended"]  # fmt: skip
        assert all(e["user_name"] is None for e in public)
        assert "Kinetic" not in str(public)

    async def test_response_entries_stay_with_the_sme_until_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await j.respond(api, tender)
        url = f"/api/v1/tenders/{tender['id']}/audit"
        lead_view = [
            e["action"] for e in (await api.client.get(url, headers=j.lead.headers)).json()
        ]
        assert "response.submitted" not in lead_view
        own = [e["action"] for e in (await api.client.get(url, headers=j.supplier.headers)).json()]
        assert "response.submitted" in own
        clock.advance(timedelta(days=36))
        lead_view = [
            e["action"] for e in (await api.client.get(url, headers=j.lead.headers)).json()
        ]
        assert "response.submitted" in lead_view

    async def test_a_draft_trail_is_private(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}/audit")
        assert r.status_code == 404

    async def test_entries_cannot_be_changed_or_deleted(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        await j.create(api, clock)
        entry = await db.scalar(select(AuditEntry).limit(1))
        assert entry is not None
        entry.action = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            await db.flush()
        await db.rollback()
        entry = await db.scalar(select(AuditEntry).limit(1))
        await db.delete(entry)
        with pytest.raises(RuntimeError, match="append-only"):
            await db.flush()
        await db.rollback()


class TestAuditActions:
    """Every action has one definition: the trail and the outbox name the same things."""

    def test_every_event_is_an_audit_action_and_every_action_but_refusals_an_event(self) -> None:
        from marketplace.tenders.audit import AuditAction
        from marketplace.tenders.events import CATALOGUE

        kinds = {e.kind for e in CATALOGUE}
        actions = {a.value for a in AuditAction if not a.is_refusal}
        assert kinds == actions

    def test_every_action_has_a_label_the_page_shows(self) -> None:
        from marketplace.tenders.audit import ACTION_LABELS, AuditAction

        assert set(ACTION_LABELS) == set(AuditAction)
        assert all(label.strip() for label in ACTION_LABELS.values())

    def test_a_refusal_the_trail_has_no_name_for_is_an_error_not_a_silent_entry(self) -> None:
        from marketplace.tenders.audit import AuditAction

        assert AuditAction.refused("response.read") is AuditAction.REFUSED_RESPONSE_READ
        with pytest.raises(ValueError):
            AuditAction.refused("publish")
