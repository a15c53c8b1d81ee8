"""CSV cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io

from litestar import Litestar
from litestar.testing import AsyncTestClient

from marketplace.funding.exports import safe_cell, to_csv


class TestFormulaInjection:
    def test_cells_starting_with_formula_characters_get_a_quote(self) -> None:
        for dangerous in ("=1+1", "+49 30 1234", "-5%", "@SUM(A1:A2)", "\t=cmd", "\r=cmd"):
            assert safe_cell(dangerous) == "'" + dangerous
        for harmless in ("Bus depot", "2500000.00", "", "a=b", "O'Brien"):
            assert safe_cell(harmless) == harmless
        assert safe_cell(None) == ""

    def test_quoting_and_newlines_survive_a_round_trip(self) -> None:
        text = to_csv(("name", "note"), [("Fondazione, Cariplo", 'said "yes"\nthen =no')])
        assert text.startswith("name,note\r\n")
        assert list(csv.reader(io.StringIO(text))) == [
            ["name", "note"],
            ["Fondazione, Cariplo", 'said "yes"\nthen =no'],
        ]


class TestOpenApi:
    async def test_the_funding_endpoints_are_described(
        self, client: AsyncTestClient[Litestar]
    ) -> None:
        r = await client.get("/schema/openapi.json")
        assert r.status_code == 200
        paths = r.json()["paths"]
        for path in (
            "/api/v1/funding-calls",
            "/api/v1/funding-calls/{call_id}",
            "/api/v1/funding-calls/{call_id}/publish",
            "/api/v1/funding-calls/{call_id}/close",
            "/api/v1/funding-calls/{call_id}/interests",
            "/api/v1/funding-calls/{call_id}/interests/{interest_id}/accept",
            "/api/v1/funding-calls/{call_id}/interests/{interest_id}/decline",
            "/api/v1/funders/{funder_id}/profile",
            "/api/v1/funders/{funder_id}/fits",
            "/api/v1/funders/{funder_id}/shortlist.csv",
        ):
            assert path in paths, path
