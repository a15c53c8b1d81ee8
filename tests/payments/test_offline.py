"""Offline mode (no Stripe keys): the same packages, orders and milestones, settled by the
platform admin recording what was paid outside; the ledger is the same."""

from __future__ import annotations

from tests.payments.conftest import Scene


async def test_packages_split_the_price_into_milestones_tied_to_kpis(scene: Scene) -> None:
    package = await scene.package(price={"amount": "100.00", "currency": "EUR"}, milestones=[
        {"title": "First third", "share_percent": "33.33", "outcome_index": 0, "evidence": "a"},
        {"title": "Second third", "share_percent": "33.33", "outcome_index": 1, "evidence": "b"},
        {"title": "Last third", "share_percent": "33.34", "outcome_index": 0, "evidence": "c"},
    ])  # fmt: skip
    assert package["price"] == {"amount": "100.00", "currency": "EUR"}
    assert [m["amount"]["amount"] for m in package["milestones"]] == ["33.33", "33.33", "33.34"]
    assert package["milestones"][1]["outcome_metric"] == "Lights dimmed at night"
    assert package["orderable"] is True  # offline: no onboarding needed
    r = await scene.client.get(f"/api/v1/listings/{scene.listing['id']}/pilot-packages")
    assert [p["id"] for p in r.json()] == [package["id"]]


