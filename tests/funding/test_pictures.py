# ruff: noqa: RUF001 - French text is written with its typographic apostrophe.
"""Issue 19, pictures: a funding call's funding sought, offered and accepted on its page, and
a city's spend and funding sought by ICC theme on its home, as SVG with the same figures in
the table behind each; oversubscribed shown as a state; in the reader's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marketplace import i18n
from marketplace.clock import FrozenClock
from marketplace.web.labels import theme_names
from tests.factories import Api
from tests.funding.helpers import Scene, call_body, scene
from tests.pictures import SVG, Shown, picture, spaced
from tests.tenders.helpers import joint
from tests.web.test_home import _sign_in


def _money(amount: str | Decimal, currency: str = "EUR", locale: str = "en") -> str:
    with i18n.using(locale):
        return spaced(i18n.money(Decimal(amount), currency))


async def _oversubscribed(api: Api) -> tuple[Scene, dict[str, Any]]:
    """2.5 M sought; one funder's 2 M accepted, another's 1 M pending."""
    s = await scene(api)
    call = await s.open_call()
    first = await s.interest(call["id"], "2000000.00")
    assert first.status_code == 201, first.text
    other = await api.person("Fund officer")
    second_funder = await api.organisation(other, "funder", verified=True, name="Nordic Fund")
    second = await s.interest(call["id"], "1000000.00", funder=second_funder, person=other)
    assert second.status_code == 201, second.text
    assert (await s.decide(call["id"], first.json()["id"])).status_code == 200
    record = (await api.client.get(f"/api/v1/funding-calls/{call['id']}")).json()
    return s, record


async def _funding(api: Api, call_id: str, **headers: str) -> Shown:
    r = await api.client.get(f"/funding-calls/{call_id}", headers=headers)
    assert r.status_code == 200
    return picture(r.text, "call-funding")


def _widths(shown: Shown) -> list[float]:
    return [float(r.get("width", 0)) for r in shown.svg.iter(f"{SVG}rect")
            if r.get("class") == "chart-bar"]  # fmt: skip


class TestACallsFunding:
    async def test_sought_offered_and_accepted_as_the_call_states_them(self, api: Api) -> None:
        _s, call = await _oversubscribed(api)
        assert call["funding_state"] == "oversubscribed"
        sought, offered, accepted = (
            call["amount_sought"], call["offered_total"], call["pledged_total"]
        )  # fmt: skip
        shown = await _funding(api, call["id"])
        assert shown.title == "Funding sought, offered and accepted"
        assert shown.bars == [Decimal(m["amount"]) for m in (sought, offered, accepted)]
        assert shown.rows == [
            ["Sought", _money(sought["amount"])], ["Offered", _money(offered["amount"])],
            ["Accepted", _money(accepted["amount"])],
        ]  # fmt: skip
        for label, amount in shown.rows:
            assert label in shown.texts and amount in shown.texts and amount in spaced(shown.desc)
        # Oversubscribed is said in words, and the offers' bar runs past the amount sought.
        assert "Oversubscribed: funders offer more than the call seeks." in shown.words
        assert "Oversubscribed" in shown.desc
        sought_bar, offered_bar, accepted_bar = _widths(shown)
        assert offered_bar > sought_bar > accepted_bar > 0
        share = Decimal(accepted["amount"]) / Decimal(sought["amount"])
        assert abs(accepted_bar / sought_bar - float(share)) < 0.01  # one scale for all bars
        assert "80%" in shown.desc  # of the amount sought, accepted

    async def test_a_call_without_offers_draws_empty_bars(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        shown = await _funding(api, call["id"])
        assert shown.bars == [Decimal(call["amount_sought"]["amount"]), 0, 0]
        assert _widths(shown)[1:] == [0, 0]
        assert "Oversubscribed" not in shown.words and "Fully funded" not in shown.words

    async def test_in_french_with_french_numbers(self, api: Api) -> None:
        _s, call = await _oversubscribed(api)
        api.client.cookies.set("icc_lang", "fr")
        shown = await _funding(api, call["id"])
        assert shown.title == "Financement recherché, proposé et accepté"
        assert shown.head == ["Financement", "Montant"]
        assert shown.rows[0] == ["Recherché", _money(call["amount_sought"]["amount"], locale="fr")]
        assert shown.rows[0][1] == "2 500 000,00 €"
        assert "Sursouscrit : les financeurs proposent plus que ce que l’appel recherche." in (
            shown.words
        )


class TestSpendAndFundingByTheme:
    async def test_a_city_home_sets_its_tenders_beside_its_calls_per_theme(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)  # mobility, two lots with estimates
        gone = await j.published(api, clock, themes=["e-government"])
        r = await api.client.post(f"/api/v1/tenders/{gone['id']}/cancel",
                                  json={"reason": "Merged into another"}, headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 200
        await j.create(api, clock, themes=["open-data"])  # a draft: not spend yet
        r = await api.client.post("/api/v1/funding-calls", json=call_body(j.city_a["id"]),
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        call = r.json()
        r = await api.client.post(f"/api/v1/funding-calls/{call['id']}/publish",
                                  headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 200, r.text

        spend = sum(Decimal(lot["estimated_value"]["amount"]) for lot in tender["lots"])
        sought = Decimal(call["amount_sought"]["amount"])
        names = theme_names()
        shown = picture(await _sign_in(api, j.lead.email), "theme-spend-1")
        assert shown.title == "Spend and funding sought by theme"
        assert shown.head == ["Theme", "Tenders (estimated value)", "Funding sought"]
        # Mobility has both; renewable energies only the call's; nothing cancelled or drafted.
        assert tender["themes"] == ["mobility"]
        assert call["themes"] == ["mobility", "renewable-energies"]
        assert shown.rows == [
            [names["mobility"], _money(spend), _money(sought)],
            [names["renewable-energies"], _money(0), _money(sought)],
        ]
        assert shown.bars == [spend, sought, 0, sought]
        for theme, tendered, seeking in shown.rows:
            assert theme in shown.texts and tendered in shown.texts and seeking in shown.texts
        assert names["e-government"] not in shown.words and names["open-data"] not in shown.words

    async def test_in_german(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        await s.open_call()
        await _sign_in(api, s.city_owner.email)
        r = await api.client.get("/home", headers={"Accept-Language": "de"})
        shown = picture(r.text, "theme-spend-1")
        assert shown.title == "Ausgaben und gesuchte Finanzierung nach Thema"
        assert shown.rows[0] == ["Mobilität", _money(0, locale="de"), "2.500.000,00 €"]
