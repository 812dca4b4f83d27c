"""Wait helpers' shared pieces: the reply record, turn-status and reply extraction, argument checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .._watch import TERMINAL_TURN_STATUSES
from ..errors import WaitTimeoutError

if TYPE_CHECKING:
    pass


T = TypeVar("T")

#: How long a wait helper gives the stream to connect before it falls back to polling.
_CONNECT_TIMEOUT = 5.0
#: With a live stream, a safety poll this often (in case an event was lost).
_SAFETY_POLL_SECONDS = 5.0


@dataclass(slots=True)
class SessionTurnReply:
    """What ``send_message_and_wait_reply`` / ``assistant_reply`` return."""

    session_id: str
    turn_id: str
    accepted: Any
    detail: Any
    assistant_reply: str
    #: The turn's final status (``completed``, ``failed``, ``interrupted``).
    status: str | None = None


def _validate(timeout_seconds: float, interval_seconds: float, initial_delay: float, max_attempts: int | None) -> None:
    if timeout_seconds <= 0:
        raise ValueError("timeout_seconds must be > 0")
    if interval_seconds <= 0:
        raise ValueError("interval_seconds must be > 0")
    if initial_delay < 0:
        raise ValueError("initial_delay_seconds must be >= 0")
    if max_attempts is not None and max_attempts <= 0:
        raise ValueError("max_attempts must be > 0 when given")


def _timeout_message(description: str | None, timeout_seconds: float, attempts: int) -> str:
    return f"{description or 'wait condition'} did not match within {timeout_seconds:.2f}s after {attempts} attempts"


def assistant_reply_for_turn(detail: Any, turn_id: str) -> str | None:
    """The last complete assistant message of ``turn_id`` in a session's transcript."""
    transcript = detail.get("transcript") if isinstance(detail, dict) else None
    if not isinstance(transcript, list):
        return None
    for entry in reversed(transcript):
        if not isinstance(entry, dict) or entry.get("turnId") != turn_id or entry.get("role") != "assistant":
            continue
        if entry.get("status") not in ("complete", "completed"):
            continue
        content = entry.get("content")
        if isinstance(content, str) and content.strip():
            return content.strip()
    return None


def turn_status_of(detail: Any, turn_id: str) -> str | None:
    """A turn's status in a session detail (``thread.turns[].status``)."""
    thread = detail.get("thread") if isinstance(detail, dict) else None
    turns = thread.get("turns") if isinstance(thread, dict) else None
    if not isinstance(turns, list):
        return None
    for turn in turns:
        if isinstance(turn, dict) and turn.get("id") == turn_id:
            status = turn.get("status")
            return status.strip() if isinstance(status, str) and status.strip() else None
    return None


def _is_terminal(status: str) -> bool:
    return status.strip().lower() in TERMINAL_TURN_STATUSES


def _expected(expected: str | Iterable[str]) -> set[str]:
    values = [expected] if isinstance(expected, str) else list(expected)
    out: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            raise ValueError("expected statuses must be strings")
        if value.strip():
            out.add(value.strip().lower())
    if not out:
        raise ValueError("expected statuses must include at least one non-empty status")
    return out


def _turn_id(accepted: Any) -> str:
    turn_id = accepted.get("turnId") if isinstance(accepted, dict) else None
    if not isinstance(turn_id, str) or not turn_id.strip():
        raise ValueError(f"sessions.send_message did not accept the message: {accepted!r}")
    return turn_id


def _reply_ready(turn_id: str) -> Callable[[Any], bool]:
    def ready(detail: Any) -> bool:
        status = turn_status_of(detail, turn_id)
        reply = assistant_reply_for_turn(detail, turn_id)
        if status is None:
            return reply is not None
        if _is_terminal(status):
            if reply is not None:
                return True
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return False

    return ready
