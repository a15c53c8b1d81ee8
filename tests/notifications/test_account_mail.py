"""Issue 17, the mail of accounts: password reset and address verification through the same
outbox and mailer as every notification (signed, expiring, single-use links), read from the
mail folder (and once from the loopback SMTP server), in the recipient's language (issue 19)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.models import AccountToken
from marketplace.clock import FrozenClock
from marketplace.db import session_maker
from marketplace.notifications.account_mail import AccountMailer
from marketplace.notifications.mail import FolderTransport, Mailer, SmtpTransport
from marketplace.notifications.subscriber import Notifier
from tests.factories import PASSWORD, Api, Person, csrf
from tests.notifications.conftest import Outbox
from tests.notifications.smtp import Server

NEW_PASSWORD = "another quite long passphrase"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:password-reset|verify-email)/[\w.-]+)")


class Folder:
    """The embedded default's mail folder for one test, and an outbox that delivers to it."""

    def __init__(self, path: Path, outbox: Outbox) -> None:
        self.path = path
        self.outbox = outbox

    async def deliver(self) -> None:
        await self.outbox.deliver()

    def to(self, address: str) -> list[EmailMessage]:
        found = []
        for file in sorted(self.path.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns):
            message = message_from_bytes(file.read_bytes(), policy=policy.default)
            if message["To"] == address:
                found.append(message)
        return found  # type: ignore[return-value]

    async def link(self, address: str, index: int = -1) -> str:
        """The path of the link in the `index`th message to `address`."""
        await self.deliver()
        messages = self.to(address)
        assert messages, f"no mail to {address}"
        plain = messages[index].get_body(("plain",))
        assert plain is not None
        found = LINK.search(plain.get_content())
        assert found, plain.get_content()
        return found.group(1)


@pytest.fixture
def folder(
    app: Litestar, engine: AsyncEngine, clock: FrozenClock, tmp_path: Path, outbox: Outbox
) -> Folder:
    settings = app.state.settings
    mailer = Mailer(settings, FolderTransport(tmp_path / "mail"))
    subscribers = [Notifier(settings, outbox.backend), AccountMailer(settings), mailer]
    own = Outbox(session_maker(engine), subscribers, clock, mailer, outbox.backend)  # type: ignore[arg-type]
    return Folder(tmp_path / "mail", own)


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


async def can_sign_in(api: Api, person: Person, password: str) -> bool:
    r = await api.client.post(
        "/api/v1/auth/tokens", json={"email": person.email, "password": password, "label": "x"}
    )
    return r.status_code == 201


