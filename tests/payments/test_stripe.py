"""Stripe mode at the HTTP boundary: the requests the adapter sends through stripe-python
(answered from Stripe's fixtures by `FixtureHttp`), the signed webhooks it accepts, and the
state after each answer — Stripe's errors and retries included."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import func, select

from marketplace.core.models import EventDelivery
from marketplace.db import session_maker
from marketplace.payments.models import LedgerEntry, StripeEvent
from tests.payments.conftest import Scene
from tests.payments.stripe_http import Killed


async def _ledger(scene: Scene, kind: str) -> list[LedgerEntry]:
    async with session_maker(scene.api.engine)() as session:
        return list(await session.scalars(select(LedgerEntry).where(LedgerEntry.kind == kind)))


async def test_onboarding_creates_an_express_account_and_an_account_link(scene: Scene) -> None:
    http = scene.on_stripe()
    package = await scene.package()
    assert package["orderable"] is False  # payouts not enabled yet
    r = await scene.client.post(f"/api/v1/organisations/{scene.sme['id']}/payments/onboarding",
                                headers=scene.sme_owner.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["url"].startswith("https://connect.stripe.com/setup/")
    [create] = http.requests_to("POST", "/v1/accounts")
    assert create.params["type"] == "express"
    assert create.params["country"] == "FI"
    assert create.params["capabilities[transfers][requested]"] == "true"
    assert create.params["metadata[organisation_id]"] == scene.sme["id"]
    assert create.idempotency_key == f"account-{scene.sme['id']}"
    [link] = http.requests_to("POST", "/v1/account_links")
    assert link.params["type"] == "account_onboarding"
    assert link.params["return_url"].endswith(
        f"/workspace/payments/{scene.sme['id']}?onboarding=returned"
    )
    # Coming back does not enable anything: Stripe's account.updated does.
    r = await scene.client.get(f"/api/v1/organisations/{scene.sme['id']}/payments/account",
                               headers=scene.sme_owner.headers)  # fmt: skip
    assert r.json()["payouts_enabled"] is False
    account = http.created("acct_")[0]
    await scene.webhook("account.updated", {**account, "payouts_enabled": True},
                        created=int(time.time()))  # fmt: skip
    await scene.deliver()
    r = await scene.client.get(f"/api/v1/organisations/{scene.sme['id']}/payments/account",
                               headers=scene.sme_owner.headers)  # fmt: skip
    assert r.json()["payouts_enabled"] is True
    # An older event arriving late changes nothing.
    await scene.webhook("account.updated", {**account, "payouts_enabled": False},
                        created=int(time.time()) - 600)  # fmt: skip
    await scene.deliver()
    r = await scene.client.get(f"/api/v1/organisations/{scene.sme['id']}/payments/account",
                               headers=scene.sme_owner.headers)  # fmt: skip
    assert r.json()["payouts_enabled"] is True
    # A second onboarding resumes the same account.
    await scene.client.post(f"/api/v1/organisations/{scene.sme['id']}/payments/onboarding",
                            headers=scene.sme_owner.headers)  # fmt: skip
    assert len(http.requests_to("POST", "/v1/accounts")) == 1


async def test_an_sme_without_payouts_cannot_be_ordered_from(scene: Scene) -> None:
    scene.on_stripe()
    package = await scene.package()
    r = await scene.client.post("/api/v1/pilot-orders", headers=scene.city_owner.headers,
                                json={"package_id": package["id"], "organisation_id": scene.city["id"]})  # fmt: skip
    assert r.status_code == 409
    assert "payouts" in r.json()["detail"]


async def test_checkout_sends_separate_charges_and_transfers(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"])
    assert order["mode"] == "stripe"
    r = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                headers=scene.city_owner.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["url"].startswith("https://checkout.stripe.com/")
    [sent] = http.requests_to("POST", "/v1/checkout/sessions")
    p = sent.params
    assert p["mode"] == "payment"
    assert p["line_items[0][price_data][unit_amount]"] == "1000000"
    assert p["line_items[0][price_data][currency]"] == "eur"
    assert p["payment_intent_data[transfer_group]"] == f"order_{order['id']}"
    assert p["payment_intent_data[metadata][order_id]"] == order["id"]
    assert p["metadata[order_id]"] == order["id"]
    assert p["client_reference_id"] == order["id"]
    assert sent.idempotency_key == f"order-{order['id']}-checkout-1"
    # Asking again while the session is open gives the same session.
    r2 = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                 headers=scene.city_owner.headers)  # fmt: skip
    assert r2.json()["session_id"] == r.json()["session_id"]
    assert len(http.requests_to("POST", "/v1/checkout/sessions")) == 1
    assert (await scene.get_order(order["id"]))["status"] == "awaiting_payment"


async def test_the_order_is_paid_on_the_signed_completion_event_only(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    assert order["status"] == "paid"
    assert order["balances"]["charged"] == {"amount": "10000.00", "currency": "EUR"}
    [charge] = await _ledger(scene, "charge")
    assert charge.reference.startswith("ch_") and charge.amount_minor == 1_000_000
    assert http.requests_to("GET", f"/v1/payment_intents/{http.created('pi_')[0]['id']}")


async def test_bad_or_missing_signatures_get_400_and_change_nothing(scene: Scene) -> None:
    scene.on_stripe()
    session = {"id": "cs_x", "object": "checkout.session", "payment_status": "paid",
               "metadata": {"order_id": "x"}}  # fmt: skip
    r = await scene.webhook("checkout.session.completed", session, secret="whsec_wrong")
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await scene.client.post("/api/v1/payments/stripe/webhook", content=b'{"id": "evt_1"}')
    assert r.status_code == 400
    stale = await scene.client.post(
        "/api/v1/payments/stripe/webhook", content=b'{"id":"evt_2","object":"event"}',
        headers={"Stripe-Signature": __import__("tests.payments.stripe_http", fromlist=["sign"])
                 .sign('{"id":"evt_2","object":"event"}', "whsec_test_secret_for_the_tests",
                       int(time.time()) - 301)},
    )  # fmt: skip
    assert stale.status_code == 400  # outside the 300 s tolerance
    async with session_maker(scene.api.engine)() as db:
        assert await db.scalar(select(func.count()).select_from(StripeEvent)) == 0


async def test_a_replayed_event_answers_200_and_does_nothing(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"])
    r = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                headers=scene.city_owner.headers)  # fmt: skip
    session = http.pay(r.json()["session_id"])
    first = await scene.webhook("checkout.session.completed", session, event_id="evt_same")
    again = await scene.webhook("checkout.session.completed", session, event_id="evt_same")
    assert first.json() == {"received": True, "duplicate": False}
    assert again.status_code == 200 and again.json() == {"received": True, "duplicate": True}
    # The same payment told again by another event is recorded once too.
    intent = http.created("pi_")[0]
    await scene.webhook("payment_intent.succeeded", intent)
    await scene.deliver()
    assert len(await _ledger(scene, "charge")) == 1
    assert (await scene.get_order(order["id"]))["balances"]["charged"]["amount"] == "10000.00"


async def test_accepting_a_milestone_transfers_its_share_once(scene: Scene) -> None:
    http = scene.on_stripe()
    scene.payments.settings = scene.payments.settings.model_copy(update={"payments_fee_bps": 250})
    account = await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    order = await scene.accept(order, 0)
    assert order["milestones"][0]["status"] == "accepted"
    await scene.deliver()
    [sent] = http.requests_to("POST", "/v1/transfers")
    milestone = order["milestones"][0]
    assert sent.params["amount"] == "487500"  # 5000.00 less the 2.5 % fee (125.00)
    assert sent.params["currency"] == "eur"
    assert sent.params["destination"] == account
    assert sent.params["transfer_group"] == f"order_{order['id']}"
    assert sent.params["source_transaction"].startswith("ch_")
    assert sent.params["metadata[milestone_id]"] == milestone["id"]
    assert sent.idempotency_key == f"milestone-{milestone['id']}-transfer"
    order = await scene.get_order(order["id"])
    assert order["milestones"][0]["status"] == "paid"
    assert order["milestones"][0]["transfer_id"].startswith("tr_")
    assert order["milestones"][0]["fee"]["amount"] == "125.00"
    b = order["balances"]
    assert (b["transferred"]["amount"], b["fees"]["amount"], b["held"]["amount"]) == (
        "4875.00", "125.00", "5000.00")  # fmt: skip
    await scene.deliver()  # nothing left to do
    assert len(http.requests_to("POST", "/v1/transfers")) == 1


async def test_a_rate_limited_transfer_is_retried_later_and_paid_once(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    await scene.accept(order, 0)
    http.fail("POST", "/v1/transfers", "rate_limit")
    result = await scene.deliver()
    assert result["payments"].retrying == 1
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "accepted"
    async with session_maker(scene.api.engine)() as db:
        delivery = await db.scalar(select(EventDelivery).where(
            EventDelivery.subscriber == "payments", EventDelivery.status == "pending"))  # fmt: skip
        assert delivery is not None and "Too many requests" in (delivery.last_error or "")
    await scene.deliver()
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "paid"
    sent = http.requests_to("POST", "/v1/transfers")
    assert len(sent) == 2 and sent[0].idempotency_key == sent[1].idempotency_key
    assert len(await _ledger(scene, "transfer")) == 1


async def test_a_network_error_is_retried_by_stripe_python_with_the_same_key(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    await scene.accept(order, 0)
    http.fail("POST", "/v1/transfers", "network")
    await scene.deliver()
    sent = http.requests_to("POST", "/v1/transfers")
    assert len(sent) == 2 and len({s.idempotency_key for s in sent}) == 1
    assert len(http.created("tr_")) == 1
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "paid"


async def test_killed_after_stripe_made_the_transfer_the_retry_records_it_once(
    scene: Scene,
) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    await scene.accept(order, 0)
    http.fail("POST", "/v1/transfers", "kill_after")
    try:
        await scene.deliver()
    except Killed:
        pass
    else:
        raise AssertionError("the worker should have died")
    assert len(http.created("tr_")) == 1  # Stripe made it
    assert await _ledger(scene, "transfer") == []  # the ledger never heard
    await scene.deliver()  # the next worker: same request, same key
    sent = http.requests_to("POST", "/v1/transfers")
    assert [s.replayed for s in sent] == [False, True]
    assert len(http.created("tr_")) == 1
    [entry] = await _ledger(scene, "transfer")
    assert entry.reference == http.created("tr_")[0]["id"]
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "paid"


async def test_stripe_refusing_a_checkout_changes_nothing(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"])
    http.fail("POST", "/v1/checkout/sessions", "card_declined")
    r = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                headers=scene.city_owner.headers)  # fmt: skip
    assert r.status_code == 502
    assert "declined" in r.json()["detail"]
    assert (await scene.get_order(order["id"]))["status"] == "awaiting_payment"


async def test_a_declined_payment_is_shown_and_the_city_can_try_again(scene: Scene) -> None:
    scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"])
    intent = {"id": "pi_declined", "object": "payment_intent", "metadata": {"order_id": order["id"]},
              "last_payment_error": {"code": "card_declined", "message": "Your card was declined."}}  # fmt: skip
    await scene.webhook("payment_intent.payment_failed", intent)
    await scene.deliver()
    order = await scene.get_order(order["id"])
    assert order["status"] == "awaiting_payment"


async def test_cancelling_a_paid_order_refunds_the_unpaid_remainder(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    await scene.accept(order, 0)
    await scene.deliver()
    order = await scene.act(order["id"], "cancel", scene.city_owner, {"reason": "Budget cut."})
    assert order["status"] == "refunding"
    await scene.deliver()
    [refund] = http.requests_to("POST", "/v1/refunds")
    assert refund.params["amount"] == "500000"
    assert refund.params["payment_intent"].startswith("pi_")
    order = await scene.get_order(order["id"])
    assert order["status"] == "refunded"
    b = order["balances"]
    assert (b["charged"]["amount"], b["transferred"]["amount"], b["refunded"]["amount"],
            b["held"]["amount"]) == ("10000.00", "5000.00", "5000.00", "0.00")  # fmt: skip
    # Stripe's charge.refunded for our own refund adds nothing.
    charge = http.created("ch_")[0]
    await scene.webhook("charge.refunded", {**charge, "amount_refunded": 500000})
    await scene.deliver()
    assert len(await _ledger(scene, "refund")) == 1


async def test_a_card_dispute_is_recorded_on_the_order(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    charge = http.created("ch_")[0]
    dispute: dict[str, Any] = {"id": "dp_test1", "object": "dispute", "amount": 1_000_000,
                               "charge": charge["id"], "status": "needs_response"}  # fmt: skip
    await scene.webhook("charge.dispute.created", dispute)
    await scene.deliver()
    order = await scene.get_order(order["id"])
    assert order["charge_dispute_status"] == "needs_response"
    assert order["balances"]["disputed"]["amount"] == "10000.00"
    assert order["balances"]["held"]["amount"] == "0.00"


async def test_a_payout_waits_for_the_smes_payouts_and_goes_once_they_are_enabled(
    scene: Scene,
) -> None:
    http = scene.on_stripe()
    account = await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    stripe_account = http.objects[account]
    later = int(time.time()) + 10
    await scene.webhook("account.updated", {**stripe_account, "payouts_enabled": False},
                        created=later)  # fmt: skip
    await scene.deliver()
    await scene.report(order, 0)
    await scene.accept(order, 0)
    await scene.deliver()
    assert http.requests_to("POST", "/v1/transfers") == []
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "accepted"
    await scene.webhook("account.updated", {**stripe_account, "payouts_enabled": True},
                        created=later + 10)  # fmt: skip
    await scene.deliver()  # the stored event: payouts enabled (a new outbox event)...
    await scene.deliver()  # ...which the next round routes: the waiting transfer goes
    assert len(http.requests_to("POST", "/v1/transfers")) == 1
    assert (await scene.get_order(order["id"]))["milestones"][0]["status"] == "paid"


async def test_each_city_of_a_joint_order_pays_its_own_share(scene: Scene) -> None:
    """Measured before: the ordering city was charged the whole price and its partners
    nothing. Now each city pays its share through its own Checkout Session, the order is
    paid when every share is, payouts draw on the order's transfer group, and a refund goes
    back to each city's payment by its share."""
    from marketplace.tenders.ocds import validate_release_package

    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"], buyers=[
        {"organisation_id": scene.city["id"], "share_percent": "60"},
        {"organisation_id": scene.partner["id"], "share_percent": "40"}])  # fmt: skip
    order = await scene.pay_on_stripe(order)
    [lead_checkout] = http.requests_to("POST", "/v1/checkout/sessions")
    assert lead_checkout.params["line_items[0][price_data][unit_amount]"] == "600000"
    assert lead_checkout.idempotency_key == f"order-{order['id']}-checkout-1"
    assert order["status"] == "awaiting_payment"
    assert [b["paid_at"] is not None for b in order["buyers"]] == [True, False]
    # The ordering city's share is paid: it has nothing more to pay.
    again = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                    headers=scene.city_owner.headers)  # fmt: skip
    assert again.status_code == 409 and "share is paid" in again.json()["detail"]

    order = await scene.pay_on_stripe(order, scene.partner_owner)
    partner_checkout = http.requests_to("POST", "/v1/checkout/sessions")[1]
    assert partner_checkout.params["line_items[0][price_data][unit_amount]"] == "400000"
    assert partner_checkout.params["metadata[buyer_id]"] == scene.partner["id"]
    assert partner_checkout.params["payment_intent_data[transfer_group]"] == f"order_{order['id']}"
    assert partner_checkout.idempotency_key == (
        f"order-{order['id']}-{scene.partner['id']}-checkout-1"
    )
    assert order["status"] == "paid"
    assert order["balances"]["charged"]["amount"] == "10000.00"

    await scene.report(order, 0)
    await scene.accept(order, 0)
    await scene.deliver()
    [transfer] = http.requests_to("POST", "/v1/transfers")
    assert "source_transaction" not in transfer.params  # two charges: the group's balance
    assert transfer.params["transfer_group"] == f"order_{order['id']}"
    r = await scene.client.get(f"/api/v1/pilot-orders/{order['id']}/ocds",
                               headers=scene.partner_owner.headers)  # fmt: skip
    package = r.json()
    assert validate_release_package(package) == []
    release = package["releases"][0]
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles["Espoo"] == ["buyer", "procuringEntity", "payer"]
    assert roles["Vantaa"] == ["buyer", "payer"]
    assert [m["status"] for m in release["contracts"][0]["milestones"]] == [
        "met", "scheduled", "scheduled"]  # fmt: skip

    order = await scene.act(order["id"], "cancel", scene.city_owner, {"reason": "Budget cut."})
    await scene.deliver()
    refunds = http.requests_to("POST", "/v1/refunds")
    intents = [i["id"] for i in http.created("pi_")]
    assert sorted((r.params["payment_intent"], r.params["amount"]) for r in refunds) == sorted(
        zip(intents, ["300000", "200000"], strict=True)
    )
    order = await scene.get_order(order["id"])
    b = order["balances"]
    assert order["status"] == "refunded"
    assert (b["charged"]["amount"], b["transferred"]["amount"], b["refunded"]["amount"],
            b["held"]["amount"]) == ("10000.00", "5000.00", "5000.00", "0.00")  # fmt: skip
    # Two charges, one transfer, two refunds: the ledger and Stripe's balance agree.
    from marketplace.payments import reconcile

    row = await reconcile.run(session_maker(scene.api.engine), scene.payments.gateway,
                              scene.app.state.runtime.clock.now())  # fmt: skip
    assert row.differences == [] and row.checked == 5


