"""Small helpers that spare the light modules an `import inspect` (a costly import)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

__all__ = ["isawaitable", "iscoroutinefunction"]


def isawaitable(value: Any) -> bool:
    """Like ``inspect.isawaitable`` for the objects hooks and plugins return."""
    return isinstance(value, Awaitable)


def iscoroutinefunction(value: Any) -> bool:
    """Like ``inspect.iscoroutinefunction`` (imports inspect only when asked)."""
    import inspect

    return inspect.iscoroutinefunction(value)
