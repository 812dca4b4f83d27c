"""Remote skills: Python callables registered as a session's dynamic tools.

::

    def register(skills):
        @skills.skill()
        def add(a: int, b: int = 1) -> int:
            '''Add two numbers.

            Args:
                a: the first number
                b: the second number
            '''
            return a + b

    with cm.remote_skills.lifecycle(register=register, cwd=".") as life:
        result = life.skills.send_and_handle("use tool add {\\"a\\": 2}")
        print(result.assistant_reply)

The tool's ``inputSchema`` is inferred from the signature, type hints and docstring (or
given). Tools are declared when the session is created (the runtime fixes a thread's
tools when it starts), so ``register`` runs before ``create_session``.

Calls are answered exactly once per request id: a call seen twice (stream event and
pending-list drain, or a replay after a reconnect) runs the handler once, and an answer
the bridge already has (another client answered, or it was resolved) counts as done.
``listen()`` / ``send_and_handle()`` follow the session's events and drain the pending
list whenever the stream (re)connects, so calls raised while disconnected are answered.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import dataclasses
import enum
import inspect
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from ._schema import Docstring, annotation_schema, coerce_argument, infer_input_schema, is_injected, parse_docstring
from ._watch import TERMINAL_TURN_STATUSES, TurnWatcher
from .errors import ApiError, TransportError, WaitTimeoutError
from .models import AppServerSignal, StreamEvent

if TYPE_CHECKING:
    from .client import AsyncCodexManager, CodexManager

__all__ = [
    "AsyncRemoteSkillLifecycle",
    "AsyncRemoteSkillSession",
    "AsyncRemoteSkillsFacade",
    "RemoteSkill",
    "RemoteSkillDispatch",
    "RemoteSkillHandler",
    "RemoteSkillLifecycle",
    "RemoteSkillSendResult",
    "RemoteSkillSession",
    "RemoteSkillsFacade",
    "ToolCall",
]

RemoteSkillHandler = Callable[..., Any]
_log = logging.getLogger("codex_manager.remote_skills")

_DEFAULT_INPUT_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": True}
_DEFAULT_SUBMIT_ATTEMPTS = 3
_DEFAULT_RETRY_DELAY = 0.05
_MAX_HANDLED = 4096
_CATALOG_LOCKED = (
    "remote skills are declared when the session is created: register them in "
    "remote_skills.create_session(register=...) or remote_skills.lifecycle(register=...)"
)
_TOOL_CALL_SIGNAL = "app_server.request.item.tool.call"
_CONNECT_TIMEOUT = 5.0
_SAFETY_POLL = 5.0


@dataclass(slots=True, frozen=True)
class ToolCall:
    """The call being answered; a handler gets it by declaring a parameter of this type."""

    session_id: str
    tool: str
    arguments: Any
    request_id: str | None = None
    call_id: str | None = None
    turn_id: str | None = None


@dataclass(slots=True)
class RemoteSkill:
    """A Python callable exposed as a dynamic tool."""

    name: str
    description: str
    handler: RemoteSkillHandler
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    output_description: str | None = None


@dataclass(slots=True)
class RemoteSkillDispatch:
    """One call handled: what ran, what was answered, how the bridge took the answer."""

    handled: bool
    tool: str
    arguments: Any = None
    request_id: str | int | None = None
    call_id: str | None = None
    response_payload: dict[str, Any] | None = None
    result: Any = None
    error: str | None = None
    submission_status: str | None = None
    submission_code: str | None = None
    submission_attempts: int = 0
    submission_idempotent: bool = False
    turn_id: str | None = None


@dataclass(slots=True)
class RemoteSkillSendResult:
    """What ``send_and_handle`` returns."""

    session_id: str
    turn_id: str
    accepted: Any
    detail: Any
    status: str | None
    assistant_reply: str | None
    dispatches: list[RemoteSkillDispatch]


@dataclass(slots=True)
class RemoteSkillLifecycle:
    session_id: str
    created: Any
    skills: RemoteSkillSession


@dataclass(slots=True)
class AsyncRemoteSkillLifecycle:
    session_id: str
    created: Any
    skills: AsyncRemoteSkillSession


@dataclass(slots=True)
class _Submission:
    accepted: bool
    retryable: bool
    idempotent: bool = False
    status: str | None = None
    code: str | None = None
    error: str | None = None
    attempts: int = 0


@dataclass(slots=True)
class _Registry:
    skills: dict[str, RemoteSkill] = field(default_factory=dict)
    handled: OrderedDict[str, None] = field(default_factory=OrderedDict)
    in_flight: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    catalog_locked: bool = False
    dispatch_mode: str | None = None

    def remember(self, request_id: str) -> None:
        self.handled[request_id] = None
        while len(self.handled) > _MAX_HANDLED:
            self.handled.popitem(last=False)


# ---------------------------------------------------------------------------------------
# Pure helpers shared by the sync and async sessions
# ---------------------------------------------------------------------------------------


def _name(name: str) -> str:
    normalized = name.strip()
    if not normalized:
        raise ValueError("a remote skill needs a non-empty name")
    return normalized


def make_skill(
    name: str,
    handler: RemoteSkillHandler,
    *,
    description: str | None = None,
    input_schema: dict[str, Any] | None = None,
    output_schema: dict[str, Any] | None = None,
) -> RemoteSkill:
    """A :class:`RemoteSkill` with its schema inferred from ``handler`` where not given."""
    if not callable(handler):
        raise TypeError("a remote skill handler must be callable")
    inferred, doc = infer_input_schema(handler)
    if isinstance(input_schema, dict):
        schema = deepcopy(input_schema)
        props = schema.get("properties")
        if isinstance(props, dict):
            for pname, text in doc.params.items():
                prop = props.get(pname)
                if isinstance(prop, dict) and not prop.get("description"):
                    prop["description"] = text
        if doc.text and not schema.get("description"):
            schema["description"] = doc.text
    else:
        schema = inferred
    text = (description or "").strip() or doc.text or f"Remote skill {name}"
    return RemoteSkill(
        name=name,
        description=text,
        handler=handler,
        input_schema=schema,
        output_schema=deepcopy(output_schema) if isinstance(output_schema, dict) else _return_schema(handler),
        output_description=_output_description(doc, output_schema),
    )


def _return_schema(handler: RemoteSkillHandler) -> dict[str, Any] | None:
    try:
        import typing

        hints = typing.get_type_hints(handler, include_extras=True)
    except Exception:
        return None
    annotation = hints.get("return", inspect.Parameter.empty)
    if annotation is inspect.Parameter.empty or annotation is Any:
        return None
    return annotation_schema(annotation) or None


def _output_description(doc: Docstring, output_schema: dict[str, Any] | None) -> str | None:
    if isinstance(output_schema, dict) and isinstance(output_schema.get("description"), str):
        return str(output_schema["description"]).strip() or None
    return doc.returns


def _dynamic_tools(skills: dict[str, RemoteSkill]) -> list[dict[str, Any]]:
    return [
        {
            "name": skills[n].name,
            "description": skills[n].description,
            "inputSchema": deepcopy(skills[n].input_schema or _DEFAULT_INPUT_SCHEMA),
        }
        for n in sorted(skills)
    ]


def _instruction(skills: dict[str, RemoteSkill]) -> str:
    if not skills:
        return ""
    lines = [
        "Session remote skill catalog (Python-managed):",
        "Use these capabilities when relevant and do not invent unknown tools.",
    ]
    for n in sorted(skills):
        skill = skills[n]
        lines.append(f"- {skill.name}: {skill.description}")
        lines.append(f"  input_schema: {json.dumps(skill.input_schema or _DEFAULT_INPUT_SCHEMA, sort_keys=True)}")
        if skill.output_schema:
            lines.append(f"  output_schema: {json.dumps(skill.output_schema, sort_keys=True)}")
        if skill.output_description:
            lines.append(f"  output_description: {skill.output_description}")
    return "\n".join(lines)


def _inject(instruction: str, text: str) -> str:
    return f"{instruction}\n\nUser request:\n{text}" if instruction else text


def _call_arguments(handler: RemoteSkillHandler, arguments: Any, call: ToolCall) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for ``handler``: JSON arguments coerced to its hints."""
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):
        if isinstance(arguments, dict):
            return [], dict(arguments)
        return ([] if arguments is None else [arguments]), {}
    import typing

    try:
        hints = typing.get_type_hints(handler, include_extras=True)
    except Exception:
        hints = {}
    params = list(signature.parameters.values())
    injected = {p.name for p in params if is_injected(hints.get(p.name, p.annotation))}
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    kwargs: dict[str, Any] = dict.fromkeys(injected, call)
    named = [p for p in params if p.name not in injected and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if isinstance(arguments, dict):
        known = {p.name: p for p in named}
        for key, value in arguments.items():
            if key in known:
                kwargs[key] = coerce_argument(hints.get(key, known[key].annotation), value)
            elif accepts_any:
                kwargs[key] = value
        return [], kwargs
    if arguments is None:
        return [], kwargs
    if named:
        first = named[0]
        kwargs[first.name] = coerce_argument(hints.get(first.name, first.annotation), arguments)
        return [], kwargs
    return [arguments], kwargs


def _output_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        value = dump(mode="json", by_alias=True)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _response_payload(result: Any) -> dict[str, Any]:
    if (
        isinstance(result, dict)
        and isinstance(result.get("contentItems"), list)
        and isinstance(result.get("success"), bool)
    ):
        return result
    return {"contentItems": [{"type": "inputText", "text": _output_text(result)}], "success": True}


def _error_payload(tool: str, error: BaseException) -> dict[str, Any]:
    return {"contentItems": [{"type": "inputText", "text": f"remote skill {tool} failed: {error}"}], "success": False}


def _classify(body: Any) -> _Submission:
    if not isinstance(body, dict):
        return _Submission(False, True, status="malformed", error="the bridge answered with an unexpected body")
    status = body.get("status") if isinstance(body.get("status"), str) else None
    code = body.get("code") if isinstance(body.get("code"), str) else None
    if status == "ok":
        return _Submission(True, False, status=status, code=code)
    if status == "not_found":
        return _Submission(True, False, True, status, code, "the call was already resolved or is gone")
    if status in ("reconciled", "conflict"):
        if code in ("already_resolved", "in_flight", None):
            return _Submission(True, False, True, status, code, "the call was already answered")
        return _Submission(False, False, status=status, code=code, error=str(body.get("message") or code))
    message = body.get("message")
    return _Submission(
        False,
        status == "error",
        status=status,
        code=code,
        error=f"rejected: {status} {code or ''} {message or ''}".strip(),
    )


def _signal_session(signal: AppServerSignal) -> str | None:
    session = signal.session if isinstance(signal.session, dict) else {}
    sid = session.get("id")
    if isinstance(sid, str) and sid.strip():
        return sid.strip()
    thread = signal.context.get("threadId") if isinstance(signal.context, dict) else None
    return thread if isinstance(thread, str) and thread.strip() else signal.thread_id


def _parse_signal(signal: AppServerSignal) -> tuple[str | None, Any, str | None]:
    if signal.event_type != _TOOL_CALL_SIGNAL:
        return None, None, None
    params = signal.params if isinstance(signal.params, dict) else {}
    tool = params.get("tool")
    if not isinstance(tool, str) or not tool.strip():
        return None, None, None
    call_id = params.get("callId")
    return tool.strip(), params.get("arguments"), call_id if isinstance(call_id, str) and call_id else None


def _parse_pending(record: Any) -> tuple[str | None, str | None, Any, str | None, str | None]:
    if not isinstance(record, dict):
        return None, None, None, None, None
    rid = record.get("requestId")
    request_id = str(rid) if isinstance(rid, str | int) and not isinstance(rid, bool) and str(rid) else None
    tool = record.get("tool")
    call_id = record.get("callId")
    turn_id = record.get("turnId")
    return (
        request_id,
        tool.strip() if isinstance(tool, str) and tool.strip() else None,
        record.get("arguments"),
        call_id if isinstance(call_id, str) and call_id else None,
        turn_id if isinstance(turn_id, str) and turn_id else None,
    )


def _rows(payload: Any) -> list[Any]:
    if not isinstance(payload, dict):
        raise ValueError("sessions.tool_calls returned an unexpected body")
    rows = payload.get("data")
    if isinstance(rows, list):
        return rows
    if payload.get("status") in ("deleted", "not_found"):
        return []
    raise ValueError("sessions.tool_calls answer has no data list")


def _statuses(values: Iterable[str] | str | None) -> set[str]:
    source = TERMINAL_TURN_STATUSES if values is None else ([values] if isinstance(values, str) else list(values))
    out = {v.strip().lower() for v in source if isinstance(v, str) and v.strip()}
    if not out:
        raise ValueError("terminal statuses must include at least one non-empty status")
    return out


def _detail_reply(detail: Any, turn_id: str) -> str | None:
    from .wait import assistant_reply_for_turn

    return assistant_reply_for_turn(detail, turn_id)


class _CatalogMixin:
    """The registry-facing methods that are the same for sync and async sessions."""

    session_id: str
    _registry: _Registry

    def _check_mutable(self) -> None:
        if self._registry.catalog_locked:
            raise RuntimeError(_CATALOG_LOCKED)

    def matches_signal(self, signal: AppServerSignal) -> bool:
        sid = _signal_session(signal)
        return sid is None or sid == self.session_id

    def list(self) -> builtins.list[RemoteSkill]:
        return list(self._registry.skills.values())

    def get(self, name: str) -> RemoteSkill | None:
        return self._registry.skills.get(name.strip())

    def clear(self, *, sync_runtime: bool = False, ignore_sync_errors: bool = True) -> int:
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        count = len(self._registry.skills)
        self._registry.skills.clear()
        return count

    def dispatch_mode(self) -> str | None:
        return self._registry.dispatch_mode

    def reset_dispatch_mode(self) -> None:
        self._registry.dispatch_mode = None

    def register(
        self,
        name: str,
        handler: RemoteSkillHandler,
        *,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
        sync_runtime: bool = False,
        ignore_sync_errors: bool = True,
    ) -> RemoteSkill:
        """Declare ``handler`` as the tool ``name`` (only inside ``register=`` callbacks)."""
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        skill = make_skill(
            _name(name), handler, description=description, input_schema=input_schema, output_schema=output_schema
        )
        self._registry.skills[skill.name] = skill
        return skill

    def unregister(self, name: str, *, sync_runtime: bool = False, ignore_sync_errors: bool = True) -> bool:
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        return self._registry.skills.pop(_name(name), None) is not None

    def skill(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
    ) -> Callable[[RemoteSkillHandler], RemoteSkillHandler]:
        """Decorator form of :meth:`register` (the tool is named after the function)."""

        def decorator(handler: RemoteSkillHandler) -> RemoteSkillHandler:
            raw = name if name is not None else getattr(handler, "__name__", "remote_skill")
            self.register(
                raw if isinstance(raw, str) else "remote_skill",
                handler,
                description=description,
                input_schema=input_schema,
                output_schema=output_schema,
            )
            return handler

        return decorator

    def instruction_text(self) -> str:
        """A plain-text catalog of the tools (for models that need it in the prompt)."""
        return _instruction(self._registry.skills)

    def inject_request(self, request_text: str) -> str:
        return _inject(self.instruction_text(), request_text)

    def dynamic_tools(self) -> builtins.list[dict[str, Any]]:
        """The ``dynamicTools`` declarations (name, description, inputSchema)."""
        return _dynamic_tools(self._registry.skills)

    def _begin(self, request_id: str | None) -> str | None:
        """None when this request may run now; else why not (duplicate / in flight)."""
        if request_id is None:
            return None
        with self._registry.lock:
            if request_id in self._registry.handled:
                return "local_duplicate"
            if request_id in self._registry.in_flight:
                return "in_flight"
            self._registry.in_flight.add(request_id)
        return None

    def _end(self, request_id: str | None, accepted: bool) -> None:
        if request_id is None:
            return
        with self._registry.lock:
            self._registry.in_flight.discard(request_id)
            if accepted:
                self._registry.remember(request_id)

    def _missing(self, tool: str, arguments: Any, request_id: str | None, call_id: str | None) -> RemoteSkillDispatch:
        message = f"no remote skill registered for {tool}"
        return RemoteSkillDispatch(
            handled=False,
            tool=tool,
            arguments=arguments,
            request_id=request_id,
            call_id=call_id,
            response_payload={"contentItems": [{"type": "inputText", "text": message}], "success": False},
            error=message,
        )


def _finalize(dispatched: RemoteSkillDispatch, submission: _Submission) -> RemoteSkillDispatch:
    dispatched.submission_status = submission.status
    dispatched.submission_code = submission.code
    dispatched.submission_attempts = submission.attempts
    dispatched.submission_idempotent = submission.idempotent
    if not submission.accepted:
        dispatched.handled = False
        dispatched.error = submission.error or "the answer was not accepted"
    return dispatched


def _skipped(tool: str, arguments: Any, request_id: str, call_id: str | None, why: str) -> RemoteSkillDispatch:
    return RemoteSkillDispatch(
        handled=True,
        tool=tool,
        arguments=arguments,
        request_id=request_id,
        call_id=call_id,
        submission_status=why,
        submission_idempotent=True,
    )


# ---------------------------------------------------------------------------------------
# Sync
# ---------------------------------------------------------------------------------------


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
            from .wait import turn_status_of

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
            from .wait import turn_status_of

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


def _turn_id(accepted: Any) -> str:
    turn_id = accepted.get("turnId") if isinstance(accepted, dict) else None
    if not isinstance(turn_id, str) or not turn_id:
        raise ValueError(f"sessions.send_message did not accept the message: {accepted!r}")
    return turn_id


def _run_awaitable(awaitable: Awaitable[Any]) -> Any:
    async def wrap() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrap())
    raise TypeError("an async remote skill cannot run on a running event loop from the sync client")


