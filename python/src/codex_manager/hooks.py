"""Request hooks and middleware, keyed by operation name (``sessions.create``).

A hook key is ``"*"`` (every call), an operation key (``sessions.send_message``), its
operationId (``sendSessionMessage``), or a glob (``sessions.*``). For one call the hooks run
in a fixed order: wildcard and glob hooks first, then exact ones, each group in the order
they were added.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from ._compat import isawaitable

__all__ = ["AfterHook", "BeforeHook", "ErrorHook", "HookRegistry", "RequestCall"]


@dataclass(slots=True)
class RequestCall:
    """One call as hooks see it; ``before`` hooks may change it (headers, query, body)."""

    operation: str
    method: str
    path: str
    query: dict[str, Any] | None = None
    json_body: Any | None = None
    headers: dict[str, str] | None = None
    #: The API's operationId (``sendSessionMessage``); empty for raw requests.
    operation_id: str = ""
    #: 1 for the first try, then 2, 3, ... for retries.
    attempt: int = 1
    #: Free space for hooks to pass data from ``before`` to ``after``/``on_error``.
    context: dict[str, Any] = field(default_factory=dict)
    #: Other names of the operation hooks may be keyed by (aliases, codex-manager's keys).
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {self.operation, self.operation_id, *self.aliases} - {""}


BeforeHook = Callable[[RequestCall], Awaitable[None] | None]
AfterHook = Callable[[RequestCall, Any], Awaitable[None] | None]
ErrorHook = Callable[[RequestCall, Exception], Awaitable[None] | None]


def _is_pattern(key: str) -> bool:
    return any(ch in key for ch in "*?[")


class HookRegistry:
    """Ordered before/after/error hooks. Shared by sync and async clients."""

    def __init__(self) -> None:
        self._before: list[tuple[str, BeforeHook]] = []
        self._after: list[tuple[str, AfterHook]] = []
        self._error: list[tuple[str, ErrorHook]] = []

    def add_before(self, operation: str, hook: BeforeHook) -> None:
        self._before.append((operation, hook))

    def add_after(self, operation: str, hook: AfterHook) -> None:
        self._after.append((operation, hook))

    def add_error(self, operation: str, hook: ErrorHook) -> None:
        self._error.append((operation, hook))

    def add_middleware(self, operation: str, middleware: object) -> None:
        """Register an object's ``before`` / ``after`` / ``on_error`` methods (those it has)."""
        found = False
        for name, add in (("before", self.add_before), ("after", self.add_after), ("on_error", self.add_error)):
            hook = getattr(middleware, name, None)
            if hook is not None:
                if not callable(hook):
                    raise TypeError(f"middleware attribute {name} is not callable")
                add(operation, hook)
                found = True
        if not found:
            raise TypeError("middleware must define before(), after() or on_error()")

    def remove(self, hook: Callable[..., Any]) -> int:
        """Remove every registration of ``hook``; returns how many were removed."""
        before = [(k, h) for k, h in self._before if h is not hook]
        after = [(k, h) for k, h in self._after if h is not hook]
        error = [(k, h) for k, h in self._error if h is not hook]
        count = len(self._before) + len(self._after) + len(self._error) - len(before) - len(after) - len(error)
        self._before, self._after, self._error = before, after, error
        return count

    @staticmethod
    def _match(registry: list[tuple[str, Any]], call: RequestCall) -> list[Any]:
        names = call.names
        wild = [h for k, h in registry if k == "*" or (_is_pattern(k) and any(fnmatchcase(n, k) for n in names))]
        exact = [h for k, h in registry if k in names and not _is_pattern(k)]
        return [*wild, *exact]

    # sync ---------------------------------------------------------------------------

    @staticmethod
    def _run_sync(result: Any, what: str) -> None:
        if isawaitable(result):
            close = getattr(result, "close", None)
            if callable(close):
                close()
            raise TypeError(f"the sync client cannot run async {what} hooks (use AsyncCodexManager)")

    def run_before(self, call: RequestCall) -> None:
        for hook in self._match(self._before, call):
            self._run_sync(hook(call), "before")

    def run_after(self, call: RequestCall, response: Any) -> None:
        for hook in self._match(self._after, call):
            self._run_sync(hook(call, response), "after")

    def run_error(self, call: RequestCall, error: Exception) -> None:
        for hook in self._match(self._error, call):
            self._run_sync(hook(call, error), "error")

    # async --------------------------------------------------------------------------

    async def run_before_async(self, call: RequestCall) -> None:
        for hook in self._match(self._before, call):
            result = hook(call)
            if isawaitable(result):
                await result

    async def run_after_async(self, call: RequestCall, response: Any) -> None:
        for hook in self._match(self._after, call):
            result = hook(call, response)
            if isawaitable(result):
                await result

    async def run_error_async(self, call: RequestCall, error: Exception) -> None:
        for hook in self._match(self._error, call):
            result = hook(call, error)
            if isawaitable(result):
                await result
