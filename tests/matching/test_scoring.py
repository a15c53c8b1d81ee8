"""Ranking a listing against a tender: pure rules, no database."""

from __future__ import annotations

from marketplace.matching.keywords import spelled, terms, top, weighted
from marketplace.matching.scoring import Need, Offer, cpv_closeness, ranked, score


def need(**overrides: object) -> Need:
    fields: dict[str, object] = {
        "id": "t", "cpv_codes": ("34144910-0",), "themes": frozenset({"mobility"}),
        "mandatory": frozenset(), "desirable": frozenset({"GTFS", "OCPP"}),
        "countries": frozenset({"DE", "AT"}), "metrics": ("CO2 emissions of the bus fleet",),
        "keywords": weighted([("Electric buses with depot charging", 3.0)]),
        "spelling": spelled(["Electric buses with depot charging"]),
    }  # fmt: skip
    fields.update(overrides)
    return Need(**fields)  # type: ignore[arg-type]


def offer(**overrides: object) -> Offer:
    fields: dict[str, object] = {
        "id": "l", "cpv_codes": ("34144910-0",), "themes": frozenset({"mobility"}),
        "standards": frozenset({"GTFS", "OCPP"}), "countries": frozenset({"DE"}),
        "metrics": ("Bus fleet CO2 emissions",),
        "keywords": weighted([("Electric buses and overnight depot charging", 1.0)]),
    }  # fmt: skip
    fields.update(overrides)
    return Offer(**fields)  # type: ignore[arg-type]


class TestCpv:
    def test_closer_codes_count_more(self) -> None:
        assert cpv_closeness("45233142", "45233142") == (1.0, "same code")
        assert cpv_closeness("45000000", "45233142")[0] == 1.0  # within what was asked
        assert cpv_closeness("45233142", "45233100") == (0.8, "same category")
        assert cpv_closeness("45233142", "45232000") == (0.6, "same class")
        assert cpv_closeness("45233142", "45240000") == (0.4, "same group")
        assert cpv_closeness("45233142", "45100000") == (0.2, "same division")
        assert cpv_closeness("45233142", "34144910") == (0.0, "")

    def test_same_category_beats_same_division(self) -> None:
        category = score(need(cpv_codes=("45233142-6",)), offer(cpv_codes=("45233100-0",)))
        division = score(need(cpv_codes=("45233142-6",)), offer(cpv_codes=("45100000-8",)))
        assert category is not None and division is not None
        assert category.points["cpv"] > division.points["cpv"]
        assert category.cpv[0].level == "same category"
        assert category.cpv[0].label.startswith("Construction work for highways")


class TestStandards:
    def test_a_listing_lacking_a_mandatory_standard_is_no_match(self) -> None:
        assert score(need(mandatory=frozenset({"OASC-MIM1"})), offer()) is None

    def test_desirable_standards_raise_the_score_and_are_explained(self) -> None:
        both = score(need(), offer())
        one = score(need(), offer(standards=frozenset({"GTFS"})))
        assert both is not None and one is not None
        assert both.score > one.score
        assert one.standards_met == ("GTFS",) and one.standards_missing == ("OCPP",)


class TestReasons:
    def test_every_criterion_explains_itself(self) -> None:
        match = score(need(), offer())
        assert match is not None
        assert match.score == 100
        assert match.themes == ("mobility",)
        assert match.countries == ("DE",)
        assert match.outcomes == ("CO2 emissions of the bus fleet",)
        assert {"electric", "buses", "depot", "charging"} <= set(match.keywords)

    def test_nothing_in_common_is_no_match(self) -> None:
        stranger = offer(cpv_codes=("03000000-1",), themes=frozenset(), countries=frozenset(),
                         metrics=(), keywords={"apples": 1.0})  # fmt: skip
        assert score(need(), stranger) is None

    def test_ranking_is_best_first_and_stable(self) -> None:
        weak = offer(id="b", themes=frozenset(), countries=frozenset({"FI"}))
        also_weak = offer(id="a", themes=frozenset(), countries=frozenset({"FI"}))
        strong = offer(id="c")
        order = ranked([score(need(), o) for o in (weak, strong, also_weak)], by_offer=True)
        assert [m.offer_id for m in order] == ["c", "a", "b"]


