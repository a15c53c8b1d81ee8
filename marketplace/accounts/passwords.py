"""Password hashing (Argon2id) and the strength rule applied at sign-up."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from marketplace.errors import Invalid

_hasher = PasswordHasher()
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
        problem = f"must be at least {MIN_LENGTH} characters long"
    elif password.lower() in _COMMON or len(set(password)) < 5:
        problem = "is too easy to guess; use a longer phrase"
    elif len(local := email.split("@")[0].lower()) >= 3 and local in password.lower():
        problem = "must not contain your email address"
    if problem:
        raise Invalid.field("password", problem)
