"""The acting principal that every service receives: who, and in which organisations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

WRITE_ROLES = frozenset({"owner", "editor"})


@dataclass(frozen=True)
class Actor:
    user_id: str
    email: str
    name: str
    is_admin: bool = False
    roles: Mapping[str, str] = field(default_factory=dict)  # organisation id -> role
    # organisation id -> kind (sme, city, funder), so policies decide "an editor of a city"
    # without a query.
    kinds: Mapping[str, str] = field(default_factory=dict)
    # The language the person chose (en, fr, de), None when they chose none.
    locale: str | None = None
    email_verified: bool = False

    @property
    def audience(self) -> frozenset[str]:
        """Who this person is for navigation (`NavItem.audience`): the kinds of their
        organisations, "signed_in", and "admin" for platform admins."""
        return (
            frozenset(self.kinds.values())
            | {"signed_in"}
            | ({"admin"} if self.is_admin else frozenset())
        )

    def role_in(self, organisation_id: str) -> str | None:
        return self.roles.get(organisation_id)

    def is_member(self, organisation_id: str) -> bool:
        return organisation_id in self.roles

    def can_edit(self, organisation_id: str) -> bool:
        return self.roles.get(organisation_id) in WRITE_ROLES

    def is_owner(self, organisation_id: str) -> bool:
        return self.roles.get(organisation_id) == "owner"

    def editable(self, kind: str) -> list[str]:
        """The organisations of that kind this person may act for."""
        return [o for o in self.roles if self.can_edit(o) and self.kinds.get(o) == kind]