async def test_a_partners_payment_without_our_metadata_still_pays_its_own_share(
    scene: Scene,
) -> None:
    """An event for a co-buying city's Checkout Session that lacks `metadata.buyer_id` is
    known by the session it completes: the partner's share is paid, not refused as a wrong
    amount for the ordering city."""
    scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"], buyers=[
        {"organisation_id": scene.city["id"], "share_percent": "60"},
        {"organisation_id": scene.partner["id"], "share_percent": "40"}])  # fmt: skip
    order = await scene.pay_on_stripe(order)
    r = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                headers=scene.partner_owner.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    assert scene.http is not None
    session = dict(scene.http.pay(r.json()["session_id"]))
    session["metadata"] = {"order_id": order["id"]}  # no buyer named
    assert (await scene.webhook("checkout.session.completed", session)).status_code == 200
    await scene.deliver()
    order = await scene.get_order(order["id"])
    assert order["status"] == "paid"
    assert all(b["paid_at"] is not None for b in order["buyers"])


async def test_a_joint_order_cancelled_before_every_share_is_paid_gives_each_payment_back(
    scene: Scene,
) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"], buyers=[
        {"organisation_id": scene.city["id"], "share_percent": "60"},
        {"organisation_id": scene.partner["id"], "share_percent": "40"}])  # fmt: skip
    order = await scene.pay_on_stripe(order)
    # The partner opens Stripe's page; meanwhile the ordering city cancels.
    r = await scene.client.post(f"/api/v1/pilot-orders/{order['id']}/checkout",
                                headers=scene.partner_owner.headers)  # fmt: skip
    partner_session = r.json()["session_id"]
    order = await scene.act(order["id"], "cancel", scene.city_owner, {"reason": "Plans changed."})
    assert order["status"] == "refunding"
    await scene.deliver()
    [first] = http.requests_to("POST", "/v1/refunds")
    assert first.params["amount"] == "600000"
    # The partner paid on the page it had open: its money goes straight back too.
    await scene.webhook("checkout.session.completed", http.pay(partner_session))
    await scene.deliver()  # the event: the payment arrives on a cancelled order
    await scene.deliver()  # what it published: its refund
    second = http.requests_to("POST", "/v1/refunds")[1]
    assert second.params["amount"] == "400000"
    assert second.params["payment_intent"] != first.params["payment_intent"]
    order = await scene.get_order(order["id"])
    b = order["balances"]
    assert order["status"] == "refunded"
    assert (b["charged"]["amount"], b["refunded"]["amount"], b["held"]["amount"]) == (
        "10000.00", "10000.00", "0.00",
    )  # fmt: skip