class TestPasswordResetApi:
    async def test_the_mailed_link_sets_a_new_password_once(self, api: Api, folder: Folder) -> None:
        person = await api.person("Forgetful")
        r = await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        assert r.status_code == 202
        answer = r.json()
        [mail] = [m for m in (await _delivered(folder, person.email)) if "password" in m["Subject"]]
        assert mail["Subject"] == "Reset your ICC Marketplace password"
        assert "List-Unsubscribe" not in mail  # transactional: not a notification
        token = token_of(await folder.link(person.email))

        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
        )
        assert r.status_code == 204, r.text
        assert await can_sign_in(api, person, NEW_PASSWORD)
        assert not await can_sign_in(api, person, PASSWORD)

        again = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": PASSWORD}
        )
        assert again.status_code == 409, again.text
        assert again.headers["content-type"].startswith("application/problem+json")
        assert await can_sign_in(api, person, NEW_PASSWORD)

        # An unknown address gets the very same answer, and no mail is written for it.
        unknown = await api.client.post(
            "/api/v1/auth/password-reset", json={"email": "nobody@example.eu"}
        )
        assert (unknown.status_code, unknown.json()) == (202, answer)
        await folder.deliver()
        assert folder.to("nobody@example.eu") == []

    async def test_two_uses_at_once_one_wins(self, api: Api, folder: Folder) -> None:
        person = await api.person("Racer")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        token = token_of(await folder.link(person.email))
        answers = await asyncio.gather(*(
            api.client.post("/api/v1/auth/password-reset/confirm",
                            json={"token": token, "password": f"{NEW_PASSWORD} {n}"})
            for n in range(2)
        ))  # fmt: skip
        assert sorted(r.status_code for r in answers) == [204, 409]
        won = next(n for n, r in enumerate(answers) if r.status_code == 204)
        assert await can_sign_in(api, person, f"{NEW_PASSWORD} {won}")

    async def test_an_expired_link_is_gone_and_changes_nothing(
        self, api: Api, folder: Folder, clock: FrozenClock
    ) -> None:
        person = await api.person("Late")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        token = token_of(await folder.link(person.email))
        clock.advance(timedelta(minutes=61))
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
        )
        assert r.status_code == 410, r.text
        page = await api.client.get(f"/password-reset/{token}")
        assert page.status_code == 410 and "This link has expired." in page.text
        assert await can_sign_in(api, person, PASSWORD)

    async def test_a_forged_or_altered_link_is_refused_naming_the_token(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Target")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        token = token_of(await folder.link(person.email))
        token_id = token.split(".")[0]
        for forged in (f"{token_id}.AAAAAAAAAAAAAAAAAAAAAAAAAAA", token_id, token[:-2], "x"):
            r = await api.client.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": forged, "password": NEW_PASSWORD},
            )
            assert r.status_code == 422, (forged, r.text)
            assert [e["field"] for e in r.json()["errors"]] == ["token"]
        assert await can_sign_in(api, person, PASSWORD)

    async def test_a_weak_password_is_refused_and_the_link_still_works(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Weak")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        token = token_of(await folder.link(person.email))
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "short"}
        )
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["errors"]] == ["password"]
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
        )
        assert r.status_code == 204

    async def test_a_new_password_ends_every_link_and_a_mailbox_is_not_flooded(
        self, api: Api, folder: Folder, engine: AsyncEngine
    ) -> None:
        person = await api.person("Flooded")
        for _ in range(5):
            r = await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
            assert r.status_code == 202
        await folder.deliver()
        resets = [m for m in folder.to(person.email) if "password" in m["Subject"]]
        assert len(resets) == 3  # account_mails_per_hour
        first = token_of(await folder.link(person.email, 1))
        last = token_of(await folder.link(person.email, -1))
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": last, "password": NEW_PASSWORD}
        )
        assert r.status_code == 204
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": first, "password": PASSWORD}
        )
        assert r.status_code == 409
        async with engine.connect() as conn:
            unused = await conn.scalar(
                select(func.count(AccountToken.id)).where(
                    AccountToken.purpose == "password_reset", AccountToken.used_at.is_(None)
                )
            )
        assert unused == 0


async def _delivered(folder: Folder, address: str) -> list[EmailMessage]:
    await folder.deliver()
    return folder.to(address)


