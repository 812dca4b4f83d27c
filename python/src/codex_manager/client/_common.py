"""What the sync and async clients share: validation mode, path/query helpers, configuration, hooks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .._version import __version__
from ..config import ClientConfig, resolve_connection
from ..errors import ApiError
from ..hooks import HookRegistry, RequestCall

if TYPE_CHECKING:
    from .._spec import OperationSpec


ValidationMode = Literal["typed-only", "off", "strict"]
_VALIDATION_ENV = "CODEX_MANAGER_PY_VALIDATION_MODE"
_VALIDATION_MODES = ("typed-only", "off", "strict")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CLIENT_HEADERS = {"x-codex-manager-client": "python", "user-agent": f"codex-manager-python/{__version__}"}

F = TypeVar("F", bound=Callable[..., Any])


def _validation_mode(value: str | None) -> ValidationMode:
    if value is None or not value.strip():
        return "typed-only"
    normalized = value.strip().lower()
    if normalized in _VALIDATION_MODES:
        return normalized  # type: ignore[return-value]
    raise ValueError(f"invalid validation_mode {value!r}; expected one of: typed-only, off, strict")


def _normalize_path(path: str, api_prefix: str) -> str:
    if not path:
        return ""
    normalized = path if path.startswith("/") else f"/{path}"
    prefix = api_prefix.rstrip("/")
    if prefix and normalized.startswith(prefix + "/"):
        return normalized[len(prefix) :]
    if prefix and normalized == prefix:
        return ""
    return normalized


def _expand(template: str, values: Mapping[str, Any] | None) -> str:
    if "{" not in template:
        return template
    from urllib.parse import quote

    out = template
    for name, value in (values or {}).items():
        if value is None or (isinstance(value, str) and not value):
            raise ValueError(f"path parameter {name} must be a non-empty value")
        out = out.replace("{" + name + "}", quote(str(value), safe=""))
    if "{" in out:
        raise ValueError(f"missing path parameters for {template}")
    return out


def _clean_query(query: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (query or {}).items() if v is not None}


def _status_of(error: Exception) -> int | None:
    return error.details.status_code if isinstance(error, ApiError) else None


class _Common:
    """What the sync and async clients share: configuration, hooks, decorators."""

    client_config: ClientConfig
    _hooks: HookRegistry
    _retryable: frozenset[str]
    _validation: ValidationMode

    def _setup(
        self,
        base_url: str | None,
        api_prefix: str,
        timeout_seconds: float,
        headers: Mapping[str, str] | None,
        retryable_operations: Iterable[str] | None,
        hook_registry: HookRegistry | None,
        validation_mode: ValidationMode | None,
    ) -> None:
        self.client_config = resolve_connection(base_url, api_prefix, timeout_seconds, dict(headers or {}))
        self._hooks = hook_registry or HookRegistry()
        self._retryable = frozenset(retryable_operations or ())
        self._validation = _validation_mode(
            validation_mode if validation_mode is not None else os.getenv(_VALIDATION_ENV)
        )

    @property
    def base_url(self) -> str:
        return self.client_config.base_url

    @property
    def validation_mode(self) -> ValidationMode:
        """``typed-only`` (the typed facade validates), ``off`` (nothing does), ``strict``
        (every call's response is also checked against its model)."""
        return self._validation

    @validation_mode.setter
    def validation_mode(self, value: ValidationMode) -> None:
        self._validation = _validation_mode(value)

    @property
    def hooks(self) -> HookRegistry:
        return self._hooks

    def _default_headers(self) -> dict[str, str]:
        return {**CLIENT_HEADERS, **self.client_config.headers}

    def _retry_allowed(self, call: RequestCall, idempotent: bool) -> bool:
        if idempotent:
            return True
        return "*" in self._retryable or bool(call.names & self._retryable)

    def _make_call(
        self,
        spec: OperationSpec,
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        body: Any,
        headers: Mapping[str, str] | None,
    ) -> RequestCall:
        return RequestCall(
            operation=spec.key,
            method=spec.method,
            path=_expand(spec.path, path),
            query=_clean_query(query),
            json_body=(body if body is not None else {}) if spec.has_body else None,
            headers=dict(headers or {}),
            operation_id=spec.operation_id,
            aliases=(*spec.aliases, *spec.legacy_keys),
        )

    # -- hooks ------------------------------------------------------------------------

    def before(self, operation: str = "*") -> Callable[[F], F]:
        """Decorator: run ``hook(call)`` before each matching request (may change ``call``)."""

        def decorator(func: F) -> F:
            self._hooks.add_before(operation, func)
            return func

        return decorator

    def after(self, operation: str = "*") -> Callable[[F], F]:
        """Decorator: run ``hook(call, response_body)`` after each matching success."""

        def decorator(func: F) -> F:
            self._hooks.add_after(operation, func)
            return func

        return decorator

    def on_error(self, operation: str = "*") -> Callable[[F], F]:
        """Decorator: run ``hook(call, error)`` when a matching request finally fails."""

        def decorator(func: F) -> F:
            self._hooks.add_error(operation, func)
            return func

        return decorator

    def use_middleware(self, middleware: object, *, operation: str = "*") -> None:
        """Register an object's ``before`` / ``after`` / ``on_error`` methods as hooks."""
        self._hooks.add_middleware(operation, middleware)

    # -- stream decorators --------------------------------------------------------------

    @property
    def _events(self) -> Any:
        return getattr(self, "stream")  # noqa: B009

    def on_event(self, event_type: str) -> Callable[[F], F]:
        return self._events.on_event(event_type)  # type: ignore[no-any-return]

    def on_event_prefix(self, prefix: str) -> Callable[[F], F]:
        return self._events.on_event_prefix(prefix)  # type: ignore[no-any-return]

    def on_app_server(self, normalized_method: str) -> Callable[[F], F]:
        return self._events.on_app_server(normalized_method)  # type: ignore[no-any-return]

    def on_app_server_request(self, normalized_method: str) -> Callable[[F], F]:
        return self._events.on_app_server_request(normalized_method)  # type: ignore[no-any-return]

    def on_turn_started(self) -> Callable[[F], F]:
        return self._events.on_turn_started()  # type: ignore[no-any-return]
