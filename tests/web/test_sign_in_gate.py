"""Issue 14: one rule for pages only the signed-in may use (`dependencies=SIGNED_IN`). A
signed-out visitor is sent to sign in and, once signed in, back to a page that answers GET."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from httpx import Response

from tests.factories import PASSWORD, Api, csrf

# Pages of every package that had its own "not signed in → redirect" before.
GET_PAGES = [
    "/home",
    "/account",
    "/organisations/new",
    "/organisations/some-organisation/members",
    "/admin/verification",
    "/listings/mine",
    "/listings/new",
    "/funding/workspace",
    "/funding/dashboard",
    "/funding-calls/new",
    "/notifications",
    "/notifications/preferences",
    "/workspace/payments/some-organisation",
    "/orders/some-order",
    "/admin/payments",
    "/standards/new",
    "/tenders/import",
]


def _next(response: Response) -> str:
    assert response.status_code in (302, 303), response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/sign-in"
    return parse_qs(location.query)["next"][0]


async def _token(api: Api) -> str:
    return csrf(await api.client.get("/sign-in"))


async def _sign_in_from(api: Api, response: Response, email: str) -> Response:
    """Follow the redirect to the sign-in page and sign in there, as a browser would."""
    page = await api.client.get(response.headers["location"])
    form = {"email": email, "password": PASSWORD, "_csrf_token": csrf(page),
            "next": _next(response)}  # fmt: skip
    return await api.client.post("/sign-in", data=form, follow_redirects=False)


class TestSignedOut:
    @pytest.mark.parametrize("path", GET_PAGES)
    async def test_a_page_sends_to_sign_in_and_back_to_itself(self, api: Api, path: str) -> None:
        r = await api.client.get(path, follow_redirects=False)
        assert r.status_code == 302
        assert r.headers["location"] == f"/sign-in?next={path}"

    async def test_a_form_sent_goes_back_to_the_page_it_was_on(self, api: Api) -> None:
        """`/account/password` answers only POST: after signing in, the account page."""
        base = str(api.client.base_url).rstrip("/")
        token = await _token(api)
        for path, referer in [
            ("/account/password", "/account"),
            ("/account/tokens", "/account"),
            ("/notifications/read-all", "/notifications?page=2"),
            ("/pilots/some-package/order", "/pilots/some-package"),
            ("/orders/some-order/pay", "/orders/some-order"),
            ("/funding-calls/some-call/publish", "/funding-calls/some-call/workspace"),
            ("/standards/new", "/standards/new"),
        ]:
            r = await api.client.post(
                path, data={"_csrf_token": token}, headers={"referer": base + referer},
                follow_redirects=False,
            )  # fmt: skip
            assert _next(r) == referer, path

    async def test_without_a_referer_or_from_elsewhere_the_form_address_is_kept(
        self, api: Api
    ) -> None:
        token = await _token(api)
        r = await api.client.post(
            "/listings/new", data={"_csrf_token": token}, follow_redirects=False
        )
        assert r.headers["location"] == "/sign-in?next=/listings/new"
        r = await api.client.post(
            "/organisations/new", data={"_csrf_token": token},
            headers={"referer": "https://elsewhere.example/account"}, follow_redirects=False,
        )  # fmt: skip
        assert r.headers["location"] == "/sign-in?next=/organisations/new"

    async def test_a_form_without_its_token_is_refused_not_redirected(self, api: Api) -> None:
        r = await api.client.post("/account/password", data={}, follow_redirects=False)
        assert r.status_code == 403

    async def test_signing_in_returns_to_the_page_and_the_form_did_nothing(self, api: Api) -> None:
        person = await api.person("Returning")
        base = str(api.client.base_url).rstrip("/")
        r = await api.client.post(
            "/account/tokens", data={"_csrf_token": await _token(api), "label": "laptop"},
            headers={"referer": f"{base}/account"}, follow_redirects=False,
        )  # fmt: skip
        signed_in = await _sign_in_from(api, r, person.email)
        assert signed_in.headers["location"] == "/account"
        account = await api.client.get("/account")
        assert account.status_code == 200 and "laptop" not in account.text

    async def test_a_return_page_with_a_query_comes_back_whole(self, api: Api) -> None:
        """Saving a search names its page in the form; its query survives the sign-in."""
        person = await api.person("Searcher")
        r = await api.client.post(
            "/saved-searches",
            data={"_csrf_token": await _token(api), "q": "solar", "type": "tender"},
            follow_redirects=False,
        )
        assert _next(r) == "/search?q=solar&type=tender"
        signed_in = await _sign_in_from(api, r, person.email)
        assert signed_in.headers["location"] == "/search?q=solar&type=tender"
