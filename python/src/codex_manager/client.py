"""The clients: :class:`CodexManager` (sync) and :class:`AsyncCodexManager` (async)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from . import api as _api
from ._base import CallResult
from ._compat import isawaitable, iscoroutinefunction
from ._version import __version__
from .config import DEFAULT_API_PREFIX, DEFAULT_TIMEOUT_SECONDS, ClientConfig, resolve_connection
from .errors import ApiError, TypedModelValidationError
from .hooks import HookRegistry, RequestCall
from .plugins import PluginRegistry
from .transport import NO_BODY, AsyncTransport, SyncTransport

if TYPE_CHECKING:
    import asyncio

    import httpx

    from ._loop import LoopThread
    from ._spec import OperationSpec
    from .protocols import (
        AsyncClientPlugin,
        AsyncHeaderProvider,
        AsyncRequestExecutor,
        RetryPolicy,
        StreamRouter,
        SyncClientPlugin,
        SyncHeaderProvider,
        SyncRequestExecutor,
    )
    from .remote_skills import AsyncRemoteSkillsFacade, RemoteSkillsFacade
    from .scopes import AsyncSessionScope, SessionScope
    from .stream import AsyncEventStream, SyncEventStream
    from .typed import AsyncTypedCodexManagerFacade, TypedCodexManagerFacade
    from .wait import AsyncWaitApi, WaitApi

__all__ = ["AsyncCodexManager", "CodexManager", "ValidationMode"]

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


class CodexManager(_Common):
    """Synchronous client of the Codex Manager bridge.

    With no ``base_url`` (and from ``from_env()`` / ``from_profile()`` when they name none) it
    connects to the newest running bridge registered for this user, with its token.

    Domains: ``system``, ``runtime``, ``apps``, ``skills``, ``models``, ``mcp``, ``account``,
    ``config``, ``feedback``, ``projects``, ``sessions``, ``approvals``, ``tool_input``,
    ``tool_calls``, ``orchestrator``, ``extensions``, ``raw``; plus ``typed`` (Pydantic
    models), ``stream``, ``wait``, ``remote_skills`` and ``session(id)``.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_prefix: str = DEFAULT_API_PREFIX,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        request_executor: SyncRequestExecutor | None = None,
        header_provider: SyncHeaderProvider | None = None,
        retry_policy: RetryPolicy | None = None,
        retryable_operations: Iterable[str] | None = None,
        hook_registry: HookRegistry | None = None,
        stream_router: StreamRouter | None = None,
        plugins: Iterable[SyncClientPlugin] | None = None,
        validation_mode: ValidationMode | None = None,
    ) -> None:
        self._setup(
            base_url, api_prefix, timeout_seconds, headers, retryable_operations, hook_registry, validation_mode
        )
        cfg = self.client_config
        self._owns_http = http_client is None
        if http_client is None:
            import httpx

            http_client = httpx.Client(
                base_url=cfg.base_url, timeout=cfg.timeout_seconds, headers=self._default_headers()
            )
        self._http = http_client
        self._transport = SyncTransport(http_client, cfg.api_prefix)
        self._executor: Any = request_executor or self._transport
        self._default_executor = request_executor is None
        self._header_provider = header_provider
        self._retry_policy = retry_policy
        self._closed = False

        self.system = _api.SystemApi(self)
        self.runtime = _api.RuntimeApi(self)
        self.apps = _api.AppsApi(self)
        self.skills = _api.SkillsApi(self)
        self.models = _api.ModelsApi(self)
        self.mcp = _api.McpApi(self)
        self.account = _api.AccountApi(self)
        self.config = _api.ConfigApi(self)
        self.feedback = _api.FeedbackApi(self)
        self.projects = _api.ProjectsApi(self)
        self.sessions = _api.SessionsApi(self)
        self.approvals = _api.ApprovalsApi(self)
        self.tool_input = _api.ToolInputApi(self)
        self.tool_calls = _api.ToolCallsApi(self)
        self.orchestrator = _api.OrchestratorApi(self)
        self.extensions = _api.ExtensionsApi(self)
        self.raw = _api.RawApi(self)
        self._stream_router = stream_router

        self._plugins = PluginRegistry()
        try:
            self._plugins.register(self, plugins or ())
            self._plugins.start()
        except BaseException:
            self._close_transport()
            raise

    @classmethod
    def from_env(cls, **kwargs: Any) -> CodexManager:
        """Settings from ``CODEX_MANAGER_*`` variables (discovery when no base URL is set)."""
        cfg = ClientConfig.from_env()
        return cls(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            timeout_seconds=cfg.timeout_seconds,
            headers={**cfg.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )

    @classmethod
    def from_profile(cls, profile: str | None = None, **kwargs: Any) -> CodexManager:
        """Settings from a CLI profile (``$XDG_CONFIG_HOME/codex-manager/cli/config.json``)."""
        cfg = ClientConfig.from_profile(profile)
        return cls(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            timeout_seconds=cfg.timeout_seconds,
            headers={**cfg.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )

    @cached_property
    def typed(self) -> TypedCodexManagerFacade:
        """Every operation with Pydantic request/response models (loads Pydantic on first use)."""
        from .typed import TypedCodexManagerFacade

        return TypedCodexManagerFacade(self)

    @cached_property
    def remote_skills(self) -> RemoteSkillsFacade:
        """Python callables as a session's dynamic tools."""
        from .remote_skills import RemoteSkillsFacade

        return RemoteSkillsFacade(self)

    @cached_property
    def loop_thread(self) -> LoopThread:
        """The private event loop (a daemon thread) the sync client runs stream work on."""
        from ._loop import LoopThread

        return LoopThread()

    @cached_property
    def async_stream(self) -> AsyncEventStream:
        """The stream machinery (asyncio) behind ``stream`` and the wait helpers."""
        from .stream import AsyncEventStream

        cfg = self.client_config
        return AsyncEventStream(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            headers=self._default_headers(),
            header_provider=self._header_provider,
            router=self._stream_router,
        )

    @cached_property
    def stream(self) -> SyncEventStream:
        """Event handlers (``@cm.stream.on_event(...)``) and ``run_forever()``."""
        from .stream import SyncEventStream

        return SyncEventStream(self.async_stream)

    @cached_property
    def wait(self) -> WaitApi:
        """Wait helpers, driven by stream events (polling only as a fallback)."""
        from .wait import WaitApi

        return WaitApi(self.sessions, stream=self.async_stream, loop=self.loop_thread)

    def session(self, session_id: str) -> SessionScope:
        """The operations of one session, with its id bound."""
        from .scopes import SessionScope

        return SessionScope(self, session_id)

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Stop plugins (reverse order), the stream and the HTTP client. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._plugins.stop()
        finally:
            try:
                if "stream" in self.__dict__:
                    self.stream.stop(timeout=5)
            finally:
                if "loop_thread" in self.__dict__:
                    self.loop_thread.close()
                self._close_transport()

    def _close_transport(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> CodexManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------

    def call_operation(
        self,
        spec: OperationSpec,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
        _validated: bool = False,
    ) -> CallResult:
        """Call one operation of the table (what every domain method does)."""
        call = self._make_call(spec, path, query, body, headers)
        allow = tuple(allow_statuses) if allow_statuses is not None else spec.default_allow
        check = spec.key if self._validation == "strict" and not _validated else None
        return self._execute(call, allow, spec.idempotent, check)

    def _raw(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        query: Mapping[str, Any] | None,
        body: Any,
        headers: Mapping[str, str] | None,
        allow_statuses: Iterable[int] | None,
    ) -> CallResult:
        call = RequestCall(
            operation=operation,
            method=method.upper(),
            path=_normalize_path(path, self.client_config.api_prefix),
            query=_clean_query(query),
            json_body=body,
            headers=dict(headers or {}),
        )
        return self._execute(call, tuple(allow_statuses or ()), call.method in _SAFE_METHODS, None)

    def _request_headers(self, call: RequestCall) -> dict[str, str]:
        merged: dict[str, str] = {} if self._owns_http else self._default_headers()
        if self._header_provider is not None:
            extra = self._header_provider.headers()
            if isawaitable(extra):
                raise TypeError("the sync client needs a sync header_provider")
            merged.update(extra or {})
        merged.update(call.headers or {})
        return merged

    def _send(self, call: RequestCall, allow: tuple[int, ...]) -> CallResult:
        headers = self._request_headers(call)
        if self._default_executor:
            return self._transport.send(
                operation=call.operation,
                method=call.method,
                path=call.path,
                query=call.query,
                json_body=NO_BODY if call.json_body is None else call.json_body,
                headers=headers,
                allow_statuses=allow,
            )
        body = self._executor.request(
            operation=call.operation,
            method=call.method,
            path=call.path,
            query=call.query,
            json_body=call.json_body,
            headers=headers or None,
            allow_statuses=allow,
        )
        return CallResult(None, body)

    def _execute(self, call: RequestCall, allow: tuple[int, ...], idempotent: bool, check: str | None) -> CallResult:
        self._hooks.run_before(call)
        attempt = 1
        while True:
            call.attempt = attempt
            try:
                result = self._send(call, allow)
                if check is not None:
                    from .typed._runtime import parse_response_for_operation

                    parse_response_for_operation(check, result.body, status_code=result.status_code)
                self._hooks.run_after(call, result.body)
                return result
            except TypedModelValidationError as error:
                self._hooks.run_error(call, error)
                raise
            except Exception as error:
                policy = self._retry_policy
                if policy is not None and self._retry_allowed(call, idempotent):
                    try:
                        again = policy.should_retry(attempt=attempt, error=error, status_code=_status_of(error))
                        delay = policy.next_delay_seconds(attempt=attempt) if again else 0.0
                    except Exception as policy_error:
                        self._hooks.run_error(call, policy_error)
                        raise
                    if again:
                        if delay > 0:
                            time.sleep(delay)
                        attempt += 1
                        continue
                self._hooks.run_error(call, error)
                raise


class AsyncCodexManager(_Common):
    """Asynchronous client of the Codex Manager bridge (``async with AsyncCodexManager() as acm``).

    The same domains as :class:`CodexManager`, with coroutine methods.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_prefix: str = DEFAULT_API_PREFIX,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        request_executor: AsyncRequestExecutor | None = None,
        header_provider: AsyncHeaderProvider | None = None,
        retry_policy: RetryPolicy | None = None,
        retryable_operations: Iterable[str] | None = None,
        hook_registry: HookRegistry | None = None,
        stream_router: StreamRouter | None = None,
        plugins: Iterable[AsyncClientPlugin] | None = None,
        validation_mode: ValidationMode | None = None,
    ) -> None:
        self._setup(
            base_url, api_prefix, timeout_seconds, headers, retryable_operations, hook_registry, validation_mode
        )
        cfg = self.client_config
        self._owns_http = http_client is None
        if http_client is None:
            import httpx

            http_client = httpx.AsyncClient(
                base_url=cfg.base_url, timeout=cfg.timeout_seconds, headers=self._default_headers()
            )
        self._http = http_client
        self._transport = AsyncTransport(http_client, cfg.api_prefix)
        self._executor: Any = request_executor or self._transport
        self._default_executor = request_executor is None
        self._header_provider = header_provider
        self._retry_policy = retry_policy
        self._closed = False
        self._closing: asyncio.Task[None] | None = None

        self.system = _api.AsyncSystemApi(self)
        self.runtime = _api.AsyncRuntimeApi(self)
        self.apps = _api.AsyncAppsApi(self)
        self.skills = _api.AsyncSkillsApi(self)
        self.models = _api.AsyncModelsApi(self)
        self.mcp = _api.AsyncMcpApi(self)
        self.account = _api.AsyncAccountApi(self)
        self.config = _api.AsyncConfigApi(self)
        self.feedback = _api.AsyncFeedbackApi(self)
        self.projects = _api.AsyncProjectsApi(self)
        self.sessions = _api.AsyncSessionsApi(self)
        self.approvals = _api.AsyncApprovalsApi(self)
        self.tool_input = _api.AsyncToolInputApi(self)
        self.tool_calls = _api.AsyncToolCallsApi(self)
        self.orchestrator = _api.AsyncOrchestratorApi(self)
        self.extensions = _api.AsyncExtensionsApi(self)
        self.raw = _api.AsyncRawApi(self)
        self._stream_router = stream_router

        self._plugins = PluginRegistry()
        try:
            self._plugins.register(self, plugins or ())
            # Sync start() methods run now (as codex-manager did); a plugin with an async
            # start() defers all starts to `async with` / `await start()`, in order.
            if not any(iscoroutinefunction(getattr(p, "start", None)) for p in self._plugins.plugins):
                self._plugins.start()
        except BaseException:
            self._close_transport_soon()
            raise

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncCodexManager:
        cfg = ClientConfig.from_env()
        return cls(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            timeout_seconds=cfg.timeout_seconds,
            headers={**cfg.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )

    @classmethod
    def from_profile(cls, profile: str | None = None, **kwargs: Any) -> AsyncCodexManager:
        cfg = ClientConfig.from_profile(profile)
        return cls(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            timeout_seconds=cfg.timeout_seconds,
            headers={**cfg.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )

    @cached_property
    def typed(self) -> AsyncTypedCodexManagerFacade:
        from .typed import AsyncTypedCodexManagerFacade

        return AsyncTypedCodexManagerFacade(self)

    @cached_property
    def remote_skills(self) -> AsyncRemoteSkillsFacade:
        from .remote_skills import AsyncRemoteSkillsFacade

        return AsyncRemoteSkillsFacade(self)

    @cached_property
    def stream(self) -> AsyncEventStream:
        """Event handlers (``@acm.stream.on_event(...)``) and ``await run_forever()``."""
        from .stream import AsyncEventStream

        cfg = self.client_config
        return AsyncEventStream(
            base_url=cfg.base_url,
            api_prefix=cfg.api_prefix,
            headers=self._default_headers(),
            header_provider=self._header_provider,
            router=self._stream_router,
        )

    @cached_property
    def wait(self) -> AsyncWaitApi:
        """Wait helpers, driven by stream events (polling only as a fallback)."""
        from .wait import AsyncWaitApi

        return AsyncWaitApi(self.sessions, stream=self.stream)

    def session(self, session_id: str) -> AsyncSessionScope:
        from .scopes import AsyncSessionScope

        return AsyncSessionScope(self, session_id)

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        """Start plugins with an async ``start()`` (``async with`` does it)."""
        await self._plugins.start_async()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._plugins.stop_async()
        finally:
            if "stream" in self.__dict__:
                self.stream.stop()
            if self._owns_http:
                await self._http.aclose()

    aclose = close

    def _close_transport_soon(self) -> None:
        if not self._owns_http:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self._http.aclose())
        else:
            self._closing = loop.create_task(self._http.aclose())

    async def __aenter__(self) -> AsyncCodexManager:
        try:
            await self.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- requests ---------------------------------------------------------------------

    async def call_operation(
        self,
        spec: OperationSpec,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
        _validated: bool = False,
    ) -> CallResult:
        call = self._make_call(spec, path, query, body, headers)
        allow = tuple(allow_statuses) if allow_statuses is not None else spec.default_allow
        check = spec.key if self._validation == "strict" and not _validated else None
        return await self._execute(call, allow, spec.idempotent, check)

    async def _raw(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        query: Mapping[str, Any] | None,
        body: Any,
        headers: Mapping[str, str] | None,
        allow_statuses: Iterable[int] | None,
    ) -> CallResult:
        call = RequestCall(
            operation=operation,
            method=method.upper(),
            path=_normalize_path(path, self.client_config.api_prefix),
            query=_clean_query(query),
            json_body=body,
            headers=dict(headers or {}),
        )
        return await self._execute(call, tuple(allow_statuses or ()), call.method in _SAFE_METHODS, None)

    async def _request_headers(self, call: RequestCall) -> dict[str, str]:
        merged: dict[str, str] = {} if self._owns_http else self._default_headers()
        if self._header_provider is not None:
            extra: Any = self._header_provider.headers()
            if isawaitable(extra):
                extra = await extra
            merged.update(extra or {})
        merged.update(call.headers or {})
        return merged

    async def _send(self, call: RequestCall, allow: tuple[int, ...]) -> CallResult:
        headers = await self._request_headers(call)
        if self._default_executor:
            return await self._transport.send(
                operation=call.operation,
                method=call.method,
                path=call.path,
                query=call.query,
                json_body=NO_BODY if call.json_body is None else call.json_body,
                headers=headers,
                allow_statuses=allow,
            )
        body = self._executor.request(
            operation=call.operation,
            method=call.method,
            path=call.path,
            query=call.query,
            json_body=call.json_body,
            headers=headers or None,
            allow_statuses=allow,
        )
        if isawaitable(body):
            body = await body
        return CallResult(None, body)

    async def _execute(
        self, call: RequestCall, allow: tuple[int, ...], idempotent: bool, check: str | None
    ) -> CallResult:
        await self._hooks.run_before_async(call)
        attempt = 1
        while True:
            call.attempt = attempt
            try:
                result = await self._send(call, allow)
                if check is not None:
                    from .typed._runtime import parse_response_for_operation

                    parse_response_for_operation(check, result.body, status_code=result.status_code)
                await self._hooks.run_after_async(call, result.body)
                return result
            except TypedModelValidationError as error:
                await self._hooks.run_error_async(call, error)
                raise
            except Exception as error:
                policy = self._retry_policy
                if policy is not None and self._retry_allowed(call, idempotent):
                    try:
                        again = policy.should_retry(attempt=attempt, error=error, status_code=_status_of(error))
                        delay = policy.next_delay_seconds(attempt=attempt) if again else 0.0
                    except Exception as policy_error:
                        await self._hooks.run_error_async(call, policy_error)
                        raise
                    if again:
                        if delay > 0:
                            import asyncio

                            await asyncio.sleep(delay)
                        attempt += 1
                        continue
                await self._hooks.run_error_async(call, error)
                raise
