"""AsyncCodexManager: the asynchronous client of the Codex Manager bridge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import api as _api
from .._base import CallResult
from .._compat import isawaitable, iscoroutinefunction
from ..config import DEFAULT_API_PREFIX, DEFAULT_TIMEOUT_SECONDS, ClientConfig
from ..errors import TypedModelValidationError
from ..hooks import HookRegistry, RequestCall
from ..plugins import PluginRegistry
from ..transport import NO_BODY, AsyncTransport
from ._common import _SAFE_METHODS, ValidationMode, _clean_query, _Common, _normalize_path, _status_of

if TYPE_CHECKING:
    import asyncio

    import httpx

    from .._spec import OperationSpec
    from ..protocols import (
        AsyncClientPlugin,
        AsyncHeaderProvider,
        AsyncRequestExecutor,
        RetryPolicy,
        StreamRouter,
    )
    from ..remote_skills import AsyncRemoteSkillsFacade
    from ..scopes import AsyncSessionScope
    from ..stream import AsyncEventStream
    from ..typed import AsyncTypedCodexManagerFacade
    from ..wait import AsyncWaitApi


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
        from ..typed import AsyncTypedCodexManagerFacade

        return AsyncTypedCodexManagerFacade(self)

    @cached_property
    def remote_skills(self) -> AsyncRemoteSkillsFacade:
        from ..remote_skills import AsyncRemoteSkillsFacade

        return AsyncRemoteSkillsFacade(self)

    @cached_property
    def stream(self) -> AsyncEventStream:
        """Event handlers (``@acm.stream.on_event(...)``) and ``await run_forever()``."""
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
    def wait(self) -> AsyncWaitApi:
        """Wait helpers, driven by stream events (polling only as a fallback)."""
        from ..wait import AsyncWaitApi

        return AsyncWaitApi(self.sessions, stream=self.stream)

    def session(self, session_id: str) -> AsyncSessionScope:
        from ..scopes import AsyncSessionScope

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
                    from ..typed._runtime import parse_response_for_operation

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
