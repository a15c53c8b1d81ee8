"""Password hashing (Argon2id) and the strength rule applied at sign-up."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from marketplace.errors import Invalid
from marketplace.settings import PasswordProfile as Profile

# argon2-cffi's parameter profiles. RFC 9106's low-memory one (64 MiB, 3 passes) is the
# default; CHEAPEST exists for test suites, where a third of a second per account made
# account set-up most of the suite's time (settings refuse it outside env=test).
DEFAULT_PROFILE: Profile = "RFC_9106_LOW_MEMORY"


def _hasher_for(profile: Profile) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


_hasher = _hasher_for(DEFAULT_PROFILE)
MIN_LENGTH = 10
_COMMON = frozenset(
    {
        "password123",
        "password1234",
        "qwertyuiop",
        "1234567890",
        "12345678910",
        "iloveyou123",
        "letmein1234",
        "administrator",
        "welcome1234",
        "passw0rd123",
    }
)
# A hash verified against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-the-same-cost")


def configure(profile: Profile) -> None:
    """Hash new passwords with this profile (from `MARKETPLACE_PASSWORD_HASH_PROFILE`).
    Existing hashes carry their own parameters and keep verifying."""
    global _hasher, _DUMMY_HASH
    wanted = _hasher_for(profile)
    if _parameters(_hasher) == _parameters(wanted):
        return
    _hasher = wanted
    _DUMMY_HASH = _hasher.hash("not-a-real-password-but-the-same-cost")


def _parameters(hasher: PasswordHasher) -> tuple[int, int, int, int]:
    return hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str, email: str) -> None:
    problem = None
    if len(password) < MIN_LENGTH:
        raise Invalid.field("password", "must be at least %(min)s characters long", min=MIN_LENGTH)
    elif password.lower() in _COMMON or len(set(password)) < 5:
        problem = "is too easy to guess; use a longer phrase"
    elif len(local := email.split("@")[0].lower()) >= 3 and local in password.lower():
        problem = "must not contain your email address"
    if problem:
        raise Invalid.field("password", problem)
