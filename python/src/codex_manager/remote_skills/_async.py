"""AsyncRemoteSkillSession: one session's remote skills for the async client."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import ApiError, TransportError, WaitTimeoutError
from ..models import AppServerSignal, StreamEvent
from ._catalog import _CatalogMixin, _name
from ._listener import _AsyncListener
from ._types import (
    _CATALOG_LOCKED,
    _CONNECT_TIMEOUT,
    _DEFAULT_RETRY_DELAY,
    _DEFAULT_SUBMIT_ATTEMPTS,
    _SAFETY_POLL,
    _TOOL_CALL_SIGNAL,
    RemoteSkillDispatch,
    RemoteSkillHandler,
    RemoteSkillSendResult,
    ToolCall,
    _log,
    _Registry,
    _Submission,
)
from ._wire import (
    _call_arguments,
    _classify,
    _detail_reply,
    _error_payload,
    _finalize,
    _parse_pending,
    _parse_signal,
    _response_payload,
    _rows,
    _skipped,
    _statuses,
    _turn_id,
)

if TYPE_CHECKING:
    from ..client import AsyncCodexManager


class AsyncRemoteSkillSession(_CatalogMixin):
    """The remote skills of one session, for :class:`~codex_manager.AsyncCodexManager`.

    Async handlers are awaited; sync ones run in a worker thread.
    """

    def __init__(self, *, client: AsyncCodexManager, session_id: str, registry: _Registry) -> None:
        self._client = client
        self.session_id = session_id
        self._registry = registry

    @contextlib.asynccontextmanager
    async def using(
        self,
        name: str,
        handler: RemoteSkillHandler,
        *,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
        sync_runtime_on_exit: bool = False,
        ignore_sync_errors: bool = True,
    ) -> AsyncIterator[AsyncRemoteSkillSession]:
        if sync_runtime_on_exit:
            raise RuntimeError(_CATALOG_LOCKED)
        self.register(name, handler, description=description, input_schema=input_schema, output_schema=output_schema)
        try:
            yield self
        finally:
            self.unregister(name, ignore_sync_errors=ignore_sync_errors)

    async def dispatch_tool_call(
        self,
        *,
        tool: str,
        arguments: Any = None,
        request_id: str | int | None = None,
        call_id: str | None = None,
        turn_id: str | None = None,
    ) -> RemoteSkillDispatch:
        name = _name(tool)
        skill = self._registry.skills.get(name)
        rid = None if request_id is None else str(request_id)
        if skill is None:
            return self._missing(name, arguments, rid, call_id)
        call = ToolCall(self.session_id, name, arguments, rid, call_id, turn_id)
        try:
            args, kwargs = _call_arguments(skill.handler, arguments, call)
            if inspect.iscoroutinefunction(skill.handler):
                result = await skill.handler(*args, **kwargs)
            else:
                result = await asyncio.to_thread(skill.handler, *args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
            return RemoteSkillDispatch(
                handled=True,
                tool=name,
                arguments=arguments,
                request_id=rid,
                call_id=call_id,
                response_payload=_response_payload(result),
                result=result,
                turn_id=turn_id,
            )
        except Exception as error:
            _log.warning("remote skill %s failed: %r", name, error)
            return RemoteSkillDispatch(
                handled=False,
                tool=name,
                arguments=arguments,
                request_id=rid,
                call_id=call_id,
                response_payload=_error_payload(name, error),
                error=str(error),
                turn_id=turn_id,
            )

    async def dispatch_app_server_signal(self, signal: AppServerSignal) -> RemoteSkillDispatch | None:
        if not self.matches_signal(signal):
            return None
        tool, arguments, call_id = _parse_signal(signal)
        if tool is None:
            return None
        return await self.dispatch_tool_call(
            tool=tool, arguments=arguments, request_id=signal.request_id, call_id=call_id, turn_id=signal.turn_id
        )

    async def _submit(
        self, request_id: str, payload: dict[str, Any] | None, attempts: int, delay: float
    ) -> _Submission:
        attempts = max(1, int(attempts))
        delay = max(0.0, float(delay))
        last: _Submission | None = None
        body = payload or {"contentItems": [], "success": False}
        for attempt in range(1, attempts + 1):
            try:
                answer = await self._client.tool_calls.respond(
                    request_id=request_id,
                    content_items=body.get("contentItems"),
                    success=body.get("success"),
                    allow_statuses=(404, 409),
                )
            except (TransportError, ApiError) as error:
                retry = isinstance(error, TransportError) or (
                    isinstance(error, ApiError) and (error.status or 0) >= 500
                )
                if retry and attempt < attempts:
                    await asyncio.sleep(delay * attempt)
                    continue
                return _Submission(False, False, status="exception", error=f"answer failed: {error}", attempts=attempt)
            last = _classify(answer)
            last.attempts = attempt
            if last.accepted or not last.retryable or attempt >= attempts:
                return last
            await asyncio.sleep(delay * attempt)
        return last or _Submission(False, False, status="error", error="no attempt made", attempts=attempts)

    async def _handle(
        self,
        request_id: str | None,
        tool: str,
        arguments: Any,
        call_id: str | None,
        turn_id: str | None,
        attempts: int,
        delay: float,
    ) -> RemoteSkillDispatch:
        if request_id is None:
            dispatched = await self.dispatch_tool_call(tool=tool, arguments=arguments, call_id=call_id, turn_id=turn_id)
            dispatched.submission_status = "no_request_id"
            return dispatched
        why = self._begin(request_id)
        if why is not None:
            return _skipped(tool, arguments, request_id, call_id, why)
        accepted = False
        try:
            dispatched = await self.dispatch_tool_call(
                tool=tool, arguments=arguments, request_id=request_id, call_id=call_id, turn_id=turn_id
            )
            submission = await self._submit(request_id, dispatched.response_payload, attempts, delay)
            accepted = submission.accepted
            return _finalize(dispatched, submission)
        finally:
            self._end(request_id, accepted)

    async def respond_to_signal(
        self,
        signal: AppServerSignal,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        if not self.matches_signal(signal):
            return None
        tool, arguments, call_id = _parse_signal(signal)
        if tool is None:
            return None
        self._registry.dispatch_mode = self._registry.dispatch_mode or "signal"
        rid = None if signal.request_id is None else str(signal.request_id)
        return await self._handle(
            rid, tool, arguments, call_id, signal.turn_id, max_submit_attempts, retry_delay_seconds
        )

    async def respond_to_event(
        self,
        event: StreamEvent,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        if event.type == _TOOL_CALL_SIGNAL:
            return await self.respond_to_signal(
                AppServerSignal.from_stream_event(event),
                max_submit_attempts=max_submit_attempts,
                retry_delay_seconds=retry_delay_seconds,
            )
        if event.type != "tool_call_requested":
            return None
        return await self.respond_to_pending_call(
            event.payload, max_submit_attempts=max_submit_attempts, retry_delay_seconds=retry_delay_seconds
        )

    async def respond_to_pending_call(
        self,
        pending_call: Any,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        if isinstance(pending_call, dict):
            thread = pending_call.get("threadId")
            if isinstance(thread, str) and thread and thread != self.session_id:
                return None
            if pending_call.get("status") not in (None, "pending"):
                return None
        request_id, tool, arguments, call_id, turn_id = _parse_pending(pending_call)
        if tool is None:
            return None
        self._registry.dispatch_mode = self._registry.dispatch_mode or "polling"
        return await self._handle(
            request_id, tool, arguments, call_id, turn_id, max_submit_attempts, retry_delay_seconds
        )

    async def drain_pending_calls(
        self,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> list[RemoteSkillDispatch]:
        rows = _rows(await self._client.sessions.tool_calls(session_id=self.session_id, allow_statuses=(404, 410)))
        out: list[RemoteSkillDispatch] = []
        for row in rows:
            dispatched = await self.respond_to_pending_call(
                row, max_submit_attempts=max_submit_attempts, retry_delay_seconds=retry_delay_seconds
            )
            if dispatched is not None:
                out.append(dispatched)
        return out

    async def send(self, request_text: str, *, inject_skills: bool = False, **kwargs: Any) -> Any:
        text = self.inject_request(request_text) if inject_skills else request_text
        return await self._client.sessions.send_message(session_id=self.session_id, text=text, **kwargs)

    @contextlib.asynccontextmanager
    async def listen(
        self,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
        connect_timeout_seconds: float = 10.0,
    ) -> AsyncIterator[_AsyncListener]:
        """Answer this session's tool calls from its events while the block runs."""
        listener = _AsyncListener(self, max_submit_attempts, retry_delay_seconds)
        if not await listener.start(connect_timeout_seconds):
            raise WaitTimeoutError(f"remote skills: the stream did not connect within {connect_timeout_seconds}s")
        try:
            yield listener
        finally:
            await listener.stop()

    async def send_and_handle(
        self,
        request_text: str,
        *,
        inject_skills: bool = False,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
        terminal_statuses: Iterable[str] | str | None = None,
        require_assistant_reply: bool = False,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
        **kwargs: Any,
    ) -> RemoteSkillSendResult:
        """Send, answer the turn's tool calls as they come, return as soon as it ends."""
        if timeout_seconds <= 0 or interval_seconds <= 0:
            raise ValueError("timeout_seconds and interval_seconds must be > 0")
        terminal = _statuses(terminal_statuses)
        listener = _AsyncListener(self, max_submit_attempts, retry_delay_seconds)
        try:
            live = await listener.start(_CONNECT_TIMEOUT)
        except Exception as error:
            _log.info("remote skills: no stream (%r)", error)
            live = False
        if not live:
            return await self._send_and_poll(
                request_text, inject_skills, timeout_seconds, interval_seconds, terminal, require_assistant_reply,
                max_submit_attempts, retry_delay_seconds, kwargs,
            )  # fmt: skip
        try:
            kwargs.setdefault("allow_statuses", ())
            accepted = await self.send(request_text, inject_skills=inject_skills, **kwargs)
            turn_id = _turn_id(accepted)
            from ..wait import turn_status_of

            async def poll() -> str | None:
                detail = await self._client.sessions.get(session_id=self.session_id, allow_statuses=())
                return turn_status_of(detail, turn_id)

            try:
                status: str | None = await listener.watcher.wait_status(
                    turn_id,
                    lambda s: s.lower() in terminal,
                    timeout=timeout_seconds,
                    poll=poll,
                    poll_every=max(_SAFETY_POLL, interval_seconds),
                )
            except TimeoutError as error:
                raise WaitTimeoutError(
                    f"remote skill turn {turn_id} did not end within {timeout_seconds:.2f}s"
                ) from error
        finally:
            await listener.stop()
        detail = await self._client.sessions.get(session_id=self.session_id, allow_statuses=())
        reply = _detail_reply(detail, turn_id) or listener.watcher.agent_reply(turn_id)
        if require_assistant_reply and reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        dispatches = [d for d in listener.dispatches if d.turn_id in (None, turn_id)]
        return RemoteSkillSendResult(self.session_id, turn_id, accepted, detail, status, reply, dispatches)

    async def _send_and_poll(
        self,
        request_text: str,
        inject_skills: bool,
        timeout_seconds: float,
        interval_seconds: float,
        terminal: set[str],
        require_assistant_reply: bool,
        attempts: int,
        delay: float,
        kwargs: dict[str, Any],
    ) -> RemoteSkillSendResult:
        from ..wait import turn_status_of

        kwargs.setdefault("allow_statuses", ())
        accepted = await self.send(request_text, inject_skills=inject_skills, **kwargs)
        turn_id = _turn_id(accepted)
        dispatches: list[RemoteSkillDispatch] = []
        deadline = time.monotonic() + timeout_seconds
        while True:
            dispatches.extend(await self.drain_pending_calls(max_submit_attempts=attempts, retry_delay_seconds=delay))
            detail = await self._client.sessions.get(session_id=self.session_id, allow_statuses=())
            status = turn_status_of(detail, turn_id)
            if status is not None and status.lower() in terminal:
                break
            if time.monotonic() >= deadline:
                raise WaitTimeoutError(f"remote skill turn {turn_id} did not end within {timeout_seconds:.2f}s")
            await asyncio.sleep(interval_seconds)
        reply = _detail_reply(detail, turn_id)
        if require_assistant_reply and reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return RemoteSkillSendResult(self.session_id, turn_id, accepted, detail, status, reply, dispatches)
