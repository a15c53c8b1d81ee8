"""Standards tests reuse the SME fixtures of the listings tests."""

from tests.listings.conftest import other_sme, sme

__all__ = ["other_sme", "sme"]
