"""The organisation and platform policies: table-driven, no database."""

from __future__ import annotations

import pytest

from marketplace.accounts.policies import member_actions, organisation_actions, platform_actions
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, Forbidden

OWNER = Actor("u1", "o@example.eu", "Owner", roles={"org": "owner"}, kinds={"org": "sme"})
EDITOR = Actor("u2", "e@example.eu", "Editor", roles={"org": "editor"}, kinds={"org": "sme"})
VIEWER = Actor("u3", "v@example.eu", "Viewer", roles={"org": "viewer"}, kinds={"org": "sme"})
OTHER = Actor("u4", "x@example.eu", "Other", roles={"elsewhere": "owner"})
ADMIN = Actor("u5", "a@example.eu", "Admin", is_admin=True)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (OWNER, {"edit", "see_members", "add_member", "manage_members"}),
        (EDITOR, {"edit", "see_members"}),
        (VIEWER, {"see_members"}),
        (OTHER, set()),
        (ADMIN, {"see_members", "verify"}),
        (None, set()),
    ],
)
def test_who_may_do_what_with_an_organisation(actor: Actor | None, expected: set[str]) -> None:
    assert set(organisation_actions(actor, "org")) == expected


def test_only_platform_admins_see_the_verification_queue() -> None:
    assert "verification_queue" in platform_actions(ADMIN)
    for actor in (OWNER, OTHER, None):
        assert "verification_queue" not in platform_actions(actor)
    assert platform_actions(OWNER).reason("verification_queue") == (
        "Only platform admins see the verification queue."
    )


@pytest.mark.parametrize(
    ("actor", "member", "role", "owners", "expected"),
    [
        (OWNER, "u2", "editor", 1, {"change_role", "remove"}),
        (OWNER, "u9", "owner", 2, {"change_role", "remove"}),
        (OWNER, "u1", "owner", 2, {"change_role", "remove"}),  # one of two may step down
        (OWNER, "u1", "owner", 1, set()),  # the last owner stays
        (EDITOR, "u2", "editor", 1, {"remove"}),  # leave
        (EDITOR, "u3", "viewer", 1, set()),
        (VIEWER, "u3", "viewer", 1, {"remove"}),
        (OTHER, "u2", "editor", 1, set()),
        (ADMIN, "u2", "editor", 1, set()),
        (None, "u2", "editor", 1, set()),
    ],
)
def test_who_may_change_or_remove_a_member(
    actor: Actor | None, member: str, role: str, owners: int, expected: set[str]
) -> None:
    assert set(member_actions(actor, "org", member, role, owners)) == expected


def test_the_last_owner_is_a_conflict_with_its_reason() -> None:
    allowed = member_actions(OWNER, "org", "u1", "owner", 1)
    for action in ("change_role", "remove"):
        refusal = allowed.refusal(action)
        assert refusal is not None and refusal.error is Conflict and refusal.code == "last-owner"
        assert refusal.reason.startswith("You are the organisation's last owner")
    other = member_actions(OTHER, "org", "u1", "owner", 1).refusal("remove")
    assert other is not None and other.error is Forbidden  # not owner comes first