class TestKeywords:
    def test_words_are_folded_and_common_ones_dropped(self) -> None:
        assert terms("Straßenbahn für München, the city with 2026 solutions") == (
            "straßenbahn", "munchen"
        )  # fmt: skip

    def test_title_words_weigh_more(self) -> None:
        keywords = weighted([("Charging hubs", 3.0), ("Parking sensors and charging", 1.0)])
        assert top(keywords, 2) == list(terms("charging hubs"))


def test_a_whole_text_folds_as_each_word_does() -> None:
    from search.text import fold, words

    text = "Straßenbahn München Kraków Malmö Ærøskøbing Łódź naïve café"
    assert list(terms(text)) == [t for w in words(text) if len(fold(w)) >= 4 for t in terms(w)]
    assert terms("München") == terms("munchen")


def test_a_word_and_its_plural_are_one_term_shown_as_written() -> None:
    assert terms("depots") == terms("depot") and terms("charging") == terms("charge")
    assert spelled(["Charging at the Depots"]) == {terms("charging")[0]: "charging",
                                                   terms("depots")[0]: "depots"}  # fmt: skip


class TestTextCarriesTheMatch:
    """Issue 20: a tender under a generic code still finds the suppliers that say what it asks."""

    CHARGING = need(
        cpv_codes=("72000000-5",), desirable=frozenset(), metrics=(),
        keywords=weighted([("Charging points for electric buses at two depots", 3.0),
                           ("Overnight charging of the bus fleet at the depots", 1.0)]),
        spelling=spelled(["Charging points for electric buses at two depots"]),
    )  # fmt: skip

    def pool(self) -> list[Offer]:
        return [
            offer(id="chargers", cpv_codes=("31158000-8",), standards=frozenset(), metrics=(),
                  keywords=weighted([("Depot charging for electric buses, 150 kW chargers", 1.0)])),
            offer(id="toolkit", cpv_codes=("72300000-8",), standards=frozenset(), metrics=(),
                  keywords=weighted([("Open data publishing toolkit for city datasets", 1.0)])),
            offer(id="portal", cpv_codes=("72322000-8",), standards=frozenset(), metrics=(),
                  keywords=weighted([("Open data portal harvested by the EU portal", 1.0)])),
        ]  # fmt: skip

    def test_the_chargers_come_first_though_the_toolkit_shares_the_cpv_division(self) -> None:
        from marketplace.matching.scoring import rank_offers

        ranked_ = rank_offers(self.CHARGING, self.pool())
        assert ranked_[0].offer_id == "chargers"
        assert {"charging", "depots", "electric", "buses"} <= set(ranked_[0].keywords)
        # the toolkit shares only a code division, no word: it is not a match at all
        assert "toolkit" not in [m.offer_id for m in ranked_[:1]]

    def test_a_word_every_candidate_uses_weighs_less_than_a_telling_one(self) -> None:
        from marketplace.matching.scoring import idf_of

        idf = idf_of(frozenset(o.keywords) for o in self.pool())
        (charging,), (open_,) = terms("charging"), terms("open")
        assert idf[charging] > idf[open_]  # in one listing of three, against two

    def test_points_everyone_would_get_are_not_given(self) -> None:
        match = score(self.CHARGING, self.pool()[0])
        assert match is not None
        assert match.points["standards"] == 0  # the tender names no desirable standard
        assert match.points["outcomes"] == 0  # nor any metric
        assert "countries" not in match.points  # served countries are shown, not scored
        assert match.points["text"] > match.points["cpv"]
