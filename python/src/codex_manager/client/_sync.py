"""CodexManager: the synchronous client of the Codex Manager bridge."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import api as _api
from .._base import CallResult
from .._compat import isawaitable
from ..config import DEFAULT_API_PREFIX, DEFAULT_TIMEOUT_SECONDS, ClientConfig
from ..errors import TypedModelValidationError
from ..hooks import HookRegistry, RequestCall
from ..plugins import PluginRegistry
from ..transport import NO_BODY, SyncTransport
from ._common import _SAFE_METHODS, ValidationMode, _clean_query, _Common, _normalize_path, _status_of

if TYPE_CHECKING:
    import httpx

    from .._loop import LoopThread
    from .._spec import OperationSpec
    from ..protocols import (
        RetryPolicy,
        StreamRouter,
        SyncClientPlugin,
        SyncHeaderProvider,
        SyncRequestExecutor,
    )
    from ..remote_skills import RemoteSkillsFacade
    from ..scopes import SessionScope
    from ..stream import AsyncEventStream, SyncEventStream
    from ..typed import TypedCodexManagerFacade
    from ..wait import WaitApi


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
        from ..typed import TypedCodexManagerFacade

        return TypedCodexManagerFacade(self)

    @cached_property
    def remote_skills(self) -> RemoteSkillsFacade:
        """Python callables as a session's dynamic tools."""
        from ..remote_skills import RemoteSkillsFacade

        return RemoteSkillsFacade(self)

    @cached_property
    def loop_thread(self) -> LoopThread:
        """The private event loop (a daemon thread) the sync client runs stream work on."""
        from .._loop import LoopThread

        return LoopThread()

    @cached_property
    def async_stream(self) -> AsyncEventStream:
        """The stream machinery (asyncio) behind ``stream`` and the wait helpers."""
        from ..stream import AsyncEventStream

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
        from ..stream import SyncEventStream

        return SyncEventStream(self.async_stream)

    @cached_property
    def wait(self) -> WaitApi:
        """Wait helpers, driven by stream events (polling only as a fallback)."""
        from ..wait import WaitApi

        return WaitApi(self.sessions, stream=self.async_stream, loop=self.loop_thread)

    def session(self, session_id: str) -> SessionScope:
        """The operations of one session, with its id bound."""
        from ..scopes import SessionScope

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
                    from ..typed._runtime import parse_response_for_operation

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
