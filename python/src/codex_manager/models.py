"""Stream events as the client hands them to handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AppServerSignal", "StreamEvent"]


@dataclass(slots=True)
class StreamEvent:
    """One event of ``/api/stream``: ``{type, threadId, seq, epoch, payload}``.

    ``type`` is ``notification`` (a raw runtime notification ``{method, params}``),
    ``app_server.<method>`` / ``app_server.request.<method>`` (normalized signals), an alias
    (``turn_plan_updated``, ...) or a bridge event (``approval``, ``tool_call_requested``,
    ...). The client also hands out ``resync_required`` when the bridge could not replay
    everything missed (reload state then), with ``seq`` ``None``.
    """

    type: str
    thread_id: str | None
    payload: Any
    seq: int | None = None
    epoch: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> StreamEvent:
        thread = body.get("threadId")
        seq = body.get("seq")
        epoch = body.get("epoch")
        return cls(
            type=str(body.get("type") or "unknown"),
            thread_id=thread if isinstance(thread, str) else None,
            payload=body.get("payload"),
            seq=seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
            epoch=epoch if isinstance(epoch, str) else None,
            raw=body,
        )

    @property
    def method(self) -> str | None:
        """The runtime method of a ``notification`` or ``app_server.*`` event."""
        payload = self.payload
        if isinstance(payload, dict) and isinstance(payload.get("method"), str):
            return str(payload["method"])
        return None

    @property
    def params(self) -> Any:
        payload = self.payload
        return payload.get("params") if isinstance(payload, dict) else None


@dataclass(slots=True)
class AppServerSignal:
    """An ``app_server.*`` event's payload: a runtime notification or request, normalized."""

    event_type: str
    method: str | None
    signal_type: str | None
    received_at: str | None
    context: dict[str, Any]
    params: Any
    session: dict[str, Any] | None
    request_id: str | int | None
    thread_id: str | None = None
    seq: int | None = None

    @classmethod
    def from_stream_event(cls, event: StreamEvent) -> AppServerSignal:
        payload = event.payload if isinstance(event.payload, dict) else {}
        request_id = payload.get("requestId")
        if not isinstance(request_id, str | int) or isinstance(request_id, bool):
            request_id = None
        session = payload.get("session")
        context = payload.get("context")

        def text(key: str) -> str | None:
            value = payload.get(key)
            return value if isinstance(value, str) else None

        return cls(
            event_type=event.type,
            method=text("method"),
            signal_type=text("signalType"),
            received_at=text("receivedAt"),
            context=context if isinstance(context, dict) else {},
            params=payload.get("params"),
            session=session if isinstance(session, dict) else None,
            request_id=request_id,
            thread_id=event.thread_id,
            seq=event.seq,
        )

    @property
    def turn_id(self) -> str | None:
        turn = self.context.get("turnId")
        return turn if isinstance(turn, str) else None
