"""The `account-mail` subscriber: the mailed links of accounts (password reset, address
verification), queued in the recipient's language through the same outbox and mailer as
every notification.

Accounts publish `password_reset.requested` / `email_verification.requested` with the
account token as subject; this writes the message. The link is signed again here from the
token id and the app secret (the event carries no secret). These mails are transactional:
no unsubscribe link, and they go to unverified addresses too (verifying is what they are for).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace import i18n
from marketplace.accounts.events import EMAIL_VERIFICATION_REQUESTED, PASSWORD_RESET_REQUESTED
from marketplace.accounts.models import AccountToken, User
from marketplace.accounts.services import link_token
from marketplace.core.events import Event
from marketplace.i18n import gettext as _
from marketplace.notifications import mail
from marketplace.settings import Settings

SUBSCRIBER = "account-mail"

# purpose -> (template, page the link opens)
LINKS = {
    "password_reset": ("password_reset", "/password-reset/"),
    "email_verification": ("verify_email", "/verify-email/"),
}


def subject_of(purpose: str) -> str:
    if purpose == "password_reset":
        return _("Reset your ICC Marketplace password")
    return _("Confirm your e-mail address for ICC Marketplace")


class AccountMailer:
    name = SUBSCRIBER
    kinds: frozenset[str] | None = frozenset(
        {PASSWORD_RESET_REQUESTED.kind, EMAIL_VERIFICATION_REQUESTED.kind}
    )
    transient: tuple[type[BaseException], ...] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def handle(
        self,
        events: Sequence[Event],
        sessions: async_sessionmaker[AsyncSession],
        now: datetime,
    ) -> None:
        async with sessions() as session, session.begin():
            for event in events:
                await self._one(session, event, now)

    async def _one(self, session: AsyncSession, event: Event, now: datetime) -> None:
        token = await session.get(AccountToken, event.subject_id)
        if token is None or token.used_at is not None or now >= token.expires_at:
            return  # used or expired before we got to it: a mail now would only confuse
        user = await session.get(User, token.user_id)
        if user is None:
            return
        template, page = LINKS[token.purpose]
        locale = user.locale or event.data.get("locale") or i18n.DEFAULT
        with i18n.using(locale):
            subject = subject_of(token.purpose)
        link = mail.absolute(
            self.settings, page + link_token(self.settings.secret_bytes, token.purpose, token.id)
        )
        # One message per token however often the event is handled (the key is unique).
        await mail.queue(
            session, self.settings, key=f"{token.purpose}:{token.id}", user_id=user.id,
            to=token.email, subject=subject, template=template, now=now, locale=locale,
            name=user.name, email=token.email, link=link, expires_at=token.expires_at,
        )  # fmt: skip