async def test_bad_packages_are_refused_naming_the_field(scene: Scene) -> None:
    url = f"/api/v1/listings/{scene.listing['id']}/pilot-packages"
    from tests.payments.conftest import package_body

    body = package_body()
    body["milestones"][0]["share_percent"] = "40"
    r = await scene.client.post(url, json=body, headers=scene.sme_owner.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "milestones"
    assert "90.00 %" in r.json()["errors"][0]["message"]
    body = package_body()
    body["milestones"][1]["outcome_index"] = 7
    r = await scene.client.post(url, json=body, headers=scene.sme_owner.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "milestones[1].outcome_index"
    r = await scene.client.post(
        url, json=package_body(price={"amount": "10.5", "currency": "JPY"}),
        headers=scene.sme_owner.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "price.amount"
    # Only the SME's editors offer pilots on its listing.
    r = await scene.client.post(url, json=package_body(), headers=scene.city_owner.headers)
    assert r.status_code == 403
    r = await scene.client.get(url)
    assert r.json() == []  # nothing was written


async def test_an_sme_changes_a_package_and_orders_placed_keep_their_terms(
    scene: Scene,
) -> None:
    from tests.payments.conftest import package_body

    package = await scene.package()
    order = await scene.order(package["id"])
    url = f"/api/v1/pilot-packages/{package['id']}"
    new_terms = package_body(
        title="Street lighting pilot, two districts",
        price={"amount": "18000.00", "currency": "EUR"},
        milestones=[
            {"title": "Installed", "share_percent": "40", "outcome_index": 0, "evidence": "a"},
            {"title": "Savings", "share_percent": "60", "outcome_index": 1, "evidence": "b"},
        ],
    )
    # Only the SME's editors; bad terms are refused naming the field and change nothing.
    r = await scene.client.put(url, json=new_terms, headers=scene.city_owner.headers)
    assert r.status_code == 403
    bad = package_body(milestones=[{"title": "All", "share_percent": "90", "outcome_index": 0,
                                    "evidence": "a"}])  # fmt: skip
    r = await scene.client.put(url, json=bad, headers=scene.sme_owner.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "milestones"
    r = await scene.client.put(url, json=new_terms, headers=scene.sme_owner.headers)
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["title"] == "Street lighting pilot, two districts"
    assert [m["amount"]["amount"] for m in changed["milestones"]] == ["7200.00", "10800.00"]
    assert (await scene.client.get(url)).json()["price"]["amount"] == "18000.00"
    # The order placed before is a contract: its price and milestones stay as bought.
    kept = await scene.get_order(order["id"])
    assert kept["title"] == package["title"]
    assert [m["title"] for m in kept["milestones"]] == [m["title"] for m in package["milestones"]]
    # A withdrawn package is not changed; a new one is offered instead.
    r = await scene.client.post(f"{url}/withdraw", headers=scene.sme_owner.headers)
    assert r.status_code == 200
    r = await scene.client.put(url, json=new_terms, headers=scene.sme_owner.headers)
    assert r.status_code == 409


async def test_a_city_orders_pays_offline_and_milestones_are_paid_out(scene: Scene) -> None:
    package = await scene.package()
    order = await scene.order(package["id"])
    assert order["status"] == "awaiting_payment"
    assert order["mode"] == "offline"
    assert [m["status"] for m in order["milestones"]] == ["pending"] * 3
    # No checkout offline: the city is told how to pay.
    r = await scene.client.post(
        f"/api/v1/pilot-orders/{order['id']}/checkout", headers=scene.city_owner.headers
    )
    assert r.status_code == 409
    assert "offline" in r.json()["detail"]
    # Only the admin records a payment made outside.
    await scene.act(order["id"], "offline/payment", scene.city_owner, {"note": "paid"}, 403)
    order = await scene.paid_offline(order)
    assert order["status"] == "paid"
    assert order["balances"]["held"] == {"amount": "10000.00", "currency": "EUR"}

    order = await scene.report(order, 0)
    assert order["milestones"][0]["status"] == "reported"
    order = await scene.accept(order, 0)
    assert order["milestones"][0]["status"] == "accepted"
    await scene.deliver()  # the subscriber leaves offline payouts to the admin
    milestone = order["milestones"][0]["id"]
    order = await scene.act(order["id"], f"milestones/{milestone}/offline/payout", scene.admin,
                            {"note": "SEPA 2026-0042"})  # fmt: skip
    assert order["milestones"][0]["status"] == "paid"
    assert order["balances"]["transferred"]["amount"] == "5000.00"
    assert order["balances"]["held"]["amount"] == "5000.00"
    r = await scene.client.get(
        f"/api/v1/pilot-orders/{order['id']}/ledger", headers=scene.sme_owner.headers
    )
    kinds = sorted((e["kind"], e["debit"], e["credit"], e["amount"]["amount"]) for e in r.json())
    assert kinds == [("charge", "held", "city", "10000.00"), ("transfer", "sme", "held", "5000.00")]


async def test_only_the_parties_see_an_order(scene: Scene) -> None:
    order = await scene.order((await scene.package())["id"])
    for person in (scene.sme_owner, scene.city_owner, scene.admin):
        assert (await scene.get_order(order["id"], person))["id"] == order["id"]
    for person in (scene.outsider, scene.partner_owner):
        r = await scene.client.get(f"/api/v1/pilot-orders/{order['id']}", headers=person.headers)
        assert r.status_code == 404
        r = await scene.client.get(f"/api/v1/pilot-orders/{order['id']}/ledger",
                                   headers=person.headers)  # fmt: skip
        assert r.status_code == 404
        r = await scene.client.get("/api/v1/pilot-orders", headers=person.headers)
        assert r.json()["total"] == 0


async def test_only_the_sme_reports_and_only_the_ordering_city_accepts(scene: Scene) -> None:
    order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
    milestone = order["milestones"][0]["id"]
    await scene.act(order["id"], f"milestones/{milestone}/report", scene.city_owner,
                    {"evidence": "x"}, 403)  # fmt: skip
    await scene.report(order, 0)
    await scene.act(order["id"], f"milestones/{milestone}/accept", scene.sme_owner, None, 403)
    await scene.act(order["id"], f"milestones/{milestone}/accept", scene.outsider, None, 404)
    order = await scene.get_order(order["id"])
    assert order["milestones"][0]["status"] == "reported"


async def test_a_disputed_milestone_is_resolved_by_the_admin(scene: Scene) -> None:
    order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
    milestone = order["milestones"][1]["id"]
    await scene.report(order, 1)
    order = await scene.act(order["id"], f"milestones/{milestone}/dispute", scene.city_owner,
                            {"reason": "The metering report covers two months, not three."})  # fmt: skip
    assert order["milestones"][1]["status"] == "disputed"
    await scene.act(order["id"], f"milestones/{milestone}/resolve", scene.city_owner,
                    {"decision": "release", "note": "x"}, 403)  # fmt: skip
    order = await scene.act(order["id"], f"milestones/{milestone}/resolve", scene.admin,
                            {"decision": "refund", "note": "The evidence is incomplete."})  # fmt: skip
    assert order["milestones"][1]["status"] == "refunded"
    order = await scene.act(order["id"], "offline/refund", scene.admin, {"note": "SEPA back"})
    assert order["balances"]["refunded"]["amount"] == "3000.00"
    assert order["milestones"][1]["refunded_at"] is not None


async def test_unverified_cities_cannot_order_and_joint_shares_must_sum(scene: Scene) -> None:
    package = await scene.package()
    owner = await scene.api.person("New City")
    city = await scene.api.organisation(owner, "city")
    r = await scene.client.post("/api/v1/pilot-orders", headers=owner.headers,
                                json={"package_id": package["id"], "organisation_id": city["id"]})  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "organisation_id"
    r = await scene.client.post("/api/v1/pilot-orders", headers=scene.city_owner.headers, json={
        "package_id": package["id"], "organisation_id": scene.city["id"],
        "buyers": [{"organisation_id": scene.city["id"], "share_percent": "60"},
                   {"organisation_id": scene.partner["id"], "share_percent": "30"}]})  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "buyers"
    order = await scene.order(package["id"], buyers=[
        {"organisation_id": scene.city["id"], "share_percent": "66.67"},
        {"organisation_id": scene.partner["id"], "share_percent": "33.33"}])  # fmt: skip
    assert [(b["name"], b["amount"]["amount"]) for b in order["buyers"]] == [
        ("Espoo", "6667.00"), ("Vantaa", "3333.00")]  # fmt: skip
    # The partner city sees the joint order, but only the ordering city decides.
    assert (await scene.get_order(order["id"], scene.partner_owner))["id"] == order["id"]
    await scene.act(order["id"], "cancel", scene.partner_owner, {"reason": "no"}, 403)


async def test_cancelling_before_any_payout_refunds_in_full(scene: Scene) -> None:
    order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
    order = await scene.act(order["id"], "cancel", scene.city_owner,
                            {"reason": "The district plan changed."})  # fmt: skip
    assert order["status"] == "refunding"
    order = await scene.act(order["id"], "offline/refund", scene.admin, {"note": "SEPA back"})
    assert order["status"] == "refunded"
    assert order["balances"]["refunded"]["amount"] == "10000.00"
    assert order["balances"]["held"]["amount"] == "0.00"


async def test_ocds_shows_the_order_as_a_contract_with_milestones(scene: Scene) -> None:
    from marketplace.tenders.ocds import validate_release_package

    order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
    r = await scene.client.get(f"/api/v1/pilot-orders/{order['id']}/ocds",
                               headers=scene.city_owner.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    package = r.json()
    assert validate_release_package(package) == []
    contract = package["releases"][0]["contracts"][0]
    assert [m["title"] for m in contract["milestones"]] == [
        "Installed and commissioned", "Three months of metered savings", "Final savings report"]  # fmt: skip
    assert package["releases"][0]["tender"]["procurementMethod"] == "direct"
