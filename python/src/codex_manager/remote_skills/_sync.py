"""RemoteSkillSession: one session's remote skills for the sync client."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ApiError, TransportError, WaitTimeoutError
from ..models import AppServerSignal, StreamEvent
from ._catalog import _CatalogMixin, _name
from ._listener import _Listener
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
    _run_awaitable,
    _skipped,
    _statuses,
    _turn_id,
)

if TYPE_CHECKING:
    from ..client import CodexManager


class RemoteSkillSession(_CatalogMixin):
    """The remote skills of one session, for :class:`~codex_manager.CodexManager`."""

    def __init__(self, *, client: CodexManager, session_id: str, registry: _Registry) -> None:
        self._client = client
        self.session_id = session_id
        self._registry = registry

    @contextlib.contextmanager
    def using(
        self,
        name: str,
        handler: RemoteSkillHandler,
        *,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
        sync_runtime_on_exit: bool = False,
        ignore_sync_errors: bool = True,
    ) -> Iterator[RemoteSkillSession]:
        if sync_runtime_on_exit:
            raise RuntimeError(_CATALOG_LOCKED)
        self.register(name, handler, description=description, input_schema=input_schema, output_schema=output_schema)
        try:
            yield self
        finally:
            self.unregister(name, ignore_sync_errors=ignore_sync_errors)

    # -- running one call ---------------------------------------------------------------

    def dispatch_tool_call(
        self,
        *,
        tool: str,
        arguments: Any = None,
        request_id: str | int | None = None,
        call_id: str | None = None,
        turn_id: str | None = None,
    ) -> RemoteSkillDispatch:
        """Run the handler of ``tool`` (no answer is sent)."""
        name = _name(tool)
        skill = self._registry.skills.get(name)
        rid = None if request_id is None else str(request_id)
        if skill is None:
            return self._missing(name, arguments, rid, call_id)
        call = ToolCall(self.session_id, name, arguments, rid, call_id, turn_id)
        try:
            args, kwargs = _call_arguments(skill.handler, arguments, call)
            result = skill.handler(*args, **kwargs)
            if inspect.isawaitable(result):
                result = _run_awaitable(result)
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

    def dispatch_app_server_signal(self, signal: AppServerSignal) -> RemoteSkillDispatch | None:
        if not self.matches_signal(signal):
            return None
        tool, arguments, call_id = _parse_signal(signal)
        if tool is None:
            return None
        return self.dispatch_tool_call(
            tool=tool, arguments=arguments, request_id=signal.request_id, call_id=call_id, turn_id=signal.turn_id
        )

    def _submit(self, request_id: str, payload: dict[str, Any] | None, attempts: int, delay: float) -> _Submission:
        attempts = max(1, int(attempts))
        delay = max(0.0, float(delay))
        last: _Submission | None = None
        body = payload or {"contentItems": [], "success": False}
        for attempt in range(1, attempts + 1):
            try:
                answer = self._client.tool_calls.respond(
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
                    time.sleep(delay * attempt)
                    continue
                return _Submission(False, False, status="exception", error=f"answer failed: {error}", attempts=attempt)
            last = _classify(answer)
            last.attempts = attempt
            if last.accepted or not last.retryable or attempt >= attempts:
                return last
            time.sleep(delay * attempt)
        return last or _Submission(False, False, status="error", error="no attempt made", attempts=attempts)

    def _handle(
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
            dispatched = self.dispatch_tool_call(tool=tool, arguments=arguments, call_id=call_id, turn_id=turn_id)
            dispatched.submission_status = "no_request_id"
            return dispatched
        why = self._begin(request_id)
        if why is not None:
            return _skipped(tool, arguments, request_id, call_id, why)
        accepted = False
        try:
            dispatched = self.dispatch_tool_call(
                tool=tool, arguments=arguments, request_id=request_id, call_id=call_id, turn_id=turn_id
            )
            submission = self._submit(request_id, dispatched.response_payload, attempts, delay)
            accepted = submission.accepted
            return _finalize(dispatched, submission)
        finally:
            self._end(request_id, accepted)

    def respond_to_signal(
        self,
        signal: AppServerSignal,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        """Answer an ``app_server.request.item.tool.call`` signal of this session."""
        if not self.matches_signal(signal):
            return None
        tool, arguments, call_id = _parse_signal(signal)
        if tool is None:
            return None
        self._registry.dispatch_mode = self._registry.dispatch_mode or "signal"
        rid = None if signal.request_id is None else str(signal.request_id)
        return self._handle(rid, tool, arguments, call_id, signal.turn_id, max_submit_attempts, retry_delay_seconds)

    def respond_to_event(
        self,
        event: StreamEvent,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        """Answer a ``tool_call_requested`` event of this session."""
        if event.type == _TOOL_CALL_SIGNAL:
            return self.respond_to_signal(
                AppServerSignal.from_stream_event(event),
                max_submit_attempts=max_submit_attempts,
                retry_delay_seconds=retry_delay_seconds,
            )
        if event.type != "tool_call_requested":
            return None
        return self.respond_to_pending_call(
            event.payload, max_submit_attempts=max_submit_attempts, retry_delay_seconds=retry_delay_seconds
        )

    def respond_to_pending_call(
        self,
        pending_call: Any,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> RemoteSkillDispatch | None:
        """Answer one pending call (a row of ``sessions.tool_calls`` or a ``tool_call_requested`` payload)."""
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
        return self._handle(request_id, tool, arguments, call_id, turn_id, max_submit_attempts, retry_delay_seconds)

    def drain_pending_calls(
        self,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
    ) -> list[RemoteSkillDispatch]:
        """Answer every call pending for this session now."""
        rows = _rows(self._client.sessions.tool_calls(session_id=self.session_id, allow_statuses=(404, 410)))
        out: list[RemoteSkillDispatch] = []
        for row in rows:
            dispatched = self.respond_to_pending_call(
                row, max_submit_attempts=max_submit_attempts, retry_delay_seconds=retry_delay_seconds
            )
            if dispatched is not None:
                out.append(dispatched)
        return out

    # -- sending and listening ----------------------------------------------------------

    def send(self, request_text: str, *, inject_skills: bool = False, **kwargs: Any) -> Any:
        """Start a turn. ``inject_skills`` prepends :meth:`instruction_text` (the tools are
        declared to the runtime either way)."""
        text = self.inject_request(request_text) if inject_skills else request_text
        return self._client.sessions.send_message(session_id=self.session_id, text=text, **kwargs)

    @contextlib.contextmanager
    def listen(
        self,
        *,
        max_submit_attempts: int = _DEFAULT_SUBMIT_ATTEMPTS,
        retry_delay_seconds: float = _DEFAULT_RETRY_DELAY,
        connect_timeout_seconds: float = 10.0,
    ) -> Iterator[_Listener]:
        """Answer this session's tool calls from its events while the block runs.

        Every (re)connection drains the pending list too, so calls raised while the
        stream was down are answered. The listener's ``dispatches`` lists the calls.
        """
        listener = _Listener(self, max_submit_attempts, retry_delay_seconds)
        loop = self._client.loop_thread
        if not loop.run(listener.start(connect_timeout_seconds), timeout=connect_timeout_seconds + 5):
            raise WaitTimeoutError(f"remote skills: the stream did not connect within {connect_timeout_seconds}s")
        try:
            yield listener
        finally:
            loop.run(listener.stop(), timeout=30)

    def send_and_handle(
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
        """Send, answer the turn's tool calls as they come, return as soon as it ends.

        Follows the session's events (polling only when the stream is unavailable).
        """
        if timeout_seconds <= 0 or interval_seconds <= 0:
            raise ValueError("timeout_seconds and interval_seconds must be > 0")
        terminal = _statuses(terminal_statuses)
        loop = self._client.loop_thread
        listener = _Listener(self, max_submit_attempts, retry_delay_seconds)
        try:
            live = loop.run(listener.start(_CONNECT_TIMEOUT), timeout=_CONNECT_TIMEOUT + 5)
        except Exception as error:
            _log.info("remote skills: no stream (%r)", error)
            live = False
        if not live:
            return self._send_and_poll(
                request_text, inject_skills, timeout_seconds, interval_seconds, terminal, require_assistant_reply,
                max_submit_attempts, retry_delay_seconds, kwargs,
            )  # fmt: skip
        try:
            kwargs.setdefault("allow_statuses", ())
            accepted = self.send(request_text, inject_skills=inject_skills, **kwargs)
            turn_id = _turn_id(accepted)
            from ..wait import turn_status_of

            async def poll() -> str | None:
                detail = await asyncio.to_thread(
                    self._client.sessions.get, session_id=self.session_id, allow_statuses=()
                )
                return turn_status_of(detail, turn_id)

            waiting = listener.watcher.wait_status(
                turn_id,
                lambda s: s.lower() in terminal,
                timeout=timeout_seconds,
                poll=poll,
                poll_every=max(_SAFETY_POLL, interval_seconds),
            )
            try:
                status: str | None = loop.run(waiting, timeout=timeout_seconds + 5)
            except TimeoutError as error:
                raise WaitTimeoutError(
                    f"remote skill turn {turn_id} did not end within {timeout_seconds:.2f}s"
                ) from error
        finally:
            loop.run(listener.stop(), timeout=30)
        detail = self._client.sessions.get(session_id=self.session_id, allow_statuses=())
        reply = _detail_reply(detail, turn_id) or listener.watcher.agent_reply(turn_id)
        if require_assistant_reply and reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        dispatches = [d for d in listener.dispatches if d.turn_id in (None, turn_id)]
        return RemoteSkillSendResult(self.session_id, turn_id, accepted, detail, status, reply, dispatches)

    def _send_and_poll(
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
        kwargs.setdefault("allow_statuses", ())
        accepted = self.send(request_text, inject_skills=inject_skills, **kwargs)
        turn_id = _turn_id(accepted)
        dispatches: list[RemoteSkillDispatch] = []
        deadline = time.monotonic() + timeout_seconds
        while True:
            dispatches.extend(self.drain_pending_calls(max_submit_attempts=attempts, retry_delay_seconds=delay))
            detail = self._client.sessions.get(session_id=self.session_id, allow_statuses=())
            from ..wait import turn_status_of

            status = turn_status_of(detail, turn_id)
            if status is not None and status.lower() in terminal:
                break
            if time.monotonic() >= deadline:
                raise WaitTimeoutError(f"remote skill turn {turn_id} did not end within {timeout_seconds:.2f}s")
            time.sleep(interval_seconds)
        reply = _detail_reply(detail, turn_id)
        if require_assistant_reply and reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return RemoteSkillSendResult(self.session_id, turn_id, accepted, detail, status, reply, dispatches)
