"""A ready-made retry policy (pass it as ``retry_policy=``).

The client only asks a policy about idempotent operations (reads), and about others
named in ``retryable_operations``; a policy never sees a non-idempotent call otherwise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .errors import TransportError

__all__ = ["ExponentialBackoff"]


@dataclass(slots=True)
class ExponentialBackoff:
    """Retry transport failures and 429/502/503/504 answers with exponential backoff."""

    max_attempts: int = 3
    base_delay_seconds: float = 0.2
    max_delay_seconds: float = 5.0
    #: Up to this fraction of the delay is added at random (spreads out retry storms).
    jitter: float = 0.1
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 502, 503, 504}))
    retry_transport_errors: bool = True

    def should_retry(self, *, attempt: int, error: Exception | None, status_code: int | None) -> bool:
        if attempt >= self.max_attempts:
            return False
        if status_code is not None:
            return status_code in self.retry_statuses
        return self.retry_transport_errors and isinstance(error, TransportError)

    def next_delay_seconds(self, *, attempt: int) -> float:
        delay = min(self.base_delay_seconds * float(2 ** max(0, attempt - 1)), self.max_delay_seconds)
        return delay + delay * self.jitter * random.random()
