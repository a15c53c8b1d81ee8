"""Mailed links of accounts (issue 17): signed for one purpose, refused for another, and
the reset requests' rate limit. The mail itself: tests/notifications/test_account_mail.py."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.models import AccountToken
from marketplace.accounts.services import link_token
from marketplace.settings import Settings
from marketplace.web.ratelimit import rules
from tests.factories import Api


class TestSignedLinks:
    async def test_a_verification_link_is_no_reset_link(
        self, api: Api, engine: AsyncEngine, settings: Settings
    ) -> None:
        person = await api.person("Mixed")
        async with engine.connect() as conn:
            token_id = await conn.scalar(
                select(AccountToken.id).where(
                    AccountToken.purpose == "email_verification",
                    AccountToken.email == person.email,
                )
            )
        assert token_id is not None
        as_verification = link_token(settings.secret_bytes, "email_verification", token_id)
        as_reset = link_token(settings.secret_bytes, "password_reset", token_id)
        assert as_verification != as_reset
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": as_verification, "password": "another quite long passphrase"},
        )
        assert r.status_code == 422
        # Signed as a reset link, the row is still a verification: refused the same way.
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": as_reset, "password": "another quite long passphrase"},
        )
        assert r.status_code == 422
        page = await api.client.get(f"/verify-email/{as_reset}")
        assert page.status_code == 422 and "This link is not valid" in page.text
        r = await api.client.post(
            "/api/v1/auth/email-verification/confirm", json={"token": as_verification}
        )
        assert r.status_code == 204

    async def test_a_link_with_characters_no_link_has_is_invalid_not_an_error(
        self, api: Api
    ) -> None:
        # Found by Schemathesis: a non-ASCII signature broke the constant-time comparison.
        for token in ("abc.é", "abê.ê", "x." + "ü" * 64):
            r = await api.client.post("/api/v1/auth/email-verification/confirm",
                                      json={"token": token})  # fmt: skip
            assert r.status_code == 422, (token, r.text)
            assert r.json()["code"] == "link-invalid"
            page = await api.client.get(f"/password-reset/{token}")
            assert page.status_code == 422 and "This link is not valid" in page.text

    def test_a_link_depends_on_the_secret(self) -> None:
        assert link_token(b"one", "password_reset", "id") != link_token(
            b"two", "password_reset", "id"
        )

    async def test_sending_again_needs_a_signed_in_person(self, api: Api) -> None:
        r = await api.client.post("/api/v1/auth/email-verification")
        assert r.status_code == 401


class TestRateLimit:
    def test_reset_requests_are_limited_per_address_on_the_api_and_the_page(
        self, settings: Settings
    ) -> None:
        [rule] = [r for r in rules(settings) if r.bucket == "reset"]
        assert rule.applies("POST", "/api/v1/auth/password-reset")
        assert rule.applies("POST", "/password-reset")
        assert not rule.applies("GET", "/password-reset")
        assert rule.window.limit == settings.rate_limit_password_resets_per_hour