async def test_back_from_onboarding_the_account_is_read_from_stripe_at_once(
    scene: Scene,
) -> None:
    http = scene.on_stripe()
    r = await scene.client.post(f"/api/v1/organisations/{scene.sme['id']}/payments/onboarding",
                                headers=scene.sme_owner.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    account = http.created("acct_")[0]
    await scene.api.sign_in_browser(scene.sme_owner)
    back = f"/workspace/payments/{scene.sme['id']}?onboarding=returned"

    # Stripe unreachable: the page still opens and says what will happen.
    for _ in range(3):
        http.fail("GET", f"/v1/accounts/{account['id']}", "network")
    page = await scene.client.get(back)
    assert page.status_code == 200
    assert "Your payouts are enabled as soon as Stripe confirms your details" in page.text

    # The SME finished on Stripe's side; its event has not come yet, the reading has.
    account.update(details_submitted=True, charges_enabled=True, payouts_enabled=True)
    page = await scene.client.get(back)
    assert page.status_code == 200
    assert "Your payouts are enabled: cities can order your pilots." in page.text
    assert http.requests_to("GET", f"/v1/accounts/{account['id']}")
    r = await scene.client.get(f"/api/v1/organisations/{scene.sme['id']}/payments/account",
                               headers=scene.sme_owner.headers)  # fmt: skip
    assert r.json()["payouts_enabled"] is True
    package = await scene.package()
    assert package["orderable"] is True


async def test_an_expired_onboarding_link_sends_the_sme_to_a_fresh_one(scene: Scene) -> None:
    http = scene.on_stripe()
    await scene.api.sign_in_browser(scene.sme_owner)
    r = await scene.client.get(f"/workspace/payments/{scene.sme['id']}/onboarding/refresh",
                               follow_redirects=False)  # fmt: skip
    assert r.status_code in (302, 303), r.text
    assert r.headers["location"].startswith("https://connect.stripe.com/setup/")
    assert len(http.requests_to("POST", "/v1/account_links")) == 1
    # The Express account made on the way is kept (a GET writes it in a write of its own).
    r = await scene.client.get(f"/api/v1/organisations/{scene.sme['id']}/payments/account",
                               headers=scene.sme_owner.headers)  # fmt: skip
    assert r.json()["stripe_account_id"] == http.created("acct_")[0]["id"]
    # Stripe failing: back to the workspace with the reason, nothing half-written.
    for _ in range(3):
        http.fail("POST", "/v1/account_links", "network")
    r = await scene.client.get(f"/workspace/payments/{scene.sme['id']}/onboarding/refresh",
                               follow_redirects=False)  # fmt: skip
    assert r.status_code in (302, 303)
    assert r.headers["location"] == f"/workspace/payments/{scene.sme['id']}"
