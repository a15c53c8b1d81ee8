"""The published OpenAPI document says what the API really answers: problems for errors,
money as decimal strings, a Bearer token to sign in, stored files as binary downloads."""

from __future__ import annotations

import re
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import joint
from tests.tenders.test_documents import attach, upload


async def _document(api: Api) -> dict[str, Any]:
    r = await api.client.get("/schema/openapi.json")
    assert r.status_code == 200
    document: dict[str, Any] = r.json()
    return document


async def test_every_api_operation_documents_its_errors_as_problems(api: Api) -> None:
    document = await _document(api)
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
    ]
    assert len(operations) > 50
    for path, method, operation in operations:
        responses = operation["responses"]
        for status in ("4XX", "429", "503"):
            content = responses[status]["content"]
            assert list(content) == ["application/problem+json"], (method, path, status)
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
        assert "Retry-After" in responses["429"]["headers"]
        # Litestar's own "Validation Exception" body is never what we answer.
        assert "400" not in responses, (method, path)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "code", "status", "title"}
    assert problem["properties"]["errors"]["items"]["required"] == ["field", "message"]


async def test_money_is_documented_as_the_string_it_is_sent_as(
    api: Api, clock: FrozenClock
) -> None:
    document = await _document(api)
    amount = document["components"]["schemas"]["Money"]["properties"]["amount"]
    assert amount["type"] == "string"
    j = await joint(api)
    tender = await j.create(api, clock)
    sent = tender["lots"][0]["estimated_value"]["amount"]
    assert isinstance(sent, str) and re.fullmatch(amount["pattern"], sent), sent


async def test_a_bearer_token_is_the_documented_way_to_sign_in(api: Api) -> None:
    document = await _document(api)
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme == {
        "type": "http",
        "scheme": "bearer",
        "description": "a personal API token from `POST /api/v1/auth/tokens`",
    }
    assert {"bearer": []} in document["security"]


def _operation_of(document: dict[str, Any], url: str) -> dict[str, Any]:
    """The GET operation whose path template the URL fits."""
    path = url.split("?")[0]
    for template, item in document["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            found: dict[str, Any] = item["get"]
            return found
    raise AssertionError(f"{path} is not in the document")


async def test_a_stored_file_is_documented_as_the_binary_download_it_is(
    api: Api, clock: FrozenClock
) -> None:
    """For every URL the API hands out to download a stored file (a tender's document, a
    sealed response's attachment), the document promises bytes as an attachment, not JSON,
    and what is then served is what it promised."""
    document = await _document(api)
    j = await joint(api)
    tender = await j.published(api, clock)
    doc = await upload(api, tender["id"], j.lead)
    rid = (await j.respond(api, tender)).json()["id"]
    attachment = await attach(api, tender["id"], rid, j.supplier)
    assert doc.status_code == attachment.status_code == 201
    for made, person in ((doc.json(), j.lead), (attachment.json(), j.supplier)):
        operation = _operation_of(document, made["download_url"])
        ok = operation["responses"]["200"]
        content = ok["content"]
        assert "application/json" not in content
        assert content["application/octet-stream"]["schema"] == {
            "type": "string", "format": "binary",
        }  # fmt: skip
        assert all(c["schema"]["format"] == "binary" for c in content.values())
        disposition = ok["headers"]["Content-Disposition"]
        assert disposition["required"] and "RFC 6266" in disposition["description"]
        assert "Location" in operation["responses"]["302"]["headers"]  # a link's download

        served = await api.client.get(made["download_url"], headers=person.headers)
        assert served.status_code == 200
        assert served.headers["content-type"].split(";")[0] in content
        assert served.headers["content-disposition"].startswith("attachment; filename=")
