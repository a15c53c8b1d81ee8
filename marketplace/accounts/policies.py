"""Who may do what with an organisation, and what a platform admin may do: the one place
these rules are written. Pure functions of the actor (and the organisation); the services
enforce them, the pages and templates only read them."""

from __future__ import annotations

from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed, check, first
from marketplace.errors import Conflict, Forbidden, Unauthorized

# Every action `organisation_actions` decides, in the order the API would list them.
ACTIONS = ("edit", "see_members", "add_member", "manage_members", "verify")
# Every action `member_actions` decides (one membership), in the API's order.
MEMBER_ACTIONS = ("change_role", "remove")


def organisation_actions(actor: Actor | None, organisation_id: str) -> Allowed:
    """What this person may do with the organisation."""
    signed_in = check(actor is not None, Unauthorized, "Sign in to do this.")
    return Allowed(
        {
            "edit": first(
                signed_in,
                check(
                    actor is not None and actor.can_edit(organisation_id),
                    Forbidden,
                    "Only the organisation's owners and editors may change its profile.",
                ),
            ),
            "see_members": first(
                signed_in,
                check(
                    actor is not None and (actor.is_member(organisation_id) or actor.is_admin),
                    Forbidden,
                    "Only members see who belongs to an organisation.",
                ),
            ),
            "add_member": first(
                signed_in,
                check(
                    actor is not None and actor.is_owner(organisation_id),
                    Forbidden,
                    "Only the organisation's owners may add members.",
                ),
            ),
            "manage_members": first(
                signed_in,
                check(
                    actor is not None and actor.is_owner(organisation_id),
                    Forbidden,
                    "Only the organisation's owners may change roles or remove members.",
                ),
            ),
            "verify": first(
                signed_in,
                check(
                    actor is not None and actor.is_admin,
                    Forbidden,
                    "Only platform admins verify organisations.",
                ),
            ),
        }
    )


def member_actions(
    actor: Actor | None, organisation_id: str, member_user_id: str, member_role: str, owners: int
) -> Allowed:
    """What this person may do with one membership of the organisation, given how many
    owners it has now.

    Owners change roles and remove members; anyone may remove themselves (leave). An
    organisation always keeps an owner: its last owner can be neither demoted nor removed
    (nor leave), since nobody could then add members or manage it.
    """
    signed_in = check(actor is not None, Unauthorized, "Sign in to do this.")
    is_self = actor is not None and actor.user_id == member_user_id
    last_owner = member_role == "owner" and owners <= 1
    last_owner_reason = (
        "You are the organisation's last owner: make another member an owner first."
        if is_self
        else "This is the organisation's last owner: make another member an owner first."
    )
    keeps_an_owner = check(not last_owner, Conflict, last_owner_reason, code="last-owner")
    return Allowed(
        {
            "change_role": first(
                organisation_actions(actor, organisation_id).refusal("manage_members"),
                keeps_an_owner,
            ),
            "remove": first(
                signed_in,
                check(
                    actor is not None and (actor.is_owner(organisation_id) or is_self),
                    Forbidden,
                    "Only the organisation's owners may remove members; you may only leave.",
                ),
                keeps_an_owner,
            ),
        }
    )


def platform_actions(actor: Actor | None) -> Allowed:
    """What this person may do on the platform as a whole (the admin's queue)."""
    return Allowed(
        {
            "verification_queue": first(
                check(actor is not None, Unauthorized, "Sign in to do this."),
                check(
                    actor is not None and actor.is_admin,
                    Forbidden,
                    "Only platform admins see the verification queue.",
                ),
            ),
            "curate_standards": first(
                check(actor is not None, Unauthorized, "Sign in to do this."),
                check(
                    actor is not None and actor.is_admin,
                    Forbidden,
                    "Only platform admins curate the standards catalogue.",
                ),
            ),
        }
    )
