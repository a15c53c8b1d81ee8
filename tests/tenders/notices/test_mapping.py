"""The code lists: NUTS 2016/2021 → 2024, registers of legal identifiers, countries, numbers."""

from __future__ import annotations

import pytest

from marketplace.tenders.notices import mapping
from marketplace.tenders.notices.model import ProcedureType


class TestNutsTo2024:
    @pytest.mark.parametrize(
        ("given", "nuts_2024", "exact"),
        [
            ("PL21", "PL21", True),  # unchanged
            ("NL332", "NL361", True),  # code change: same region, new code
            ("NL324", "NL32A", False),  # boundary shift: Haarlem, approximated
            ("DEG0N", "DEG0", False),  # merged into a neighbour: the parent region
            ("PT17", "PT1", False),  # split: the parent region
            ("NO0", "NO0", True),  # EFTA statistical region
            ("IE", "IE", True),  # a country
        ],
    )
    def test_translation(self, given: str, nuts_2024: str, exact: bool) -> None:
        nuts = mapping.translate_nuts(given)
        assert (nuts.given, nuts.nuts_2024, nuts.exact) == (given, nuts_2024, exact)

    def test_every_2021_code_has_a_2024_region_or_is_reported(self) -> None:
        for row in mapping._reference_rows("nuts2021_to_2024_correspondence.csv"):
            if row["code_2021"]:
                nuts = mapping.translate_nuts(row["code_2021"])
                assert nuts.nuts_2024 is not None, row
                assert (mapping.nuts_problem(nuts) is None) == nuts.exact

    def test_the_united_kingdom_has_none_and_says_why(self) -> None:
        nuts = mapping.translate_nuts("UKD63")
        assert nuts.nuts_2024 is None
        assert "not in NUTS 2024" in (mapping.nuts_problem(nuts) or "")
        assert mapping.country_of_nuts("UKD63") == "GB"

    def test_a_non_code_is_reported(self) -> None:
        assert mapping.nuts_problem(mapping.translate_nuts("12345")) == "not a NUTS code"


class TestLegalIdentifiers:
    @pytest.mark.parametrize(
        ("value", "country", "scheme"),
        [
            ("12345678", "NL", "NL-KVK"),
            ("12345678", "DK", "DK-CVR"),
            ("01234567", "GB", "GB-COH"),
            ("SC123456", "GB", "GB-COH"),
            ("552 049 447 00013", "FR", "FR-SIRET"),
            ("552 049 447", "FR", "FR-RCS"),
            ("974 761 157", "NO", "NO-BRC"),
            ("NL123456789B01", "NL", "EU-VAT"),
            ("DE123456789", "FR", "EU-VAT"),  # a VAT number says its own country
            ("12345678", "DE", None),  # eight digits mean nothing in Germany
        ],
    )
    def test_scheme_from_shape_and_country(
        self, value: str, country: str, scheme: str | None
    ) -> None:
        assert mapping.identifier_scheme(value, country, None) == scheme

    def test_a_scheme_the_notice_gives_in_org_id_form_wins(self) -> None:
        assert mapping.identifier_scheme("123", "NL", "nl-kvk") == "NL-KVK"
        assert mapping.identifier_scheme("123", "NL", "abc") is None

    @pytest.mark.parametrize("value", ["N/A", "n/a", "not available", "-", " none "])
    def test_placeholders(self, value: str) -> None:
        assert mapping.is_placeholder_identifier(value)


class TestCodes:
    def test_countries(self) -> None:
        assert mapping.country_from_ted("UK") == "GB"
        assert mapping.country_from_ted("EL") == "GR"
        assert mapping.country_from_ted("ZZ") is None
        assert mapping.country_from_eforms("GBR") == "GB"
        assert mapping.country_from_eforms("1A0") == "XK"

    def test_languages(self) -> None:
        assert mapping.language_from_eforms("ENG") == "en"
        assert mapping.language_from_eforms("DEU") == "de"
        assert mapping.language_from_ted("PL") == "pl"

    @pytest.mark.parametrize(
        "text", ["2019/S 090-214462", "214462-2019", "00214462-2019", " 2019 / S 90 - 0214462 "]
    )
    def test_publication_numbers(self, text: str) -> None:
        assert mapping.publication_number(text) == "214462-2019"

    @pytest.mark.parametrize(
        ("text", "number"),
        [("10.08 %", "10.08"), ("40", "40"), ("12,5", "12.5"), ("30 points", "30"), ("EDMA", None)],
    )
    def test_weights(self, text: str, number: str | None) -> None:
        assert mapping.weight_number(text) == number

    def test_every_eforms_procedure_code_is_mapped(self) -> None:
        codes = {
            "comp-dial", "comp-tend", "exp-int-rail", "innovation", "neg-w-call",
            "neg-wo-call", "open", "oth-mult", "oth-single", "restricted",
        }  # fmt: skip
        assert set(mapping.EFORMS_PROCEDURES) == codes
        assert set(mapping.EFORMS_PROCEDURES.values()) == set(ProcedureType)

    def test_cpv_with_or_without_check_digit(self) -> None:
        assert mapping.cpv("72000000").code == "72000000-5"
        assert mapping.cpv("72000000-5").code == "72000000-5"
        assert mapping.cpv("12345678").code is None
