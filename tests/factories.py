"""Small factories that build what a test needs through the public API, as a user would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.models import Organisation, User

PASSWORD = "a long enough passphrase"
_counter = itertools.count(1)


@dataclass
class Person:
    id: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """The API as one test's users see it."""

    def __init__(self, client: AsyncTestClient[Litestar], engine: AsyncEngine) -> None:
        self.client = client
        self.engine = engine

    async def person(self, name: str = "Tester", *, admin: bool = False) -> Person:
        email = f"{name.lower().replace(' ', '.')}.{next(_counter)}@example.eu"
        r = await self.client.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
        )
        assert r.status_code == 201, r.text
        user_id = r.json()["id"]
        if admin:
            async with self.engine.begin() as conn:
                await conn.execute(update(User).where(User.id == user_id).values(is_admin=True))
        r = await self.client.post(
            "/api/v1/auth/tokens", json={"email": email, "password": PASSWORD, "label": "tests"}
        )
        assert r.status_code == 201, r.text
        return Person(user_id, email, r.json()["token"])

    async def organisation(
        self, owner: Person, kind: str = "city", *, verified: bool = False, **fields: Any
    ) -> dict[str, Any]:
        body = {"name": f"{kind.title()} {next(_counter)}", "kind": kind, "country": "FI",
                "nuts_code": "FI1B1", **fields}  # fmt: skip
        r = await self.client.post("/api/v1/organisations", json=body, headers=owner.headers)
        assert r.status_code == 201, r.text
        organisation: dict[str, Any] = r.json()
        if verified:
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(Organisation)
                    .where(Organisation.id == organisation["id"])
                    .values(verified=True)
                )
            organisation["verified"] = True
        return organisation

    async def member(
        self, owner: Person, organisation_id: str, role: str, name: str = "Member"
    ) -> Person:
        person = await self.person(name)
        r = await self.client.post(
            f"/api/v1/organisations/{organisation_id}/members",
            json={"email": person.email, "role": role},
            headers=owner.headers,
        )
        assert r.status_code == 201, r.text
        return person

    async def sign_in_browser(self, person: Person) -> None:
        """Give the test client a signed-in browser session for page tests."""
        page = await self.client.get("/sign-in")
        r = await self.client.post(
            "/sign-in",
            data={"email": person.email, "password": PASSWORD, "_csrf_token": csrf(page)},
        )
        assert r.status_code in (200, 302, 303), r.text


def csrf(page: Response) -> str:
    marker = 'name="_csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]
