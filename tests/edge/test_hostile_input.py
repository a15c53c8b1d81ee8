"""Hostile input as issue 13 measured it: each case answered with a clear 4xx naming what is
wrong, and nothing stored. Before the fix every one of these was a 500 or silently kept."""

from __future__ import annotations

import json

import pytest
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.clock import FrozenClock
from marketplace.listings.models import Listing
from tests.factories import PASSWORD, Api, csrf
from tests.listings.conftest import complete_listing
from tests.tenders.helpers import joint, tender_body

HUGE = "9223372036854775808"  # 2**63: one past the largest OFFSET a database takes


def list_routes(app: Litestar) -> list[str]:
    """Every GET route without path parameters that takes a `page`: the list endpoints and
    list pages, found from the app itself so a new one cannot be forgotten."""
    paths = []
    for route in app.routes:
        if "{" in route.path:
            continue
        for handler in getattr(route, "route_handlers", []):
            if "GET" in handler.http_methods and "page" in handler.parsed_fn_signature.parameters:
                paths.append(route.path)
    return sorted(set(paths))


def test_the_list_routes_are_found(app: Litestar) -> None:
    routes = list_routes(app)
    for expected in ("/api/v1/organisations", "/api/v1/tenders", "/api/v1/search", "/tenders"):
        assert expected in routes
    assert len(routes) >= 10


async def test_page_bounds_on_every_list_route(api: Api, app: Litestar) -> None:
    for query in (f"page={HUGE}", "page=0", "page=-1", "page=10001", "per_page=0",
                  "per_page=101", f"per_page={HUGE}"):  # fmt: skip
        name = query.split("=")[0]
        for path in list_routes(app):
            r = await api.client.get(f"{path}?{query}", follow_redirects=False)
            assert r.status_code < 500, (path, query, r.status_code)
            if r.status_code in (302, 303):  # a page for the signed-in: sign in first
                assert r.headers["location"].startswith("/sign-in?next="), (path, query)
                continue
            if path.startswith("/api/"):
                assert r.status_code == 400, (path, query, r.status_code, r.text[:200])
                assert r.headers["content-type"].startswith("application/problem+json")
                assert [e["field"] for e in r.json()["errors"]] == [name], (path, query)
            elif path == "/search":
                # The search page reads page numbers from links people edit: odd is page 1.
                assert r.status_code == 200, (path, query, r.status_code)
            elif name == "page":
                assert r.status_code == 400, (path, query, r.status_code)
                assert "page" in r.text


