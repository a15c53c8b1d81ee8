"""E-mail through a real SMTP server on loopback (aiosmtpd, STARTTLS and AUTH): what
arrives, one-click unsubscribe, digests, and the outbox crash test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.core.delivery import deliver_once
from marketplace.db import session_maker
from marketplace.notifications.mail import FolderTransport, transport_for
from marketplace.notifications.models import OutgoingMail
from marketplace.notifications.scheduler import tick
from marketplace.settings import Settings
from tests.factories import Api, Person
from tests.notifications.conftest import Outbox
from tests.notifications.helpers import told
from tests.notifications.smtp import Server


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def app(settings: Settings, clock: FrozenClock, smtp: Server) -> Litestar:
    """The app sending through the loopback server (started by each test when it wants)."""
    with_smtp = settings.model_copy(update={"smtp_url": SecretStr(smtp.url)})
    return create_app(with_smtp, clock=clock)


async def verified(api: Api, admin: Person, name: str) -> tuple[Person, dict[str, Any]]:
    owner = await api.person(name)
    organisation = await api.organisation(owner, "sme", name=f"{name} Oy")
    r = await api.client.post(f"/api/v1/organisations/{organisation['id']}/verify",
                              headers=admin.headers)  # fmt: skip
    assert r.status_code == 200
    return owner, organisation


def text_of(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


class TestSending:
    async def test_a_notification_arrives_by_starttls_as_text_and_html_with_one_click_unsubscribe(
        self, api: Api, outbox: Outbox, clock: FrozenClock, smtp: Server
    ) -> None:
        smtp.start()
        admin = await api.person("Admin", admin=True)
        owner, organisation = await verified(api, admin, "Aalto")
        await outbox.deliver()
        [message] = smtp.inbox.to(owner.email)
        assert smtp.inbox.logins == [smtp_user := "mailer"] and smtp_user
        assert message["Subject"] == "Aalto Oy is verified"
        assert message["From"] == "ICC Marketplace <no-reply@marketplace.invalid>"
        text, html = text_of(message)
        link = f"http://127.0.0.1:8000/organisations/{organisation['id']}"
        assert link in text and f'href="{link}"' in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = str(message["List-Unsubscribe"]).strip("<>")
        assert unsubscribe.startswith("http://127.0.0.1:8000/unsubscribe/")
        assert unsubscribe in text
        assert await told(api, admin) == []

        # A GET (a mail scanner following the link) changes nothing.
        path = unsubscribe.removeprefix("http://127.0.0.1:8000")
        page = await api.client.get(path)
        assert page.status_code == 200 and "Your organisation verified" in page.text
        prefs = (await api.client.get("/api/v1/notifications/preferences",
                                      headers=owner.headers)).json()  # fmt: skip
        assert {k["kind"]: k["email"] for k in prefs["kinds"]}["organisation.verified"] == "instant"
        # RFC 8058: the mail client's POST, without cookies or CSRF token, unsubscribes.
        api.client.cookies.clear()
        r = await api.client.post(path, content=b"List-Unsubscribe=One-Click",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert r.status_code == 201 or r.status_code == 200, r.text
        prefs = (await api.client.get("/api/v1/notifications/preferences",
                                      headers=owner.headers)).json()  # fmt: skip
        choices = {k["kind"]: k["email"] for k in prefs["kinds"]}
        assert choices["organisation.verified"] == "off"
        assert choices["member.added"] == "instant"  # only what the message was about

        # A forged or altered token is refused and changes nothing.
        r = await api.client.post(path[:-3] + "xyz", content=b"List-Unsubscribe=One-Click",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert r.status_code == 404

    async def test_unsubscribed_kinds_stay_in_the_inbox_but_send_no_mail(
        self, api: Api, outbox: Outbox, clock: FrozenClock, smtp: Server
    ) -> None:
        smtp.start()
        owner = await api.person("Owner")
        organisation = await api.organisation(owner, "sme", name="Quiet Oy")
        r = await api.client.put("/api/v1/notifications/preferences",
                                 json={"email": {"member.added": "off"}}, headers=owner.headers)  # fmt: skip
        assert r.status_code == 200
        newcomer = await api.member(owner, organisation["id"], "editor", "Newcomer")
        r = await api.client.put("/api/v1/notifications/preferences",
                                 json={"email": {"member.added": "off"}}, headers=newcomer.headers)  # fmt: skip
        await outbox.deliver()
        assert [n["kind"] for n in await told(api, newcomer)] == ["member.added"]
        assert smtp.inbox.to(newcomer.email) == []

    async def test_daily_digest_once_a_day_with_everything_chosen_daily(
        self, api: Api, outbox: Outbox, clock: FrozenClock, smtp: Server, engine: AsyncEngine,
        settings: Settings,
    ) -> None:  # fmt: skip
        smtp.start()
        admin = await api.person("Admin", admin=True)
        owner = await api.person("Owner")
        r = await api.client.put(
            "/api/v1/notifications/preferences",
            json={"email": {"organisation.verified": "daily", "member.added": "daily"}},
            headers=owner.headers,
        )
        assert r.status_code == 200
        for name in ("North Oy", "South Oy"):
            org = await api.organisation(owner, "sme", name=name)
            await api.client.post(
                f"/api/v1/organisations/{org['id']}/verify", headers=admin.headers
            )
        await outbox.deliver()
        assert len(await told(api, owner)) == 2
        assert smtp.inbox.to(owner.email) == []  # nothing instant

        sessions = session_maker(engine)
        clock.set(clock.now().replace(hour=6))
        assert (await tick(sessions, settings, clock.now())).digests == 0  # before 07:00
        clock.set(clock.now().replace(hour=7, minute=5))
        assert (await tick(sessions, settings, clock.now())).digests == 1
        assert (await tick(sessions, settings, clock.now())).digests == 0
        await outbox.deliver()
        [digest] = smtp.inbox.to(owner.email)
        assert digest["Subject"] == "Your daily ICC Marketplace digest: 2 new"
        text, _ = text_of(digest)
        assert "North Oy is verified" in text and "South Oy is verified" in text
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


class TestOutbox:
    async def test_smtp_down_then_worker_killed_mid_batch_every_message_arrives_exactly_once(
        self, api: Api, outbox: Outbox, clock: FrozenClock, smtp: Server, engine: AsyncEngine
    ) -> None:
        admin = await api.person("Admin", admin=True)
        owners = [(await verified(api, admin, name))[0] for name in ("Alpha", "Beta", "Gamma")]
        # The server is down: the notifications are made, the messages wait.
        await outbox.deliver()
        sessions = session_maker(engine)
        async with sessions() as session:
            queued = list(await session.scalars(select(OutgoingMail)))
        assert len(queued) == 3 and all(m.sent_at is None for m in queued)
        # The first message met the outage; the others wait behind it, nothing is parked.
        assert any("Connect call failed" in (m.last_error or "") for m in queued)
        for owner in owners:
            assert len(await told(api, owner)) == 1

        # The server comes back; the worker is killed while sending the second message.
        smtp.start()
        mailer = outbox.mailer
        real = mailer.transport
        stuck = asyncio.Event()

        class Stalls:
            name = "stalls"
            sent = 0

            async def send(self, message: EmailMessage) -> None:
                if self.sent == 1:
                    stuck.set()
                    await asyncio.Event().wait()  # hangs until the worker is killed
                self.sent += 1
                await real.send(message)

        mailer.transport = Stalls()
        worker = asyncio.create_task(
            deliver_once(outbox.sessions, mailer, clock.now(), batch_size=10)
        )
        await asyncio.wait_for(stuck.wait(), 30)
        worker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await worker
        assert len(smtp.inbox.messages) == 1

        # A new worker, after the dead one's lease ran out, finishes the job.
        mailer.transport = real
        clock.advance(timedelta(minutes=1))
        await outbox.deliver()
        await outbox.deliver()
        for owner in owners:
            assert len(smtp.inbox.to(owner.email)) == 1, owner.email
        ids = smtp.inbox.message_ids()
        assert len(ids) == len(set(ids)) == 3
        async with sessions() as session:
            assert all(m.sent_at is not None for m in await session.scalars(select(OutgoingMail)))

    async def test_without_smtp_messages_are_written_to_the_mail_folder(
        self, api: Api, outbox: Outbox, settings: Settings, tmp_path: Path
    ) -> None:
        folder = tmp_path / "mail"
        outbox.mailer.transport = transport_for(settings.model_copy(update={"mail_dir": folder}))
        admin = await api.person("Admin", admin=True)
        owner, _ = await verified(api, admin, "Local")
        await outbox.deliver()
        [path] = list(folder.glob("*.eml"))
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["To"] == owner.email and message["Subject"] == "Local Oy is verified"
        # Written again (a batch delivered twice): still one file.
        await FolderTransport(folder).send(message)  # type: ignore[arg-type]
        assert len(list(folder.glob("*.eml"))) == 1
