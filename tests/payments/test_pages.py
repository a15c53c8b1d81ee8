"""The pages: what the SME, the city and the admin see and can do, offline mode said."""

from __future__ import annotations

from tests.factories import csrf
from tests.payments.conftest import Scene


async def test_pages_say_clearly_that_payments_are_offline(scene: Scene) -> None:
    package = await scene.package()
    r = await scene.client.get(f"/pilots/{package['id']}")
    assert r.status_code == 200
    assert "Payments are offline" in r.text
    assert "no card is charged" in r.text
    r = await scene.client.get("/pilots")
    assert package["title"] in r.text and "Payments are offline" in r.text


async def test_a_city_orders_on_the_page_and_accepts_a_milestone(scene: Scene) -> None:
    package = await scene.package()
    await scene.api.sign_in_browser(scene.city_owner)
    page = await scene.client.get(f"/pilots/{package['id']}")
    r = await scene.client.post(f"/pilots/{package['id']}/order", follow_redirects=False, data={
        "organisation_id": scene.city["id"], "_csrf_token": csrf(page)})  # fmt: skip
    assert r.status_code in (302, 303), r.text
    order_id = r.headers["location"].rsplit("/", 1)[1]
    page = await scene.client.get(f"/orders/{order_id}")
    assert "pay the platform by bank transfer" in page.text.lower() or "bank transfer" in page.text
    order = await scene.paid_offline(await scene.get_order(order_id))
    await scene.report(order, 0)
    page = await scene.client.get(f"/orders/{order_id}")
    assert "Accept “Installed and commissioned”" in page.text
    milestone = order["milestones"][0]["id"]
    r = await scene.client.post(f"/orders/{order_id}/milestones/{milestone}/accept",
                                data={"_csrf_token": csrf(page)}, follow_redirects=False)  # fmt: skip
    assert r.status_code in (302, 303)
    page = await scene.client.get(f"/orders/{order_id}")
    assert "Accepted." in page.text
    assert (await scene.get_order(order_id))["milestones"][0]["status"] == "accepted"


async def test_forms_without_the_csrf_token_are_refused(scene: Scene) -> None:
    package = await scene.package()
    await scene.api.sign_in_browser(scene.city_owner)
    r = await scene.client.post(f"/pilots/{package['id']}/order",
                                data={"organisation_id": scene.city["id"]})  # fmt: skip
    assert r.status_code == 403
    r = await scene.client.get("/api/v1/pilot-orders", headers=scene.city_owner.headers)
    assert r.json()["total"] == 0


async def test_the_sme_offers_a_package_in_its_workspace(scene: Scene) -> None:
    await scene.api.sign_in_browser(scene.sme_owner)
    page = await scene.client.get(f"/workspace/payments/{scene.sme['id']}")
    assert page.status_code == 200
    assert "Offer a new pilot package" in page.text
    listing = scene.listing["id"]
    form = {
        "_csrf_token": csrf(page), "listing_id": listing, "title": "Two-street pilot",
        "price.amount": "2500.00", "price.currency": "EUR", "duration_weeks": "8",
        "milestones.0.title": "Installed", "milestones.0.share_percent": "60",
        "milestones.0.outcome_index": f"{listing}:0", "milestones.0.evidence": "Report",
        "milestones.1.title": "Savings", "milestones.1.share_percent": "30",
        "milestones.1.outcome_index": f"{listing}:1", "milestones.1.evidence": "Metering",
    }  # fmt: skip
    r = await scene.client.post(f"/workspace/payments/{scene.sme['id']}/packages", data=form)
    assert r.status_code == 422
    assert "sum to 100" in r.text and 'value="Two-street pilot"' in r.text
    form["milestones.1.share_percent"] = "40"
    r = await scene.client.post(f"/workspace/payments/{scene.sme['id']}/packages", data=form,
                                follow_redirects=False)  # fmt: skip
    assert r.status_code in (302, 303), r.text
    page = await scene.client.get(f"/workspace/payments/{scene.sme['id']}")
    assert "Two-street pilot" in page.text


async def test_other_organisations_cannot_open_an_order_page(scene: Scene) -> None:
    order = await scene.order((await scene.package())["id"])
    await scene.api.sign_in_browser(scene.outsider)
    r = await scene.client.get(f"/orders/{order['id']}")
    assert r.status_code == 404
    r = await scene.client.get("/admin/payments")
    assert r.status_code == 403


async def test_the_admin_sees_the_ledger_and_disputes(scene: Scene) -> None:
    order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
    await scene.report(order, 1)
    milestone = order["milestones"][1]["id"]
    await scene.act(order["id"], f"milestones/{milestone}/dispute", scene.city_owner,
                    {"reason": "Only two months of metering."})  # fmt: skip
    await scene.api.sign_in_browser(scene.admin)
    r = await scene.client.get("/admin/payments")
    assert r.status_code == 200
    assert "Only two months of metering." in r.text
    assert "offline:payment:" in r.text


