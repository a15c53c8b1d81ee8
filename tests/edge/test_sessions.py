"""Server-side sessions: signing out ends the session in the store (a copied cookie is
worthless), a password change signs out the other browsers, and the account page lists the
sessions and can end each one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import PASSWORD, Api, Person, csrf

NEW_PASSWORD = "another long enough passphrase"


class SecondBrowser:
    """A second browser (its own cookie jar) through the same test client: the app runs in
    the client's own event loop, which PostgreSQL's connections are bound to."""

    def __init__(self, client: AsyncTestClient[Litestar]) -> None:
        self.client = client
        self.cookies = httpx.Cookies()

    async def _swap(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        own = self.client.cookies
        self.client.cookies = self.cookies
        try:
            return await self.client.request(method, url, **kwargs)
        finally:
            self.cookies = self.client.cookies
            self.client.cookies = own

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self._swap("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self._swap("POST", url, **kwargs)


@pytest.fixture
def second(api: Api) -> SecondBrowser:
    return SecondBrowser(api.client)


async def sign_in(client: Any, person: Person, password: str = PASSWORD) -> None:
    page = await client.get("/sign-in")
    r = await client.post(
        "/sign-in",
        data={"email": person.email, "password": password, "_csrf_token": csrf(page)},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303), r.text[:300]


async def signed_in(client: Any) -> bool:
    r = await client.get("/account", follow_redirects=False)
    return r.status_code == 200


async def test_anonymous_visits_store_no_session(api: Api) -> None:
    r = await api.client.get("/tenders")
    assert "icc_session" not in r.headers.get("set-cookie", "")


async def test_the_cookie_holds_only_an_id(api: Api) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    cookie = api.client.cookies["icc_session"]
    assert len(cookie) == 64 and all(c in "0123456789abcdef" for c in cookie)
    assert person.id not in cookie


async def test_sign_in_starts_a_new_session_id(api: Api) -> None:
    """A session id planted before sign-in (fixation) is not the one signed in."""
    person = await api.person("Mia")
    api.client.cookies.set("icc_session", "a" * 64, domain="testserver.local")
    await sign_in(api.client, person)
    assert api.client.cookies["icc_session"] != "a" * 64
    assert await signed_in(api.client)


async def test_sign_out_ends_the_session_everywhere_it_was_copied(
    api: Api, second: SecondBrowser
) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    stolen = api.client.cookies["icc_session"]
    second.cookies.set("icc_session", stolen, domain="testserver.local")
    assert await signed_in(second)

    page = await api.client.get("/account")
    r = await api.client.post("/sign-out", data={"_csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code in (302, 303)
    assert not await signed_in(api.client)
    # The copy of the cookie no longer signs anybody in: the session is gone from the store.
    assert not await signed_in(second)


async def test_password_change_signs_out_the_other_sessions(
    api: Api, second: SecondBrowser
) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    await sign_in(second, person)
    page = await api.client.get("/account")
    assert page.text.count("Sign out<span") == 1  # the other browser, not this one
    r = await api.client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
              "_csrf_token": csrf(page)},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code in (302, 303), r.text[:300]
    page = await api.client.get("/account")  # the browser it was changed from stays in
    assert page.status_code == 200 and "1 other session signed out" in page.text
    assert not await signed_in(second)
    # The new password works, the old does not.
    r = await api.client.post(
        "/api/v1/auth/tokens", json={"email": person.email, "password": PASSWORD}
    )
    assert r.status_code == 401
    r = await api.client.post(
        "/api/v1/auth/tokens", json={"email": person.email, "password": NEW_PASSWORD}
    )
    assert r.status_code == 201


async def test_a_wrong_current_password_changes_nothing(api: Api) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    page = await api.client.get("/account")
    r = await api.client.post(
        "/account/password",
        data={"current_password": "not my password", "new_password": NEW_PASSWORD,
              "_csrf_token": csrf(page)},
    )  # fmt: skip
    assert r.status_code == 422
    assert "Current password is not correct." in r.text
    r = await api.client.post(
        "/api/v1/auth/tokens", json={"email": person.email, "password": PASSWORD}
    )
    assert r.status_code == 201


async def test_password_change_through_the_api_signs_out_every_browser(api: Api) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    r = await api.client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"},
        headers=person.headers,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "new_password"
    assert await signed_in(api.client)
    r = await api.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=person.headers,
    )
    assert r.status_code == 204, r.text
    assert not await signed_in(api.client)


async def test_the_account_page_ends_another_session(api: Api, second: SecondBrowser) -> None:
    person = await api.person("Mia")
    await sign_in(api.client, person)
    await sign_in(second, person)
    page = await api.client.get("/account")
    assert "This browser" in page.text
    marker = 'action="/account/sessions/'
    start = page.text.index(marker) + len(marker)
    handle = page.text[start : page.text.index("/end", start)]
    assert second.cookies["icc_session"] not in page.text  # a handle, never the id itself
    r = await api.client.post(
        f"/account/sessions/{handle}/end", data={"_csrf_token": csrf(page)},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code in (302, 303)
    assert not await signed_in(second)
    assert await signed_in(api.client)


async def test_one_cannot_end_someone_elses_session(api: Api, second: SecondBrowser) -> None:
    mia, leo = await api.person("Mia"), await api.person("Leo")
    await sign_in(api.client, mia)
    await sign_in(second, leo)
    leo_page = await second.get("/account")
    assert "Sign out<span" not in leo_page.text
    page = await api.client.get("/account")
    from marketplace.web.sessions import handle_of

    r = await api.client.post(
        f"/account/sessions/{handle_of(second.cookies['icc_session'])}/end",
        data={"_csrf_token": csrf(page)},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303)
    assert await signed_in(second)