class TestPasswordResetPages:
    async def test_forgot_sign_in_mail_new_password_and_other_sessions_end(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Browser")
        await api.sign_in_browser(person)
        signed_in_cookies = dict(api.client.cookies)
        api.client.cookies.clear()

        sign_in = await api.client.get("/sign-in")
        assert 'href="/password-reset"' in sign_in.text and "Forgot your password?" in sign_in.text
        form = await api.client.get("/password-reset")
        assert form.status_code == 200
        answers = []
        for email in (person.email, "nobody@example.eu"):
            r = await api.client.post(
                "/password-reset", data={"email": email, "_csrf_token": csrf(form)}
            )
            assert r.status_code == 200
            answers.append(r.text.replace(email, "ADDRESS"))
        assert answers[0] == answers[1]
        assert "we sent a link to it to choose a new password" in answers[0]

        path = await folder.link(person.email)
        page = await api.client.get(path)
        assert page.status_code == 200 and 'name="password"' in page.text
        weak = await api.client.post(path, data={"password": "short", "_csrf_token": csrf(page)})
        assert weak.status_code == 422 and "at least 10 characters" in weak.text
        r = await api.client.post(
            path, data={"password": NEW_PASSWORD, "_csrf_token": csrf(page)},
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code in (302, 303) and r.headers["location"] == "/sign-in"
        done = await api.client.get("/sign-in")
        assert "Your password was changed" in done.text

        again = await api.client.get(path)
        assert again.status_code == 409 and "This link was used already" in again.text
        assert 'href="/password-reset"' in again.text  # what to do next

        # The browser that was signed in before is signed out.
        api.client.cookies.clear()
        api.client.cookies.update(signed_in_cookies)
        account = await api.client.get("/account", follow_redirects=False)
        assert account.status_code in (302, 303)
        assert await can_sign_in(api, person, NEW_PASSWORD)

    async def test_an_address_that_is_not_one_is_an_error_on_the_form(self, api: Api) -> None:
        form = await api.client.get("/password-reset")
        r = await api.client.post(
            "/password-reset", data={"email": "not an address", "_csrf_token": csrf(form)}
        )
        assert r.status_code == 422 and 'name="email"' in r.text


class TestAddressVerification:
    async def test_sign_up_mails_a_link_that_verifies_the_address_once(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Newcomer")
        me = (await api.client.get("/api/v1/me", headers=person.headers)).json()
        assert me["email_verified"] is False and me["email_verified_at"] is None
        [mail] = await _delivered(folder, person.email)
        assert mail["Subject"] == "Confirm your e-mail address for ICC Marketplace"
        token = token_of(await folder.link(person.email))

        r = await api.client.post("/api/v1/auth/email-verification/confirm", json={"token": token})
        assert r.status_code == 204, r.text
        me = (await api.client.get("/api/v1/me", headers=person.headers)).json()
        assert me["email_verified"] is True and me["email_verified_at"]
        again = await api.client.post(
            "/api/v1/auth/email-verification/confirm", json={"token": token}
        )
        assert again.status_code == 409
        r = await api.client.post("/api/v1/auth/email-verification", headers=person.headers)
        assert r.status_code == 409  # verified already: nothing to send

    async def test_the_account_page_shows_it_and_sends_the_link_again(
        self, api: Api, folder: Folder, clock: FrozenClock
    ) -> None:
        person = await api.person("Page")
        await folder.deliver()
        await api.sign_in_browser(person)
        account = await api.client.get("/account")
        assert "Not verified" in account.text and 'action="/account/verification"' in account.text
        clock.advance(timedelta(days=8))  # the first link expired meanwhile
        expired = await api.client.get(await folder.link(person.email))
        assert expired.status_code == 410

        r = await api.client.post(
            "/account/verification", data={"_csrf_token": csrf(account)}, follow_redirects=False
        )
        assert r.status_code in (302, 303)
        path = await folder.link(person.email)
        assert len(folder.to(person.email)) == 2
        page = await api.client.get(path)
        assert page.status_code == 200 and person.email in page.text
        r = await api.client.post(path, data={"_csrf_token": csrf(page)}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/account"
        account = await api.client.get("/account")
        assert f"Thank you: {person.email} is verified." in account.text
        assert "Not verified" not in account.text.split('id="email"')[1].split("</dd>")[0]

    async def test_following_a_reset_link_verifies_the_address_too(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Both")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        await folder.deliver()
        reset = [m for m in folder.to(person.email) if "password" in m["Subject"]]
        assert reset
        token = token_of(await folder.link(person.email, -1))
        await api.client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
        )
        me = (await api.client.get("/api/v1/me", headers=person.headers)).json()
        assert me["email_verified"] is True


class TestLanguage:
    async def test_mail_is_written_in_the_language_stored_on_the_account(
        self, api: Api, folder: Folder
    ) -> None:
        person = await api.person("Amélie")
        await folder.deliver()
        r = await api.client.patch("/api/v1/me", json={"locale": "fr"}, headers=person.headers)
        assert r.status_code == 200 and r.json()["locale"] == "fr"
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        await folder.deliver()
        mail = folder.to(person.email)[-1]
        assert mail["Subject"] == "Réinitialisez votre mot de passe ICC Marketplace"
        plain = mail.get_body(("plain",))
        html = mail.get_body(("html",))
        assert plain is not None and html is not None
        assert "Bonjour Amélie," in plain.get_content()
        assert '<html lang="fr">' in html.get_content()
        assert "Choisir un nouveau mot de passe" in html.get_content()

        r = await api.client.patch("/api/v1/me", json={"locale": "xx"}, headers=person.headers)
        assert r.status_code == 400 or r.status_code == 422

    async def test_sign_up_in_german_mails_the_verification_in_german(
        self, api: Api, folder: Folder
    ) -> None:
        r = await api.client.post(
            "/api/v1/auth/register",
            json={"email": "jonas@example.eu", "password": PASSWORD, "name": "Jonas"},
            headers={"Accept-Language": "de-DE,de;q=0.9"},
        )
        assert r.status_code == 201
        [mail] = await _delivered(folder, "jonas@example.eu")
        assert mail["Subject"] == "Bestätigen Sie Ihre E-Mail-Adresse für ICC Marketplace"

    async def test_a_notification_mail_speaks_the_recipients_language(
        self, api: Api, folder: Folder
    ) -> None:
        admin = await api.person("Admin", admin=True)
        owner = await api.person("Owner")
        await api.client.patch("/api/v1/me", json={"locale": "de"}, headers=owner.headers)
        organisation = await api.organisation(owner, "sme")
        r = await api.client.post(
            f"/api/v1/organisations/{organisation['id']}/verify", headers=admin.headers
        )
        assert r.status_code == 200
        await folder.deliver()
        [notice] = [m for m in folder.to(owner.email) if "verifiziert" in m["Subject"]]
        assert notice["Subject"] == f"{organisation['name']} ist verifiziert"
        plain = notice.get_body(("plain",))
        assert plain is not None
        text = plain.get_content()
        assert text.startswith("Hallo Owner,")
        assert "Verifizierte Organisationen können Ausschreibungen" in text
        assert "Öffnen:" in text and "Diese E-Mails abbestellen:" in text

    async def test_the_stored_language_is_used_where_the_browser_made_no_choice(
        self, api: Api
    ) -> None:
        person = await api.person("Claire")
        await api.sign_in_browser(person)
        # The switch, signed in: remembered on the account as well as in the cookie.
        r = await api.client.get("/language/fr?next=/account", follow_redirects=False)
        assert r.status_code in (302, 303)
        me = (await api.client.get("/api/v1/me", headers=person.headers)).json()
        assert me["locale"] == "fr"
        # Another browser (no language cookie): French from the account once signed in.
        api.client.cookies.clear()
        page = await api.client.get("/sign-in")
        r = await api.client.post(
            "/sign-in",
            data={"email": person.email, "password": PASSWORD, "_csrf_token": csrf(page)},
            follow_redirects=False,
        )
        assert r.cookies.get("icc_lang") == "fr"
        api.client.cookies.delete("icc_lang")
        account = await api.client.get("/account")
        assert '<html lang="fr">' in account.text

    async def test_the_account_page_saves_the_language(self, api: Api) -> None:
        person = await api.person("Dieter")
        await api.sign_in_browser(person)
        account = await api.client.get("/account")
        assert 'action="/account/language"' in account.text
        r = await api.client.post(
            "/account/language", data={"locale": "de", "_csrf_token": csrf(account)},
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code in (302, 303) and r.cookies.get("icc_lang") == "de"
        me = (await api.client.get("/api/v1/me", headers=person.headers)).json()
        assert me["locale"] == "de"
        account = await api.client.get("/account")
        assert "Seiten und E-Mails sind jetzt auf Deutsch." in account.text


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    yield server
    server.stop()


class TestOverSmtp:
    async def test_the_reset_mail_arrives_at_the_loopback_server_and_its_link_works(
        self, api: Api, app: Litestar, engine: AsyncEngine, clock: FrozenClock, smtp: Server,
        outbox: Outbox,
    ) -> None:  # fmt: skip
        smtp.start()
        settings = app.state.settings
        mailer = Mailer(settings, SmtpTransport(smtp.url))
        own = Outbox(session_maker(engine), [AccountMailer(settings), mailer], clock, mailer,
                     outbox.backend)  # type: ignore[list-item]  # fmt: skip
        person = await api.person("Remote")
        await api.client.post("/api/v1/auth/password-reset", json={"email": person.email})
        await own.deliver()
        [reset] = [m for m in smtp.inbox.to(person.email) if "password" in m["Subject"]]
        plain = reset.get_body(("plain",))
        assert plain is not None
        found = LINK.search(plain.get_content())
        assert found
        r = await api.client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": token_of(found.group(1)), "password": NEW_PASSWORD},
        )
        assert r.status_code == 204
        assert await can_sign_in(api, person, NEW_PASSWORD)
