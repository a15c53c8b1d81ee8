"""Sign-in rate limit: repeated failures for one address from one client get 429.

Kept in memory for the embedded default (one process); a multi-worker deployment would
put the same counters in Redis behind this interface.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

from marketplace.errors import RateLimited


class LoginThrottle:
    def __init__(self, max_failures: int, window_seconds: int) -> None:
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)

    @staticmethod
    def key(email: str, client: str) -> str:
        return f"{client}|{email.strip().lower()}"

    def check(self, key: str, now: datetime) -> None:
        failures = self._recent(key, now)
        if len(failures) >= self.max_failures:
            retry = int((failures[0] + self.window - now).total_seconds()) + 1
            raise RateLimited(
                f"Too many failed sign-ins. Try again in {retry} seconds.", retry_after=retry
            )

    def failed(self, key: str, now: datetime) -> None:
        self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures[key]
        while failures and failures[0] + self.window <= now:
            failures.popleft()
        return failures