class TestOrderPageButtons:
    """The order page shows what the policy allows the reader, no more."""

    async def test_the_admin_alone_sees_the_offline_payment_form(self, scene: Scene) -> None:
        order = await scene.order((await scene.package())["id"])
        await scene.api.sign_in_browser(scene.city_owner)
        page = await scene.client.get(f"/orders/{order['id']}")
        assert "Cancel the order" in page.text
        assert "Record the payment" not in page.text
        await scene.api.sign_in_browser(scene.admin)
        page = await scene.client.get(f"/orders/{order['id']}")
        assert "Record the payment (made outside the platform)" in page.text
        assert "Cancel the order" not in page.text

    async def test_the_admin_alone_sees_how_to_resolve_a_dispute(self, scene: Scene) -> None:
        order = await scene.paid_offline(await scene.order((await scene.package())["id"]))
        await scene.report(order, 0)
        milestone = order["milestones"][0]["id"]
        await scene.act(order["id"], f"milestones/{milestone}/dispute", scene.city_owner,
                        {"reason": "No commissioning report."})  # fmt: skip
        for person in (scene.city_owner, scene.sme_owner):
            await scene.api.sign_in_browser(person)
            page = await scene.client.get(f"/orders/{order['id']}")
            assert page.status_code == 200
            assert "Release to the SME" not in page.text and "Refund the city" not in page.text
        await scene.api.sign_in_browser(scene.admin)
        page = await scene.client.get(f"/orders/{order['id']}")
        assert "Release to the SME" in page.text and "Refund the city" in page.text


async def test_a_package_on_a_listing_of_another_organisation_is_refused(scene: Scene) -> None:
    await scene.api.sign_in_browser(scene.sme_owner)
    page = await scene.client.get(f"/workspace/payments/{scene.sme['id']}")
    form = {
        "_csrf_token": csrf(page), "listing_id": "not-one-of-ours", "title": "Two-street pilot",
        "price.amount": "2500.00", "price.currency": "EUR", "duration_weeks": "8",
        "milestones.0.title": "Installed", "milestones.0.share_percent": "100",
        "milestones.0.outcome_index": "not-one-of-ours:0", "milestones.0.evidence": "Report",
    }  # fmt: skip
    r = await scene.client.post(f"/workspace/payments/{scene.sme['id']}/packages", data=form)
    assert r.status_code == 422
    assert "choose one of your published listings" in r.text


async def test_the_sme_changes_a_packages_terms_on_its_page(scene: Scene) -> None:
    package = await scene.package()
    await scene.api.sign_in_browser(scene.city_owner)
    assert (await scene.client.get(f"/pilots/{package['id']}/edit")).status_code == 403
    await scene.api.sign_in_browser(scene.sme_owner)
    workspace = await scene.client.get(f"/workspace/payments/{scene.sme['id']}")
    assert f'href="/pilots/{package["id"]}/edit"' in workspace.text
    page = await scene.client.get(f"/pilots/{package['id']}/edit")
    assert page.status_code == 200
    # The form holds the current terms, a spare milestone row beside the three.
    assert 'value="Street lighting pilot, one district"' in page.text
    assert 'value="10000.00"' in page.text and 'name="milestones.3.title"' in page.text
    kpi = f"{scene.listing['id']}:1"
    form = {"_csrf_token": csrf(page), "title": "Street lighting pilot, two districts",
            "scope": "Two districts.", "price.amount": "18000", "price.currency": "EUR",
            "duration_weeks": "30",
            "milestones.0.title": "Installed", "milestones.0.share_percent": "40",
            "milestones.0.outcome_index": f"{scene.listing['id']}:0",
            "milestones.0.evidence": "Commissioning report",
            "milestones.1.title": "Savings", "milestones.1.share_percent": "50",
            "milestones.1.outcome_index": kpi, "milestones.1.evidence": "Metering"}  # fmt: skip
    r = await scene.client.post(f"/pilots/{package['id']}/edit", data=form)
    assert r.status_code == 422 and "shares must sum to 100" in r.text
    assert 'value="Street lighting pilot, two districts"' in r.text  # nothing typed is lost
    r = await scene.client.post(
        f"/pilots/{package['id']}/edit", data={**form, "milestones.1.share_percent": "60"}
    )
    assert r.status_code == 200 and "The new terms apply to orders placed from now on." in r.text
    changed = (await scene.client.get(f"/api/v1/pilot-packages/{package['id']}")).json()
    assert changed["price"]["amount"] == "18000.00"
    assert [m["title"] for m in changed["milestones"]] == ["Installed", "Savings"]


async def test_each_city_of_a_joint_order_pays_its_share_from_the_order_page(
    scene: Scene,
) -> None:
    http = scene.on_stripe()
    await scene.onboard()
    order = await scene.order((await scene.package())["id"], buyers=[
        {"organisation_id": scene.city["id"], "share_percent": "60"},
        {"organisation_id": scene.partner["id"], "share_percent": "40"}])  # fmt: skip
    await scene.pay_on_stripe(order)
    await scene.api.sign_in_browser(scene.partner_owner)
    page = await scene.client.get(f"/orders/{order['id']}")
    assert "Each city pays its own share" in page.text
    assert "Espoo: €6,000.00 (60.00 %) —" in page.text and "paid" in page.text
    assert f'name="organisation_id" value="{scene.partner["id"]}"' in page.text
    assert f'name="organisation_id" value="{scene.city["id"]}"' not in page.text
    r = await scene.client.post(f"/orders/{order['id']}/pay", follow_redirects=False,
                                data={"organisation_id": scene.partner["id"],
                                      "_csrf_token": csrf(page)})  # fmt: skip
    assert r.status_code in (302, 303) and r.headers["location"].startswith("https://")
    checkout = http.requests_to("POST", "/v1/checkout/sessions")[-1]
    assert checkout.params["line_items[0][price_data][unit_amount]"] == "400000"
    # Another city's share cannot be paid by a partner: the page says why, nothing is sent.
    r = await scene.client.post(f"/orders/{order['id']}/pay", follow_redirects=True,
                                data={"organisation_id": scene.city["id"],
                                      "_csrf_token": csrf(page)})  # fmt: skip
    assert "not a city whose unpaid share you may pay" in r.text
    assert len(http.requests_to("POST", "/v1/checkout/sessions")) == 2
