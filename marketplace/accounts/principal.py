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

    def role_in(self, organisation_id: str) -> str | None:
        return self.roles.get(organisation_id)

    def is_member(self, organisation_id: str) -> bool:
        return organisation_id in self.roles

    def can_edit(self, organisation_id: str) -> bool:
        return self.roles.get(organisation_id) in WRITE_ROLES

    def is_owner(self, organisation_id: str) -> bool:
        return self.roles.get(organisation_id) == "owner"
