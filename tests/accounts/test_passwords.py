"""Passwords are hashed with Argon2id at RFC 9106's cost outside tests, and a change of
profile never locks anyone out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marketplace.accounts import passwords
from marketplace.settings import Settings


@pytest.fixture
def restore_profile() -> Iterator[None]:
    yield
    passwords.configure("CHEAPEST")  # the suite's own (tests/conftest.py)


def test_the_default_is_rfc_9106_low_memory(restore_profile: None) -> None:
    assert Settings(env="production", secret_key="x" * 32).password_hash_profile == (  # type: ignore[arg-type]
        "RFC_9106_LOW_MEMORY"
    )
    passwords.configure("RFC_9106_LOW_MEMORY")
    hashed = passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(hashed, "correct horse battery")
    assert not passwords.verify_password(hashed, "correct horse batterz")


def test_the_cheapest_profile_is_refused_outside_tests() -> None:
    with pytest.raises(ValueError, match="CHEAPEST is for test suites only"):
        Settings(env="production", secret_key="x" * 32, password_hash_profile="CHEAPEST")  # type: ignore[arg-type]
    assert Settings(env="test", password_hash_profile="CHEAPEST").password_hash_profile == (
        "CHEAPEST"
    )


def test_hashes_made_under_another_profile_still_verify(restore_profile: None) -> None:
    passwords.configure("RFC_9106_LOW_MEMORY")
    strong = passwords.hash_password("an older passphrase")
    passwords.configure("CHEAPEST")
    cheap = passwords.hash_password("a newer passphrase")
    assert "m=65536" not in cheap
    assert passwords.verify_password(strong, "an older passphrase")
    assert passwords.verify_password(cheap, "a newer passphrase")
    assert not passwords.verify_password(None, "an older passphrase")  # unknown account
