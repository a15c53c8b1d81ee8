"""CPV codes: canonical form with the check digit, tree navigation and the picker."""

from __future__ import annotations

import pytest

from marketplace.errors import Invalid
from marketplace.reference.vocabularies import canonical_cpv
from tests.factories import Api


class TestCanonicalisation:
    def test_with_and_without_check_digit_are_the_same_code(self) -> None:
        assert canonical_cpv("48000000") == canonical_cpv("48000000-8") == "48000000-8"
        assert canonical_cpv(" 45233000-9 ") == "45233000-9"

    @pytest.mark.parametrize(
        "value", ["48000000-1", "4800000", "48000000-", "abcdefgh", "99999999"]
    )
    def test_wrong_check_digit_or_unknown_code_is_refused(self, value: str) -> None:
        with pytest.raises(Invalid) as error:
            canonical_cpv(value)
        assert error.value.errors[0].field == "cpv_codes"


class TestCpvApi:
    async def test_search_by_words_and_by_code(self, api: Api) -> None:
        r = await api.client.get("/api/v1/cpv", params={"q": "street lighting"})
        assert r.status_code == 200
        assert any("street" in c["label"].lower() for c in r.json())
        r = await api.client.get("/api/v1/cpv", params={"q": "4800"})
        assert r.json()[0]["code"] == "48000000-8"
        assert all(c["code"].startswith("4800") for c in r.json())

    async def test_node_has_parent_and_children(self, api: Api) -> None:
        r = await api.client.get("/api/v1/cpv/48100000")
        body = r.json()
        assert body["code"] == "48100000-9" and body["level"] == "group"
        assert body["parent"]["code"] == "48000000-8"
        assert all(c["code"].startswith("481") for c in body["children"])
        division = (await api.client.get("/api/v1/cpv/48000000-8")).json()
        assert division["parent"] is None and division["level"] == "division"
        assert "48100000-9" in [c["code"] for c in division["children"]]

    async def test_unknown_code_is_404(self, api: Api) -> None:
        assert (await api.client.get("/api/v1/cpv/48000000-1")).status_code == 404

    async def test_without_query_lists_the_divisions(self, api: Api) -> None:
        r = await api.client.get("/api/v1/cpv")
        assert len(r.json()) == 45
        assert {c["level"] for c in r.json()} == {"division"}


class TestCpvPages:
    async def test_browse_tree_and_picker_partial(self, api: Api) -> None:
        page = await api.client.get("/cpv/48100000-9")
        assert page.status_code == 200
        assert 'href="/cpv/48000000-8"' in page.text  # breadcrumb to the division
        partial = await api.client.get(
            "/reference/cpv", params={"name": "cpv_codes", "cpv_codes_q": "parking"}
        )
        assert partial.status_code == 200
        assert "<html" not in partial.text
        assert 'type="checkbox" name="cpv_codes"' in partial.text
        search = await api.client.get("/cpv", params={"q": "software"})
        assert "48000000-8" in search.text


def test_every_listed_code_canonicalises_and_other_check_digits_are_refused() -> None:
    from marketplace.reference.vocabularies import cpv_codes

    for digits, cpv in cpv_codes().items():
        assert canonical_cpv(digits) == canonical_cpv(cpv.code) == cpv.code
        wrong = f"{digits}-{(int(cpv.code[-1]) + 1) % 10}"
        with pytest.raises(Invalid):
            canonical_cpv(wrong)
