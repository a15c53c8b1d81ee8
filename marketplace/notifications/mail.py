"""Mail: rendering (Jinja, HTML and plain text), signed unsubscribe links, the queue and
the transports (SMTP through aiosmtplib, or a local folder of .eml files).

A message is queued in the same transaction as the notification it tells of, with a
`mail.queued` outbox event; the `mailer` subscriber sends it. The outbox gives retries with
backoff (an unreachable server is an outage: retried without counting against the message)
and survival across crashes; the unique `key` (`<why>:<recipient>`) means one message per
event and recipient however often the event is handled; `sent_at`, written right after the
server accepted the message, means a message delivered again is skipped.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace import i18n
from marketplace.core.events import Event, publish
from marketplace.notifications.events import MAIL_QUEUED
from marketplace.notifications.models import OutgoingMail
from marketplace.settings import Settings

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "notifications" / "email"
SUBSCRIBER = "mailer"


def _gettext(message: str) -> str:
    return i18n.translations(i18n.current()).ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translations(i18n.current()).ungettext(singular, plural, n)


def mail_environment() -> Environment:
    """HTML templates autoescaped, plain-text ones not (they are never shown as HTML);
    `_()` in the recipient's language, as on pages (new-style gettext)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["day"] = i18n.day
    env.filters["datetime"] = i18n.when
    return env


_ENV = mail_environment()


def render(template: str, locale: str | None = None, **context: Any) -> tuple[str, str]:
    """(text, html) from `<template>.txt` and `<template>.html`, in `locale` (the
    recipient's; English when None)."""
    with i18n.using(locale or i18n.DEFAULT):
        return (
            _ENV.get_template(f"{template}.txt").render(lang=i18n.current(), **context),
            _ENV.get_template(f"{template}.html").render(lang=i18n.current(), **context),
        )


# --- signed links ------------------------------------------------------------------------


def signer(settings: Settings, purpose: str) -> URLSafeSerializer:
    assert settings.secret_key is not None
    return URLSafeSerializer(
        settings.secret_key.get_secret_value(), salt=f"notifications.{purpose}"
    )


def unsubscribe_token(settings: Settings, user_id: str, kinds: Sequence[str]) -> str:
    return str(signer(settings, "unsubscribe").dumps({"u": user_id, "k": sorted(set(kinds))}))


def read_unsubscribe_token(settings: Settings, token: str) -> tuple[str, list[str]] | None:
    """(user id, kinds), or None for a token that was not signed by us."""
    try:
        data = signer(settings, "unsubscribe").loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        return None
    kinds = data.get("k")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        return None
    return data["u"], kinds


def absolute(settings: Settings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


# --- the queue ---------------------------------------------------------------------------


async def queue(
    session: AsyncSession,
    settings: Settings,
    *,
    key: str,
    user_id: str | None,
    to: str,
    subject: str,
    template: str,
    now: datetime,
    unsubscribe_kinds: Sequence[str] = (),
    locale: str | None = None,
    **context: Any,
) -> OutgoingMail | None:
    """Queue one message in the caller's transaction, written in `locale` (the recipient's
    stored language; English when None); None when `key` was queued before."""
    existing = await session.scalar(select(OutgoingMail.id).where(OutgoingMail.key == key))
    if existing is not None:
        return None
    headers: dict[str, str] = {}
    unsubscribe_url = None
    if user_id and unsubscribe_kinds:
        token = unsubscribe_token(settings, user_id, unsubscribe_kinds)
        unsubscribe_url = absolute(settings, f"/unsubscribe/{token}")
        # RFC 8058: a POST of "List-Unsubscribe=One-Click" to this URL unsubscribes.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text, html = render(
        template, locale, subject=subject, base_url=settings.base_url.rstrip("/"),
        unsubscribe_url=unsubscribe_url, preferences_url=absolute(settings, "/notifications/preferences"),
        **context,
    )  # fmt: skip
    domain = _domain(settings.mail_from)
    mail = OutgoingMail(
        key=key, user_id=user_id, to_address=to, subject=subject[:300], text_body=text,
        html_body=html, headers=headers, created_at=now, attempts=0,
        message_id=make_msgid(hashlib.sha256(key.encode()).hexdigest()[:24], domain=domain),
    )  # fmt: skip
    session.add(mail)
    await session.flush()
    await publish(session, MAIL_QUEUED, mail.id, now)
    return mail


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(" >") or "marketplace.invalid"


def message_of(mail: OutgoingMail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


# --- transports --------------------------------------------------------------------------


class Transport(Protocol):
    name: str

    async def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpTransport:
    """`smtp://user:pass@host:587` (STARTTLS, required), `smtps://...:465` (implicit TLS);
    `?starttls=off` for a relay on the same machine, `?cafile=/path` for a private CA."""

    url: str
    timeout: float = 10.0
    name: str = "smtp"

    async def send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        implicit = parts.scheme == "smtps"
        starttls = not implicit and options.get("starttls", "on") not in ("off", "0", "no")
        await aiosmtplib.send(
            message,
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if implicit else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit,
            start_tls=starttls,
            cert_bundle=options.get("cafile"),
            timeout=self.timeout,
        )


@dataclass
class FolderTransport:
    """The embedded default: one .eml file per message (named after its Message-ID, so a
    message written twice is one file) and a log line, so a newcomer can read them."""

    folder: Path
    name: str = "folder"

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:20]
        path = self.folder / f"{stem}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(message.as_bytes())
        os.replace(temporary, path)
        log.info("mail to %s written to %s: %s", message["To"], path, message["Subject"])


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url is not None and settings.smtp_url.get_secret_value():
        return SmtpTransport(settings.smtp_url.get_secret_value(), settings.smtp_timeout_seconds)
    return FolderTransport(settings.mail_dir or settings.var_dir / "mail")


# --- the subscriber ----------------------------------------------------------------------


class Mailer:
    """Sends queued mail. An unreachable or refusing server is an outage (`transient`): the
    outbox retries the batch later without counting it against the messages."""

    name = SUBSCRIBER
    kinds: frozenset[str] | None = frozenset({MAIL_QUEUED.kind})
    transient: tuple[type[BaseException], ...] = (aiosmtplib.SMTPException, OSError)

    def __init__(self, settings: Settings, transport: Transport | None = None) -> None:
        self.settings = settings
        self.transport = transport or transport_for(settings)

    async def handle(
        self,
        events: Sequence[Event],
        sessions: async_sessionmaker[AsyncSession],
        now: datetime,
    ) -> None:
        for event in events:
            async with sessions() as session:
                mail = await session.get(OutgoingMail, event.subject_id)
            if mail is None or mail.sent_at is not None:
                continue  # already sent (a batch delivered again) or gone
            try:
                await self.transport.send(message_of(mail, self.settings))
            except Exception as error:
                async with sessions() as session, session.begin():
                    await session.execute(
                        update(OutgoingMail)
                        .where(OutgoingMail.id == mail.id)
                        .values(attempts=OutgoingMail.attempts + 1, last_error=str(error)[:2000])
                    )
                raise
            async with sessions() as session, session.begin():
                await session.execute(
                    update(OutgoingMail)
                    .where(OutgoingMail.id == mail.id)
                    .values(sent_at=now, attempts=OutgoingMail.attempts + 1, last_error=None)
                )