async def test_null_for_a_required_field_is_422_and_changes_nothing(
    api: Api, db: AsyncSession
) -> None:
    owner = await api.person("Owner")
    organisation = await api.organisation(owner, "city", name="City of Espoo")
    r = await api.client.patch(
        f"/api/v1/organisations/{organisation['id']}", json={"name": None}, headers=owner.headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"
    assert await db.scalar(select(Organisation.name)) == "City of Espoo"


async def test_null_still_clears_what_may_be_cleared(api: Api) -> None:
    owner = await api.person("Owner")
    organisation = await api.organisation(owner, "city", website="https://espoo.fi")
    r = await api.client.patch(
        f"/api/v1/organisations/{organisation['id']}", json={"website": None},
        headers=owner.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["website"] is None


async def test_null_title_of_a_listing_is_422(api: Api) -> None:
    owner = await api.person("Sme Owner")
    sme = await api.organisation(owner, "sme")
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme["id"]), headers=owner.headers
    )
    assert r.status_code == 201, r.text
    r = await api.client.patch(
        f"/api/v1/listings/{r.json()['id']}", json={"title": None, "trl": None},
        headers=owner.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["title"]


async def test_deeply_nested_json_is_400(api: Api, db: AsyncSession) -> None:
    owner = await api.person("Owner")
    for depth in (33, 1000, 100_000):
        body = '{"name": "Deep City", "kind": "city", "country": "FI", "description": '
        body += "[" * depth + "]" * depth + "}"
        r = await api.client.post(
            "/api/v1/organisations", content=body.encode(),
            headers={**owner.headers, "content-type": "application/json"},
        )  # fmt: skip
        assert r.status_code == 400, (depth, r.text[:200])
        assert "nested" in r.json()["detail"]
    assert await db.scalar(select(func.count()).select_from(Organisation)) == 0


async def test_non_finite_numbers_are_refused(api: Api, db: AsyncSession) -> None:
    owner = await api.person("Sme Owner")
    sme = await api.organisation(owner, "sme")
    body = complete_listing(sme["id"])
    body["outcomes"][0]["target"] = 12345.5
    for raw in ("NaN", "Infinity", "-Infinity", "-1e400", "1e400", '"NaN"', '"Infinity"',
                '"-inf"'):  # fmt: skip
        text = json.dumps(body).replace("12345.5", raw)
        r = await api.client.post(
            "/api/v1/listings", content=text.encode(),
            headers={**owner.headers, "content-type": "application/json"},
        )  # fmt: skip
        # NaN and Infinity are not JSON (400); 1e400 reads as infinity, "NaN" as a string.
        assert r.status_code in (400, 422), (raw, r.status_code, r.text[:200])
        if r.status_code == 422:
            assert r.json()["errors"][0]["field"] == "outcomes.0.target", raw
    assert await db.scalar(select(func.count()).select_from(Listing)) == 0


async def test_non_finite_money_and_epoch_deadlines_are_refused(
    api: Api, clock: FrozenClock, db: AsyncSession
) -> None:
    j = await joint(api)
    for amount in ("NaN", "Infinity", "-1e400", "sNaN"):
        body = tender_body(j, clock.now())
        body["lots"][0]["estimated_value"]["amount"] = amount
        r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
        assert r.status_code == 422, (amount, r.text[:200])
        assert r.json()["errors"][0]["field"] == "lots.0.estimated_value.amount"
    # An epoch number is seconds or milliseconds, and a time without an offset is in no
    # zone: a deadline is ISO 8601 with an offset only.
    for deadline in (1772438400, 1772438400000, 1772438400.5, "1772438400", "2026-04-10T12:00"):
        body = tender_body(j, clock.now(), submission_deadline=deadline)
        r = await api.client.post("/api/v1/tenders", json=body, headers=j.lead.headers)
        assert r.status_code == 422, (deadline, r.text[:200])
        assert r.json()["errors"][0]["field"] == "submission_deadline"
    from marketplace.tenders.models import Tender

    assert await db.scalar(select(func.count()).select_from(Tender)) == 0


async def test_a_text_plain_body_is_415(api: Api, db: AsyncSession) -> None:
    owner = await api.person("Owner")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = dict(owner.headers)
        if content_type:
            headers["content-type"] = content_type
        r = await api.client.post(
            "/api/v1/organisations",
            content=b'{"name": "Plain City", "kind": "city", "country": "FI"}',
            headers=headers,
        )
        assert r.status_code == 415, (content_type, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await db.scalar(select(func.count()).select_from(Organisation)) == 0


async def test_json_with_a_charset_is_read(api: Api) -> None:
    owner = await api.person("Owner")
    r = await api.client.post(
        "/api/v1/organisations",
        content=b'{"name": "Charset City", "kind": "city", "country": "FI"}',
        headers={**owner.headers, "content-type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    "name",
    ["Evil\x00City", "Espoo \u202egnp.exe", "City\u2066 of\u2069 Oulu", "Tab\tcity", "Line\nbreak"],
)
async def test_control_and_bidi_characters_in_names_are_refused(
    api: Api, db: AsyncSession, name: str
) -> None:
    owner = await api.person("Owner")
    r = await api.client.post(
        "/api/v1/organisations", json={"name": name, "kind": "city", "country": "FI"},
        headers=owner.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"
    assert await db.scalar(select(func.count()).select_from(Organisation)) == 0


async def test_zero_width_characters_are_stripped_and_text_normalised(api: Api) -> None:
    owner = await api.person("Owner")
    r = await api.client.post(
        "/api/v1/organisations",
        json={"name": "Es\u200bpoo\ufeff Cafe\u0301", "kind": "city", "country": "FI",
              "description": "Line one\r\nLine two\u200d"},
        headers=owner.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Espoo Caf\u00e9"
    assert r.json()["description"] == "Line one\nLine two"


async def test_a_name_of_only_zero_width_characters_is_too_short(api: Api) -> None:
    owner = await api.person("Owner")
    r = await api.client.post(
        "/api/v1/organisations", json={"name": "\u200b\u200b\u200b", "kind": "city",
                                       "country": "FI"},
        headers=owner.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"


async def test_the_sign_up_form_refuses_a_bidi_name(api: Api) -> None:
    page = await api.client.get("/sign-up")
    r = await api.client.post(
        "/sign-up",
        data={"email": "bidi@example.eu", "password": PASSWORD, "name": "Admin\u202e",
              "_csrf_token": csrf(page)},
    )  # fmt: skip
    assert r.status_code == 422
    assert "bidirectional" in r.text


async def test_a_nul_in_a_query_or_path_is_refused_not_a_server_error(api: Api) -> None:
    # Found by Schemathesis on PostgreSQL, which refuses NUL in any text (a 500 before).
    owner = await api.person("Owner")
    for path in ("/api/v1/listings?q=a%00b", "/api/v1/listings?organisation_id=%00",
                 "/api/v1/tenders?q=%00", "/listings?q=x%00"):  # fmt: skip
        r = await api.client.get(path, headers=owner.headers)
        assert r.status_code == 400, (path, r.status_code, r.text[:200])
    r = await api.client.get("/api/v1/listings?q=a%00b")
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["q"]
    r = await api.client.get("/api/v1/listings/abc%00def", headers=owner.headers)
    assert r.status_code == 404
