"""What the accounts package publishes to the event outbox (see marketplace.core.events)."""

from __future__ import annotations

from marketplace.core.events import Event, EventType

USER_REGISTERED = EventType("user.registered", "Someone created an account (subject: the user).")
ORGANISATION_CREATED = EventType(
    "organisation.created",
    "An organisation was created; its creator is its owner (subject: the organisation).",
)
ORGANISATION_UPDATED = EventType(
    "organisation.updated",
    "An organisation's profile changed; `data.changed` lists the fields (subject: the "
    "organisation). Records that show its name or place are re-sent to search.",
)
ORGANISATION_VERIFIED = EventType(
    "organisation.verified",
    "A platform admin verified an organisation (subject: the organisation).",
)
MEMBER_ADDED = EventType(
    "member.added",
    "An owner added someone to an organisation; `data`: user_id, role (subject: the organisation).",
)

PASSWORD_RESET_REQUESTED = EventType(
    "password_reset.requested",
    "Someone asked for a password reset link for an existing account; `data.locale`: the "
    "language of the page they asked from (subject: the account token).",
)
EMAIL_VERIFICATION_REQUESTED = EventType(
    "email_verification.requested",
    "An address verification link is to be mailed (at sign-up, or sent again); "
    "`data.locale` as above (subject: the account token).",
)
MEMBER_ROLE_CHANGED = EventType(
    "member.role_changed",
    "An owner changed a member's role; `data`: user_id, role, previous_role, by_user_id "
    "(subject: the organisation).",
)
MEMBER_REMOVED = EventType(
    "member.removed",
    "A member was removed by an owner, or left (`by_user_id` is then `user_id`); `data`: "
    "user_id, role, by_user_id (subject: the organisation).",
)

CATALOGUE = (
    USER_REGISTERED, ORGANISATION_CREATED, ORGANISATION_UPDATED, ORGANISATION_VERIFIED,
    MEMBER_ADDED, MEMBER_ROLE_CHANGED, MEMBER_REMOVED, PASSWORD_RESET_REQUESTED,
    EMAIL_VERIFICATION_REQUESTED,
)  # fmt: skip

# What other records show of an organisation (documents name it and place it).
IDENTITY = frozenset({"name", "country", "nuts_code"})


def identity_changed(event: Event) -> bool:
    """True for an `organisation.updated` that changed what other records show of it."""
    return event.kind == ORGANISATION_UPDATED.kind and bool(
        IDENTITY & set(event.data.get("changed", ()))
    )
