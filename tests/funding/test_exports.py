"""The funder's CSV exports are described in the OpenAPI document (the formula-safe writer
they use is tested in tests/web/test_spreadsheet.py)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient


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
