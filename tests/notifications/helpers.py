"""Reading what people were told."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Person


async def told(api: Api, person: Person, **params: Any) -> list[dict[str, Any]]:
    r = await api.client.get("/api/v1/notifications", params=params, headers=person.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def titles(api: Api, person: Person) -> list[str]:
    return [n["title"] for n in await told(api, person)]
