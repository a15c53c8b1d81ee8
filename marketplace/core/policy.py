"""What a person may do with a record, decided once.

Each aggregate has a policy (`marketplace/<pkg>/policies.py`): a pure function that, for an
actor, the record and `now`, returns an `Allowed` naming every action it knows and, for each
refused one, the reason. Services enforce it (`allowed.require("cancel")` raises the
refusal's error); pages and templates only read it (`"cancel" in actions`); the JSON API
lists `allowed.names` as the record's `actions`. So a rule is written once, and a page can
no longer hide a button the API would accept, or show one it would refuse.

A policy is written as a table of actions, each a list of checks in the order they are
tried; the first failing check is the refusal:

    Allowed({
        "cancel": first(
            check(lead, Forbidden, "Only editors of the lead buyer may do this."),
            check(not awarded, Conflict, "A lot has already been awarded; ..."),
        ),
    })
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from marketplace.errors import DomainError, FieldError, Forbidden


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused, and the error a service raises for it. `code` names a
    refusal that callers must tell apart from others of the same error class (the tender
    seal, whose refusals are also written to the audit trail)."""

    reason: str
    error: type[DomainError] = Forbidden
    code: str | None = None
    # The input field the refusal is about, when a form or request body names the party
    # acting (the organisation a response is submitted for).
    field: str | None = None

    def exception(self) -> DomainError:
        if self.field is not None:
            return self.error(
                f"{self.field}: {self.reason}",
                [FieldError(self.field, self.reason)],
                code=self.code,
            )
        return self.error(self.reason, code=self.code)


def check(
    ok: bool,
    error: type[DomainError],
    reason: str,
    code: str | None = None,
    field: str | None = None,
) -> Refusal | None:
    """`None` (nothing against) when `ok`, otherwise the refusal."""
    return None if ok else Refusal(reason, error, code, field)


def first(*checks: Refusal | None) -> Refusal | None:
    """The first refusal among the checks, tried in order; `None` when all pass."""
    return next((c for c in checks if c is not None), None)


@dataclass(frozen=True)
class Allowed:
    """The verdict of one policy on every action it knows: `None` for allowed, else why not.

    An action the policy does not know is refused: asking for a misspelt action must fail
    loudly in a service rather than allow silently.
    """

    verdicts: Mapping[str, Refusal | None] = field(default_factory=dict)

    def __contains__(self, action: object) -> bool:
        return isinstance(action, str) and action in self.verdicts and not self.verdicts[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    @property
    def names(self) -> list[str]:
        """The allowed actions, in the policy's order (what the API lists as `actions`)."""
        return [action for action, refusal in self.verdicts.items() if refusal is None]

    def refusal(self, action: str) -> Refusal | None:
        if action not in self.verdicts:
            raise KeyError(f"the policy knows no action {action!r}")
        return self.verdicts[action]

    def reason(self, action: str) -> str | None:
        """Why the action is refused (for a page that explains a missing button)."""
        refusal = self.refusal(action)
        return refusal.reason if refusal else None

    def require(self, action: str) -> None:
        """Raise the refusal's error unless the action is allowed."""
        refusal = self.refusal(action)
        if refusal is not None:
            raise refusal.exception()


def require(allowed: Allowed, action: str) -> None:
    allowed.require(action)
