"""Documents published or replaced on a published tender tell the people an amendment tells;
a response's attachment tells nobody but its own organisation."""

from __future__ import annotations

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.notifications.conftest import Outbox
from tests.notifications.helpers import told
from tests.tenders.helpers import joint
from tests.tenders.test_documents import PDF, attach, upload


class TestDocumentNotifications:
    async def test_bidders_and_followers_hear_of_a_new_or_replaced_document(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        assert (await upload(api, draft["id"], j.lead)).status_code == 201
        await outbox.deliver()
        assert await told(api, j.supplier) == []  # a draft's document: nobody is told
        tender = await j.published(api, clock)
        tid = tender["id"]
        rid = (await j.respond(api, tender)).json()["id"]
        follower = await api.person("Follower")
        await api.client.put(f"/api/v1/follows/tender/{tid}", headers=follower.headers)
        bystander = await api.person("Bystander")
        await outbox.deliver()
        before = {p.email: len(await told(api, p)) for p in (j.supplier, follower)}
        doc = (await upload(api, tid, j.lead, title="Answers to questions",
                            kind="clarifications")).json()  # fmt: skip
        await outbox.deliver()
        for person in (j.supplier, follower):
            latest = (await told(api, person))[0]
            assert latest["kind"] == "tender.amended"
            assert latest["title"] == (
                "New document on Real-time passenger information for two cities"
            )
            assert latest["body"] == "Document: Answers to questions"
            assert latest["link"] == f"/tenders/{tid}#documents"
        r = await api.client.post(
            f"/api/v1/documents/{doc['id']}/replace",
            files={"file": ("v2.pdf", PDF + b"\n", "application/pdf")}, headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        await outbox.deliver()
        latest = (await told(api, follower))[0]
        assert latest["title"].startswith("Document replaced on")
        assert await told(api, bystander) == []
        # The SME's attachment: the lead hears nothing of it.
        lead_before = len(await told(api, j.lead))
        assert (await attach(api, tid, rid, j.supplier)).status_code == 201
        await outbox.deliver()
        assert len(await told(api, j.lead)) == lead_before
        assert len(await told(api, follower)) == before[follower.email] + 2
