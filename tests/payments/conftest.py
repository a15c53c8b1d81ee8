"""A payments scene: an SME with a published listing, verified cities, an admin; the app
either offline (no Stripe keys, the default) or on Stripe through `FixtureHttp`."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import stripe
from litestar import Litestar

from marketplace.core.delivery import DeliveryResult, drain
from marketplace.db import session_maker
from marketplace.payments.gateway import StripeGateway
from marketplace.payments.services import Payments
from marketplace.payments.subscriber import PaymentsSubscriber
from marketplace.settings import Settings
from tests.factories import Api, Person
from tests.listings.conftest import complete_listing
from tests.payments.stripe_http import FixtureHttp, event, sign

WEBHOOK_SECRET = "whsec_test_secret_for_the_tests"
_events = itertools.count(1)


def package_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Street lighting pilot, one district",
        "scope": "Adaptive lighting on 400 lights in one district for six months.",
        "price": {"amount": "10000.00", "currency": "EUR"},
        "duration_weeks": 26,
        "milestones": [
            {"title": "Installed and commissioned", "share_percent": "50", "outcome_index": 0,
             "evidence": "Commissioning report signed by the city's engineer", "due_week": 6},
            {"title": "Three months of metered savings", "share_percent": "30",
             "outcome_index": 1, "evidence": "Monthly metering report", "due_week": 18},
            {"title": "Final savings report", "share_percent": "20", "outcome_index": 0,
             "evidence": "Final report against the baseline", "due_week": 26},
        ],
    }  # fmt: skip
    body.update(overrides)
    return body


@dataclass
class Scene:
    api: Api
    app: Litestar
    admin: Person
    sme_owner: Person
    sme: dict[str, Any]
    listing: dict[str, Any]
    city_owner: Person
    city: dict[str, Any]
    partner_owner: Person
    partner: dict[str, Any]
    outsider: Person
    http: FixtureHttp | None = None
    results: list[dict[str, DeliveryResult]] = field(default_factory=list)

    @property
    def client(self) -> Any:
        return self.api.client

    @property
    def payments(self) -> Payments:
        payments: Payments = self.app.state.runtime.services["payments"]
        return payments

    async def package(self, **overrides: Any) -> dict[str, Any]:
        r = await self.client.post(
            f"/api/v1/listings/{self.listing['id']}/pilot-packages",
            json=package_body(**overrides), headers=self.sme_owner.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def order(self, package_id: str, **body: Any) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/pilot-orders",
            json={"package_id": package_id, "organisation_id": self.city["id"], **body},
            headers=self.city_owner.headers,
        )
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def get_order(self, order_id: str, person: Person | None = None) -> dict[str, Any]:
        r = await self.client.get(
            f"/api/v1/pilot-orders/{order_id}", headers=(person or self.city_owner).headers
        )
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    async def act(
        self, order_id: str, action: str, person: Person, body: dict[str, Any] | None = None,
        status: int = 200,
    ) -> dict[str, Any]:  # fmt: skip
        r = await self.client.post(
            f"/api/v1/pilot-orders/{order_id}/{action}", json=body or {}, headers=person.headers
        )
        assert r.status_code == status, r.text
        result: dict[str, Any] = r.json()
        return result

    async def report(self, order: dict[str, Any], n: int) -> dict[str, Any]:
        milestone = order["milestones"][n]["id"]
        return await self.act(order["id"], f"milestones/{milestone}/report", self.sme_owner,
                              {"evidence": "Commissioning report attached.",
                               "evidence_url": "https://example.eu/report.pdf"})  # fmt: skip

    async def accept(self, order: dict[str, Any], n: int) -> dict[str, Any]:
        milestone = order["milestones"][n]["id"]
        return await self.act(order["id"], f"milestones/{milestone}/accept", self.city_owner)

    async def paid_offline(self, order: dict[str, Any]) -> dict[str, Any]:
        return await self.act(order["id"], "offline/payment", self.admin,
                              {"note": "Bank transfer ref 2026-114"})  # fmt: skip

    async def deliver(self) -> dict[str, DeliveryResult]:
        """Run the payments subscriber until nothing is due (what the event worker does)."""
        # The test's own engine: the app's connections belong to the app's event loop.
        sessions = session_maker(self.api.engine)
        subscriber = PaymentsSubscriber(self.payments)
        result = await drain(sessions, [subscriber], self.app.state.runtime.clock.now())
        self.results.append(result)
        return result

    async def webhook(
        self, type_: str, obj: dict[str, Any], *, event_id: str | None = None,
        created: int | None = None, secret: str = WEBHOOK_SECRET, **extra: Any,
    ) -> Any:  # fmt: skip
        payload = event(
            type_, obj, id_=event_id or f"evt_test{next(_events):06d}",
            created=created or int(time.time()), **extra,
        )  # fmt: skip
        return await self.client.post(
            "/api/v1/payments/stripe/webhook",
            content=payload,
            headers={"Stripe-Signature": sign(payload, secret),
                     "Content-Type": "application/json"},
        )  # fmt: skip

    def on_stripe(self) -> FixtureHttp:
        """Switch the app to Stripe mode, its requests answered by `FixtureHttp`."""
        self.http = FixtureHttp()
        client = stripe.StripeClient("sk_test_marketplace", http_client=self.http,
                                     max_network_retries=2)  # fmt: skip
        self.payments.gateway = StripeGateway(client)
        return self.http

    async def onboard(self, *, enabled: bool = True) -> str:
        """The SME onboards; Stripe then says its payouts are enabled."""
        r = await self.client.post(
            f"/api/v1/organisations/{self.sme['id']}/payments/onboarding",
            headers=self.sme_owner.headers,
        )
        assert r.status_code == 201, r.text
        assert self.http is not None
        account = self.http.created("acct_")[0]
        r = await self.webhook("account.updated", {**account, "payouts_enabled": enabled,
                                                   "charges_enabled": enabled,
                                                   "details_submitted": True})  # fmt: skip
        assert r.status_code == 200, r.text
        await self.deliver()
        return str(account["id"])

    async def pay_on_stripe(
        self, order: dict[str, Any], payer: Person | None = None
    ) -> dict[str, Any]:
        """A city goes through Checkout (the ordering city's unless `payer` says whose
        editor pays); Stripe sends the signed completion event."""
        r = await self.client.post(
            f"/api/v1/pilot-orders/{order['id']}/checkout",
            headers=(payer or self.city_owner).headers,
        )
        assert r.status_code == 201, r.text
        assert self.http is not None
        session = self.http.pay(r.json()["session_id"])
        r = await self.webhook("checkout.session.completed", session)
        assert r.status_code == 200, r.text
        await self.deliver()
        return await self.get_order(order["id"])


@pytest.fixture
async def scene(api: Api, app: Litestar, settings: Settings) -> Scene:
    # The webhook secret is a setting: the tests' app has it, offline or not.
    app.state.runtime.services["payments"].settings = settings.model_copy(
        update={"stripe_webhook_secret": stripe_secret()}
    )
    admin = await api.person("Platform Admin", admin=True)
    sme_owner = await api.person("Sme Owner")
    sme = await api.organisation(sme_owner, "sme", verified=True)
    body = complete_listing(sme["id"])
    body["outcomes"].append(
        {"metric": "Lights dimmed at night", "unit": "%", "target": 80, "timeframe_months": 6,
         "verification": "Controller logs"}
    )  # fmt: skip
    r = await api.client.post("/api/v1/listings", json=body, headers=sme_owner.headers)
    assert r.status_code == 201, r.text
    listing = r.json()
    r = await api.client.post(
        f"/api/v1/listings/{listing['id']}/publish", headers=sme_owner.headers
    )
    assert r.status_code == 200, r.text
    city_owner = await api.person("City Buyer")
    city = await api.organisation(city_owner, "city", verified=True, name="Espoo")
    partner_owner = await api.person("Partner Buyer")
    partner = await api.organisation(partner_owner, "city", verified=True, name="Vantaa")
    outsider = await api.person("Outsider")
    return Scene(api, app, admin, sme_owner, sme, r.json(), city_owner, city, partner_owner,
                 partner, outsider)  # fmt: skip


def stripe_secret() -> Any:
    from pydantic import SecretStr

    return SecretStr(WEBHOOK_SECRET)
