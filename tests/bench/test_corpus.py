"""The generator's pure parts: seeded determinism and real vocabularies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bench import vocab
from bench.corpus import Corpus, network, split
from marketplace.reference import vocabularies as reference

NOW = datetime(2026, 11, 29, tzinfo=UTC)
KINDS = ("listing", "tender", "funding_call")


def rows(corpus: Corpus, kind: str, count: int = 20) -> list[dict[str, list[dict[str, object]]]]:
    return [b.rows for b in corpus.bundles(kind, count)]


class TestDeterminism:
    @pytest.mark.parametrize("kind", KINDS)
    def test_same_seed_same_rows(self, kind: str) -> None:
        assert rows(Corpus(7, NOW), kind) == rows(Corpus(7, NOW), kind)

    @pytest.mark.parametrize("kind", KINDS)
    def test_other_seed_other_rows(self, kind: str) -> None:
        assert rows(Corpus(7, NOW), kind) != rows(Corpus(8, NOW), kind)

    def test_a_record_does_not_depend_on_the_ones_before_it(self) -> None:
        corpus = Corpus(7, NOW)
        assert corpus.tender(13).rows == list(corpus.bundles("tender", 14))[13].rows

    def test_the_network_is_seeded_too(self) -> None:
        assert network(7) == network(7)
        assert {o.id for o in network(7).all}.isdisjoint({o.id for o in network(8).all})

    def test_now_must_be_aware(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            Corpus(7, datetime(2026, 11, 29))


class TestSplit:
    @pytest.mark.parametrize("size", [1, 7, 10_000, 100_000])
    def test_adds_up_to_the_size(self, size: int) -> None:
        assert sum(split(size).values()) == size

    def test_roughly_60_25_15(self) -> None:
        assert split(100_000) == {"listing": 60_000, "tender": 25_000, "funding_call": 15_000}


class TestRealVocabularies:
    def test_cities_and_funders_sit_in_real_nuts_regions_of_their_country(self) -> None:
        regions = reference.nuts_regions()
        for _, country, code in (*vocab.CITIES, *vocab.FUNDERS):
            assert code in regions and regions[code].country_code == country, code

    def test_organisations_have_iso_countries(self) -> None:
        countries = reference.countries()
        assert all(o.country in countries for o in network(1).all)
        assert {o.kind for o in network(1).all} == {"city", "sme", "funder"}
        assert 300 <= len(network(1).all) <= 500

    def test_every_code_in_the_records_is_real(self) -> None:
        corpus = Corpus(3, NOW)
        cpv, themes = reference.cpv_codes(), reference.themes()
        standards = {r["code"] for r in reference.standards_rows()}
        for bundle in [*corpus.bundles("listing", 50), *corpus.bundles("tender", 50)]:
            record = bundle.rows["listings" if bundle.kind == "listing" else "tenders"][0]
            assert all(cpv[c[:8]].code == c for c in record["cpv_codes"])
            assert set(record["themes"]) <= set(themes)
        for bundle in corpus.bundles("tender", 50):
            tender = bundle.rows["tenders"][0]
            assert {s["code"] for s in tender["required_standards"]} <= standards
            assert all(code in reference.nuts_regions() for code in tender["nuts_codes"])
        for bundle in corpus.bundles("funding_call", 50):
            assert {r["theme_code"] for r in bundle.rows["funding_call_themes"]} <= set(themes)
            assert {
                r["standard_code"] for r in bundle.rows.get("funding_call_standards", [])
            } <= standards


class TestBelievableRecords:
    def test_tenders_are_published_joint_and_open(self) -> None:
        for bundle in Corpus(5, NOW).bundles("tender", 50):
            tender = bundle.rows["tenders"][0]
            assert tender["published_at"] < NOW < tender["clarification_deadline"]
            assert tender["clarification_deadline"] < tender["submission_deadline"]
            assert tender["required_standards"][0]["mandatory"] is True
            assert tender["outcomes"] and bundle.rows["tender_lots"]
            buyers = bundle.rows["tender_buyers"]
            assert [b["is_lead"] for b in buyers].count(True) == 1
            assert buyers[0]["organisation_id"] == tender["lead_buyer_id"]

    def test_funding_calls_are_open(self) -> None:
        for bundle in Corpus(5, NOW).bundles("funding_call", 50):
            call = bundle.rows["funding_calls"][0]
            assert call["published_at"] < NOW < call["deadline"] and call["closed_at"] is None

    def test_text_has_several_sentences_and_diacritics(self) -> None:
        corpus = Corpus(5, NOW)
        text = " ".join(
            b.rows["listings"][0]["description"] for b in corpus.bundles("listing", 200)
        )
        assert all(len(b.rows["listings"][0]["description"].split(". ")) >= 4
                   for b in corpus.bundles("listing", 20))  # fmt: skip
        assert any(city in text for city in ("München", "Malmö", "Kraków", "Gdańsk", "Málaga"))
        assert "CO2 emissions" in " ".join(
            o.metric for t in vocab.theme_vocabulary() for o in t.outcomes
        )
