"""Every problem+json response names its kind with a stable `type` (and `code`), and every
code the code can produce is documented in docs/conventions.md."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.clock import FrozenClock
from marketplace.errors import DomainError, problem_type
from tests.factories import Api
from tests.tenders.helpers import joint

ROOT = Path(__file__).resolve().parents[1]


def _kind(body: dict[str, object], code: str) -> None:
    assert body["type"] == f"urn:icc-marketplace:problem:{code}" == problem_type(code)
    assert body["code"] == code


class TestProblemTypes:
    async def test_each_kind_of_error_has_its_type(self, api: Api, clock: FrozenClock) -> None:
        r = await api.client.get("/api/v1/tenders/no-such-tender")
        assert r.status_code == 404 and r.headers["content-type"].startswith(
            "application/problem+json"
        )
        _kind(r.json(), "not-found")
        r = await api.client.get("/api/v1/me")
        assert r.status_code == 401
        _kind(r.json(), "unauthorized")
        j = await joint(api)
        r = await api.client.post("/api/v1/tenders", json={"title": ""}, headers=j.lead.headers)
        assert r.status_code == 422
        _kind(r.json(), "invalid-input")
        assert r.json()["errors"]
        r = await api.client.post(
            "/api/v1/tenders", content=b"{not json", headers={**j.lead.headers,
                                                              "content-type": "application/json"},
        )  # fmt: skip
        assert r.status_code == 400
        _kind(r.json(), "malformed-body")

    async def test_policy_refusals_keep_their_kind(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 409
        _kind(r.json(), "conflict")
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "Not ours to cancel"},
            headers=j.supplier.headers,
        )  # fmt: skip
        assert r.status_code == 403
        _kind(r.json(), "forbidden")
        # The seal is a kind of its own: a client can tell "sealed" from "not yours".
        r = await api.client.get(
            f"/api/v1/tenders/{tender['id']}/responses", headers=j.lead.headers
        )
        assert r.status_code == 403
        _kind(r.json(), "sealed")


def test_every_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \| \d{3} \|", (ROOT / "docs/conventions.md")
                                .read_text(), re.M))  # fmt: skip
    source = "\n".join(p.read_text() for p in (ROOT / "marketplace").rglob("*.py"))
    # A narrower code is given as a keyword where an error or a refusal is made.
    used = set(re.findall(r'[,(]\s*code="([a-z-]+)"', source))
    used |= {c for c in re.findall(r': "([a-z-]+)",', _http_codes()) if c}
    handlers = (ROOT / "marketplace/web/problems.py").read_text()
    used |= set(re.findall(r'\bcode = "([a-z-]+)"', handlers))

    def classes(cls: type[DomainError]) -> set[str]:
        return {cls.code} | {c for sub in cls.__subclasses__() for c in classes(sub)}

    import marketplace.modules  # noqa: F401  (every package, so every error class is known)

    used |= classes(DomainError)
    assert used <= documented, f"undocumented problem codes: {sorted(used - documented)}"
    assert documented <= used, f"documented but never produced: {sorted(documented - used)}"


def _http_codes() -> str:
    text = (ROOT / "marketplace/web/problems.py").read_text()
    return text[text.index("HTTP_CODES = {") : text.index("}", text.index("HTTP_CODES = {"))]
