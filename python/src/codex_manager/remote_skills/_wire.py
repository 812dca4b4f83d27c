"""Pure helpers for answering tool calls: argument coercion, answer payloads, signal and pending-call parsing."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import inspect
import json
from collections.abc import Awaitable, Iterable
from typing import Any

from .._schema import coerce_argument, is_injected
from .._watch import TERMINAL_TURN_STATUSES
from ..models import AppServerSignal
from ._types import _TOOL_CALL_SIGNAL, RemoteSkillDispatch, RemoteSkillHandler, ToolCall, _Submission


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
    from ..wait import assistant_reply_for_turn

    return assistant_reply_for_turn(detail, turn_id)


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
