"""The fit ranking on believable funders and calls: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

from marketplace.funding.fit import CallFacts, FunderFocus, Place, rank, score

ESPOO = Place("City of Espoo", "FI", "FI1B1")
MILANO = Place("Comune di Milano", "IT", "ITC4C")
TORINO = Place("Città di Torino", "IT", "ITC11")
PORTO = Place("Câmara Municipal do Porto", "PT", "PT11A")

# A regional foundation in Lombardy: grants for skills and e-government, small tickets.
CARIPLO = FunderFocus(
    themes=frozenset({"skills-employment", "e-government", "re-skilling"}),
    instruments=frozenset({"grant"}),
    ticket_min=Decimal("50000"),
    ticket_max=Decimal("1500000"),
    currency="EUR",
    nuts_codes=frozenset({"ITC4"}),  # Lombardia
    min_co_financing_percent=Decimal("20"),
)
# A development bank: loans for energy and mobility anywhere in a few countries, big tickets.
CEB = FunderFocus(
    themes=frozenset({"renewable-energies", "mobility", "clean-industry"}),
    instruments=frozenset({"loan", "guarantee", "blended"}),
    ticket_min=Decimal("5000000"),
    ticket_max=Decimal("200000000"),
    currency="EUR",
    countries=frozenset({"FI", "PT", "IT"}),
    min_co_financing_percent=Decimal("25"),
)

DEPOT = CallFacts(
    id="depot", themes=frozenset({"mobility", "renewable-energies"}),
    instruments=frozenset({"loan", "grant"}), amount=Decimal("12000000"), currency="EUR",
    co_financing_percent=Decimal("30"), places=(ESPOO,),
)  # fmt: skip
SKILLS = CallFacts(
    id="skills", themes=frozenset({"skills-employment", "re-skilling"}),
    instruments=frozenset({"grant"}), amount=Decimal("800000"), currency="EUR",
    co_financing_percent=Decimal("25"), places=(MILANO, TORINO),
)  # fmt: skip
HEAT = CallFacts(
    id="heat", themes=frozenset({"renewable-energies", "open-data"}),
    instruments=frozenset({"blended"}), amount=Decimal("3000000"), currency="EUR",
    co_financing_percent=Decimal("10"), places=(PORTO,),
)  # fmt: skip
PORTAL = CallFacts(
    id="portal", themes=frozenset({"e-government"}), instruments=frozenset({"grant"}),
    amount=Decimal("400000"), currency="EUR", co_financing_percent=Decimal("40"),
    places=(TORINO,),
)  # fmt: skip
CALLS = [DEPOT, SKILLS, HEAT, PORTAL]


def reasons(fit_: object) -> dict[str, bool]:
    return {r.criterion: r.matched for r in fit_.reasons}  # type: ignore[attr-defined]


class TestRanking:
    def test_the_foundation_ranks_lombard_skills_grants_first(self) -> None:
        ranked = rank(CARIPLO, CALLS)
        assert [f.call_id for f in ranked][:2] == ["skills", "portal"]
        top = ranked[0]
        assert top.score == 100
        assert reasons(top) == dict.fromkeys(
            ("themes", "instrument", "amount", "region", "co_financing"), True
        )

    def test_a_call_outside_the_region_loses_only_the_region_points(self) -> None:
        portal = score(CARIPLO, PORTAL)
        # Torino is in Piemonte (ITC1), not Lombardia (ITC4): everything else fits.
        assert reasons(portal)["region"] is False
        assert portal.score == 100 - 15
        detail = next(r.detail for r in portal.reasons if r.criterion == "region")
        assert "Città di Torino" in detail

    def test_a_joint_call_matches_through_any_of_its_cities(self) -> None:
        skills = score(CARIPLO, SKILLS)
        region = next(r for r in skills.reasons if r.criterion == "region")
        assert region.matched and "ITC4C" in region.detail and "ITC4" in region.detail

    def test_the_bank_prefers_the_big_energy_loan(self) -> None:
        ranked = rank(CEB, CALLS)
        assert ranked[0].call_id == "depot" and ranked[0].score == 100
        heat = next(f for f in ranked if f.call_id == "heat")
        # Heat network: half its themes fit, blended fits, but 3 M is below the 5 M minimum
        # and 10% co-financing is below the 25% the bank requires.
        assert reasons(heat) == {
            "themes": True, "instrument": True, "amount": False, "region": True,
            "co_financing": False,
        }  # fmt: skip
        assert heat.score == 15 + 25 + 15

    def test_calls_meeting_nothing_are_left_out(self) -> None:
        skills = next(f for f in rank(CEB, CALLS) if f.call_id == "skills")
        # Only the region (Italy) and the co-financing (25% ≥ 25%) fit: kept, ranked last.
        assert skills.score == 15 + 10
        picky = FunderFocus(
            themes=frozenset({"mobility"}), instruments=frozenset({"equity"}),
            ticket_min=Decimal("1000000"), countries=frozenset({"DK"}),
            min_co_financing_percent=Decimal("50"),
        )  # fmt: skip
        assert score(picky, PORTAL).score == 0
        assert rank(picky, [PORTAL]) == []

    def test_equal_scores_keep_the_given_order(self) -> None:
        ranked = rank(FunderFocus(), CALLS)
        assert [f.call_id for f in ranked] == ["depot", "skills", "heat", "portal"]
        assert {f.score for f in ranked} == {100}


class TestCriteria:
    def test_theme_points_follow_the_share_of_the_calls_themes(self) -> None:
        focus = FunderFocus(themes=frozenset({"renewable-energies"}))
        assert next(r for r in score(focus, HEAT).reasons if r.criterion == "themes").points == 15

    def test_amount_in_another_currency_is_not_converted(self) -> None:
        sek = CallFacts(
            id="sek", themes=frozenset({"mobility"}), instruments=frozenset({"loan"}),
            amount=Decimal("9000000"), currency="SEK", co_financing_percent=None,
            places=(Place("Malmö stad", "SE", "SE224"),),
        )  # fmt: skip
        amount = next(r for r in score(CEB, sek).reasons if r.criterion == "amount")
        assert not amount.matched and "SEK" in amount.detail and "EUR" in amount.detail

    def test_ticket_bounds_are_inclusive(self) -> None:
        focus = FunderFocus(ticket_min=Decimal("400000.00"), ticket_max=Decimal("400000.00"))
        assert reasons(score(focus, PORTAL))["amount"] is True

    def test_missing_co_financing_fails_a_requirement(self) -> None:
        call = CallFacts(
            id="x", themes=frozenset({"mobility"}), instruments=frozenset({"loan"}),
            amount=Decimal("1"), currency="EUR", co_financing_percent=None, places=(ESPOO,),
        )  # fmt: skip
        assert reasons(score(CEB, call))["co_financing"] is False

    def test_nuts_level_one_region_contains_the_city(self) -> None:
        focus = FunderFocus(nuts_codes=frozenset({"FI1"}))
        assert reasons(score(focus, DEPOT))["region"] is True
        assert reasons(score(FunderFocus(nuts_codes=frozenset({"FI19"})), DEPOT))["region"] is False