class _ListenerBase:
    """Follows one session's events: answers tool calls, tracks turns (a :class:`TurnWatcher`)."""

    def __init__(self, stream: Any, session_id: str) -> None:
        self.dispatches: list[RemoteSkillDispatch] = []
        self.reconnects = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self.watcher = TurnWatcher(
            stream,
            session_id,
            families=("notification", "bridge"),
            on_event=self._on_event,
            on_connect=self._on_connect,
        )

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        raise NotImplementedError

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        raise NotImplementedError

    def _record(self, found: Iterable[RemoteSkillDispatch | None]) -> None:
        for d in found:
            if d is not None and d.submission_status not in ("local_duplicate", "in_flight"):
                self.dispatches.append(d)

    async def _drain(self) -> None:
        try:
            self._record(await self._drain_now())
        except Exception as error:
            _log.warning("remote skills: draining pending calls failed: %r", error)

    async def _answer(self, payload: Any) -> None:
        try:
            self._record([await self._answer_now(payload)])
        except Exception as error:
            _log.warning("remote skills: answering a call failed: %r", error)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_connect(self, reconnects: int) -> None:
        self.reconnects = reconnects
        self._spawn(self._drain())

    def _on_event(self, event: StreamEvent) -> None:
        if event.type == "tool_call_requested":
            self._spawn(self._answer(event.payload))
        elif event.type == "resync_required":
            self._spawn(self._drain())

    async def start(self, timeout: float) -> bool:
        return await self.watcher.start(timeout)

    async def stop(self) -> None:
        """Stop following events once the calls in progress are answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.watcher.aclose()


class _Listener(_ListenerBase):
    def __init__(self, session: RemoteSkillSession, attempts: int, delay: float) -> None:
        super().__init__(session._client.async_stream, session.session_id)
        self._session = session
        self._attempts = attempts
        self._delay = delay

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        return await asyncio.to_thread(
            self._session.drain_pending_calls, max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        return await asyncio.to_thread(
            self._session.respond_to_pending_call,
            payload,
            max_submit_attempts=self._attempts,
            retry_delay_seconds=self._delay,
        )


class RemoteSkillsFacade:
    """``cm.remote_skills``."""

    def __init__(self, client: CodexManager) -> None:
        self._client = client
        self._registries: dict[str, _Registry] = {}

    def session(self, session_id: str) -> RemoteSkillSession:
        """The remote skills of an existing session (its catalog is fixed)."""
        registry = self._registries.setdefault(session_id, _Registry())
        registry.catalog_locked = True
        return RemoteSkillSession(client=self._client, session_id=session_id, registry=registry)

    def create_session(
        self,
        *,
        register: Callable[[RemoteSkillSession], Any] | None = None,
        **create_kwargs: Any,
    ) -> tuple[Any, RemoteSkillSession]:
        """Run ``register(skills)``, then create a session declaring those tools."""
        draft_registry = _Registry()
        draft = RemoteSkillSession(client=self._client, session_id="draft", registry=draft_registry)
        if register is not None:
            result = register(draft)
            if inspect.isawaitable(result):
                _run_awaitable(result)
        tools = draft.dynamic_tools()
        if tools and "dynamic_tools" not in create_kwargs:
            create_kwargs["dynamic_tools"] = tools
        create_kwargs.setdefault("allow_statuses", ())
        created = self._client.sessions.create(**create_kwargs)
        session = created.get("session") if isinstance(created, dict) else None
        session_id = session.get("sessionId") if isinstance(session, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("sessions.create answer has no session.sessionId")
        bound = self.session(session_id)
        bound._registry.skills = dict(draft_registry.skills)
        return created, bound

    def close_session(
        self,
        session_id: str,
        *,
        delete_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
    ) -> dict[str, Any]:
        del sync_runtime_on_cleanup
        registry = self._registries.pop(session_id, None)
        cleared = len(registry.skills) if registry else 0
        deleted: Any = None
        if delete_session:
            try:
                deleted = self._client.sessions.delete(session_id=session_id)
            except Exception:
                if not ignore_cleanup_errors:
                    raise
        status = deleted.get("status") if isinstance(deleted, dict) else None
        out: dict[str, Any] = {"sessionId": session_id, "cleared": cleared, "deleted": status in ("ok", "deleted")}
        if deleted is not None:
            out["deleteResponse"] = deleted
        return out

    @contextlib.contextmanager
    def lifecycle(
        self,
        *,
        register: Callable[[RemoteSkillSession], Any] | None = None,
        keep_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
        **create_kwargs: Any,
    ) -> Iterator[RemoteSkillLifecycle]:
        """A session with these tools for the block; deleted afterwards unless ``keep_session``."""
        created, skills = self.create_session(register=register, **create_kwargs)
        try:
            yield RemoteSkillLifecycle(session_id=skills.session_id, created=created, skills=skills)
        finally:
            self.close_session(
                skills.session_id,
                delete_session=not keep_session,
                sync_runtime_on_cleanup=sync_runtime_on_cleanup,
                ignore_cleanup_errors=ignore_cleanup_errors,
            )

    def using(self, session_id: str, name: str, handler: RemoteSkillHandler, **kwargs: Any) -> NoReturn:
        raise RuntimeError(_CATALOG_LOCKED)


# ---------------------------------------------------------------------------------------
# Async
# ---------------------------------------------------------------------------------------


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
            from .wait import turn_status_of

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
        from .wait import turn_status_of

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


class _AsyncListener(_ListenerBase):
    def __init__(self, session: AsyncRemoteSkillSession, attempts: int, delay: float) -> None:
        super().__init__(session._client.stream, session.session_id)
        self._session = session
        self._attempts = attempts
        self._delay = delay

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        return await self._session.drain_pending_calls(
            max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        return await self._session.respond_to_pending_call(
            payload, max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )


class AsyncRemoteSkillsFacade:
    """``acm.remote_skills``."""

    def __init__(self, client: AsyncCodexManager) -> None:
        self._client = client
        self._registries: dict[str, _Registry] = {}

    def session(self, session_id: str) -> AsyncRemoteSkillSession:
        registry = self._registries.setdefault(session_id, _Registry())
        registry.catalog_locked = True
        return AsyncRemoteSkillSession(client=self._client, session_id=session_id, registry=registry)

    async def create_session(
        self,
        *,
        register: Callable[[AsyncRemoteSkillSession], Any] | None = None,
        **create_kwargs: Any,
    ) -> tuple[Any, AsyncRemoteSkillSession]:
        draft_registry = _Registry()
        draft = AsyncRemoteSkillSession(client=self._client, session_id="draft", registry=draft_registry)
        if register is not None:
            result = register(draft)
            if inspect.isawaitable(result):
                await result
        tools = draft.dynamic_tools()
        if tools and "dynamic_tools" not in create_kwargs:
            create_kwargs["dynamic_tools"] = tools
        create_kwargs.setdefault("allow_statuses", ())
        created = await self._client.sessions.create(**create_kwargs)
        session = created.get("session") if isinstance(created, dict) else None
        session_id = session.get("sessionId") if isinstance(session, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("sessions.create answer has no session.sessionId")
        bound = self.session(session_id)
        bound._registry.skills = dict(draft_registry.skills)
        return created, bound

    async def close_session(
        self,
        session_id: str,
        *,
        delete_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
    ) -> dict[str, Any]:
        del sync_runtime_on_cleanup
        registry = self._registries.pop(session_id, None)
        cleared = len(registry.skills) if registry else 0
        deleted: Any = None
        if delete_session:
            try:
                deleted = await self._client.sessions.delete(session_id=session_id)
            except Exception:
                if not ignore_cleanup_errors:
                    raise
        status = deleted.get("status") if isinstance(deleted, dict) else None
        out: dict[str, Any] = {"sessionId": session_id, "cleared": cleared, "deleted": status in ("ok", "deleted")}
        if deleted is not None:
            out["deleteResponse"] = deleted
        return out

    @contextlib.asynccontextmanager
    async def lifecycle(
        self,
        *,
        register: Callable[[AsyncRemoteSkillSession], Any] | None = None,
        keep_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
        **create_kwargs: Any,
    ) -> AsyncIterator[AsyncRemoteSkillLifecycle]:
        created, skills = await self.create_session(register=register, **create_kwargs)
        try:
            yield AsyncRemoteSkillLifecycle(session_id=skills.session_id, created=created, skills=skills)
        finally:
            await self.close_session(
                skills.session_id,
                delete_session=not keep_session,
                sync_runtime_on_cleanup=sync_runtime_on_cleanup,
                ignore_cleanup_errors=ignore_cleanup_errors,
            )

    async def using(self, session_id: str, name: str, handler: RemoteSkillHandler, **kwargs: Any) -> NoReturn:
        raise RuntimeError(_CATALOG_LOCKED)


# Keep the public parse helper importable for tests and tools.
__all__ += ["make_skill", "parse_docstring"]
_ = parse_docstring
