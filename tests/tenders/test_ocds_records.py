"""OCDS record packages: one record per process with its releases embedded and the compiled
release that the field's own tool (`ocdskit compile`) makes from them; release dates that
strictly increase, so that every tool compiles the releases in the order they happened."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from marketplace.clock import FrozenClock
from marketplace.tenders.ocds import compile_release, release_schema, validate_record_package
from tests.factories import Api
from tests.tenders.helpers import joint
from tests.tenders.test_ocds_api import awarded_and_amended
from tests.tenders.test_ocds_cove import implemented


async def _get(api: Api, url: str) -> dict[str, Any]:
    r = await api.client.get(url)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def ocdskit_compile(packages: list[dict[str, Any]], workdir: Path) -> dict[str, dict[str, Any]]:
    """`ocdskit compile --schema <the extended schema>` on release packages, by ocid."""
    schema = workdir / "release-schema.json"
    schema.write_text(json.dumps(release_schema()), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-m", "ocdskit", "compile", "--schema", str(schema)],
        input="\n".join(json.dumps(p) for p in packages), capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    compiled = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {c["ocid"]: c for c in compiled}


class TestRecordPackage:
    async def test_one_record_with_every_release_and_the_compiled_state(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender = await awarded_and_amended(api, clock)
        base = f"/api/v1/tenders/{tender['id']}/ocds"
        package = await _get(api, f"{base}/record")
        releases = (await _get(api, base))["releases"]

        assert validate_record_package(package) == []
        assert package["version"] == "1.1" and package["publisher"]["name"] == "ICC Marketplace"
        assert package["packages"] == [f"http://testserver.local{base}"]
        [record] = package["records"]
        assert record["ocid"] == tender["ocid"]
        assert record["releases"] == releases  # embedded, in date order
        compiled = record["compiledRelease"]
        assert compiled["tag"] == ["compiled"]
        assert compiled["date"] == releases[-1]["date"]
        assert compiled["tender"]["title"] == "Passenger information"  # after the amendment
        assert [a["status"] for a in compiled["awards"]] == ["active"]
        roles = {p["id"]: set(p["roles"]) for p in compiled["parties"]}
        assert "supplier" in roles[j.sme["id"]]
        assert {"buyer", "procuringEntity"} <= roles[j.city_a["id"]]

    async def test_the_compiled_release_is_what_ocdskit_compile_makes(
        self, api: Api, clock: FrozenClock, tmp_path: Path
    ) -> None:
        j, awarded = await awarded_and_amended(api, clock)
        await implemented(api, clock, j, awarded)  # its contract signed, run and terminated
        cancelled = await j.published(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{cancelled['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        tenders = (awarded, cancelled)
        packages = [await _get(api, f"/api/v1/tenders/{t['id']}/ocds") for t in tenders]

        by_ocdskit = ocdskit_compile(packages, tmp_path)

        for t in tenders:
            record = (await _get(api, f"/api/v1/tenders/{t['id']}/ocds/record"))["records"][0]
            assert record["compiledRelease"] == by_ocdskit[t["ocid"]]
        assert by_ocdskit[cancelled["ocid"]]["tender"]["status"] == "cancelled"
        (contract,) = by_ocdskit[awarded["ocid"]]["contracts"]
        assert contract["status"] == "terminated"
        assert contract["value"] == {"amount": 119500, "currency": "EUR"}
        assert [m["status"] for m in contract["implementation"]["milestones"]] == ["met"]

    async def test_drafts_have_no_record(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        r = await api.client.get(f"/api/v1/tenders/{draft['id']}/ocds/record")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        r = await api.client.get("/api/v1/tenders/no-such-tender/ocds/record")
        assert r.status_code == 404


class TestReleaseDates:
    async def test_releases_made_in_one_second_still_come_in_order(
        self, api: Api, clock: FrozenClock
    ) -> None:
        """Publishing and amending twice within the same second: three releases whose dates
        strictly increase, so a compiler that sorts by date keeps the last title."""
        j = await joint(api)
        tender = await j.published(api, clock)
        for title in ("Passenger information", "Passenger information displays"):
            r = await api.client.post(
                f"/api/v1/tenders/{tender['id']}/amendments",
                json={"rationale": "Clearer title", "changes": {"title": title}},
                headers=j.lead.headers,
            )
            assert r.status_code == 201, r.text

        record = (await _get(api, f"/api/v1/tenders/{tender['id']}/ocds/record"))["records"][0]
        dates = [release["date"] for release in record["releases"]]
        assert dates == sorted(dates) and len(set(dates)) == 3
        assert [rel["tag"] for rel in record["releases"]] == [
            ["tender"],
            ["tenderAmendment"],
            ["tenderAmendment"],
        ]
        compiled = record["compiledRelease"]
        assert compiled["tender"]["title"] == "Passenger information displays"
        # Any order in, the same record out: the dates alone order the releases.
        assert compile_release(list(reversed(record["releases"]))) == compiled
        feed = (await _get(api, "/api/v1/ocds/releases"))["releases"]
        assert [rel["date"] for rel in feed] == dates

    async def test_a_release_after_a_quiet_while_keeps_its_own_date(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=2, seconds=7))
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        releases = (await _get(api, f"/api/v1/tenders/{tender['id']}/ocds"))["releases"]
        assert releases[-1]["date"] == clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
