"""Sign-in rate limit policy: failed attempts counted per account from one address, per
address across accounts (password spraying) and per account from anywhere (a guess spread
over many addresses). Past any limit the next attempt is refused with 429 before the
password is even checked, so a correct guess does not help either.

The counters live in the rate-limit store (memory for the embedded default, Redis for
several workers), so every worker sees the same failures.
"""

from __future__ import annotations

import hashlib

from marketplace.core.stores import RateLimiter, Window
from marketplace.settings import Settings

WHAT = "failed sign-ins"


def _account(email: str) -> str:
    # Counters are keyed by a digest: no addresses in the shared store.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class SignInThrottle:
    def __init__(self, limiter: RateLimiter, settings: Settings) -> None:
        self.limiter = limiter
        window = settings.login_window_seconds
        self.pair = Window(settings.login_max_failures, window)
        self.address = Window(settings.login_max_failures_per_address, window)
        self.account = Window(settings.login_max_failures_per_account, window)

    def _keys(self, email: str, address: str) -> list[tuple[str, str, Window]]:
        account = _account(email)
        return [
            ("signin-pair", f"{address}|{account}", self.pair),
            ("signin-address", address, self.address),
            ("signin-account", account, self.account),
        ]

    async def check(self, email: str, address: str) -> None:
        for bucket, identity, window in self._keys(email, address):
            await self.limiter.check(bucket, identity, window, WHAT)

    async def failed(self, email: str, address: str) -> None:
        for bucket, identity, window in self._keys(email, address):
            await self.limiter.add(bucket, identity, window)

    async def succeeded(self, email: str, address: str) -> None:
        """The person got in from here: their own mistakes from this address are forgiven.
        The address and account totals stay, or a sprayer could reset them with one
        account of their own."""
        bucket, identity, window = self._keys(email, address)[0]
        await self.limiter.reset(bucket, identity, window)
